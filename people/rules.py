"""Rules about people, as pure functions of plain data (docs/architecture.md, "Rules")."""

from dataclasses import dataclass
from datetime import date


def has_left(*, left_on, on):
    """True from the day after `left_on`: the day they leave is their last day in post."""
    return left_on is not None and on > left_on


def in_post(*, is_active, left_on, on):
    """Whether a person counts on day `on`: an active account that has not left."""
    return is_active and not has_left(left_on=left_on, on=on)


@dataclass(frozen=True)
class Placement:
    """A placement as the rules need it (people.models.Placement, or a recorded version)."""

    service_id: int
    starts_on: date
    ends_on: date | None = None


def placement_covers(placement, on):
    """A placement is in force from its first day to its last (`ends_on`) included."""
    return placement.starts_on <= on and (placement.ends_on is None or on <= placement.ends_on)


def services_on(*, service_id, placements, on):
    """The services a person works in on `on`: their home one and their placements then."""
    placed = {p.service_id for p in placements if placement_covers(p, on)}
    return frozenset({service_id} | placed if service_id else placed)
