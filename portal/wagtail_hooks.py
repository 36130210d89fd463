from django.contrib import messages
from django.urls import path
from wagtail import hooks
from wagtail.admin.menu import SubmenuMenuItem

from . import two_factor
from .doors import edits_pages
from .panels import WelcomePanel
from .sign_in import invitation_send


@hooks.register("register_admin_urls")
def register_enrolment_link_url():
    return [
        path(
            "people/<int:pk>/two-factor-link/",
            two_factor.admin_enrolment_link,
            name="two_factor_admin_link",
        )
    ]


@hooks.register("construct_homepage_panels")
def add_welcome_panel(request, panels):
    panels.insert(0, WelcomePanel(request.user))


@hooks.register("after_create_user")
def invite_new_person(request, person):
    """A person added without a password is emailed a link to choose their own."""
    if person.has_usable_password():
        return
    if invitation_send(person=person, by=request.user, request=request):
        messages.success(request, f"We have emailed {person.email} a link to choose a password.")
    else:
        messages.warning(
            request,
            f"{person} has no email address, so no invitation was sent. Add their address, "
            "or give them a password.",
        )


@hooks.register("construct_main_menu")
def hide_help_from_those_who_do_not_edit_pages(request, menu_items):
    """Wagtail's Help menu (release notes, editor guide) is for page editors only, and
    the workspace does not name the software's version in its Settings menu."""
    if not edits_pages(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "help"]
    menu_items[:] = [
        SubmenuMenuItem(
            item.label, item.menu, name=item.name, icon_name=item.icon_name, order=item.order
        )
        if item.name == "settings"
        else item
        for item in menu_items
    ]


@hooks.register("construct_help_menu")
def keep_help_to_the_editor_guide(request, menu_items):
    """Page editors keep the editor guide and shortcuts, not Wagtail's release notes."""
    menu_items[:] = [item for item in menu_items if not item.name.startswith("whats-new")]
