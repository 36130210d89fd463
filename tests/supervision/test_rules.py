"""The due-date rules at their boundaries (docs/architecture.md, Rules)."""

from datetime import date, timedelta

import pytest

from organisation.words import Side
from supervision import rules
from supervision.rules import Arrangement, Session

START = date(2026, 1, 5)
FOUR_WEEKS = Arrangement(starts_on=START, ends_on=None, interval_weeks=4)
HELD = Session(date(2026, 3, 2), "held", confirmed=True)  # due 30 March 2026
DUE = date(2026, 3, 30)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (DUE - timedelta(days=8), rules.ON_TRACK),
        (DUE - timedelta(days=7), rules.DUE_SOON),
        (DUE - timedelta(days=1), rules.DUE_SOON),
        (DUE, rules.DUE_SOON),
        (DUE + timedelta(days=1), rules.OVERDUE),
    ],
    ids=["due-in-8-days", "due-in-7-days", "due-tomorrow", "due-exactly-today", "day-after-due"],
)
def test_status_around_the_due_date(on, expected):
    assert rules.stream_status(on, FOUR_WEEKS, [HELD]) == expected


@pytest.mark.parametrize(
    ("interval_weeks", "due"),
    [(1, date(2026, 3, 9)), (4, date(2026, 3, 30)), (6, date(2026, 4, 13)), (52, date(2027, 3, 1))],
)
def test_next_due_is_the_last_counted_session_plus_the_interval(interval_weeks, due):
    arrangement = Arrangement(starts_on=START, ends_on=None, interval_weeks=interval_weeks)
    assert rules.next_due(arrangement, [HELD]) == due


def test_with_no_session_the_first_is_due_one_interval_after_the_start():
    assert rules.next_due(FOUR_WEEKS, []) == date(2026, 2, 2)
    assert rules.stream_status(date(2026, 2, 3), FOUR_WEEKS, []) == rules.OVERDUE


@pytest.mark.parametrize(
    "session",
    [
        Session(date(2026, 3, 2), "cancelled", confirmed=True),
        Session(date(2026, 3, 2), "did_not_attend", confirmed=True),
        Session(date(2026, 3, 2), "held", confirmed=False),
    ],
    ids=["cancelled", "did-not-attend", "unconfirmed"],
)
def test_only_confirmed_held_sessions_count(session):
    earlier = Session(date(2026, 2, 2), "held", confirmed=True)
    assert rules.next_due(FOUR_WEEKS, [earlier, session]) == date(2026, 3, 2)


def test_sessions_after_the_day_asked_about_are_ignored():
    later = Session(date(2026, 3, 20), "held", confirmed=True)
    assert rules.next_due(FOUR_WEEKS, [HELD, later], on=date(2026, 3, 10)) == DUE
    assert rules.stream_status(date(2026, 3, 10), FOUR_WEEKS, [HELD, later]) == rules.ON_TRACK


@pytest.mark.parametrize(
    ("arrangement", "on"),
    [
        (None, date(2026, 3, 10)),
        (Arrangement(starts_on=date(2026, 4, 1), ends_on=None), date(2026, 3, 31)),
        (Arrangement(starts_on=START, ends_on=date(2026, 3, 9)), date(2026, 3, 10)),
    ],
    ids=["none", "not-started-yet", "ended"],
)
def test_no_active_arrangement_means_no_arrangement(arrangement, on):
    assert rules.stream_status(on, arrangement, [HELD]) == rules.NO_ARRANGEMENT


@pytest.mark.parametrize(
    ("on", "active"),
    [
        (START - timedelta(days=1), False),
        (START, True),
        (date(2026, 3, 9), True),
        (date(2026, 3, 10), False),
    ],
)
def test_an_arrangement_is_active_from_its_first_to_its_last_day(on, active):
    arrangement = Arrangement(starts_on=START, ends_on=date(2026, 3, 9))
    assert rules.is_active(arrangement, on) is active


def test_the_latest_started_arrangement_in_force_is_the_active_one():
    old = Arrangement(starts_on=START, ends_on=date(2026, 3, 1))
    new = Arrangement(starts_on=date(2026, 3, 2), ends_on=None)
    assert rules.active_arrangement([old, new], date(2026, 3, 1)) is old
    assert rules.active_arrangement([old, new], date(2026, 3, 2)) is new
    assert rules.active_arrangement([old, new], date(2026, 1, 4)) is None


@pytest.mark.parametrize(
    ("status", "compliant"),
    [
        (rules.ON_TRACK, True),
        (rules.DUE_SOON, True),
        (rules.OVERDUE, False),
        (rules.NO_ARRANGEMENT, False),
    ],
)
def test_on_track_and_due_soon_are_compliant(status, compliant):
    assert rules.is_compliant(status) is compliant


@pytest.mark.parametrize(
    ("stream", "side", "allowed"),
    [
        (Side.NHS, Side.NHS, True),
        (Side.NHS, Side.EMPLOYER, False),
        (Side.NHS, "", False),
        (Side.EMPLOYER, Side.EMPLOYER, True),
        (Side.EMPLOYER, Side.NHS, False),
        (Side.EMPLOYER, "", False),
        ("unknown", Side.NHS, False),
    ],
)
def test_a_supervisor_may_supervise_only_in_the_stream_of_their_own_side(stream, side, allowed):
    assert rules.supervisor_side_allowed(stream, side) is allowed
