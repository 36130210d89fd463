"""A manager on a phone: signs in at /login/, opens what is waiting for verification,
verifies one completion and rejects another with a reason; the matrix scrolls inside
its own box with its header row and name column in view (issue 17, items 6 and 9)."""

import pytest
from playwright.sync_api import expect

from training.models import TrainingRecord

from .conftest import look

pytestmark = pytest.mark.e2e


# Elements of the page reaching past the screen's right edge (the admin hides its
# overflow, so they would be cut off rather than scroll), outside a scrolling box and
# the visually hidden headings of a table stacked into cards.
CUT_OFF = """() => [...document.querySelectorAll("main *")]
    .filter(element => element.offsetParent !== null)
    .filter(element => !element.closest(".compliance-scroll, .w-sr-only, .stacked thead"))
    .filter(element => element.getBoundingClientRect().right > window.innerWidth + 1)
    .map(element => element.outerHTML.slice(0, 120))"""


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px): {page.url}"
    assert page.evaluate(CUT_OFF) == [], f"cut off at the screen's edge: {page.url}"


def test_a_manager_on_a_phone_verifies_one_completion_and_rejects_another(open_as):
    first, second = TrainingRecord.objects.filter(status="pending").order_by("created_at")[:2]
    page = open_as("manager", phone=True)
    no_sideways_scroll(page)

    page.get_by_role("main").locator('a[href="/admin/training/pending/"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Waiting for verification")
    no_sideways_scroll(page)
    look(page, "manager-phone-waiting-for-verification")

    page.get_by_role("link", name=f"Verify {first}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify a completion")
    no_sideways_scroll(page)
    look(page, "manager-phone-verify")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(
        f"Verified: {first}."
    )

    page.get_by_role("link", name=f"Reject {second}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reject a completion")
    page.get_by_label("Why is it being rejected?").fill("The certificate is for another course.")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Reject").click()
    expect(page.locator(".messages")).to_contain_text(f"Rejected: {second}.")
    look(page, "manager-phone-after-deciding")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.verified_by.username) == ("verified", "manager")
    assert (second.status, second.status_reason) == (
        "rejected",
        "The certificate is for another course.",
    )


def test_the_matrix_keeps_its_header_row_and_name_column_in_view_on_a_phone(open_as):
    page = open_as("manager", phone=True)
    page.goto("/admin/compliance/matrix/")
    no_sideways_scroll(page)
    box = page.get_by_role("region", name="Training and supervision status for each person")
    expect(box).to_be_visible()
    look(page, "manager-phone-matrix")
    header = box.locator("thead th").nth(3)
    name = box.locator("tbody th").first
    before = (header.bounding_box()["y"], name.bounding_box()["x"])
    box.evaluate("box => { box.scrollTop = 400; box.scrollLeft = 600; }")
    page.wait_for_timeout(100)
    assert box.evaluate("box => [box.scrollTop, box.scrollLeft]") != [0, 0], "it scrolls"
    assert header.bounding_box()["y"] == pytest.approx(before[0], abs=1)
    assert name.bounding_box()["x"] == pytest.approx(before[1], abs=1)
    no_sideways_scroll(page)
