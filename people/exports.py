"""Spreadsheets: the one safety rule every CSV and XLSX export obeys, and the writers
that make a download someone can hand on (docs/architecture.md, "Exports").

Names, notes and titles are free text; a cell starting with one of FORMULA_STARTS
would run as a formula when the file is opened, so it gets a leading apostrophe. Every
writer in the project sends every cell through `spreadsheet_safe`.

A download made for people says what it covers: CSV in a few `label,value` lines above
the table, XLSX on a first sheet "About". XLSX dates are real date cells, and the table
has its header row frozen and filters switched on. `compliance_report` writes the same
table without the header lines: other tools read it.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

import xlsxwriter
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"
# The most text a spreadsheet cell holds; a longer one is cut, and says so.
CELL_LIMIT = 32_767
CUT = " … [cut here: the CSV download has all of it]"


def spreadsheet_safe(value, *, keep_dates=False):
    """A cell a spreadsheet shows as typed: None as empty, formula-like text quoted.

    Dates become ISO text, unless `keep_dates` (XLSX, which has date cells of its own).
    Called for every cell of every export, hence text first and by exact type.
    """
    if type(value) is str:
        return "'" + value if value[:1] in _FORMULA_FIRST else value
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.replace(tzinfo=None) if keep_dates else value.isoformat()
    if isinstance(value, date):
        return value if keep_dates else value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


_FORMULA_FIRST = frozenset(FORMULA_STARTS)


@dataclass(frozen=True)
class About:
    """What a download covers, as (label, value) lines: organisation, filter, the day
    its statuses are on, and when and by whom it was made."""

    title: str
    lines: tuple = ()

    @classmethod
    def of(cls, title, *, organisation, made_by, lines=()):
        made = timezone.localtime().strftime("%-d %B %Y at %H:%M")
        return cls(
            title,
            (
                ("File", title),
                ("Organisation", organisation),
                *lines,
                ("Made", f"{made} by {made_by.get_full_name() or made_by.username}"),
            ),
        )


LINES_PER_CHUNK = 500


def csv_lines(header, rows, about=None):
    """CSV as an iterator of text chunks of a few hundred lines (for
    StreamingHttpResponse: memory stays flat, and the response is not handed one short
    line at a time); with `about`, its lines and a blank line come first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    safe = spreadsheet_safe
    if about is not None:
        writer.writerows([map(safe, line) for line in about.lines])
        writer.writerow([])
    writer.writerow(map(safe, header))
    rows = iter(rows)
    while batch := list(islice(rows, LINES_PER_CHUNK)):
        # One call to the csv module for a few hundred rows, not one per row.
        writer.writerows([map(safe, row) for row in batch])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def write_csv(out, header, rows, about=None):
    """CSV to the text file `out`, as `csv_lines` makes it."""
    out.writelines(csv_lines(header, rows, about))


def write_xlsx(out, header, rows, *, title, about=None):
    """A workbook to the binary file `out`: an "About" sheet first when given, then the
    table with real date cells, its header row frozen and filters on.

    Rows are written one at a time and flushed to a temporary file as the next begins
    (XlsxWriter's constant-memory mode), so memory stays flat however many there are.
    Every text cell is written as text: a spreadsheet never reads one as a formula."""
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    formats = {
        datetime: workbook.add_format({"num_format": DATETIME_FORMAT}),
        date: workbook.add_format({"num_format": DATE_FORMAT}),
    }
    if about is not None:
        sheet = workbook.add_worksheet("About")
        for number, line in enumerate(about.lines):
            _write_row(sheet, number, line, formats)
    sheet = workbook.add_worksheet(_sheet_name(title))
    sheet.freeze_panes(1, 0)
    _write_row(sheet, 0, header, formats)
    last_row = 0
    for last_row, row in enumerate(rows, start=1):
        _write_row(sheet, last_row, row, formats)
    sheet.autofilter(0, 0, last_row, max(len(header), 1) - 1)
    workbook.close()


def _write_row(sheet, number, cells, formats):
    for column, value in enumerate(cells):
        value = spreadsheet_safe(value, keep_dates=True)
        kind = type(value)
        if kind is str:
            if len(value) > CELL_LIMIT:
                value = value[: CELL_LIMIT - len(CUT)] + CUT
            if value:
                sheet.write_string(number, column, value)
        elif kind is bool:
            sheet.write_boolean(number, column, value)
        elif kind in (int, float, Decimal):
            sheet.write_number(number, column, value)
        elif kind is datetime or kind is date:
            sheet.write_datetime(number, column, value, formats[kind])
        else:  # a lazy translation, a code object, anything else: as its text
            sheet.write_string(number, column, spreadsheet_safe(str(value)))


def _sheet_name(title):
    """A sheet name a spreadsheet accepts: at most 31 characters, none of []:*?/\\."""
    return "".join("-" if c in "[]:*?/\\" else c for c in str(title))[:31] or "Sheet"


class SpreadsheetSafeExportMixin:
    """For Wagtail index views with `list_export`: every cell through `spreadsheet_safe`
    (Wagtail's CSV escapes nothing), and XLSX written as every other download is."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: spreadsheet_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    def write_xlsx(self, queryset, output):
        header = [self.get_heading(queryset, field) for field in self.list_export]
        rows = (
            [
                self.preprocess_field_value(field, value, self.FORMAT_XLSX)
                for field, value in self.to_row_dict(item).items()
            ]
            for item in queryset
        )
        write_xlsx(output, header, rows, title=str(self.get_page_title()))
