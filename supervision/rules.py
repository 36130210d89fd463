"""Supervision rules as pure functions of plain data (docs/architecture.md, Rules)."""

from dataclasses import dataclass
from datetime import date, timedelta

ON_TRACK = "on_track"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
NO_ARRANGEMENT = "no_arrangement"

STATUSES = (ON_TRACK, DUE_SOON, OVERDUE, NO_ARRANGEMENT)
COMPLIANT = frozenset({ON_TRACK, DUE_SOON})
COUNTED_STATUS = "held"  # a session that took place; cancelled and missed ones do not count
# An arrangement meets at least once a year.
SHORTEST_INTERVAL_WEEKS = 1
LONGEST_INTERVAL_WEEKS = 52
DUE_SOON_WINDOW = timedelta(days=7)
# A group session is for several people; one person's session is a session of their own.
FEWEST_IN_A_GROUP = 2


@dataclass(frozen=True)
class Arrangement:
    starts_on: date
    ends_on: date | None
    interval_weeks: int = 4


@dataclass(frozen=True)
class Session:
    held_on: date
    status: str  # "held", "cancelled" or "did_not_attend"
    confirmed: bool
    declined: bool = False


def is_active(arrangement, on):
    return arrangement.starts_on <= on and (
        arrangement.ends_on is None or on <= arrangement.ends_on
    )


def counts(session, on=None):
    """Only confirmed, held sessions that nobody declined count (and only those held by
    `on`)."""
    return (
        session.confirmed
        and not session.declined
        and session.status == COUNTED_STATUS
        and (on is None or session.held_on <= on)
    )


def last_counted(sessions, on=None):
    return max((s.held_on for s in sessions if counts(s, on)), default=None)


def next_due(arrangement, sessions, on=None):
    """Latest counted session plus the interval, or the start plus the interval."""
    last = last_counted(sessions, on)
    return (last or arrangement.starts_on) + timedelta(weeks=arrangement.interval_weeks)


def stream_status(on, arrangement, sessions):
    """The status of one stream on `on`; `arrangement` is the one active then, or None."""
    if arrangement is None or not is_active(arrangement, on):
        return NO_ARRANGEMENT
    due = next_due(arrangement, sessions, on)
    if on > due:
        return OVERDUE
    if due <= on + DUE_SOON_WINDOW:
        return DUE_SOON
    return ON_TRACK


def active_arrangement(arrangements, on):
    """The arrangement of one stream in force on `on`: the latest started, or None."""
    active = [a for a in arrangements if is_active(a, on)]
    return max(active, key=lambda a: a.starts_on, default=None)


def supervisor_side_allowed(stream, side):
    """Whether a supervisor who belongs to `side` may supervise in `stream`: only in
    their own side's stream (an NHS arrangement needs an NHS supervisor, an employer
    arrangement one of the employer's). A supervisor whose side is not recorded (`""`)
    may supervise in neither."""
    return bool(side) and side == stream


def is_compliant(status):
    return status in COMPLIANT
