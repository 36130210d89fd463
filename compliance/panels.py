"""Dashboard panels on the admin home: each role sees the compliance it comes for."""

from datetime import timedelta

from django.utils import timezone
from wagtail.admin.ui.components import Component

from people import roles
from people.policies import workspace_policy
from people.selectors import supervisees_of
from supervision.models import SupervisionSession
from supervision.selectors import safeguarding_flags_visible_to
from training.models import TrainingRecord
from training.selectors import records_visible_to

from .labels import requirement_date, status_cell, stream_date
from .loader import Person, organisation_counts, statuses_today
from .selectors import compliance_scope, sees_whole_organisation
from .summary import compliance_target, organisation_summary

FLAG_WINDOW = timedelta(days=90)


def panels_for(request):
    user, today = request.user, timezone.localdate()
    panels = []
    may = workspace_policy.user_has_permission
    if may(user, "record_own_training"):
        panels.append(MyRecordPanel(user, today))
    if may(user, "read_supervisees"):
        panels.append(SuperviseesPanel(user, today))
    if may(user, "read_organisation"):
        panels.append(OrganisationPanel(request, today))
    return panels


class CompliancePanel(Component):
    class Media:
        css = {"all": ["compliance/compliance.css"]}


class MyRecordPanel(CompliancePanel):
    name = "compliance_my_record"
    order = 20
    template_name = "compliance/panels/my_record.html"

    def __init__(self, user, today):
        self.user, self.today = user, today

    def get_context_data(self, parent_context=None):
        status = statuses_today([Person.of(self.user)], self.today).people[0]
        return {
            "person": self.user,
            "requirements": [
                (r, status_cell(r.status, requirement_date(r)))
                for r in status.requirements.values()
            ],
            "streams": [
                (s, status_cell(s.status, stream_date(s))) for s in status.streams.values()
            ],
        }


class SuperviseesPanel(CompliancePanel):
    name = "compliance_supervisees"
    order = 30
    template_name = "compliance/panels/supervisees.html"

    def __init__(self, user, today):
        self.user, self.today = user, today

    def get_context_data(self, parent_context=None):
        people = (
            supervisees_of(self.user, self.today)
            .filter(groups__name=roles.PSW)
            .select_related("service")
        )
        status = statuses_today([Person.of(p) for p in people], self.today)
        rows = []
        for each in sorted(status.people, key=lambda p: p.person.sort_key):
            streams = [
                (s.stream, status_cell(s.status, stream_date(s)))
                for s in each.streams.values()
                if s.supervisor_id == self.user.pk
            ]
            rows.append((each, streams))
        return {"rows": rows}


class OrganisationPanel(CompliancePanel):
    """A manager's organisation today (a service lead's service is on the site)."""

    name = "compliance_organisation"
    order = 40
    template_name = "compliance/panels/organisation.html"

    def __init__(self, request, today):
        self.request, self.today = request, today

    def get_context_data(self, parent_context=None):
        user = self.request.user
        status = organisation_counts(
            compliance_scope(user), self.today, whole=sees_whole_organisation(user)
        )
        # The few recent flags first (an index of flags alone), then the scope.
        recent = SupervisionSession.objects.filter(
            safeguarding_concern=True, held_on__gte=self.today - FLAG_WINDOW
        )
        return {
            "summary": organisation_summary(status, compliance_target(self.request)),
            "pending": records_visible_to(user)
            .filter(status=TrainingRecord.Status.PENDING)
            .count(),
            "flags": safeguarding_flags_visible_to(user)
            .filter(pk__in=recent.values("pk"))
            .select_related("arrangement__supervisee")
            .order_by("-held_on"),
        }
