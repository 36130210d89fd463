"""The PSW's journey with the keyboard alone: Tab, Enter and typing, never the mouse.
Choosing the file stands in for the system's file dialog, which is not the page's."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from training.models import TrainingRecord

from .conftest import PASSWORD

pytestmark = pytest.mark.e2e

FOCUSED_NAME = """() => {
    const element = document.activeElement;
    const label = element.labels && element.labels[0];
    return (label ? label.innerText : element.innerText || element.value || "").trim();
}"""


def tab_to(page, name, *, most=80):
    """Press Tab until the focused element is called `name`; fail if it never is."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_NAME).startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r} on {page.url}")


def test_a_psw_records_a_completion_using_only_the_keyboard(open_as, a_pdf):
    completed_on = timezone.localdate() - timedelta(days=2)
    page = open_as(None)
    page.goto("/login/?next=/training/")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("psw1")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training modules")

    tab_to(page, "PMVA breakaway")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("PMVA breakaway")

    tab_to(page, "Record my completion")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record my completion")

    tab_to(page, "Date you completed it")
    # Chromium's date field, in its own (American) order: month, day, year.
    page.keyboard.type(completed_on.strftime("%m%d%Y"))
    expect(page.get_by_label("Date you completed it")).to_have_value(completed_on.isoformat())
    tab_to(page, "Certificate or evidence")
    page.get_by_label("Certificate or evidence").set_input_files(a_pdf)
    tab_to(page, "Notes")
    page.keyboard.type("Typed without a mouse.")
    tab_to(page, "Record my completion")
    page.keyboard.press("Enter")

    expect(page.locator(".message-success")).to_contain_text("Thank you")
    record = TrainingRecord.objects.get(person__username="psw1", completed_on=completed_on)
    assert record.module.title == "PMVA breakaway"
    assert record.status == "pending"
    assert record.notes == "Typed without a mouse."
