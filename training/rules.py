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
DUE_BY = "due_by"  # not recorded yet, inside its induction period

STATUSES = (VALID, EXPIRING, EXPIRED, PENDING, MISSING, EXEMPT, DUE_BY)
# Inside its induction period a requirement is not a failure: compliance figures count
# it with the compliant ones, and pages count it apart as well.
COMPLIANT = frozenset({VALID, EXPIRING, EXEMPT, DUE_BY})
EXPIRING_WINDOW = timedelta(days=60)


@dataclass(frozen=True)
class Module:
    id: int
    provider: str
    renewal_months: int | None = None
    mandatory: bool = True
    service_ids: frozenset = field(default_factory=frozenset)
    # Days a person has to complete it once it applies to them (the module's own, or
    # the organisation's default); None: no induction period, due at once.
    induction_days: int | None = None


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


def requirements_for(service_ids, modules):
    """The (module id, provider) pairs that apply to a PSW working in `service_ids` (their
    home service and their placements that day, people.rules.services_on).

    A mandatory module applies when it names no services or names one of theirs.
    """
    return [
        (module.id, provider)
        for module in modules
        if applies_in(module, service_ids)
        for provider in providers_of(module.provider)
    ]


def applies_in(module, service_ids):
    return module.mandatory and (not module.service_ids or bool(module.service_ids & service_ids))


def applies_since(module, *, service_id, started_on, placements):
    """The day a module's requirements first applied to a person, or None if unknown.

    From the day they started when it applies everywhere or in their home service;
    otherwise from the first day of their earliest placement in one of its services
    (past, present or future), so the window opens once, not again at every placement.
    """
    if not module.service_ids or service_id in module.service_ids:
        return started_on
    starts = [p.starts_on for p in placements if p.service_id in module.service_ids]
    return min(starts, default=None)


def induction_due_on(module, *, service_id, started_on, placements):
    """The last day of a requirement's induction period, or None without one."""
    since = applies_since(
        module, service_id=service_id, started_on=started_on, placements=placements
    )
    if since is None or module.induction_days is None:
        return None
    return since + timedelta(days=module.induction_days)


def exemption_covers(exemption, on):
    return exemption.starts_on <= on and (exemption.ends_on is None or on <= exemption.ends_on)


def latest_verified(records, on):
    """The verified record completed latest on or before `on`, or None."""
    verified = [r for r in records if r.status == "verified" and r.completed_on <= on]
    return max(verified, key=lambda r: r.completed_on, default=None)


def requirement_status(on, records, exemptions=(), due_on=None):
    """The status of one requirement of one person on date `on`.

    `records` are that person's records for the requirement (any status);
    `exemptions` those that apply to it; `due_on` the end of its induction period
    (`induction_due_on`), up to which a requirement not yet recorded is due by then.
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
        if has_newer_pending:
            return PENDING
        return DUE_BY if due_on is not None and on <= due_on else MISSING
    if has_expired(latest.valid_until, on):
        return PENDING if has_newer_pending else EXPIRED
    if has_expired(latest.valid_until, on + EXPIRING_WINDOW):
        return EXPIRING
    return VALID


def is_compliant(status):
    return status in COMPLIANT
