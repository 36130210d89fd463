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
    expect(supervisor.get_by_role("heading", level=1)).to_have_text("My supervisees")
    due = supervisor.get_by_role("table").get_by_role("row").filter(has_text="Aisha Khan")
    expect(due).to_contain_text("NHS")
    look(supervisor, "supervisor-supervisees")
    # Their training and their certificates, from the links on the page and in the header.
    supervisor.get_by_role("link", name="Their training: statuses and dates").click()
    expect(supervisor.get_by_role("heading", level=1)).to_have_text("My supervisees' training")
    expect(supervisor.get_by_role("heading", name="Aisha Khan")).to_be_visible()
    look(supervisor, "supervising-training")
    header = supervisor.get_by_role("navigation", name="Main")
    header.get_by_role("link", name="Their certificates").click()
    expect(supervisor.get_by_role("heading", level=1)).to_have_text("My supervisees' certificates")
    expect(supervisor.get_by_role("main")).to_contain_text("Training passport (PDF)")
    look(supervisor, "supervising-certificates")
    header.get_by_role("link", name="My supervisees").click()
    due.get_by_role("link", name=re.compile("Log a session")).click()
    expect(supervisor.get_by_label("Whose supervision")).to_contain_text("Aisha Khan")
    supervisor.get_by_label("Date of the session").fill(held_on.isoformat())
    supervisor.get_by_label("How long (minutes)").fill("50")
    supervisor.get_by_label("Wellbeing", exact=True).check()
    supervisor.get_by_label("Notes", exact=True).fill(NOTES)
    supervisor.get_by_label("Actions agreed").fill(ACTIONS)
    supervisor.get_by_label("We checked in on wellbeing").check()
    look(supervisor, "supervisor-log-session")
    supervisor.get_by_role("button", name="Log the session").click()
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


GROUP_NOTES = "Reflective practice: what keeps us hopeful when the ward is full."
SEEN_DIFFERENTLY = "I think we ran out of time for the second case."


def fits(page):
    """No horizontal scrolling of the page itself, at whatever width it is shown."""
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), page.url


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_supervisor_logs_corrects_declines_and_runs_a_group_and_an_attendee_signs_off(
    open_as, phone
):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    supervisor = open_as("nhs.cmht", phone=phone)
    expect(supervisor.get_by_role("heading", level=1)).to_have_text("My supervisees")
    rows = supervisor.get_by_role("table").get_by_role("row")
    expect(rows.filter(has_text="Daniel Firth")).to_contain_text("NHS supervision")
    look(supervisor, "supervising-supervisees")
    fits(supervisor)

    # Log a session: the date starts as today.
    rows.filter(has_text="Daniel Firth").get_by_role(
        "link", name=re.compile("Log a session")
    ).click()
    expect(supervisor.get_by_label("Date of the session")).to_have_value(today.isoformat())
    supervisor.get_by_label("How long (minutes)").fill("45")
    supervisor.get_by_label("Notes", exact=True).fill(NOTES)
    look(supervisor, "supervising-log")
    fits(supervisor)
    supervisor.get_by_role("button", name="Log the session").click()
    expect(supervisor.locator(".messages")).to_contain_text("Session logged")
    expect(supervisor.get_by_role("main")).to_contain_text(NOTES)
    look(supervisor, "supervising-session")
    fits(supervisor)

    # Correct it, with a reason.
    supervisor.get_by_role("link", name="Correct the date, duration or format").click()
    supervisor.get_by_label("Date of the session").fill(yesterday.isoformat())
    supervisor.get_by_role("button", name="Correct the session").click()
    expect(supervisor.locator(".message-error")).to_contain_text("Nothing has been saved")
    supervisor.get_by_label("Why it is corrected").fill("We met on the day before")
    look(supervisor, "supervising-correct")
    fits(supervisor)
    supervisor.get_by_role("button", name="Correct the session").click()
    expect(supervisor.locator(".messages")).to_contain_text("Session corrected")
    expect(supervisor.get_by_role("main")).to_contain_text("We met on the day before")
    corrected = SupervisionSession.objects.get(
        arrangement__supervisee__username="psw4", notes=NOTES
    )
    assert corrected.held_on == yesterday and corrected.correction_reason

    # Decline a session Grace logged.
    nav = supervisor.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="My supervisees").click()
    waiting = supervisor.get_by_role("listitem").filter(has_text="Grace Okafor").first
    waiting.get_by_role("link").click()
    supervisor.get_by_role("link", name="Decline it").click()
    supervisor.get_by_role("button", name="Decline the session").click()
    expect(supervisor.locator(".message-error")).to_be_visible()
    supervisor.get_by_label("Why you are declining it").fill("We did not meet that day")
    look(supervisor, "supervising-decline")
    fits(supervisor)
    supervisor.get_by_role("button", name="Decline the session").click()
    expect(supervisor.locator(".messages")).to_contain_text("Session declined")
    declined = SupervisionSession.objects.get(
        arrangement__supervisee__username="psw3", declined_at__isnull=False
    )
    assert declined.decline_reason == "We did not meet that day"

    # One reflective-practice session for two people.
    nav.get_by_role("link", name="Log a group session").click()
    supervisor.get_by_label("Grace Okafor").check()
    supervisor.get_by_label("Daniel Firth").check()
    supervisor.get_by_label("Notes", exact=True).fill(GROUP_NOTES)
    look(supervisor, "supervising-group-log")
    fits(supervisor)
    supervisor.get_by_role("button", name="Log the group session").click()
    expect(supervisor.locator(".messages")).to_contain_text("Group session logged for 2 people")
    who_came = supervisor.get_by_role("table")
    expect(who_came).to_contain_text("Grace Okafor")
    expect(who_came).to_contain_text("Not signed off yet")
    look(supervisor, "supervising-group")
    fits(supervisor)
    group_url = supervisor.url

    # An attendee reads the shared notes and signs off for themself.
    attendee = open_as("psw4", phone=phone)
    attendee.goto(group_url)
    expect(attendee.get_by_role("main")).to_contain_text(GROUP_NOTES)
    attendee.get_by_label("I see this differently (optional)").fill(SEEN_DIFFERENTLY)
    look(attendee, "attendee-group")
    fits(attendee)
    attendee.get_by_role("button", name="Sign off this session").click()
    expect(attendee.locator(".messages")).to_contain_text("you have signed off")
    expect(attendee.get_by_role("main")).to_contain_text(SEEN_DIFFERENTLY)
    sessions = SupervisionSession.objects.filter(group__facilitator__username="nhs.cmht")
    signed = {s.arrangement.supervisee.username: s.acknowledged_at is not None for s in sessions}
    assert signed == {"psw4": True, "psw3": False}
