"""Recompute every chain, compare every live row with its history, and name what is wrong.

What each problem's words mean is in the operations guide (docs/guide/operations.md,
"What the audit chain proves"): `removed`, `changed or forged`, `actor changed`,
`reason changed`, `inserted outside the application`, `trimmed` (against a checkpoint)
and `live row differs`.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from . import chain
from .models import AuditEntry


@dataclass
class Report:
    problems: list = field(default_factory=list)
    rows: int = 0
    # {"label:object id": (length, last seal)}
    heads: dict = field(default_factory=dict)

    @property
    def digest(self):
        return chain.log_digest({key: seal for key, (_, seal) in self.heads.items()})


def verify_log(*, checkpoint=None):
    """A Report on the whole log; with a checkpoint (audit.checkpoints), also whether any
    chain lost entries the checkpoint saw."""
    report = Report()
    keys = chain.known_keys()
    expected = checkpoint["heads"] if checkpoint else {}
    for model in chain.tracked_models():
        _verify_model(model, report, keys, expected)
    if checkpoint:
        for key, (length, _) in sorted(expected.items()):
            if key not in report.heads:
                report.problems.append(
                    f"{key}: trimmed (the checkpoint of {checkpoint['created_at']} saw "
                    f"{length} entries; none remain)"
                )
    return report


def _verify_model(model, report, keys, expected):
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
    newest = {object_id: chain_rows[max(chain_rows)] for object_id, chain_rows in rows.items()}
    for object_id in sorted(set(entries) | set(rows)):
        _verify_chain(
            label,
            object_id,
            entries.get(object_id, []),
            rows.get(object_id, {}),
            report,
            keys,
            expected.get(f"{label}:{object_id}"),
        )
    _compare_live_rows(model, label, newest, report)


def _verify_chain(label, object_id, entries, rows, report, keys, expected):
    previous_hash = chain.GENESIS
    last_history_id = 0
    for position, entry in enumerate(entries, start=1):
        where = f"{label} {object_id} history row {entry.history_id}"
        row = rows.pop(entry.history_id, None)
        if entry.sequence != position or entry.previous_hash != previous_hash:
            report.problems.append(f"{where}: chain broken before it (an entry was removed)")
        if row is None:
            report.problems.append(f"{where}: removed")
        else:
            report.problems.extend(
                f"{where}: {problem}" for problem in _seal_problems(entry, row, keys)
            )
        if entry.history_id < last_history_id:
            report.problems.append(f"{where}: out of order")
        last_history_id = max(last_history_id, entry.history_id)
        previous_hash = entry.hash
        if expected and position == expected[0] and entry.hash != expected[1]:
            report.problems.append(f"{where}: rewritten since the checkpoint")
    for history_id in sorted(rows):
        report.problems.append(
            f"{label} {object_id} history row {history_id}: inserted outside the application"
        )
    if entries:
        report.heads[f"{label}:{object_id}"] = (len(entries), previous_hash)
    if expected and entries and len(entries) < expected[0]:
        report.problems.append(
            f"{label}:{object_id}: trimmed (the checkpoint saw {expected[0]} entries; "
            f"{len(entries)} remain)"
        )


def _seal_problems(entry, row, keys):
    """Why this entry's seal or words do not stand for its history row (empty: they do)."""
    if entry.actor_id != row.history_user_id:
        return [
            f"actor changed (the log names user {entry.actor_id}, "
            f"the history row user {row.history_user_id})"
        ]
    if entry.reason != (row.history_change_reason or ""):
        return ["reason changed (the log and the history row give different reasons)"]
    key = keys.get(entry.key_id)
    if key is None:
        return [
            f"sealed with an unknown key {entry.key_id or '(none)'}: "
            "set AUDIT_PREVIOUS_KEYS to the key it was sealed with"
        ]
    if chain.link_hash(entry.previous_hash, row, entry, key) != entry.hash:
        return ["changed or forged (its seal does not verify with the audit key)"]
    return []


def _compare_live_rows(model, label, newest, report):
    """Each live row must equal its newest history row: a change made in the database
    writes no history, and shows here."""
    history_fields = {f.attname for f in chain.history_model(model)._meta.concrete_fields}
    fields = [f for f in model._meta.concrete_fields if f.attname in history_fields]
    pk_name = model._meta.pk.attname
    seen = set()
    for live in model._base_manager.order_by(pk_name).iterator(chunk_size=2000):
        object_id = str(getattr(live, pk_name))
        seen.add(object_id)
        row = newest.get(object_id)
        if row is None:
            report.problems.append(f"{label} {object_id}: live row has no history")
            continue
        if row.history_type == "-":
            report.problems.append(f"{label} {object_id}: live row differs (history says deleted)")
            continue
        ours, theirs = chain.row_values(live, fields), chain.row_values(row, fields)
        changed = sorted(name for name in ours if ours[name] != theirs[name])
        if changed:
            report.problems.append(
                f"{label} {object_id}: live row differs from its newest history row "
                f"({', '.join(changed)})"
            )
    for object_id, row in sorted(newest.items()):
        if object_id not in seen and row.history_type != "-":
            report.problems.append(f"{label} {object_id}: live row removed without a history row")
