"""Keep the status tables in step with the facts they are made from.

Every save or delete of a training record, exemption, supervision arrangement or
session, by whichever service, form, admin view or command, rewrites that person's
kept dates inside the same transaction (Django sends these signals from within
`save()`), so a reader never sees a status table older than the facts. Bulk inserts
send no signals: whoever makes them runs `manage.py refresh_statuses` afterwards.

Induction dates also follow the person's start date, home service and placements, and
the periods set on modules and in the organisation's settings. A change to a person
refreshes that person; a change to a module or the settings rebuilds everyone's once
the change is committed (rare, and the same work as `refresh_statuses`).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from organisation.models import OrganisationSettings
from people.models import Placement, User
from supervision.models import SupervisionArrangement, SupervisionSession
from training.models import TrainingExemption, TrainingModulePage, TrainingRecord

from .states import states_rebuild, states_refresh

# The fields of a person that decide their induction dates.
INDUCTION_FIELDS = frozenset({"service", "service_id", "started_on"})


def _person_of(instance):
    if isinstance(instance, SupervisionSession):
        return (
            SupervisionArrangement.objects.filter(pk=instance.arrangement_id)
            .values_list("supervisee_id", flat=True)
            .first()
        )
    if isinstance(instance, SupervisionArrangement):
        return instance.supervisee_id
    if isinstance(instance, User):
        return instance.pk
    return instance.person_id


def refresh_person(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures (restore): refresh_statuses rebuilds afterwards
        return
    person_id = _person_of(instance)
    if person_id:
        states_refresh(person_ids=[person_id])


for model in (
    TrainingRecord,
    TrainingExemption,
    SupervisionArrangement,
    SupervisionSession,
    Placement,
):
    post_save.connect(refresh_person, sender=model, dispatch_uid=f"states-save-{model.__name__}")
    post_delete.connect(refresh_person, sender=model, dispatch_uid=f"states-del-{model.__name__}")


def refresh_person_moved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A person's start date or home service may have changed: their induction dates
    follow. Saves of other fields alone (a sign-in's last_login) are skipped."""
    if update_fields is not None and not INDUCTION_FIELDS & set(update_fields):
        return
    refresh_person(sender, instance, raw=raw)


def rebuild_after_commit(**kwargs):
    if kwargs.get("raw"):
        return
    everyone = User.objects.order_by("pk").values_list("pk", flat=True)
    transaction.on_commit(lambda: states_rebuild(everyone.iterator(chunk_size=2000)))


def rebuild_after_module_change(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, TrainingModulePage):
        rebuild_after_commit()


post_save.connect(refresh_person_moved, sender=User, dispatch_uid="states-save-User")
post_save.connect(
    rebuild_after_commit, sender=OrganisationSettings, dispatch_uid="states-organisation"
)
page_published.connect(rebuild_after_module_change, dispatch_uid="states-module-published")
page_unpublished.connect(rebuild_after_module_change, dispatch_uid="states-module-unpublished")
