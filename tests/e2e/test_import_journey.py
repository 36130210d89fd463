"""A manager brings a spreadsheet of completions: uploads it, reads the preview,
corrects the refused row in the page and imports."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from training.models import TrainingRecord

from .conftest import look

pytestmark = pytest.mark.e2e


def test_a_manager_uploads_completions_corrects_a_refused_row_and_imports(open_as, tmp_path):
    day = timezone.localdate() - timedelta(days=10)
    spreadsheet = tmp_path / "completions-2025.csv"
    spreadsheet.write_text(
        "Person,Module,Provider,Completed on,Certificate file\n"
        f"psw3,Trauma-informed practice,NHS,{day:%d/%m/%Y},trauma-psw3.pdf\n"
        f"psw4,PMVA breakway,NHS,{day:%d/%m/%Y},\n"
    )
    page = open_as("manager")
    page.get_by_role("link", name="Import records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import records")
    page.get_by_label("Kind of records").select_option(label="Training completions")
    page.get_by_label("Spreadsheet").set_input_files(spreadsheet)
    look(page, "manager-import-upload")
    page.get_by_role("button", name="Upload and check").click()

    status = page.locator(".import-state")
    expect(status).to_contain_text("Ready to import: 1 new, 0 updated, 0 unchanged, 1 refused")
    refused = page.get_by_role("row").filter(has_text="PMVA breakway")
    expect(refused).to_contain_text("Unknown module “PMVA breakway”")
    look(page, "manager-import-preview")

    refused.get_by_role("link", name="Correct row 3").click()
    page.get_by_label("Module").fill("PMVA breakaway")
    look(page, "manager-import-correct")
    page.get_by_role("button", name="Save and check again").click()
    expect(page.locator(".messages")).to_contain_text("Row 3 corrected")
    expect(status).to_contain_text("Ready to import: 2 new")
    expect(page.get_by_role("row").filter(has_text="psw4")).to_contain_text("(corrected)")

    page.get_by_role("button", name="Import 2 rows").click()
    expect(status).to_contain_text("Imported")
    look(page, "manager-import-done")
    imported = TrainingRecord.objects.filter(completed_on=day, verified_by__username="manager")
    assert sorted(imported.values_list("person__username", flat=True)) == ["psw3", "psw4"]
