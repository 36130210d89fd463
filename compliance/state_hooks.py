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
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.signals import page_published, page_unpublished

from organisation.models import OrganisationSettings
from people.models import Placement, Service, User
from supervision.models import SupervisionArrangement, SupervisionSession
from training.models import TrainingExemption, TrainingModulePage, TrainingRecord

from .states import (
    counts_changed,
    everything_changed,
    parts_of,
    service_part,
    states_rebuild,
    states_refresh,
)

# The fields of a person that decide their induction dates.
INDUCTION_FIELDS = frozenset({"service", "service_id", "started_on"})
# And those that decide whether and where they are counted (compliance.counts).
COUNTED_FIELDS = INDUCTION_FIELDS | {"left_on", "is_active"}


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
    if isinstance(instance, Placement):
        # The service placed in, or left: counted whether or not the row is still there.
        before = getattr(instance, "_service_before", None)
        counts_changed({service_part(instance.service_id), service_part(before)})


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
    # Which requirements apply to whom is read live: today's kept counts are stale
    # from this transaction on, not only once the statuses are rebuilt after it.
    everything_changed()
    transaction.on_commit(lambda: states_rebuild(everyone.iterator(chunk_size=2000)))


def rebuild_after_module_change(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, TrainingModulePage):
        rebuild_after_commit()


def note_service_before(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember the service a person (or a placement) is leaving, whose counts move too."""
    if raw or not instance.pk or not counted_change(update_fields):
        return
    instance._service_before = (
        sender.objects.filter(pk=instance.pk).values_list("service_id", flat=True).first()
    )


def counted_change(update_fields):
    return update_fields is None or bool(COUNTED_FIELDS & set(update_fields))


def recount_person(sender, instance, raw=False, update_fields=None, **kwargs):
    """A person joined, moved, started, left or was deleted: the counts of the services
    they were and are in move (their kept dates, if any, are rewritten separately)."""
    if raw or not counted_change(update_fields):
        return
    before = getattr(instance, "_service_before", None)
    counts_changed(
        parts_of([instance.pk]) | {service_part(instance.service_id), service_part(before)}
    )


def recount_roles(sender, instance, action, reverse, pk_set, **kwargs):
    """Someone became or stopped being a peer support worker (or any role)."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    people = list(pk_set or ()) if reverse else [instance.pk]
    if reverse and action == "post_clear":
        everything_changed()  # a group emptied: whoever was in it, recount everyone
        return
    counts_changed(parts_of(people))


def recount_everyone(sender, instance, **kwargs):
    everything_changed()


post_save.connect(refresh_person_moved, sender=User, dispatch_uid="states-save-User")
pre_save.connect(note_service_before, sender=User, dispatch_uid="counts-before-User")
pre_save.connect(note_service_before, sender=Placement, dispatch_uid="counts-before-Placement")
post_save.connect(recount_person, sender=User, dispatch_uid="counts-save-User")
post_delete.connect(recount_person, sender=User, dispatch_uid="counts-delete-User")
m2m_changed.connect(recount_roles, sender=User.groups.through, dispatch_uid="counts-roles")
post_delete.connect(recount_everyone, sender=Service, dispatch_uid="counts-service-deleted")
post_save.connect(
    rebuild_after_commit, sender=OrganisationSettings, dispatch_uid="states-organisation"
)
page_published.connect(rebuild_after_module_change, dispatch_uid="states-module-published")
page_unpublished.connect(rebuild_after_module_change, dispatch_uid="states-module-unpublished")
