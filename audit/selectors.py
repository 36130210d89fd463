"""Reading the audit log: who may see which entries, and each change as field, before, after.

Session notes, actions and same-day reasons are shown only as "changed" to anyone who
may not read them (docs/architecture.md, Who sees what), here and in every export.
"""

import posixpath
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from organisation import words
from people.policies import workspace_policy
from people.selectors import Sees, people_visible_to
from supervision.models import SupervisionArrangement, SupervisionSession
from supervision.selectors import sessions_with_notes_visible_to

from .models import AuditEntry

# Written inside the supervisory relationship (the same-day reason sits beside the
# notes and can say as much): shown as "changed" to anyone outside it.
# The supervisee's "I see this differently" and a decline's reason likewise.
CONFIDENTIAL = {
    "supervision.supervisionsession": {
        "notes",
        "actions",
        "same_day_reason",
        "supervisee_view",
        "decline_reason",
    }
}
MASK = "(changed — not shown)"
HIDDEN_FIELDS = {
    "id",
    "history_id",
    "history_date",
    "history_type",
    "history_user_id",
    "history_change_reason",
    "history_relation_id",
}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Lists stored as codes, read in words.
LIST_WORDS = {"topics": dict(SupervisionSession.Topic.choices)}
EXPORT_HEADER = ["when", "who", "kind", "record", "person", "action", "reason", "changes"]


def entries_visible_to(user):
    """Managers: the whole log. Anyone else: changes to their own records."""
    if workspace_policy.user_has_permission(user, "read_audit_log"):
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(person__in=people_visible_to(user, Sees.HISTORY))


def entries_between(since, until=None):
    zone = timezone.get_current_timezone()
    queryset = AuditEntry.objects.filter(
        history_date__gte=datetime.combine(since, time.min, tzinfo=zone)
    )
    if until:
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
        queryset = queryset.filter(history_date__lt=end)
    return queryset.order_by("history_date", "pk")


def filter_entries(queryset, *, actor=None, person=None, kind=None, since=None, until=None):
    if actor:
        queryset = queryset.filter(actor_id=actor)
    if person:
        queryset = queryset.filter(person_id=person)
    if kind:
        queryset = queryset.filter(content_type_id=kind)
    if since or until:
        dated = entries_between(since or datetime.min.date(), until)
        queryset = queryset.filter(pk__in=dated.values("pk"))
    return queryset


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Line:
    entry: AuditEntry
    kind: str
    record: str
    changes: list

    @property
    def action(self):
        return ACTIONS.get(self.entry.history_type, self.entry.history_type)

    @property
    def who(self):
        if self.entry.actor_id:
            return str(self.entry.actor) if self.entry.actor else f"user {self.entry.actor_id}"
        return self.entry.actor_label or "system"


def describe(entries, viewer):
    """Lines with their changes for a page of entries, in a fixed number of queries."""
    entries = list(entries.select_related("content_type", "actor", "person"))
    previous = _previous_entries(entries)
    rows = _history_rows(entries + list(previous.values()))
    readable = _sessions_with_readable_notes(entries, viewer)
    names = _related_names(rows.values())
    lines = []
    for entry in entries:
        row = rows.get((entry.content_type_id, entry.history_id))
        before_entry = previous.get(entry.pk)
        before = (
            rows.get((entry.content_type_id, before_entry.history_id)) if before_entry else None
        )
        label = entry.content_type.app_label + "." + entry.content_type.model
        masked = (
            set() if entry.object_id in readable.get(label, ()) else CONFIDENTIAL.get(label, set())
        )
        lines.append(
            Line(
                entry=entry,
                kind=_kind(entry),
                record=record_name(row, names)
                if row is not None
                else f"{_kind(entry)} {entry.object_id}",
                changes=_changes(before, row, masked, names) if row is not None else [],
            )
        )
    return lines


def record_name(row, names):
    """A history row's record as people name it: "Aisha Khan — Data protection (NHS)",
    never "Training record 39". `names` holds the names of the rows' foreign keys."""

    def named(field):
        value = getattr(row, f"{field}_id")
        return names.get((row.instance_type._meta.get_field(field).related_model, value), "—")

    namer = RECORD_NAMES.get(row.instance_type._meta.label_lower)
    if namer is not None:
        return namer(row, named)
    # People and services name themselves from their own fields: build the record from
    # the row's values (a history row's `instance` would also read its groups). History
    # leaves some fields out (a password): they stay empty.
    model = row.instance_type
    fields = [f.attname for f in model._meta.concrete_fields if hasattr(row, f.attname)]
    return str(model(**{name: getattr(row, name) for name in fields}))


def _requirement(row, named):
    return f"{named('module')} ({words.side_or_both_name(row.provider)})"


RECORD_NAMES = {
    "training.trainingrecord": lambda row, named: f"{named('person')} — {_requirement(row, named)}",
    "training.trainingexemption": lambda row, named: (
        f"{named('person')} — exempt from {_requirement(row, named)}"
    ),
    "training.knowledgecheckattempt": lambda row, named: (
        f"{named('person')} — {_requirement(row, named)}, knowledge check"
    ),
    "supervision.supervisionarrangement": lambda row, named: (
        f"{named('supervisee')} — {words.supervision_name(row.stream)}"
    ),
    "supervision.supervisionsession": lambda row, named: (
        f"{named('arrangement')}, {_day(row.held_on)}"
    ),
}


def export_rows(entries, viewer):
    yield EXPORT_HEADER
    page_size = 500
    entries = entries.order_by("history_date", "pk")
    start = 0
    while True:
        chunk = entries[start : start + page_size]
        lines = describe(chunk, viewer)
        if not lines:
            return
        for line in lines:
            yield [
                timezone.localtime(line.entry.history_date).isoformat(timespec="seconds"),
                line.who,
                line.kind,
                line.record,
                str(line.entry.person) if line.entry.person_id and line.entry.person else "",
                line.action,
                line.entry.reason,
                "; ".join(f"{c.field}: {c.before} → {c.after}" for c in line.changes),
            ]
        start += page_size


def _kind(entry):
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model else entry.content_type.model


def _previous_entries(entries):
    """{entry pk: the entry before it in the same record's chain} in one query."""
    wanted = [e for e in entries if e.sequence > 1]
    if not wanted:
        return {}
    condition = Q()
    for e in wanted:
        condition |= Q(
            content_type_id=e.content_type_id, object_id=e.object_id, sequence=e.sequence - 1
        )
    found = {
        (p.content_type_id, p.object_id, p.sequence): p
        for p in AuditEntry.objects.filter(condition)
    }
    return {
        e.pk: found.get((e.content_type_id, e.object_id, e.sequence - 1))
        for e in wanted
        if (e.content_type_id, e.object_id, e.sequence - 1) in found
    }


def _history_rows(entries):
    """{(content type id, history id): history row}: one query per kind of record."""
    by_type = defaultdict(set)
    for e in entries:
        by_type[e.content_type_id].add(e.history_id)
    rows = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not hasattr(model, "history"):
            continue
        for row in model.history.model.objects.filter(history_id__in=ids):
            rows[type_id, row.history_id] = row
    return rows


def _sessions_with_readable_notes(entries, viewer):
    session_ids = {e.object_id for e in entries if e.content_type.model == "supervisionsession"}
    if not session_ids or viewer is None:
        return {}
    readable = sessions_with_notes_visible_to(viewer).filter(pk__in=session_ids)
    return {
        "supervision.supervisionsession": {str(pk) for pk in readable.values_list("pk", flat=True)}
    }


def _related_names(rows):
    """Names for the foreign keys on these rows (people, modules…): one query per model."""
    wanted = defaultdict(set)
    for row in rows:
        for field in _tracked_fields(row):
            value = getattr(row, field.attname)
            if field.is_relation and value is not None:
                wanted[field.related_model].add(value)
    names = {}
    for model, ids in wanted.items():
        found = model._base_manager.filter(pk__in=ids)
        if model is SupervisionArrangement:
            found = found.select_related("supervisee")  # its name is the supervisee's
        for obj in found:
            names[model, obj.pk] = str(obj)
    return names


def _tracked_fields(row):
    return [f for f in row._meta.concrete_fields if f.attname not in HIDDEN_FIELDS]


def _day(value):
    return date_format(value, "j F Y")


def _shown(row, field, names):
    """A value as people read it: names, words, "2 May 2026", a file's own name."""
    value = getattr(row, field.attname)
    if field.name == "provider" and value is None:
        return words.side_or_both_name(None)
    if value is None or value == "" or value == []:
        return "—"
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices and set(dict(field.flatchoices)) == set(words.SIDES):
        return words.side_name(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return _formatted(row.instance_type._meta.get_field(field.name), value)


def _formatted(field, value):
    """`field` is the record's own field (history keeps a file field as text)."""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return _day(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, models.FileField):
        return posixpath.basename(str(value))
    if isinstance(value, list) and all(isinstance(item, str | int) for item in value):
        labels = LIST_WORDS.get(field.name, {})
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(value, list | dict):
        # Structured answers (a knowledge check's questions): their own page shows them.
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    return str(value)


def _changes(before, after, masked, names):
    changes = []
    for field in _tracked_fields(after):
        old = _shown(before, field, names) if before is not None else "—"
        new = _shown(after, field, names)
        if old == new or field.name in ("updated_at",):
            continue
        if field.name in masked:
            old, new = ("—", MASK) if before is None else (MASK, MASK)
        changes.append(Change(str(field.verbose_name), old, new))
    return changes
