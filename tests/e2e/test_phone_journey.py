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

    # Signing in lands on Today, where the expiring module is named in words.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Data protection")
    expect(main).to_contain_text("Expiring")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390, "the page should not scroll sideways on a phone"
    look(page, "psw-phone-expiring-training")

    # The next supervision is one menu item away, said as a date.
    page.get_by_role("link", name="My supervision").click()
    expect(page.get_by_role("main")).to_contain_text(f"Next session due {due.day} {due:%B %Y}")
    look(page, "psw-phone-dashboard")
