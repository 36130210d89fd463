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
from itertools import islice

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"


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
    table with real date cells, its header row frozen and filters on."""
    workbook = Workbook(write_only=True)
    if about is not None:
        sheet = workbook.create_sheet(title="About")
        for line in about.lines:
            sheet.append([xlsx_cell(sheet, cell) for cell in line])
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    sheet.append([xlsx_cell(sheet, cell) for cell in header])
    last_row = 1
    for row in rows:
        sheet.append([xlsx_cell(sheet, cell) for cell in row])
        last_row += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(header), 1))}{last_row}"
    workbook.save(out)


def xlsx_cell(sheet, value):
    value = spreadsheet_safe(value, keep_dates=True)
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, never a formula
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


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
