"""CSV and XLSX for the audit log, with formula-looking cells made inert."""

import csv
import io

from people.exports import spreadsheet_safe, write_xlsx


class _Line:
    def write(self, text):
        return text


def csv_lines(rows):
    """Each row as one CSV line, for streaming to a response or a terminal."""
    writer = csv.writer(_Line())
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


def xlsx_bytes(rows, title="Audit log"):
    """The rows (header first) as a workbook: header frozen, filters on."""
    rows = iter(rows)
    buffer = io.BytesIO()
    write_xlsx(buffer, next(rows), rows, title=title)
    return buffer.getvalue()
