"""Compliance as spreadsheets: the long-format report and the matrix, as CSV or XLSX.

Every cell goes through `spreadsheet_safe`: names and titles are free text, and a
spreadsheet would run a cell starting with `=`, `+`, `-` or `@` as a formula.
"""

import csv

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from organisation.words import supervision_name
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


def long_rows(status):
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
                supervision_name(stream),
                stream,
                found.status,
                found.last_held_on,
                found.due_on,
            ]


def matrix_header(status):
    header = ["username", "name", "service"]
    for requirement in status.requirements:
        label = requirement.label
        header += [label, f"{label} due on"]
    for stream in status.streams:
        label = supervision_name(stream)
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
