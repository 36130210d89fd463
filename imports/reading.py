"""Reading CSV and XLSX files a row at a time, the cells as text exactly as written.

openpyxl's read-only mode and the csv module both stream, so memory stays flat
whatever the file's length. Formulas are not run: a cell holding `=SUM(A1:A3)` is
read as that text (openpyxl reads formulas, not their cached results, unless asked),
and a date cell becomes its ISO date, which is unambiguous.
"""

import csv
import io
import zipfile
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .kinds import COLUMNS, column_for

MAX_ROWS = 50_000
MAX_CELL = 500
EXTENSIONS = (".csv", ".xlsx")


class FileProblem(ValueError):
    """A file that cannot be imported at all, in one line of plain words."""


@dataclass
class Table:
    """The columns found in a file's heading row, and its rows as {column key: text}."""

    keys: list
    ignored: list = field(default_factory=list)

    def rows(self, cells):
        for number, values in cells:
            row = {key: value for key, value in zip(self.keys, values, strict=False) if key}
            if any(row.values()):
                yield number, row


def read(file, file_name, kind):
    """(table, rows): rows is an iterator of (row number, {column key: text})."""
    cells = _cells(file, file_name)
    headings = _heading_row(cells)
    table = _table(kind, headings)
    return table, _limited(table.rows(cells))


def _cells(file, file_name):
    name = file_name.lower()
    if name.endswith(".csv"):
        return _csv_cells(file)
    if name.endswith(".xlsx"):
        return _xlsx_cells(file)
    raise FileProblem(
        "Upload a CSV or XLSX file (from Excel, choose Save As and “Excel Workbook (.xlsx)” "
        "or “CSV UTF-8”)."
    )


def _csv_cells(file):
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        for number, values in enumerate(csv.reader(text), start=1):
            yield number, [_text(value) for value in values]
    except UnicodeDecodeError:
        raise FileProblem(
            "This CSV file is not in UTF-8. From Excel, save it as “CSV UTF-8”."
        ) from None
    except csv.Error as error:
        raise FileProblem(f"This CSV file cannot be read: {error}.") from None
    finally:
        with suppress(ValueError):  # the caller closed the file first: nothing to release
            text.detach()


def _xlsx_cells(file):
    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise FileProblem("This is not an XLSX file that can be read.") from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_text(value) for value in values]
    finally:
        workbook.close()


def _text(value):
    """A cell as text: dates as ISO, whole numbers without “.0”, text as written."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()[:MAX_CELL]


def _heading_row(cells):
    for _number, values in cells:
        if any(values):
            return values
    raise FileProblem("The file is empty: the first row should hold the column headings.")


def _table(kind, headings):
    keys, ignored, seen = [], [], set()
    for heading in headings:
        column = column_for(kind, heading) if heading else None
        if column and column.key in seen:
            raise FileProblem(f"The column “{heading}” appears twice.")
        if column:
            seen.add(column.key)
        elif heading:
            ignored.append(heading)
        keys.append(column.key if column else None)
    missing = [c.heading for c in COLUMNS[kind] if c.required and c.key not in seen]
    if missing:
        expected = ", ".join(c.heading for c in COLUMNS[kind])
        raise FileProblem(
            f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
            f"The columns are: {expected} (download the template)."
        )
    return Table(keys=keys, ignored=ignored)


def _limited(rows):
    for count, (number, values) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise FileProblem(f"The file has more than {MAX_ROWS:,} rows: split it into parts.")
        yield number, values
