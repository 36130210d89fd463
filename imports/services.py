"""What a manager does with an import: upload, correct a refused row, confirm.

Reading and checking never write a record; confirming writes every row that is new or
updated in one transaction, re-checking each first, so the records are exactly what
the preview promised or nothing changes at all. The long steps run as tasks.
"""

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from people import roles

from . import dates, reading, tasks
from .checks import checker_for
from .kinds import COLUMNS, date_keys
from .models import ImportRow, Outcome, RecordImport

CHUNK = 1000
IMPORT_ACTION = "imports.import"


class ChangedSincePreview(Exception):
    """A row no longer reads as the preview said: the import is rolled back."""


@dataclass
class Tally:
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    refused: int = 0

    def add(self, outcome):
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def total(self):
        return self.new + self.unchanged + self.updated + self.refused

    def __str__(self):
        return (
            f"{self.total} rows: {self.new} new, {self.unchanged} unchanged, "
            f"{self.updated} updated, {self.refused} refused"
        )


def _require_manager(user):
    if not roles.is_manager(user):
        raise PermissionDenied("Only a manager can import records.")


def import_upload(*, kind, upload, by):
    """Keep the uploaded file and start reading it; the preview fills in as it is checked."""
    _require_manager(by)
    name = upload.name.rsplit("/", 1)[-1][:200]
    if not name.lower().endswith(reading.EXTENSIONS):
        raise ValidationError({"file": "Upload a CSV or XLSX file."})
    record_import = RecordImport(kind=kind, file_name=name, uploaded_by=by)
    extension = name.rsplit(".", 1)[-1].lower()
    record_import.file.save(f"imports/{secrets.token_hex(16)}.{extension}", upload, save=False)
    record_import.save()
    transaction.on_commit(lambda: tasks.read_and_check.enqueue(record_import.pk))
    return record_import


def import_read(*, record_import):
    """The file's rows into ImportRows, a chunk at a time; False when it cannot be read."""
    with record_import.file.open("rb") as file:
        try:
            table, rows = reading.read(file, record_import.file_name, record_import.kind)
            total = _store_rows(record_import, rows)
        except reading.FileProblem as problem:
            record_import.rows.all().delete()
            record_import.status = RecordImport.Status.FAILED
            record_import.problem = str(problem)
            record_import.save(update_fields=["status", "problem"])
            return False
    record_import.total, record_import.ignored_columns = total, table.ignored
    record_import.save(update_fields=["total", "ignored_columns"])
    return True


def _store_rows(record_import, rows):
    batch, total = [], 0
    for number, values in rows:
        batch.append(ImportRow(record_import=record_import, number=number, values=values))
        total += 1
        if len(batch) == CHUNK:
            ImportRow.objects.bulk_create(batch)
            batch = []
    ImportRow.objects.bulk_create(batch)
    return total


def month_first_row(kind, rows):
    """The number of the first row holding a date that can only be month first, or None."""
    keys = date_keys(kind)
    for number, values in rows:
        if any(dates.looks_month_first(values.get(key, "")) for key in keys):
            return number
    return None


def import_check(*, record_import, today):
    """Give every row its verdict, saving progress as it goes; nothing else is written."""
    record_import.status, record_import.done = RecordImport.Status.CHECKING, 0
    record_import.month_first_row = month_first_row(record_import.kind, _stored(record_import))
    record_import.save(update_fields=["status", "done", "month_first_row"])
    checker = _checker(record_import, today)
    tally, batch = Tally(), []
    for pk, number, values in _stored(record_import, with_pk=True):
        verdict = checker.check(number, values)
        tally.add(verdict.outcome)
        batch.append(ImportRow(pk=pk, outcome=verdict.outcome, reason=verdict.reason))
        if len(batch) == CHUNK:
            _save_verdicts(record_import, batch, tally)
            batch = []
    _save_verdicts(record_import, batch, tally)
    record_import.status = RecordImport.Status.CHECKED
    record_import.save(update_fields=["status"])
    return tally


def _save_verdicts(record_import, batch, tally):
    ImportRow.objects.bulk_update(batch, ["outcome", "reason"])
    for outcome in Outcome.values:
        setattr(record_import, outcome, getattr(tally, outcome))
    record_import.done = tally.total
    record_import.save(update_fields=["done", *Outcome.values])


def _stored(record_import, *, with_pk=False):
    rows = record_import.rows.order_by("number")
    fields = ("pk", "number", "values") if with_pk else ("number", "values")
    return rows.values_list(*fields).iterator(chunk_size=CHUNK)


def _checker(record_import, today):
    return checker_for(
        record_import.kind,
        by=record_import.uploaded_by,
        file_name=record_import.file_name,
        today=today,
        month_first_row=record_import.month_first_row,
    )


def row_correct(*, row, values, by):
    """A manager corrects a refused row in the preview; the whole file is checked again,
    since a corrected row can make or end a duplicate."""
    record_import = row.record_import
    _require_manager(by)
    if record_import.uploaded_by_id != by.pk:
        raise PermissionDenied("Only the manager who uploaded the file can correct it.")
    if record_import.status != RecordImport.Status.CHECKED:
        raise ValidationError("This import is not waiting for a preview to be corrected.")
    keys = [column.key for column in COLUMNS[record_import.kind]]
    row.values = {key: values.get(key, "").strip() for key in keys if values.get(key, "").strip()}
    row.corrected = True
    row.save(update_fields=["values", "corrected"])
    record_import.status = RecordImport.Status.CHECKING
    record_import.save(update_fields=["status"])
    transaction.on_commit(lambda: tasks.check_again.enqueue(record_import.pk))
    return row


def import_confirm(*, record_import, by):
    """The manager confirms the preview: the rows are written in the background."""
    _require_manager(by)
    if record_import.uploaded_by_id != by.pk:
        raise PermissionDenied("Only the manager who uploaded the file can confirm it.")
    if record_import.status != RecordImport.Status.CHECKED:
        raise ValidationError("This import is not waiting to be confirmed.")
    if not record_import.to_write:
        raise ValidationError("Nothing in this file is new or changed: there is nothing to import.")
    record_import.status = RecordImport.Status.IMPORTING
    record_import.problem = ""
    record_import.save(update_fields=["status", "problem"])
    transaction.on_commit(lambda: tasks.write_rows.enqueue(record_import.pk))
    return record_import


def import_write(*, record_import, today):
    """Write the new and updated rows in one transaction, each re-checked first.

    Refused rows are left out, as the preview said. A row that now reads differently
    (someone recorded the same completion meanwhile) rolls everything back and sends
    the import back to its preview, checked again.
    """
    try:
        with transaction.atomic():
            rows = (
                record_import.rows.exclude(outcome=Outcome.REFUSED)
                .order_by("number")
                .values_list("number", "values", "outcome")
                .iterator(chunk_size=CHUNK)
            )
            try:
                tally = write_rows(_checker(record_import, today), rows)
            finally:
                # On PostgreSQL the rows come from a server-side cursor: close it while
                # its transaction is still open, not later when it is collected.
                rows.close()
    except ChangedSincePreview as change:
        import_check(record_import=record_import, today=today)
        record_import.problem = f"Nothing was imported: {change} The preview is checked again."
        record_import.save(update_fields=["problem"])
        return None
    record_import.status = RecordImport.Status.IMPORTED
    record_import.imported_at = timezone.now()
    record_import.save(update_fields=["status", "imported_at"])
    log(instance=record_import, action=IMPORT_ACTION, user=record_import.uploaded_by)
    return tally


def write_rows(checker, rows, *, write=True, report_refusal=None):
    """Check and write each row in turn (inside the caller's transaction); the tally.

    `rows` are (number, values, expected outcome or None); a row whose verdict is not
    the one the preview showed stops everything. With `write` off, only the checks run.
    """
    tally = Tally()
    for number, values, expected in rows:
        verdict = checker.check(number, values)
        if verdict.outcome == Outcome.REFUSED and report_refusal:
            report_refusal(number, verdict)
        if expected is not None and verdict.outcome != expected:
            raise ChangedSincePreview(
                f"row {number} now reads “{Outcome(verdict.outcome).label.lower()}”"
                + (f" ({verdict.reason})" if verdict.reason else "")
                + "."
            )
        if write and verdict.write:
            try:
                verdict.write()
            except ValidationError as error:
                raise ChangedSincePreview(f"row {number}: {' '.join(error.messages)}") from None
        tally.add(verdict.outcome)
    return tally
