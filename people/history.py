"""History without bookkeeping, and back-dating it while loading past records.

A sign-in saves the person's `last_login`, and a new password saves the whole person;
neither changes anything the history keeps, so neither may write a history row (or,
through it, an audit entry): `RecordHistory` leaves such saves out.

Back-dating (the demo, imports):

History rows normally carry the moment of saving. Inside `recorded_at(moment)` every
tracked save is recorded at `moment` instead (never later than now), so "as recorded
on" a past day shows what such an organisation would have recorded by then.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, time

from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords

_moment = ContextVar("history_recorded_at", default=None)


@contextmanager
def recorded_at(moment):
    token = _moment.set(min(moment, timezone.now()))
    try:
        yield
    finally:
        _moment.reset(token)


def afternoon_of(day):
    """17:00 on `day` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time(17, 0)))


@receiver(pre_save)
def _back_date(sender, instance, **kwargs):
    moment = _moment.get()
    if moment is not None and hasattr(sender, "history"):
        instance._history_date = moment


class RecordHistory(HistoricalRecords):
    """django-simple-history's history, minus saves that change only what it leaves out
    (`excluded_fields`: the last sign-in, the password hash)."""

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and self.changes_nothing_kept(instance, kwargs.get("update_fields")):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def changes_nothing_kept(self, instance, update_fields):
        if update_fields:
            return set(update_fields) <= set(self.excluded_fields)
        if getattr(instance, "_change_reason", None):
            return False
        latest = getattr(instance, self.manager_name).first()
        if latest is None:
            return False
        return all(
            getattr(latest, field.attname) == getattr(instance, field.attname)
            for field in self.fields_included(instance)
        )
