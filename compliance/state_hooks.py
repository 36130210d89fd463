"""Keep the status tables in step with the facts they are made from.

Every save or delete of a training record, exemption, supervision arrangement or
session, by whichever service, form, admin view or command, rewrites that person's
kept dates inside the same transaction (Django sends these signals from within
`save()`), so a reader never sees a status table older than the facts. Bulk inserts
send no signals: whoever makes them runs `manage.py refresh_statuses` afterwards.
"""

from django.db.models.signals import post_delete, post_save

from supervision.models import SupervisionArrangement, SupervisionSession
from training.models import TrainingExemption, TrainingRecord

from .states import states_refresh


def _person_of(instance):
    if isinstance(instance, SupervisionSession):
        return (
            SupervisionArrangement.objects.filter(pk=instance.arrangement_id)
            .values_list("supervisee_id", flat=True)
            .first()
        )
    if isinstance(instance, SupervisionArrangement):
        return instance.supervisee_id
    return instance.person_id


def refresh_person(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures (restore): refresh_statuses rebuilds afterwards
        return
    person_id = _person_of(instance)
    if person_id:
        states_refresh(person_ids=[person_id])


for model in (TrainingRecord, TrainingExemption, SupervisionArrangement, SupervisionSession):
    post_save.connect(refresh_person, sender=model, dispatch_uid=f"states-save-{model.__name__}")
    post_delete.connect(refresh_person, sender=model, dispatch_uid=f"states-del-{model.__name__}")
