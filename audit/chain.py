"""The hash chain over history rows: how a row is sealed, and how the seals are checked.

Each tracked record has its own chain. An entry's seal is an HMAC-SHA-256, keyed with
`AUDIT_KEY` (from the environment, never stored in the database), over the previous
entry's seal, a canonical form of the history row (every column, normalised through
its model field) and the entry's own words: position, actor, reason and time. The same
row gives the same seal on SQLite and PostgreSQL. Without the key nobody can make a
seal that verifies, so a forged link or an edited actor or reason shows; what a key
cannot show is a chain cut short at its end, which is what checkpoints are for
(`audit.checkpoints`).
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime

from django.apps import apps
from django.conf import settings
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


def normalised(field, value):
    """A column's value as every database gives it back after a backup's restore."""
    value = None if value is None else field.to_python(value)
    if isinstance(value, datetime):
        # In UTC and to the millisecond (what Django's JSON fixtures keep), so a
        # row reads the same however it was written and after a backup's restore.
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        value = value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def row_values(row, fields):
    return {field.attname: normalised(field, getattr(row, field.attname)) for field in fields}


def canonical(values):
    return json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))


def entry_words(entry):
    """What the audit log shows of an entry, sealed with the row it stands for."""
    return {
        "sequence": entry.sequence,
        "object_id": entry.object_id,
        "history_id": entry.history_id,
        "history_type": entry.history_type,
        "history_date": normalised(entry._meta.get_field("history_date"), entry.history_date),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "person": entry.person_id,
        "reason": entry.reason,
    }


# Keys ---------------------------------------------------------------------------------


def key_id(key):
    """A short public name for a key, stored on each entry so rotation can find it."""
    return hashlib.sha256(b"alongside-audit-key:" + key.encode()).hexdigest()[:12]


def current_key():
    return settings.AUDIT_KEY


def known_keys():
    """{key id: key}: the current key and those it replaced (AUDIT_PREVIOUS_KEYS)."""
    keys = [settings.AUDIT_KEY, *getattr(settings, "AUDIT_PREVIOUS_KEYS", [])]
    return {key_id(key): key for key in keys if key}


def sign(key, message):
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def link_hash(previous_hash, history_row, entry, key):
    """The seal of `entry` (standing for `history_row`) after `previous_hash`."""
    row = canonical(row_values(history_row, history_row._meta.concrete_fields))
    return sign(key, "\n".join([previous_hash, row, canonical(entry_words(entry))]))


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
