"""Retention: anonymising people who left long ago, keeping counts and the audit chain.

Their rows stay (so historic compliance figures and the audit log still add up), but
names, contact details, free-text notes and evidence files go, from the live rows and
from every history row; the chains of the records touched are then sealed again. The
other places a name is copied go too: Wagtail's log entries (each entry's label is
the object's name as it was), the reminder log (a supervisor's reminder names the PSW),
sign-in attempt logs, and the cache of rendered certificate and passport PDFs.
"""

import json
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from wagtail.models import ModelLogEntry, PageLogEntry

from certificates.documents import cache_clear
from people.models import User
from supervision.models import SupervisionArrangement, SupervisionSession
from training.models import TrainingExemption, TrainingRecord
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


def _scrub_log_entries(replacements, own_objects):
    """Rewrite the name out of Wagtail's log entries: those about the person's own
    objects, and any other entry naming them."""
    named = Q()
    for old, _ in replacements:
        named |= Q(label__contains=old)
    own = Q()
    for content_type_id, object_ids in own_objects.items():
        own |= Q(content_type_id=content_type_id, object_id__in=[str(i) for i in object_ids])
    for entries in (ModelLogEntry.objects.filter(named | own), PageLogEntry.objects.filter(named)):
        for entry in entries.iterator():
            entry.label = replace_all(entry.label, replacements)
            entry.data = json.loads(replace_all(json.dumps(entry.data), replacements))
            entry.save(update_fields=["label", "data"])


# Sent inside the anonymising transaction with `person` and `replacements` ((old, new)
# pairs of text), so apps above this one (the reminder log in compliance) scrub the
# person out of their own logs without this app naming them.
person_anonymising = Signal()


def replace_all(text, replacements):
    for old, new in replacements:
        if old:
            text = text.replace(old, new)
    return text


@transaction.atomic
def person_anonymise(*, person):
    pk = person.pk
    old_username, old_email = person.username, person.email
    old_name = person.get_full_name()
    own_objects = _own_objects(person)
    records = list(TrainingRecord.objects.filter(person=person))
    former_name = f"Former colleague {pk}"
    for record in records:
        if record.evidence:
            record.evidence.delete(save=False)
        record.notes = ""
        if record.issued_name:
            record.issued_name = former_name
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
    person.preferred_name = ""
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
        preferred_name="",
    )
    TrainingRecord.history.filter(person_id=pk).update(notes="", evidence="")
    TrainingRecord.history.filter(person_id=pk).exclude(issued_name="").update(
        issued_name=former_name
    )
    SupervisionSession.history.filter(arrangement_id__in=[a.pk for a in arrangements]).update(
        notes="", actions=""
    )

    chain_reseal(model=User, object_ids=[pk])
    chain_reseal(model=TrainingRecord, object_ids=[r.pk for r in records])
    chain_reseal(model=SupervisionSession, object_ids=[s.pk for s in sessions])

    new_name = person.get_full_name()
    replacements = [
        (old_name, new_name),
        (old_email, ""),
        (old_username, person.username),
    ]
    replacements = [(old, new) for old, new in replacements if old]
    _scrub_log_entries(replacements, own_objects)
    person_anonymising.send(sender=User, person=person, replacements=replacements)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__in=[old_username, old_email]).delete()
    cache_clear()  # only a cache: removing it is harmless even if this transaction fails


def _own_objects(person):
    """{content type id: [ids]} of the person and every record about them."""
    from django.contrib.contenttypes.models import ContentType

    objects = {
        User: [person.pk],
        TrainingRecord: TrainingRecord.objects.filter(person=person).values_list("pk", flat=True),
        TrainingExemption: TrainingExemption.objects.filter(person=person).values_list(
            "pk", flat=True
        ),
        SupervisionArrangement: SupervisionArrangement.objects.filter(
            supervisee=person
        ).values_list("pk", flat=True),
        SupervisionSession: SupervisionSession.objects.filter(
            arrangement__supervisee=person
        ).values_list("pk", flat=True),
    }
    return {ContentType.objects.get_for_model(m).pk: list(ids) for m, ids in objects.items()}
