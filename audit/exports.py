"""CSV and XLSX for the audit log, with formula-looking cells made inert."""

import csv
import io

from openpyxl import Workbook

from people.exports import spreadsheet_safe


class _Line:
    def write(self, text):
        return text


def csv_lines(rows):
    """Each row as one CSV line, for streaming to a response or a terminal."""
    writer = csv.writer(_Line())
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


def xlsx_bytes(rows, title="Audit log"):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append([spreadsheet_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
