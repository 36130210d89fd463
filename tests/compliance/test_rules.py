"""The status rules compliance composes, over every status and its boundaries.

Pure functions of plain data: no database. D is the day a status is asked for.
"""

from datetime import date, timedelta

import pytest

from supervision import rules as supervision
from training import rules as training

D = date(2026, 3, 1)


def record(completed_on, valid_until, status="verified"):
    return training.Record(completed_on, valid_until, status)


def days(n):
    return D + timedelta(days=n)


@pytest.mark.parametrize(
    ("records", "exemptions", "expected"),
    [
        ([], [], "missing"),
        ([record(days(-10), None)], [], "valid"),  # never expires
        ([record(days(-10), days(60))], [], "valid"),  # exactly D + 60 days
        ([record(days(-10), days(59))], [], "expiring"),
        ([record(days(-400), D)], [], "expiring"),  # last valid day
        ([record(days(-400), days(-1))], [], "expired"),
        ([record(days(-10), None, "pending")], [], "pending"),
        ([record(days(1), None)], [], "missing"),  # completed after D
        ([record(days(1), None, "pending")], [], "missing"),
        ([record(days(-400), days(-1)), record(days(-5), None, "pending")], [], "pending"),
        ([record(days(-400), days(-1)), record(days(-500), None, "pending")], [], "expired"),
        ([record(days(-10), days(300)), record(days(-5), None, "pending")], [], "valid"),
        ([record(days(-10), None, "rejected")], [], "missing"),
        ([record(days(-800), days(-400)), record(days(-30), days(330))], [], "valid"),
        ([], [training.Exemption(D, None)], "exempt"),  # starts on D
        ([], [training.Exemption(days(-30), D)], "exempt"),  # ends on D
        ([], [training.Exemption(days(-30), days(-1))], "missing"),  # ended the day before
        ([], [training.Exemption(days(1), None)], "missing"),  # not started yet
        ([record(days(-400), days(-1))], [training.Exemption(days(-3), None)], "exempt"),
    ],
)
def test_requirement_status(records, exemptions, expected):
    assert training.requirement_status(D, records, exemptions) == expected


@pytest.mark.parametrize(
    ("status", "compliant"),
    [
        ("valid", True),
        ("expiring", True),
        ("exempt", True),
        ("expired", False),
        ("pending", False),
        ("missing", False),
    ],
)
def test_which_training_statuses_are_compliant(status, compliant):
    assert training.is_compliant(status) is compliant


@pytest.mark.parametrize(
    ("completed_on", "months", "until"),
    [
        (date(2025, 3, 12), 12, date(2026, 3, 12)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # clamped to a short month
        (date(2023, 2, 28), 12, date(2024, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # leap day
        (date(2025, 11, 30), 3, date(2026, 2, 28)),  # across a year end
        (date(2025, 3, 12), None, None),  # never expires
    ],
)
def test_valid_until(completed_on, months, until):
    assert training.valid_until(completed_on, months) == until


def test_a_both_module_is_two_requirements_and_service_modules_apply_only_there():
    modules = [
        training.Module(1, "both"),
        training.Module(2, "nhs", service_ids=frozenset({7})),
        training.Module(3, "employer", mandatory=False),
    ]
    assert training.requirements_for({7}, modules) == [(1, "nhs"), (1, "employer"), (2, "nhs")]
    assert training.requirements_for({8}, modules) == [(1, "nhs"), (1, "employer")]


def arrangement(starts_on=date(2026, 1, 5), ends_on=None, weeks=4):
    return supervision.Arrangement(starts_on, ends_on, weeks)


def session(held_on, status="held", confirmed=True):
    return supervision.Session(held_on, status, confirmed)


@pytest.mark.parametrize(
    ("arrangement", "sessions", "expected"),
    [
        (None, [], "no_arrangement"),
        (arrangement(starts_on=days(1)), [], "no_arrangement"),  # not started yet
        (arrangement(starts_on=days(-10), ends_on=days(-1)), [], "no_arrangement"),
        (arrangement(starts_on=days(-10), ends_on=D), [], "on_track"),  # ends on D
        (arrangement(starts_on=days(-28)), [], "due_soon"),  # due on D
        (arrangement(starts_on=days(-29)), [], "overdue"),  # due the day before
        (arrangement(starts_on=days(-60)), [session(days(-21))], "due_soon"),  # due D + 7
        (arrangement(starts_on=days(-60)), [session(days(-20))], "on_track"),  # due D + 8
        (arrangement(starts_on=days(-60)), [session(days(-29))], "overdue"),
        (arrangement(starts_on=days(-60)), [session(days(-5), confirmed=False)], "overdue"),
        (arrangement(starts_on=days(-60)), [session(days(-5), "cancelled")], "overdue"),
        (arrangement(starts_on=days(-60)), [session(days(-5), "did_not_attend")], "overdue"),
        (arrangement(starts_on=days(-60)), [session(days(3))], "overdue"),  # after D
        (
            arrangement(starts_on=days(-60), weeks=2),
            [session(days(-40)), session(days(-10))],
            "due_soon",
        ),
    ],
)
def test_stream_status(arrangement, sessions, expected):
    assert supervision.stream_status(D, arrangement, sessions) == expected


@pytest.mark.parametrize(
    ("status", "compliant"),
    [("on_track", True), ("due_soon", True), ("overdue", False), ("no_arrangement", False)],
)
def test_which_supervision_statuses_are_compliant(status, compliant):
    assert supervision.is_compliant(status) is compliant


def test_the_arrangement_in_force_is_the_latest_started_that_is_active():
    old = arrangement(starts_on=date(2025, 1, 6), ends_on=date(2026, 1, 31))
    new = arrangement(starts_on=date(2026, 2, 1))
    future = arrangement(starts_on=days(10))
    assert supervision.active_arrangement([old, new, future], D) == new
    assert supervision.active_arrangement([old, new], date(2026, 1, 31)) == old
    assert supervision.active_arrangement([future], D) is None
