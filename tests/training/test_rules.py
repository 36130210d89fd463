from datetime import date

import pytest

from training import rules
from training.rules import Exemption, Module, Record


@pytest.mark.parametrize(
    ("completed_on", "months", "expected"),
    [
        (date(2025, 3, 12), 12, date(2026, 3, 12)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 1, 31), 36, date(2028, 1, 31)),
        (date(2023, 5, 31), 36, date(2026, 5, 31)),
        (date(2025, 6, 1), None, None),
    ],
)
def test_valid_until_keeps_the_day_of_month_clamped_to_the_months_end(
    completed_on, months, expected
):
    assert rules.valid_until(completed_on, months) == expected


D = date(2026, 6, 1)


def verified(completed_on, valid_until):
    return Record(completed_on, valid_until, "verified")


def pending(completed_on):
    return Record(completed_on, None, "pending")


def rejected(completed_on, valid_until):
    return Record(completed_on, valid_until, "rejected")


@pytest.mark.parametrize(
    ("records", "exemptions", "expected"),
    [
        ([], [], "missing"),
        ([pending(date(2026, 5, 1))], [], "pending"),
        ([verified(date(2025, 1, 1), None)], [], "valid"),
        ([verified(date(2025, 1, 1), date(2026, 7, 31))], [], "valid"),  # D + 60 exactly
        ([verified(date(2025, 1, 1), date(2026, 7, 30))], [], "expiring"),  # D + 59
        ([verified(date(2025, 1, 1), D)], [], "expiring"),  # last valid day
        ([verified(date(2025, 1, 1), date(2026, 5, 31))], [], "expired"),  # day after
        (
            [verified(date(2025, 1, 1), date(2026, 5, 31)), pending(date(2026, 5, 20))],
            [],
            "pending",
        ),
        (
            [verified(date(2025, 1, 1), date(2026, 5, 31)), pending(date(2024, 5, 20))],
            [],
            "expired",
        ),
        ([verified(date(2026, 7, 1), None)], [], "missing"),  # completed after D
        ([rejected(date(2026, 1, 1), date(2027, 1, 1))], [], "missing"),
        (
            [verified(date(2023, 1, 1), date(2024, 1, 1)), rejected(date(2026, 1, 1), None)],
            [],
            "expired",
        ),
        (
            [verified(date(2023, 1, 1), date(2024, 1, 1)), verified(date(2026, 1, 1), None)],
            [],
            "valid",
        ),
        ([], [Exemption(D, None)], "exempt"),  # starts on D
        ([], [Exemption(date(2026, 1, 1), D)], "exempt"),  # ends on D
        ([], [Exemption(date(2026, 6, 2), None)], "missing"),  # starts the day after
        ([], [Exemption(date(2026, 1, 1), date(2026, 5, 31))], "missing"),  # ended
        (
            [verified(date(2025, 1, 1), date(2025, 6, 1))],
            [Exemption(date(2026, 1, 1), None)],
            "exempt",
        ),
    ],
)
def test_requirement_status_on_a_day(records, exemptions, expected):
    assert rules.requirement_status(D, records, exemptions) == expected


def test_compliant_statuses_are_valid_expiring_exempt_and_inside_the_induction_period():
    compliant = {s for s in rules.STATUSES if rules.is_compliant(s)}
    assert compliant == {"valid", "expiring", "exempt", "due_by"}


@pytest.mark.parametrize(
    ("service_ids", "modules", "expected"),
    [
        ({1}, [Module(1, "both")], [(1, "nhs"), (1, "employer")]),
        ({1}, [Module(1, "nhs"), Module(2, "employer")], [(1, "nhs"), (2, "employer")]),
        ({1}, [Module(1, "nhs", mandatory=False)], []),
        ({1}, [Module(1, "nhs", service_ids=frozenset({1}))], [(1, "nhs")]),
        ({2}, [Module(1, "nhs", service_ids=frozenset({1}))], []),
        (set(), [Module(1, "nhs", service_ids=frozenset({1})), Module(2, "nhs")], [(2, "nhs")]),
        # A placement adds its service's requirements to the home service's.
        (
            {2, 5},
            [Module(1, "nhs", service_ids=frozenset({5})), Module(2, "nhs")],
            [(1, "nhs"), (2, "nhs")],
        ),
    ],
)
def test_requirements_for_a_person_in_their_services(service_ids, modules, expected):
    assert rules.requirements_for(frozenset(service_ids), modules) == expected
