"""Supervision in the browser: the NHS supervisor logs a session, the PSW signs it off,
and the manager sees that it happened without ever seeing what was said."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import SupervisionSession

from .conftest import look

pytestmark = pytest.mark.e2e

NOTES = "Talked about a hard week on the ward and what helped: walking home with a colleague."
ACTIONS = "Ask the team about a quiet room for breaks."


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def open_menu(page, menu, item):
    page.get_by_role("button", name=menu).click()
    page.get_by_role("link", name=item, exact=True).click()


def assert_confidential_parts_absent(page):
    text = page.content()
    assert NOTES not in text
    assert ACTIONS not in text
    assert "walking home with a colleague" not in text


def test_a_supervisor_logs_a_session_the_psw_signs_it_off_and_the_manager_sees_no_notes(
    open_as,
):
    held_on = timezone.localdate() - timedelta(days=1)

    supervisor = open_as("nhs.rc")
    open_menu(supervisor, "Supervision", "My supervisees")
    due = supervisor.get_by_role("table").get_by_role("row").filter(has_text="Aisha Khan")
    expect(due).to_contain_text("NHS")
    look(supervisor, "supervisor-supervisees")
    due.get_by_role("link", name=re.compile("Log a session")).click()
    expect(supervisor.get_by_label("Supervision arrangement")).to_contain_text("Aisha Khan")
    supervisor.get_by_label("Date of the session").fill(held_on.isoformat())
    supervisor.get_by_label("How long (minutes)").fill("50")
    supervisor.get_by_label("Wellbeing", exact=True).check()
    supervisor.get_by_label("Notes", exact=True).fill(NOTES)
    supervisor.get_by_label("Actions agreed").fill(ACTIONS)
    supervisor.get_by_label("We checked in on wellbeing").check()
    look(supervisor, "supervisor-log-session")
    supervisor.get_by_role("button", name="Save session").click()
    expect(supervisor.locator(".messages")).to_contain_text("Session logged")
    look(supervisor, "supervisor-session-logged")

    session = SupervisionSession.objects.get(
        arrangement__supervisee__username="psw1", held_on=held_on
    )
    assert session.is_confirmed
    assert session.notes == NOTES
    assert session.acknowledged_at is None

    psw = open_as("psw1")
    psw.get_by_role("link", name="My supervision").click()
    mine = psw.locator("li.card").filter(
        has=psw.get_by_role("heading", name=f"{long_date(held_on)}: NHS supervision")
    )
    expect(mine).to_contain_text("Not signed off yet")
    look(psw, "psw-my-supervision")
    mine.get_by_role("link", name=re.compile("^Read and sign off")).click()
    expect(psw.get_by_role("main")).to_contain_text(NOTES)
    psw.get_by_role("button", name="Sign off this session").click()
    expect(psw.locator(".message-success")).to_be_visible()
    expect(psw.get_by_role("main")).to_contain_text("Signed off")
    session.refresh_from_db()
    assert session.acknowledged_at is not None

    manager = open_as("manager")
    assert_confidential_parts_absent(manager)
    open_menu(manager, "Supervision", "All sessions")
    row = (
        manager.get_by_role("row")
        .filter(has_text="Aisha Khan")
        .filter(has_text=re.compile(rf"{held_on.day} {held_on:%b}\w* {held_on.year}"))
    )
    expect(row).to_contain_text("Held")
    assert_confidential_parts_absent(manager)
    look(manager, "manager-all-sessions")

    open_menu(manager, "Compliance", "Organisation matrix")
    manager.get_by_role("link", name="Aisha Khan").click()
    expect(manager.get_by_role("heading", level=1)).to_contain_text("Aisha Khan")
    expect(manager.get_by_role("main")).to_contain_text(f"{held_on.day} {held_on:%b %Y}")
    assert_confidential_parts_absent(manager)
    look(manager, "manager-person")
