"""Retention: anonymising people who left long ago, keeping counts and the audit chain.

Their rows stay (so historic compliance figures and the audit log still add up), but
names, contact details, free-text notes and evidence files go, from the live rows and
from every history row; the chains of the records touched are then sealed again.
"""

from dataclasses import dataclass

from django.db import transaction

from people.models import User
from supervision.models import SupervisionArrangement, SupervisionSession
from training.models import TrainingRecord
from training.rules import add_months

from .services import chain_reseal

REASON = "Personal details removed: left more than the retention period ago"
FORMER_PREFIX = "former-"


@dataclass
class Purge:
    person: User
    records: int
    sessions: int


def leavers_to_purge(*, today, years):
    cutoff = add_months(today, -12 * years)
    return (
        User.objects.filter(left_on__lt=cutoff)
        .exclude(username__startswith=FORMER_PREFIX)
        .order_by("left_on", "pk")
    )


def plan(*, today, years):
    return [
        Purge(
            person=person,
            records=TrainingRecord.objects.filter(person=person).count(),
            sessions=SupervisionSession.objects.filter(arrangement__supervisee=person).count(),
        )
        for person in leavers_to_purge(today=today, years=years)
    ]


@transaction.atomic
def person_anonymise(*, person):
    pk = person.pk
    records = list(TrainingRecord.objects.filter(person=person))
    for record in records:
        if record.evidence:
            record.evidence.delete(save=False)
        record.notes = ""
        record._change_reason = REASON
        record.save()
    arrangements = list(SupervisionArrangement.objects.filter(supervisee=person))
    sessions = list(SupervisionSession.objects.filter(arrangement__in=arrangements))
    for session in sessions:
        session.notes = session.actions = ""
        session._change_reason = REASON
        session.save()
    person.username = f"{FORMER_PREFIX}{pk}"
    person.first_name, person.last_name, person.email = "Former", f"colleague {pk}", ""
    person.is_active = False
    person.set_unusable_password()
    person._change_reason = REASON
    person.save()

    # History rows are not themselves tracked: updating them writes no new history.
    User.history.filter(id=pk).update(
        username=person.username,
        first_name=person.first_name,
        last_name=person.last_name,
        email="",
    )
    TrainingRecord.history.filter(person_id=pk).update(notes="", evidence="")
    SupervisionSession.history.filter(arrangement_id__in=[a.pk for a in arrangements]).update(
        notes="", actions=""
    )

    chain_reseal(model=User, object_ids=[pk])
    chain_reseal(model=TrainingRecord, object_ids=[r.pk for r in records])
    chain_reseal(model=SupervisionSession, object_ids=[s.pk for s in sessions])
