"""Training rules as pure functions of plain data (docs/architecture.md, Rules).

No ORM in here: callers pass dataclasses or anything with the same attributes. Every
page, export, reminder and certificate status goes through these functions.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from organisation.words import BOTH, SIDES

VALID = "valid"
EXPIRING = "expiring"
EXPIRED = "expired"
PENDING = "pending"
MISSING = "missing"
EXEMPT = "exempt"

STATUSES = (VALID, EXPIRING, EXPIRED, PENDING, MISSING, EXEMPT)
COMPLIANT = frozenset({VALID, EXPIRING, EXEMPT})
EXPIRING_WINDOW = timedelta(days=60)


@dataclass(frozen=True)
class Module:
    id: int
    provider: str
    renewal_months: int | None = None
    mandatory: bool = True
    service_ids: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True)
class Record:
    completed_on: date
    valid_until: date | None
    status: str  # "pending", "verified" or "rejected"


@dataclass(frozen=True)
class Exemption:
    starts_on: date
    ends_on: date | None


def add_months(day, months):
    """`day` plus `months`, same day of month, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(completed_on, renewal_months):
    """When a completion stops counting; None when the module never expires."""
    if renewal_months is None:
        return None
    return add_months(completed_on, renewal_months)


def has_expired(valid_until, on):
    """A completion has run out on `on` once that day is past its valid_until (one that
    never expires has None). The one expiry comparison: everything else asks this, or
    `training.selectors.in_date_filter` in the database."""
    return valid_until is not None and valid_until < on


def providers_of(module_provider):
    """A `both` module is one requirement per side: the NHS and the organisation."""
    return SIDES if module_provider == BOTH else (module_provider,)


def requirements_for(service_id, modules):
    """The (module id, provider) pairs that apply to a PSW placed in `service_id`.

    A mandatory module applies when it names no services or names the person's one.
    """
    return [
        (module.id, provider)
        for module in modules
        if module.mandatory and (not module.service_ids or service_id in module.service_ids)
        for provider in providers_of(module.provider)
    ]


def exemption_covers(exemption, on):
    return exemption.starts_on <= on and (exemption.ends_on is None or on <= exemption.ends_on)


def latest_verified(records, on):
    """The verified record completed latest on or before `on`, or None."""
    verified = [r for r in records if r.status == "verified" and r.completed_on <= on]
    return max(verified, key=lambda r: r.completed_on, default=None)


def requirement_status(on, records, exemptions=()):
    """The status of one requirement of one person on date `on`.

    `records` are that person's records for the requirement (any status);
    `exemptions` those that apply to it.
    """
    if any(exemption_covers(e, on) for e in exemptions):
        return EXEMPT
    latest = latest_verified(records, on)
    has_newer_pending = any(
        r.status == "pending"
        and r.completed_on <= on
        and (latest is None or r.completed_on > latest.completed_on)
        for r in records
    )
    if latest is None:
        return PENDING if has_newer_pending else MISSING
    if has_expired(latest.valid_until, on):
        return PENDING if has_newer_pending else EXPIRED
    if has_expired(latest.valid_until, on + EXPIRING_WINDOW):
        return EXPIRING
    return VALID


def is_compliant(status):
    return status in COMPLIANT
