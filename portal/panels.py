"""Admin dashboard panels: each role is greeted with what it comes to do.

Other apps add their own panels through the `construct_homepage_panels` hook.
"""

from wagtail.admin.ui.components import Component

from people import roles

GREETINGS = {
    roles.PSW: (
        "Peer support worker",
        "Record a training completion, download your certificates and passport, and see "
        "and sign off your supervision.",
    ),
    roles.SUPERVISOR: (
        "Supervisor",
        "Log sessions with the people you supervise and confirm the sessions they log.",
    ),
    roles.MANAGER: (
        "Manager",
        "Verify completions, record attendance, set up supervision, check compliance for "
        "everyone and export reports.",
    ),
    roles.SERVICE_LEAD: (
        "Service lead",
        "See whether the peer support workers in your service are trained and supervised.",
    ),
}


class WelcomePanel(Component):
    name = "alongside_welcome"
    order = 10
    template_name = "portal/panels/welcome.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        held = roles.role_names(self.user)
        greetings = [GREETINGS[role] for role in roles.ALL if role in held]
        if self.user.is_superuser:
            greetings.append(
                ("Administrator", "Manage people, services, site settings and module pages.")
            )
        return {"user": self.user, "greetings": greetings}
