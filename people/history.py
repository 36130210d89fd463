"""Back-dating history while loading past records (the demo, imports).

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
