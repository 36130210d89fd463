import csv
import io
import tracemalloc
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from people.exports import About, csv_lines, spreadsheet_safe, write_csv, write_xlsx

HOSTILE = ["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_starts_like_a_formula_is_quoted(text):
    assert spreadsheet_safe(text) == "'" + text


def test_other_cells_pass_as_typed():
    assert spreadsheet_safe(None) == ""
    assert spreadsheet_safe("Aisha Khan") == "Aisha Khan"
    assert spreadsheet_safe(3) == 3
    assert spreadsheet_safe(date(2026, 5, 1)) == "2026-05-01"
    assert spreadsheet_safe(date(2026, 5, 1), keep_dates=True) == date(2026, 5, 1)


def test_csv_quotes_every_hostile_cell_in_header_lines_and_table():
    out = io.StringIO()
    about = About("Report", (("Filter", "=evil"),))
    write_csv(out, ["=head"], [[text] for text in HOSTILE], about)
    cells = [cell for row in csv.reader(io.StringIO(out.getvalue())) for cell in row]
    assert "=evil" not in cells and "'=evil" in cells
    assert [cell for cell in cells if cell.lstrip("'") in HOSTILE] == [
        "'" + text for text in HOSTILE
    ]


def test_csv_streams_a_few_hundred_lines_at_a_time_and_loses_none():
    rows = [[f"person {n}", date(2026, 5, 1), None, "=x"] for n in range(1201)]
    chunks = list(csv_lines(["Name", "Due on", "Note", "Said"], rows))
    assert len(chunks) == 3
    lines = list(csv.reader(io.StringIO("".join(chunks))))
    assert lines[0] == ["Name", "Due on", "Note", "Said"]
    assert lines[1:] == [[f"person {n}", "2026-05-01", "", "'=x"] for n in range(1201)]
    assert list(csv_lines(["Name"], [])) == ["Name\r\n"]


def test_xlsx_stores_hostile_cells_as_quoted_text_and_dates_as_dates():
    out = io.BytesIO()
    rows = [[text, date(2026, 5, 1)] for text in HOSTILE]
    write_xlsx(out, ["Name", "Due on"], rows, title="Table", about=About("T", (("By", "=x"),)))
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    table = workbook["Table"]
    for row in table.iter_rows(min_row=2):
        assert row[0].data_type == "s" and row[0].value.startswith("'")
        assert row[1].is_date and row[1].value == datetime(2026, 5, 1)
    assert workbook["About"]["B1"].value == "'=x"
    assert table.freeze_panes == "A2" and table.auto_filter.ref == f"A1:B{len(rows) + 1}"


def test_xlsx_memory_stays_flat_as_rows_grow(tmp_path):
    """Rows go to disk as they are written: ten times the rows, the same memory."""

    def peak_writing(count):
        rows = ([f"person {n}", date(2026, 5, 1), "Valid", n, None] for n in range(count))
        tracemalloc.start()
        with open(tmp_path / f"{count}.xlsx", "wb") as out:
            write_xlsx(out, ["Name", "Due on", "Status", "N", "Note"], rows, title="Table")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak_writing(2_000), peak_writing(20_000)
    assert large < small + 256 * 1024, (small, large)
    table = load_workbook(tmp_path / "20000.xlsx", read_only=True)["Table"]
    assert table.max_row == 20_001


def test_text_longer_than_a_cell_holds_is_cut_and_says_so():
    out = io.BytesIO()
    long_note = "word " * 10_000  # 50,000 characters
    write_xlsx(out, ["Note"], [[long_note]], title="Table")
    cell = load_workbook(io.BytesIO(out.getvalue()))["Table"]["A2"].value
    assert len(cell) == 32_767
    assert cell.startswith("word word")
    assert cell.endswith("[cut here: the CSV download has all of it]")
