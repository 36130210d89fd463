"""Spreadsheet safety for every export (CSV and XLSX) in the project.

Names, notes and titles are free text; a cell starting with one of these characters
would run as a formula when the file is opened, so it gets a leading apostrophe.
"""

from datetime import date

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell a spreadsheet shows as typed: dates as ISO text, None as empty."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SpreadsheetSafeExportMixin:
    """For Wagtail index views with `list_export`: its CSV export escapes nothing."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: spreadsheet_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )
