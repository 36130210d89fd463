"""On a phone: a PSW signs in and finds, without hunting, when their next supervision
is due and which training is running out."""

from datetime import timedelta

import pytest
from django.db.models import Max
from playwright.sync_api import expect

from supervision.models import SupervisionArrangement

from .conftest import look

pytestmark = pytest.mark.e2e


def next_nhs_supervision():
    arrangement = SupervisionArrangement.objects.get(
        supervisee__username="psw1", stream="nhs", ends_on__isnull=True
    )
    last = arrangement.sessions.filter(status="held", confirmed_at__isnull=False).aggregate(
        last=Max("held_on")
    )["last"]
    return last + timedelta(weeks=arrangement.interval_weeks)


def test_a_psw_on_a_phone_finds_their_next_supervision_and_expiring_training(open_as):
    due = next_nhs_supervision()
    page = open_as("psw1", phone=True)

    # The next supervision is on the first screen, before the longer training list.
    supervision = page.get_by_role("table", name="Your supervision")
    nhs = supervision.get_by_role("row").filter(has_text="Priya Raman")
    expect(nhs).to_contain_text(f"due {due.day} {due:%b %Y}")
    expect(nhs).to_be_in_viewport()
    look(page, "psw-phone-dashboard")

    training = page.get_by_role("table", name="Your training requirements")
    expiring = training.get_by_role("row").filter(has_text="Expiring soon")
    expect(expiring).to_contain_text("Data protection (NHS)")
    expiring.scroll_into_view_if_needed()
    expect(expiring).to_be_in_viewport()

    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390, "the dashboard should not scroll sideways on a phone"
    look(page, "psw-phone-expiring-training")
