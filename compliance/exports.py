"""Compliance as spreadsheets: the long-format report and the matrix, as CSV or XLSX.

Every cell goes through `spreadsheet_safe`: names and titles are free text, and a
spreadsheet would run a cell starting with `=`, `+`, `-` or `@` as a formula.
"""

import csv

from django.apps import apps
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from wagtail.models import Site

from people.exports import spreadsheet_safe

LONG_COLUMNS = [
    "username",
    "name",
    "service",
    "kind",
    "item",
    "provider",
    "status",
    "last_completed",
    "due_on",
]
STREAM_LABELS = {"nhs": "NHS"}


def organisation_name(site=None):
    """The employing organisation's name, from the site settings the portal defines."""
    settings_model = apps.get_model("portal", "OrganisationSettings")
    site = site or Site.objects.filter(is_default_site=True).first()
    return settings_model.for_site(site).name if site else "Employer"


def stream_item(stream, organisation):
    """`NHS supervision` or `<organisation> supervision`."""
    return f"{STREAM_LABELS.get(stream, organisation)} supervision"


def long_rows(status, organisation):
    """One row per person and item, in LONG_COLUMNS order."""
    for each in status.people:
        person = each.person
        start = [person.username, person.name, person.service_name]
        for requirement in status.requirements:
            found = each.requirements.get((requirement.module_id, requirement.provider))
            if found is None:
                continue
            yield start + [
                "training",
                requirement.title,
                requirement.provider,
                found.status,
                found.last_completed,
                found.valid_until,
            ]
        for stream in status.streams:
            found = each.streams[stream]
            yield start + [
                "supervision",
                stream_item(stream, organisation),
                stream,
                found.status,
                found.last_held_on,
                found.due_on,
            ]


def matrix_header(status, organisation):
    header = ["username", "name", "service"]
    for requirement in status.requirements:
        label = requirement.label
        header += [label, f"{label} due on"]
    for stream in status.streams:
        label = stream_item(stream, organisation)
        header += [label, f"{label} due on"]
    return header


def matrix_rows(status):
    """One row per person: status and due date of each requirement, then each stream."""
    for each in status.people:
        person = each.person
        row = [person.username, person.name, person.service_name]
        for requirement in status.requirements:
            found = each.requirements.get((requirement.module_id, requirement.provider))
            row += [found.status, found.valid_until] if found else ["not required", None]
        for stream in status.streams:
            row += [each.streams[stream].status, each.streams[stream].due_on]
        yield row


def write_csv(out, header, rows):
    writer = csv.writer(out)
    writer.writerow([spreadsheet_safe(v) for v in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])


class _Line:
    """A file-like sink that hands back what csv.writer wrote, one row at a time."""

    def write(self, text):
        return text


def csv_lines(header, rows):
    """The CSV as an iterator of lines, for StreamingHttpResponse: memory stays flat."""
    writer = csv.writer(_Line())
    yield writer.writerow([spreadsheet_safe(v) for v in header])
    for row in rows:
        yield writer.writerow([spreadsheet_safe(v) for v in row])


def write_xlsx(out, header, rows, title="Compliance"):
    """Write a workbook of one sheet to the binary file `out`; dates stay ISO text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in _prepend(header, rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, spreadsheet_safe(value))
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(out)


def _prepend(first, rows):
    yield first
    yield from rows
