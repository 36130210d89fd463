"""A supervisor's pages on the site that need training as well as supervision: their
supervisees' training statuses and dates, under /supervising/.

Supervision's own pages (supervision/supervising.py) stay below training; this page
composes both, so it lives here beside the service lead's pages. Who sees what is
docs/architecture.md, Who sees what: a supervisor sees the training statuses and dates
of the people they supervise today (`people.selectors.supervisees_of`), never notes,
evidence or exemption reasons.
"""

from datetime import date

from django.utils import timezone
from django.views.generic import TemplateView

from organisation.words import status_urgency
from people.policies import PolicyRequiredMixin
from people.selectors import psws, supervisees_of

from .labels import requirement_date, status_cell
from .loader import Person, statuses_today


def urgency(requirement):
    """Most urgent status first, then the soonest due."""
    return (status_urgency(requirement.status), requirement.due_on or date.max)


def supervisee_training(supervisor, today):
    """[(person, [(RequirementStatus, cell)])] of the people `supervisor` supervises
    today, the person with the most urgent requirement first, in a fixed number of
    queries however many they are."""
    people = (
        psws(today)
        .filter(pk__in=supervisees_of(supervisor, today).values("pk"))
        .select_related("service")
    )
    status = statuses_today([Person.of(person) for person in people], today)
    rows = []
    for person in status.people:
        requirements = sorted(person.requirements.values(), key=urgency)
        cells = [(r, status_cell(r.status, requirement_date(r))) for r in requirements]
        most_urgent = urgency(requirements[0]) if requirements else (len(cells), date.max)
        rows.append((most_urgent, person.person.sort_key, person.person, cells))
    rows.sort(key=lambda row: row[:2])
    return [(person, cells) for _, _, person, cells in rows]


class SuperviseeTrainingView(PolicyRequiredMixin, TemplateView):
    """Each supervisee's requirements, with their status in words and their dates."""

    template_name = "compliance/supervising/training.html"

    permission_required = "read_supervisees"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            today=today, people=supervisee_training(self.request.user, today), **kwargs
        )
