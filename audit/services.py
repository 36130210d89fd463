from django.db import transaction

from . import chain
from .context import current_label
from .models import AuditEntry


@transaction.atomic
def entry_seal(*, history_row, instance, content_type):
    """Write the audit entry for a new history row, linked to the record's chain."""
    object_id = str(instance.pk)
    last = (
        AuditEntry.objects.select_for_update()
        .filter(content_type=content_type, object_id=object_id)
        .order_by("-sequence")
        .first()
    )
    previous_hash = last.hash if last else chain.GENESIS
    return AuditEntry.objects.create(
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
        hash=chain.link_hash(previous_hash, history_row),
    )
