import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from . import chain
from .context import current_label
from .models import AuditEntry


def _lock_chain(content_type, object_id):
    """Let one writer at a time extend this record's chain, until its transaction ends.

    Locking the last link is not enough on PostgreSQL: a writer that waited for it
    still reads the old last link and takes the same position as the one before it
    (two sign-ins of one person at the same moment did). An advisory lock on the chain
    makes the waiter read again once the first has committed. SQLite lets one writer
    in at a time already.
    """
    if connection.vendor != "postgresql":
        return
    name = f"audit-chain:{content_type.pk}:{object_id}".encode()
    key = int.from_bytes(hashlib.blake2b(name, digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@transaction.atomic
def entry_seal(*, history_row, instance, content_type):
    """Write the audit entry for a new history row, linked to the record's chain."""
    object_id = str(instance.pk)
    _lock_chain(content_type, object_id)
    last = (
        AuditEntry.objects.filter(content_type=content_type, object_id=object_id)
        .order_by("-sequence")
        .first()
    )
    previous_hash = last.hash if last else chain.GENESIS
    entry = AuditEntry(
        content_type=content_type,
        history_id=history_row.pk,
        object_id=object_id,
        sequence=(last.sequence + 1) if last else 1,
        history_type=history_row.history_type,
        history_date=history_row.history_date,
        actor_id=history_row.history_user_id,
        actor_label=current_label() or ("" if history_row.history_user_id else "system"),
        person_id=chain.person_of(instance),
        reason=history_row.history_change_reason or "",
        previous_hash=previous_hash,
    )
    _seal(entry, previous_hash, history_row)
    entry.save()
    return entry


def _seal(entry, previous_hash, history_row):
    key = chain.current_key()
    entry.previous_hash = previous_hash
    entry.key_id = chain.key_id(key)
    entry.hash = chain.link_hash(previous_hash, history_row, entry, key)


@transaction.atomic
def chain_reseal(*, model, object_ids):
    """Recompute the chains of these records after their history was lawfully rewritten.

    Used by retention (anonymising leavers): the rows change on purpose, so the
    links are made again in their original order, under the current key, and
    `verify_audit` stays clean. Also used to seal chains again under a new key.
    """
    content_type = ContentType.objects.get_for_model(model)
    history = model.history.model
    for object_id in object_ids:
        entries = AuditEntry.objects.filter(
            content_type=content_type, object_id=str(object_id)
        ).order_by("sequence")
        rows = {
            row.history_id: row
            for row in history.objects.filter(history_id__in=entries.values("history_id"))
        }
        previous_hash = chain.GENESIS
        for entry in entries:
            row = rows.get(entry.history_id)
            if row is None:
                continue
            _seal(entry, previous_hash, row)
            entry.save(update_fields=["previous_hash", "hash", "key_id"])
            previous_hash = entry.hash
