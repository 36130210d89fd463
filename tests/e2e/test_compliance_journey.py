"""The compliance matrix in the browser: a manager narrows it to one service, looks at
it as recorded on a past day, and takes it away as a spreadsheet."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from simple_history.models import registered_models

from .conftest import look

pytestmark = pytest.mark.e2e


def entered_days_ago(days):
    """As if the demo had been typed in `days` ago: "as recorded" reads the history
    tables, and a demo seeded a moment ago had recorded nothing on any past day."""
    for model in registered_models.values():
        if not hasattr(model, "history"):
            continue  # many-to-many tables: their versions hang off their owner's
        model.history.update(history_date=F("history_date") - timedelta(days=days))


def test_the_manager_filters_the_matrix_looks_at_a_past_day_and_exports_xlsx(open_as, tmp_path):
    past_day = timezone.localdate() - timedelta(days=30)
    entered_days_ago(90)
    page = open_as("manager")
    look(page, "manager-dashboard")
    page.get_by_role("button", name="Compliance").click()
    page.get_by_role("link", name="Organisation matrix", exact=True).click()
    matrix = page.get_by_role("table", name="Training and supervision status for each person")
    expect(matrix).to_contain_text("Aisha Khan")
    look(page, "manager-matrix")

    page.get_by_label("Service").select_option(label="CMHT 2")
    page.get_by_role("button", name="Show").click()
    expect(matrix).not_to_contain_text("Aisha Khan")
    # CMHT 2's two PSWs (Leah Bramley started last week), and the header row.
    expect(matrix.get_by_role("row")).to_have_count(3)
    expect(matrix).to_contain_text("Daniel Firth")
    expect(matrix).to_contain_text("Leah Bramley")

    page.get_by_label("As recorded at the end of").fill(past_day.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("main")).to_contain_text(
        f"As recorded at the end of {past_day.day} {past_day:%B %Y}"
    )
    expect(page.get_by_label("Service")).to_have_value(
        page.get_by_label("Service").locator("option", has_text="CMHT 2").get_attribute("value")
    )
    expect(matrix).to_contain_text("Daniel Firth")
    look(page, "manager-matrix-as-of")

    with page.expect_download() as download:
        page.get_by_role("link", name="Matrix (Excel)").click()
    saved = tmp_path / download.value.suggested_filename
    assert saved.suffix == ".xlsx"
    download.value.save_as(saved)
    workbook = load_workbook(saved, read_only=True)
    about = dict(workbook["About"].iter_rows(values_only=True))
    assert about["Filter"] == "Service: CMHT 2"
    assert about["As recorded at the end of"] == f"{past_day.day} {past_day:%B %Y}"
    rows = [list(row) for row in workbook.worksheets[-1].iter_rows(values_only=True)]
    header, *people = rows
    assert header[:3] == ["Username", "Name", "Service"]
    assert "Safeguarding (NHS)" in header
    assert sorted(person[:3] for person in people) == [
        ["psw4", "Daniel Firth", "CMHT 2"],
        ["psw6", "Leah Bramley", "CMHT 2"],
    ]
