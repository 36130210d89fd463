"""Induction periods and placements in the training rules: who needs what, from when,
and "due by" up to the last day of the period, at its boundaries."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from people.rules import Placement, placement_covers, services_on
from training import rules
from training.rules import Module, Record

STARTED = date(2026, 11, 23)
HOME, WARD, OTHER_WARD = 1, 5, 6
SAFEGUARDING = Module(1, "both", induction_days=28)
PMVA = Module(2, "nhs", service_ids=frozenset({WARD, OTHER_WARD}), induction_days=28)
NO_PERIOD = Module(3, "nhs", induction_days=None)


def due_on(module, started_on=STARTED, placements=(), service_id=HOME):
    return rules.induction_due_on(
        module, service_id=service_id, started_on=started_on, placements=placements
    )


@pytest.mark.parametrize(
    ("placement", "on", "covers"),
    [
        (Placement(WARD, date(2026, 11, 30)), date(2026, 11, 30), True),  # starts today
        (Placement(WARD, date(2026, 12, 1)), date(2026, 11, 30), False),  # starts tomorrow
        (Placement(WARD, date(2026, 1, 1), date(2026, 11, 30)), date(2026, 11, 30), True),
        (Placement(WARD, date(2026, 1, 1), date(2026, 11, 29)), date(2026, 11, 30), False),
    ],
)
def test_a_placement_is_in_force_from_its_first_to_its_last_day(placement, on, covers):
    assert placement_covers(placement, on) is covers


def test_a_person_works_in_their_home_service_and_every_placement_in_force():
    placements = [
        Placement(WARD, date(2026, 1, 1)),
        Placement(OTHER_WARD, date(2026, 6, 1), date(2026, 11, 29)),  # ended yesterday
        Placement(HOME, date(2026, 3, 1)),  # overlapping the home service: one service
    ]
    assert services_on(service_id=HOME, placements=placements, on=date(2026, 11, 30)) == {
        HOME,
        WARD,
    }
    assert services_on(service_id=None, placements=placements, on=date(2026, 7, 1)) == {
        WARD,
        OTHER_WARD,
        HOME,
    }


def test_the_period_runs_from_the_start_date_for_requirements_of_every_service():
    assert due_on(SAFEGUARDING) == STARTED + timedelta(days=28)


def test_a_placement_opens_the_period_for_its_services_extra_requirements():
    placement = Placement(WARD, date(2027, 3, 1))
    assert due_on(PMVA, placements=[placement]) == date(2027, 3, 29)


def test_the_period_opens_once_at_the_earliest_placement_in_the_modules_services():
    placements = [Placement(OTHER_WARD, date(2027, 3, 1)), Placement(WARD, date(2027, 1, 4))]
    assert due_on(PMVA, placements=placements) == date(2027, 2, 1)


def test_a_home_service_that_requires_the_module_counts_from_the_start_date():
    assert due_on(PMVA, service_id=WARD, placements=[Placement(WARD, date(2027, 3, 1))]) == (
        STARTED + timedelta(days=28)
    )


def test_no_period_without_a_start_date_or_without_a_length():
    assert due_on(SAFEGUARDING, started_on=None) is None
    assert due_on(NO_PERIOD) is None
    assert due_on(PMVA) is None  # neither home nor placed there


LAST_DAY = date(2026, 12, 21)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (LAST_DAY - timedelta(days=1), rules.DUE_BY),
        (LAST_DAY, rules.DUE_BY),
        (LAST_DAY + timedelta(days=1), rules.MISSING),
    ],
)
def test_not_recorded_is_due_by_up_to_the_last_day_of_the_period(on, expected):
    assert rules.requirement_status(on, [], [], LAST_DAY) == expected


def test_a_recorded_requirement_keeps_its_own_status_inside_the_period():
    pending = [Record(date(2026, 12, 1), None, "pending")]
    verified = [Record(date(2026, 12, 1), None, "verified")]
    assert rules.requirement_status(date(2026, 12, 2), pending, [], LAST_DAY) == rules.PENDING
    assert rules.requirement_status(date(2026, 12, 2), verified, [], LAST_DAY) == rules.VALID
    exempt = [rules.Exemption(date(2026, 12, 1), None)]
    assert rules.requirement_status(date(2026, 12, 2), [], exempt, LAST_DAY) == rules.EXEMPT


def test_due_by_is_not_a_failure():
    assert rules.is_compliant(rules.DUE_BY)
    assert not rules.is_compliant(rules.MISSING)


days = st.integers(0, 800).map(lambda n: date(2026, 1, 1) + timedelta(days=n))


@given(on=days, due=st.none() | days, records=st.lists(st.tuples(days, st.booleans()), max_size=4))
def test_due_by_only_ever_replaces_not_recorded_and_only_up_to_its_date(on, due, records):
    history = [Record(d, None, "verified" if v else "pending") for d, v in records]
    with_period = rules.requirement_status(on, history, [], due)
    without = rules.requirement_status(on, history, [])
    if with_period != without:
        assert (without, with_period) == (rules.MISSING, rules.DUE_BY)
        assert on <= due
    else:
        assert with_period != rules.DUE_BY


@given(
    started=st.none() | days,
    starts=st.lists(st.tuples(st.sampled_from([WARD, OTHER_WARD, 9]), days), max_size=4),
    home=st.sampled_from([HOME, WARD, None]),
)
def test_the_period_never_opens_before_the_requirement_first_applies(started, starts, home):
    placements = [Placement(service, day) for service, day in starts]
    due = due_on(PMVA, started_on=started, placements=placements, service_id=home)
    if due is None:
        return
    since = due - timedelta(days=PMVA.induction_days)
    first_placed = [d for s, d in starts if s in PMVA.service_ids]
    assert since == (started if home in PMVA.service_ids else min(first_placed))
