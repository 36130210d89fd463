"""Helpers for "as of" tests: save things as if at a chosen moment."""

from datetime import UTC, datetime

from people.models import User

LONG_AGO = datetime(2020, 1, 1, 9, 0, tzinfo=UTC)


def at(year, month, day, hour=12):
    return datetime(year, month, day, hour, 0, tzinfo=UTC)


def recorded_since_long_ago(*people):
    """People made by factories today, as if their accounts had existed for years."""
    User.history.filter(id__in=[p.pk for p in people]).update(history_date=LONG_AGO)


def save_at(instance, moment, **changes):
    """Save `instance` (with `changes`) so that its history says it happened at `moment`."""
    for name, value in changes.items():
        setattr(instance, name, value)
    instance._history_date = moment
    instance.save()
    return instance


def delete_at(instance, moment):
    instance._history_date = moment
    instance.delete()
