"""The hash chain over history rows: how a row is sealed, and how the seals are checked.

Each tracked record has its own chain. An entry's hash is SHA-256 over the previous
entry's hash and a canonical form of the history row (every column, normalised through
its model field), so the same row gives the same hash on SQLite and PostgreSQL.
"""

import hashlib
import json
from datetime import UTC, datetime

from django.apps import apps
from simple_history.models import registered_models

GENESIS = "0" * 64
TRACKED_APPS = ("people", "training", "supervision")


def tracked_models():
    """The project's models with history, in a stable order."""
    return sorted(
        (
            m
            for m in registered_models.values()
            if m._meta.app_label in TRACKED_APPS and hasattr(m, "history")
        ),
        key=lambda m: m._meta.label,
    )


def history_model(model):
    return model.history.model


def canonical(history_row):
    values = {}
    for field in history_row._meta.concrete_fields:
        value = getattr(history_row, field.attname)
        value = None if value is None else field.to_python(value)
        if isinstance(value, datetime):
            # In UTC and to the millisecond (what Django's JSON fixtures keep), so a
            # row reads the same however it was written and after a backup's restore.
            if value.tzinfo is not None:
                value = value.astimezone(UTC)
            value = value.replace(microsecond=value.microsecond // 1000 * 1000)
        values[field.attname] = value
    return json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))


def link_hash(previous_hash, history_row):
    return hashlib.sha256((previous_hash + canonical(history_row)).encode()).hexdigest()


def object_id_of(history_row):
    return str(getattr(history_row, history_row.instance_type._meta.pk.attname))


def person_of(instance):
    """Whose record a tracked object is, for the audit log's 'person affected' filter."""
    label = instance._meta.label_lower
    if label == "people.user":
        return instance.pk
    if label == "supervision.supervisionsession":
        return (
            apps.get_model("supervision", "SupervisionArrangement")
            .objects.filter(pk=instance.arrangement_id)
            .values_list("supervisee_id", flat=True)
            .first()
        )
    for field in ("person_id", "supervisee_id"):
        if hasattr(instance, field):
            return getattr(instance, field)
    return None


def log_digest(heads):
    """One digest for the whole log, from each chain's last hash: keep it elsewhere."""
    lines = "\n".join(sorted(f"{key}:{value}" for key, value in heads.items()))
    return hashlib.sha256(lines.encode()).hexdigest()
