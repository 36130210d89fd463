"""A service as its service lead sees it: the statuses of its peer support workers,
counted for each requirement and stream, and the people behind each count.

A service's peer support workers are tens, not thousands: their statuses are read once
(today's from the status tables, through `loader.StatusSource`) and counted and
filtered here, so a figure and the list of people behind it always agree.
"""

from collections import Counter
from dataclasses import dataclass

from organisation.words import status_word, supervision_name
from supervision import rules as supervision_rules
from training import rules as training_rules

from .labels import requirement_date, status_cell, stream_date
from .loader import StatusSource

TRAINING = "training"
SUPERVISION = "supervision"
COMPLIANT = "compliant"
NOT_COMPLIANT = "not_compliant"
SHOWN = {COMPLIANT: "Compliant", NOT_COMPLIANT: "Not compliant"}


def service_status(people, today):
    """OrganisationStatus of `people` (a User queryset: a service's members) in post today."""
    source = StatusSource(people, today)
    return source.statuses(source.people())


@dataclass(frozen=True)
class Column:
    """A requirement or a supervision stream: one column of the service's matrix."""

    key: str
    label: str
    requirement: tuple | None = None  # (module id, provider)
    stream: str | None = None

    def cell(self, person_status):
        """The person's RequirementStatus or StreamStatus here (None: not required)."""
        if self.stream:
            return person_status.streams.get(self.stream)
        return person_status.requirements.get(self.requirement)

    def shown(self, person_status):
        """What the matrix shows: the status in words and the date that matters."""
        found = self.cell(person_status)
        if found is None:
            return None
        dated = stream_date(found) if self.stream else requirement_date(found)
        return status_cell(found.status, dated)

    @property
    def statuses(self):
        return supervision_rules.STATUSES if self.stream else training_rules.STATUSES


def training_columns(status):
    return [
        Column(f"m-{r.key}", r.label, requirement=(r.module_id, r.provider))
        for r in status.requirements
    ]


def supervision_columns(status):
    return [Column(f"s-{s}", supervision_name(s), stream=s) for s in status.streams]


def columns(status, item=""):
    """The columns an item covers: every one, all training, all supervision, or one."""
    training, supervision = training_columns(status), supervision_columns(status)
    if item == TRAINING:
        return training
    if item == SUPERVISION:
        return supervision
    if item:
        return [c for c in training + supervision if c.key == item]
    return training + supervision


def item_choices(status):
    return [
        ("", "Every requirement and stream"),
        (TRAINING, "All training"),
        (SUPERVISION, "All supervision"),
    ] + [(c.key, c.label) for c in columns(status)]


def status_choices():
    codes = dict.fromkeys([*training_rules.STATUSES, *supervision_rules.STATUSES])
    return [("", "Any status"), *SHOWN.items()] + [(code, status_word(code)) for code in codes]


def status_label(code):
    return SHOWN.get(code) or status_word(code)


def matches(person_status, chosen, wanted):
    """Whether a person is behind a figure: in `chosen` columns, `wanted` is
    compliant (all of them), not compliant (any), or a status (any); no `wanted`: the
    columns apply to them."""
    cells = [found for column in chosen if (found := column.cell(person_status)) is not None]
    if wanted == COMPLIANT:
        return bool(cells) and all(c.compliant for c in cells)
    if wanted == NOT_COMPLIANT:
        return any(not c.compliant for c in cells)
    if wanted:
        return any(c.status == wanted for c in cells)
    return bool(cells)


def people_behind(status, item, wanted):
    chosen = columns(status, item)
    return [p for p in status.people if matches(p, chosen, wanted)]


@dataclass(frozen=True)
class Figure:
    """How many people: `count`, and the filter that lists them."""

    count: int
    item: str
    status: str


@dataclass(frozen=True)
class Row:
    """A requirement's or stream's figures: applies to, compliant, and each status."""

    column: Column
    applies: int
    compliant: Figure
    by_status: list  # of (status, Figure), in the rules' order


def figure_rows(status, chosen):
    tallies = {c.key: Counter() for c in chosen}
    for person_status in status.people:
        for column in chosen:
            found = column.cell(person_status)
            if found is not None:
                tallies[column.key].update([found.status, "*"] + [COMPLIANT] * found.compliant)
    return [
        Row(
            column=column,
            applies=tallies[column.key]["*"],
            compliant=Figure(tallies[column.key][COMPLIANT], column.key, COMPLIANT),
            by_status=[
                (code, Figure(tallies[column.key][code], column.key, code))
                for code in column.statuses
            ],
        )
        for column in chosen
    ]


def headline(status):
    """[(words, Figure)]: fully trained, not, fully supervised, not."""
    found = []
    for item, done in ((TRAINING, "Fully trained"), (SUPERVISION, "Fully supervised")):
        chosen = columns(status, item)
        for wanted, words in ((COMPLIANT, done), (NOT_COMPLIANT, f"Not {done.lower()}")):
            count = sum(matches(p, chosen, wanted) for p in status.people)
            found.append((words, Figure(count, item, wanted)))
    return found
