"""Recompute every chain and name what does not match."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from . import chain
from .models import AuditEntry


@dataclass
class Report:
    problems: list = field(default_factory=list)
    rows: int = 0
    heads: dict = field(default_factory=dict)

    @property
    def digest(self):
        return chain.log_digest(self.heads)


def verify_log():
    report = Report()
    for model in chain.tracked_models():
        _verify_model(model, report)
    return report


def _verify_model(model, report):
    content_type = ContentType.objects.get_for_model(model)
    label = model._meta.label
    history = chain.history_model(model)
    entries = defaultdict(list)
    for entry in (
        AuditEntry.objects.filter(content_type=content_type)
        .order_by("object_id", "sequence")
        .iterator(chunk_size=5000)
    ):
        entries[entry.object_id].append(entry)
    rows = defaultdict(dict)
    for row in history.objects.order_by("history_id").iterator(chunk_size=5000):
        rows[chain.object_id_of(row)][row.history_id] = row
        report.rows += 1
    for object_id in sorted(set(entries) | set(rows)):
        _verify_chain(label, object_id, entries.get(object_id, []), rows.get(object_id, {}), report)


def _verify_chain(label, object_id, entries, rows, report):
    previous_hash = chain.GENESIS
    last_history_id = 0
    for position, entry in enumerate(entries, start=1):
        where = f"{label} {object_id} history row {entry.history_id}"
        row = rows.pop(entry.history_id, None)
        if entry.sequence != position or entry.previous_hash != previous_hash:
            report.problems.append(f"{where}: chain broken before it (an entry was removed)")
        if row is None:
            report.problems.append(f"{where}: removed")
        elif chain.link_hash(entry.previous_hash, row) != entry.hash:
            report.problems.append(f"{where}: changed")
        if entry.history_id < last_history_id:
            report.problems.append(f"{where}: out of order")
        last_history_id = max(last_history_id, entry.history_id)
        previous_hash = entry.hash
    for history_id in sorted(rows):
        report.problems.append(
            f"{label} {object_id} history row {history_id}: inserted outside the application"
        )
    if entries:
        report.heads[f"{label}:{object_id}"] = previous_hash
