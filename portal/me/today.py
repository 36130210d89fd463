"""What the today page shows: each requirement with its status and its next step, and
the next session in each supervision stream, read from the kept status tables
(compliance.loader) in a fixed number of queries however many records a person has."""

from dataclasses import dataclass
from datetime import date

from compliance.loader import Person, statuses_today
from organisation.words import requirement_name
from people.selectors import Sees
from supervision.selectors import sessions_with_notes_visible_to
from training.models import TrainingModulePage, TrainingRecord
from training.selectors import records_visible_to

# Statuses that ask nothing of the person today; any other (not recorded, expired,
# expiring soon, due by, or a status added later) has a next step.
SETTLED = ("valid", "pending", "exempt")
# The order of the list: what has run out or was never done first, then what falls
# due next, then what is waiting or done. A status not named here sorts with "due by".
ORDER = ("expired", "missing", "due_by", "expiring", "pending", "valid", "exempt")


@dataclass
class Requirement:
    """One requirement as the person reads it, with where to go next."""

    status: object  # training.selectors.RequirementStatus
    module_url: str
    certificate_code: str | None

    @property
    def label(self):
        return requirement_name(self.status.module_title, self.status.provider)

    @property
    def code(self):
        return self.status.status

    @property
    def needs_a_step(self):
        return self.code not in SETTLED

    @property
    def due_on(self):
        """The day it falls (or fell) due: when it runs out, or by when it is needed."""
        return getattr(self.status, "due_on", None) or self.status.valid_until

    def sort_key(self, position):
        rank = ORDER.index(self.code) if self.code in ORDER else ORDER.index("due_by")
        return (rank, self.due_on or date.max, position)


@dataclass
class Today:
    requirements: list
    streams: list  # supervision.selectors.StreamStatus, NHS first
    to_sign_off: int

    @property
    def first_step(self):
        return next((r for r in self.requirements if r.needs_a_step), None)

    @property
    def new_starter(self):
        """Nothing recorded, verified or waiting yet: the first step is the start."""
        return all(
            r.code not in ("valid", "expiring", "expired", "pending") for r in self.requirements
        )


def today_for(user, on, request):
    """The today page of `user` on `on`, in the same few queries however many records."""
    person = statuses_today([Person.of(user)], on).people[0]
    module_ids = {module_id for module_id, _ in person.requirements}
    pages = TrainingModulePage.objects.live().filter(pk__in=module_ids).only("pk", "url_path")
    urls = {page.pk: page.get_url(request) for page in pages}
    codes = certificate_codes(user)
    requirements = [
        Requirement(status, urls.get(key[0], ""), codes.get(key))
        for key, status in person.requirements.items()
    ]
    ordered = sorted(enumerate(requirements), key=lambda pair: pair[1].sort_key(pair[0]))
    return Today(
        requirements=[r for _, r in ordered],
        streams=list(person.streams.values()),
        to_sign_off=sessions_to_sign_off(user).count(),
    )


def certificate_codes(user):
    """{(module id, provider): the code of the latest verified certificate}: one query."""
    verified = (
        records_visible_to(user, Sees.CERTIFICATES)
        .filter(person=user, status=TrainingRecord.Status.VERIFIED, certificate_code__isnull=False)
        .order_by("completed_on", "pk")
        .values_list("module_id", "provider", "certificate_code")
    )
    return {(module_id, provider): code for module_id, provider, code in verified}


def sessions_to_sign_off(user):
    """The person's sessions waiting for their own sign-off."""
    return sessions_with_notes_visible_to(user).filter(
        arrangement__supervisee=user, acknowledged_at__isnull=True, declined_at__isnull=True
    )
