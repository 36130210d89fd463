"""One status engine for the whole organisation, today or as recorded on a past day.

Training and supervision each own a bulk loader of their facts and the rules that
turn facts into statuses. This module composes them for a set of peer support
workers, in a fixed number of queries whatever the size of the set.

"As of" a day means as the system knew it at the end of that day in Europe/London:
people and facts are rebuilt from the history tables (the latest version of each
object saved before midnight, unless that version is a deletion), then fed to the
same `requirement_statuses` and `stream_statuses` as today's rows. A record entered
later and back-dated is absent; one deleted since is present; one verified later is
still pending. Module definitions are today's.
"""

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice

from django.apps import apps
from django.db.models import BooleanField, Exists, ExpressionWrapper, Max, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone

from organisation.words import SIDES, requirement_name
from people import roles
from people.models import Placement, Service, User
from people.rules import Placement as PlacementFact
from people.rules import in_post, placement_covers, services_on
from people.selectors import (
    in_post_filter,
    placement_facts,
    psw_filter,
    psws,
    works_in_filter,
)
from supervision import rules as supervision_rules
from supervision.models import SupervisionArrangement, SupervisionSession
from supervision.selectors import (
    ARRANGEMENT_FIELDS,
    ArrangementFacts,
    StreamStatus,
    SupervisionFacts,
    counted_sessions,
    stream_statuses,
)
from training import rules as training_rules
from training.models import TrainingExemption, TrainingModulePage, TrainingRecord
from training.selectors import (
    RequirementStatus,
    TrainingFacts,
    add_exemption,
    module_facts,
    requirement_statuses,
    training_facts,
)

from . import counts, states
from .models import RequirementState

STREAMS = SIDES
PLACEMENT_FIELDS = ["person_id", "service_id", "starts_on", "ends_on"]
LONGEST_INTERVAL_WEEKS = supervision_rules.LONGEST_INTERVAL_WEEKS
PERSON_FIELDS = (
    "id",
    "username",
    "first_name",
    "last_name",
    "service_id",
    "service__name",
    "started_on",
)


@dataclass(frozen=True)
class Person:
    """A peer support worker as the rules and the matrix need them (today's or as recorded)."""

    pk: int
    username: str
    first_name: str
    last_name: str
    service_id: int | None
    service_name: str
    started_on: date | None = None

    @classmethod
    def of(cls, user):
        service = user.service
        return cls(
            user.pk,
            user.username,
            user.first_name,
            user.last_name,
            user.service_id,
            service.name if service else "",
            user.started_on,
        )

    @property
    def name(self):
        return " ".join(filter(None, [self.first_name, self.last_name])) or self.username

    @property
    def sort_key(self):
        return (self.first_name.lower(), self.last_name.lower(), self.username)


@dataclass(frozen=True)
class Requirement:
    """A column of the matrix: one (module, provider) pair."""

    module_id: int
    provider: str
    title: str

    @property
    def key(self):
        return f"{self.module_id}-{self.provider}"

    @property
    def label(self):
        """As people say it: "Safeguarding (NHS)", "Safeguarding (Leeds Mind)"."""
        return requirement_name(self.title, self.provider)


@dataclass
class PersonStatus:
    person: Person
    requirements: dict  # (module id, provider) -> RequirementStatus
    streams: dict  # stream -> StreamStatus

    @property
    def trained(self):
        return all(s.compliant for s in self.requirements.values())

    @property
    def supervised(self):
        return all(s.compliant for s in self.streams.values())


@dataclass
class OrganisationStatus:
    """Every person's requirements and two supervision streams on one day."""

    on: date
    as_of: bool
    requirements: list  # of Requirement, in catalogue order
    people: list = field(default_factory=list)  # of PersonStatus
    streams: list = field(default_factory=lambda: list(STREAMS))

    def requirement_compliance(self):
        """[(Requirement, compliant, applicable)] for every requirement."""
        counts = {r: [0, 0] for r in self.requirements}
        by_key = {(r.module_id, r.provider): r for r in self.requirements}
        for each in self.people:
            for key, status in each.requirements.items():
                tally = counts[by_key[key]]
                tally[0] += status.compliant
                tally[1] += 1
        return [(r, compliant, total) for r, (compliant, total) in counts.items()]

    def due_by_counts(self):
        """{(module id, provider): people inside its induction period}: counted apart,
        and among the compliant (training/rules.COMPLIANT)."""
        counts = defaultdict(int)
        for each in self.people:
            for key, status in each.requirements.items():
                counts[key] += status.status == training_rules.DUE_BY
        return dict(counts)

    def stream_counts(self):
        """{stream: {status: number of people}}."""
        counts = {s: dict.fromkeys(supervision_rules.STATUSES, 0) for s in self.streams}
        for each in self.people:
            for stream, status in each.streams.items():
                counts[stream][status.status] += 1
        return counts

    def service_compliance(self):
        """[(service name, people, fully trained, fully supervised)] by service name."""
        tallies = defaultdict(lambda: [0, 0, 0])
        for each in self.people:
            tally = tallies[each.person.service_name or "No service"]
            tally[0] += 1
            tally[1] += each.trained
            tally[2] += each.supervised
        return [(name, *tallies[name]) for name in sorted(tallies)]

    def totals(self):
        """(people, fully trained, fully supervised)."""
        return (
            len(self.people),
            sum(p.trained for p in self.people),
            sum(p.supervised for p in self.people),
        )


def end_of_day(day):
    """The first moment after `day` in the site's time zone (Europe/London), whatever
    time zone the admin has switched on for the person asking."""
    midnight = datetime.combine(day + timedelta(days=1), time.min)
    return timezone.make_aware(midnight, timezone.get_default_timezone())


def requirement_columns(modules):
    """The matrix columns for these modules: each mandatory module's providers."""
    return [
        Requirement(module.id, provider, module.title)
        for module in modules
        if module.mandatory
        for provider in training_rules.providers_of(module.provider)
    ]


def requirement_columns_today():
    """The matrix columns of today's live modules, in one query (no services needed)."""
    pages = TrainingModulePage.objects.live().filter(mandatory=True).order_by("path")
    return [
        Requirement(pk, provider, title)
        for pk, title, module_provider in pages.values_list("pk", "title", "provider")
        for provider in training_rules.providers_of(module_provider)
    ]


# Today ------------------------------------------------------------------------------


def people_in_post(scope, on, service_id=None, by_service=False):
    """Peer support workers in `scope` (a User queryset) in post on `on`, sorted by name
    (or service, then name), as a lazy sequence: one query, or two for a page of it."""
    # psws(on) as a join rather than a list of everyone's ids.
    queryset = scope.filter(psw_filter(on))
    if service_id:
        queryset = queryset.filter(works_in_filter(service_id, on))
    order = [Lower("first_name"), Lower("last_name"), "username"]
    if by_service:
        order.insert(0, "service__name")
    return PeopleQuery(queryset.order_by(*order).values_list(*PERSON_FIELDS))


class PeopleQuery:
    """A sequence of Person over a queryset: a paginator counts and slices it in the
    database rather than loading everyone to show fifty."""

    def __init__(self, rows):
        self.rows = rows

    def count(self):
        return self.rows.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [Person(*row) for row in self.rows[index]]
        return Person(*self.rows[index])

    def __iter__(self):
        return (Person(*row) for row in self.rows)

    def stream(self):
        """Row by row from the database, without keeping them: an export over everyone
        holds a few thousand people at a time, never the whole organisation."""
        return (Person(*row) for row in self.rows.iterator(chunk_size=2000))

    def filter(self, condition):
        return PeopleQuery(self.rows.filter(condition))

    def read_once(self):
        """The same people (today's), chosen once: the ids in order in one query, then
        each page's people by id. For a filter that costs more to evaluate than fifty
        rows to fetch, so it is not evaluated again to count and again for the page."""
        return PeopleByIds(list(self.rows.values_list("pk", flat=True)))


class PeopleByIds:
    """A sequence of Person over ids in order: counted in Python, paged by id."""

    def __init__(self, ids):
        self.ids = ids

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        wanted = self.ids[index]
        rows = User.objects.filter(pk__in=wanted).values_list(*PERSON_FIELDS)
        found = {row[0]: Person(*row) for row in rows}
        return [found[pk] for pk in wanted if pk in found]


def statuses_today(people, on):
    """OrganisationStatus of these people from today's tables: from the status tables
    (four queries) for today or later, from the facts (six) for an earlier day."""
    if reads_kept_statuses(on):
        return statuses_kept(people, on)
    ids = [p.pk for p in people]
    training = training_facts(ids)
    return compose(people, on, training, supervision_facts_on(ids, on), as_of=False)


def statuses_kept(people, on):
    """OrganisationStatus of these people as the status tables decide it on `on`."""
    ids = [p.pk for p in people]
    modules = module_facts()
    titles = {m.id: m.title for m in modules}
    kept = RequirementState.objects.filter(person_id__in=ids).annotate(
        status=states.requirement_status(on)
    )
    cells = {
        (pid, mid, provider): kept_cell(*rest)
        for pid, mid, provider, *rest in kept.values_list(
            "person_id",
            "module_id",
            "provider",
            "status",
            "last_completed",
            "valid_until",
            "due_on",
        )
    }
    placements = placement_facts(ids)
    streams = {
        (pid, stream): rest
        for pid, stream, *rest in states.current_arrangements(on)
        .filter(person_id__in=ids)
        .annotate(status=states.stream_status(on))
        .values_list(
            "person_id",
            "stream",
            "status",
            "arrangement_id",
            "arrangement__supervisor_id",
            "arrangement__supervisor__first_name",
            "arrangement__supervisor__last_name",
            "arrangement__supervisor_name",
            "last_held_on",
            "next_due",
        )
    }
    missing = (training_rules.MISSING, None, None)
    return OrganisationStatus(
        on=on,
        as_of=False,
        requirements=requirement_columns(modules),
        people=[
            PersonStatus(
                person=person,
                requirements={
                    (mid, provider): RequirementStatus(
                        person.pk,
                        mid,
                        titles[mid],
                        provider,
                        *cells.get((person.pk, mid, provider), missing),
                    )
                    for mid, provider in training_rules.requirements_for(
                        services_on(
                            service_id=person.service_id,
                            placements=placements.get(person.pk, ()),
                            on=on,
                        ),
                        modules,
                    )
                },
                streams={
                    stream: kept_stream(person.pk, stream, streams.get((person.pk, stream)))
                    for stream in STREAMS
                },
            )
            for person in people
        ],
    )


def kept_cell(status, last_completed, valid_until, due_on):
    """A kept row's status and dates; the induction date only while it is due by then."""
    due_by = due_on if status == training_rules.DUE_BY else None
    return (status, last_completed, valid_until, due_by)


def kept_stream(person_id, stream, row):
    if row is None:
        return StreamStatus(
            person_id, stream, supervision_rules.NO_ARRANGEMENT, None, None, "", None, None
        )
    status, arrangement_id, supervisor_id, first, last, named, held, due = row
    name = " ".join(filter(None, [first, last])) or named
    return StreamStatus(person_id, stream, status, arrangement_id, supervisor_id, name, held, due)


def supervision_facts_on(person_ids, on):
    """Supervision facts that decide the statuses on `on`, in two queries.

    The same facts as `supervision_facts` for the rules' purpose (a stream's status
    depends only on the latest counted session up to the day), with each arrangement's
    sessions summed up in the database as that one session: years of fortnightly
    sessions for thousands of people need not cross the wire.
    """
    facts = SupervisionFacts()
    arrangements = SupervisionArrangement.objects.filter(supervisee_id__in=person_ids)
    for row in arrangements.values("id", *ARRANGEMENT_FIELDS):
        facts.arrangements[row["supervisee_id"], row["stream"]].append(_arrangement(row))
    counted = counted_sessions(on).filter(arrangement__supervisee_id__in=person_ids)
    for arrangement_id, last in counted.values_list("arrangement_id").annotate(Max("held_on")):
        facts.sessions[arrangement_id].append(supervision_rules.Session(last, "held", True))
    return facts


def compose(people, on, training, supervision, *, as_of):
    """Feed both sides' rules with the same people and facts."""
    requirements = requirement_statuses(people, on, training)
    streams = stream_statuses(people, on, supervision)
    return OrganisationStatus(
        on=on,
        as_of=as_of,
        requirements=requirement_columns(training.modules),
        people=[
            PersonStatus(
                person=person,
                requirements={(s.module_id, s.provider): s for s in requirements[person.pk]},
                streams={s.stream: s for s in streams[person.pk]},
            )
            for person in people
        ],
    )


# As recorded ------------------------------------------------------------------------


class Timeline:
    """The versions of every object of one model, to read back as at any moment.

    `fact`, if given, turns each version into the plain data the rules take, once
    rather than once for every day read back.
    """

    def __init__(self, rows, fact=None):
        versions = defaultdict(list)
        for row in rows:
            if fact:
                row["fact"] = fact(row)
            versions[row["id"]].append(row)
        self._ids = versions.keys()
        # Most objects are saved once and never changed: kept in the order they were
        # recorded, those live at a moment are a prefix, found with one search.
        once = sorted(
            (vs[0] for vs in versions.values() if len(vs) == 1 and vs[0]["history_type"] != "-"),
            key=lambda row: row["history_date"],
        )
        self._once, self._once_moments = once, [row["history_date"] for row in once]
        self._changed = [
            ([v["history_date"] for v in vs], vs) for vs in versions.values() if len(vs) > 1
        ]

    def ids(self):
        return self._ids

    def as_at(self, moment):
        """The live version of each object at `moment`: saved before it, not a deletion."""
        yield from islice(self._once, bisect_left(self._once_moments, moment))
        for moments, versions in self._changed:
            index = bisect_left(moments, moment)
            if index and versions[index - 1]["history_type"] != "-":
                yield versions[index - 1]


def _history(model, before, fields, fact=None, computed=None, **filters):
    rows = (
        model.history.filter(history_date__lt=before, **filters)
        .order_by("id", "history_date", "history_id")
        .values("id", "history_id", "history_date", "history_type", *fields, **(computed or {}))
    )
    return Timeline(rows, fact)


def is_set(field):
    """Whether a field holds a value, answered by the database: a flag instead of a
    moment to parse, for the thousands of versions a page reads back."""
    return ExpressionWrapper(Q(**{f"{field}__isnull": False}), output_field=BooleanField())


@dataclass
class RecordedPeople:
    """The versions of people, to say who was a peer support worker in post on a day."""

    versions: Timeline
    psw_versions: frozenset  # history ids of user versions in the PSW group
    placements: Timeline | None = None  # versions of their placements, for a service filter

    def on(self, day, service_id=None):
        moment = end_of_day(day)
        placed = self._placed_in(service_id, moment, day) if service_id else set()
        people = []
        for row in self.versions.as_at(moment):
            if self._in_post(row, day) and (
                not service_id or row["service_id"] == service_id or row["id"] in placed
            ):
                people.append(Person(*(row[f] for f in PERSON_FIELDS)))
        return people

    def _placed_in(self, service_id, moment, day):
        """People placed in `service_id` on `day`, by their placements as recorded then."""
        return {
            row["person_id"]
            for row in self.placements.as_at(moment)
            if row["service_id"] == service_id and placement_covers(row["fact"], day)
        }

    def ids(self):
        return sorted(self.versions.ids())

    def _in_post(self, row, day):
        return row["history_id"] in self.psw_versions and in_post(
            is_active=row["is_active"], left_on=row["left_on"], on=day
        )


def recorded_people(scope, until):
    """The recorded versions of `scope`'s people up to the end of `until`: three queries.

    Membership of the peer support worker group is read from each recorded version, and
    placements (for a service's people) from theirs.
    """
    before = end_of_day(until)
    versions = _history(
        User, before, ["is_active", "left_on", *PERSON_FIELDS[1:]], id__in=scope.values("pk")
    )
    group_history = apps.get_model("people", "HistoricalUser_groups")
    psw_versions = group_history.objects.filter(
        group__name=roles.PSW,
        history__history_date__lt=before,
        history__id__in=scope.values("pk"),
    ).values_list("history_id", flat=True)
    placements = _history(
        Placement, before, PLACEMENT_FIELDS, fact=placement_fact, person_id__in=scope.values("pk")
    )
    return RecordedPeople(versions, frozenset(psw_versions), placements)


def recorded_in_post(scope, day, service_id=None, by_service=False):
    """`people_in_post` as recorded at the end of `day`: each of `scope`'s people as
    their latest version saved before then says (unless it is a deletion), a peer
    support worker in post that day by that version, in `service_id` by it or by a
    placement as recorded then. A lazy sequence, chosen, counted and sliced in the
    database (the people's history by id and moment is indexed), as `RecordedPeople.on`
    chooses them in Python for the month-end counts."""
    moment = end_of_day(day)
    history = User.history.model
    later = history.objects.filter(id=OuterRef("id"), history_date__lt=moment).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    # The versions in the group, listed once (asked version by version, a database
    # without statistics may search the group's rows rather than the version's).
    psw_versions = apps.get_model("people", "HistoricalUser_groups").objects.filter(
        group__name=roles.PSW, history__history_date__lt=moment
    )
    rows = (
        history.objects.filter(id__in=scope.values("pk"), history_date__lt=moment)
        .exclude(history_type="-")
        .exclude(Exists(later))
        .filter(in_post_filter(day), history_id__in=psw_versions.values("history_id"))
    )
    if service_id:
        rows = rows.filter(Q(service_id=service_id) | Q(id__in=recorded_placed_in(service_id, day)))
    order = [Lower("first_name"), Lower("last_name"), "username"]
    if by_service:
        order.insert(0, "service__name")
    return PeopleQuery(rows.order_by(*order).values_list(*PERSON_FIELDS))


def recorded_placed_in(service_id, day):
    """The people placed in `service_id` on `day` by their placements as recorded at
    its end: the versions of the placements ever in that service (few), read back."""
    placements = _history(
        Placement,
        end_of_day(day),
        PLACEMENT_FIELDS,
        fact=placement_fact,
        id__in=Placement.history.filter(service_id=service_id).values("id"),
    )
    return sorted(
        {
            row["person_id"]
            for row in placements.as_at(end_of_day(day))
            if row["service_id"] == service_id and placement_covers(row["fact"], day)
        }
    )


@dataclass
class RecordedFacts:
    """The versions of these people's records, exemptions, arrangements and sessions."""

    records: Timeline
    exemptions: Timeline
    arrangements: Timeline
    sessions: Timeline
    modules: list
    placements: Timeline | None = None

    def statuses_on(self, people, day):
        moment = end_of_day(day)
        ids = {p.pk for p in people}
        training = self._training_at(moment, ids)
        supervision = self._supervision_at(moment, day, ids)
        return compose(people, day, training, supervision, as_of=True)

    def _training_at(self, moment, ids):
        facts = TrainingFacts(modules=self.modules)
        for row in self.placements.as_at(moment) if self.placements else ():
            if row["person_id"] in ids:
                facts.placements.setdefault(row["person_id"], []).append(row["fact"])
        for row in self.records.as_at(moment):
            if row["person_id"] in ids and row["status"] != TrainingRecord.Status.REJECTED:
                key = (row["person_id"], row["module_id"], row["provider"])
                facts.records[key].append(row["fact"])
        for row in self.exemptions.as_at(moment):
            if row["person_id"] in ids:
                exemption = training_rules.Exemption(row["starts_on"], row["ends_on"])
                add_exemption(facts, row["person_id"], row["module_id"], row["provider"], exemption)
        return facts

    def _supervision_at(self, moment, day, ids):
        """As `supervision_facts_on`, each arrangement's sessions come down to the latest
        that counts on `day`: all a stream's status depends on."""
        facts = SupervisionFacts()
        for row in self.arrangements.as_at(moment):
            if row["supervisee_id"] in ids:
                facts.arrangements[row["supervisee_id"], row["stream"]].append(_arrangement(row))
        latest = {}
        for row in self.sessions.as_at(moment):
            session, arrangement_id = row["fact"], row["arrangement_id"]
            if supervision_rules.counts(session, day) and (
                arrangement_id not in latest or session.held_on > latest[arrangement_id].held_on
            ):
                latest[arrangement_id] = session
        for arrangement_id, session in latest.items():
            facts.sessions[arrangement_id].append(session)
        return facts


def placement_fact(row):
    return PlacementFact(row["service_id"], row["starts_on"], row["ends_on"])


def _arrangement(row):
    name = " ".join(filter(None, [row["supervisor__first_name"], row["supervisor__last_name"]]))
    return ArrangementFacts(
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        interval_weeks=row["interval_weeks"],
        id=row["id"],
        supervisor_id=row["supervisor_id"],
        supervisor_name=name or row["supervisor_name"],
    )


def recorded_facts(person_ids, until, sessions_held_from=None):
    """The recorded versions of these people's facts up to the end of `until`: 7 queries.

    With `sessions_held_from`, sessions never recorded as held on or after that day are
    left out: enough to tell compliant from not (see `trends.month_end_record`), though
    not to give every last session's date.
    """
    before = end_of_day(until)
    arrangement_ids = SupervisionArrangement.history.filter(supervisee_id__in=person_ids).values(
        "id"
    )
    sessions = {"arrangement_id__in": arrangement_ids}
    if sessions_held_from:
        # Read by arrangement and day held (an index: compliance/indexes.py), not by
        # every session of the organisation held since.
        recent = SupervisionSession.history.filter(
            arrangement_id__in=arrangement_ids, held_on__gte=sessions_held_from
        )
        sessions["id__in"] = recent.values("id")
    return RecordedFacts(
        records=_history(
            TrainingRecord,
            before,
            ["person_id", "module_id", "provider", "completed_on", "valid_until", "status"],
            fact=lambda row: training_rules.Record(
                row["completed_on"], row["valid_until"], row["status"]
            ),
            person_id__in=person_ids,
        ),
        exemptions=_history(
            TrainingExemption,
            before,
            ["person_id", "module_id", "provider", "starts_on", "ends_on"],
            person_id__in=person_ids,
        ),
        arrangements=_history(
            SupervisionArrangement, before, ARRANGEMENT_FIELDS, supervisee_id__in=person_ids
        ),
        sessions=_history(
            SupervisionSession,
            before,
            ["arrangement_id", "held_on", "status"],
            fact=lambda row: supervision_rules.Session(
                row["held_on"], row["status"], row["confirmed"], row["declined"]
            ),
            computed={"confirmed": is_set("confirmed_at"), "declined": is_set("declined_at")},
            **sessions,
        ),
        modules=module_facts(),
        placements=_history(
            Placement, before, PLACEMENT_FIELDS, fact=placement_fact, person_id__in=person_ids
        ),
    )


# One entry point -------------------------------------------------------------------


class StatusSource:
    """Where statuses come from: today's tables, or the history as recorded at the end
    of `on` when `as_of` is set. `scope` is a User queryset: `people_visible_to(user,
    Sees.STATUS)` for a person asking, `User.objects.all()` for the whole organisation.
    """

    def __init__(self, scope, on, *, as_of=False):
        self.scope = scope
        self.on = on
        self.as_of = as_of

    def people(self, service_id=None, by_service=False):
        """The peer support workers in post on `on` (as recorded then, when `as_of`),
        sorted by name (or service, then name), as a lazy sequence."""
        if not self.as_of:
            return people_in_post(self.scope, self.on, service_id, by_service)
        return recorded_in_post(self.scope, self.on, service_id, by_service)

    @property
    def reads_kept_statuses(self):
        return not self.as_of and reads_kept_statuses(self.on)

    def statuses(self, people):
        """OrganisationStatus of `people` on `on`: six queries whatever their number."""
        people = list(people)
        if not self.as_of:
            return statuses_today(people, self.on)
        facts = recorded_facts([p.pk for p in people], self.on)
        return facts.statuses_on(people, self.on)


def organisation_status(scope, on, *, as_of=False, service_id=None):
    """Every peer support worker `scope` holds, with their statuses on `on`."""
    source = StatusSource(scope, on, as_of=as_of)
    return source.statuses(source.people(service_id))


def month_ends(today, months):
    """The last day of each of the `months` months up to today's (today, for that one)."""
    ends = [today]
    first = today.replace(day=1)
    for _ in range(months - 1):
        ends.append(first - timedelta(days=1))
        first = ends[-1].replace(day=1)
    return sorted(ends)


def percent(part, whole):
    """A whole-number percentage, or None when there is nothing to count."""
    if not whole:
        return None
    return round(100 * part / whole)


# Kept statuses ----------------------------------------------------------------------


def reads_kept_statuses(on):
    """The status tables answer for today and later; an earlier day reads the facts."""
    return on >= timezone.localdate()


@dataclass
class StatusCounts:
    """The organisation's numbers on one day, counted in the database from the status
    tables: the same questions as OrganisationStatus, without loading anyone."""

    on: date
    requirements: list  # of Requirement
    applicable: dict  # Requirement -> people it applies to
    compliant: dict  # (module id, provider) -> compliant people
    services: list  # (service name, people, fully trained, fully supervised)
    streams_counted: dict  # stream -> {status: people}
    as_of: bool = False
    due_by: dict = field(default_factory=dict)  # (module id, provider) -> people

    def due_by_counts(self):
        return self.due_by

    def requirement_compliance(self):
        return [
            (r, self.compliant.get((r.module_id, r.provider), 0), self.applicable[r])
            for r in self.requirements
        ]

    def service_compliance(self):
        return self.services

    def stream_counts(self):
        return self.streams_counted

    def totals(self):
        return tuple(sum(row[i] for row in self.services) for i in (1, 2, 3))


def status_counts(scope, on, service_id=None):
    """StatusCounts of the peer support workers `scope` holds in post on `on`: eight
    queries, whatever the size of the organisation."""
    people = scope.filter(pk__in=psws(on).values("pk"))
    if service_id:
        people = people.filter(works_in_filter(service_id, on))
    modules = module_facts()
    tallies = states.service_tallies(people, on, states.requirements_of(modules))
    return counted(tallies, on, requirement_columns(modules))


def counted(tallies, on, columns):
    """StatusCounts from {(bucket, home service id): states.Tally}, adding them up."""
    names = dict(Service.objects.values_list("pk", "name"))
    by_service = defaultdict(states.Tally)
    for (_, service_id), tally in tallies.items():
        by_service[service_id] += tally
    whole = sum(by_service.values(), states.Tally())
    return StatusCounts(
        on=on,
        requirements=columns,
        applicable={c: whole.applicable[c.module_id, c.provider] for c in columns},
        compliant=dict(whole.compliant),
        services=sorted(
            (names.get(sid, "No service"), t.people, t.trained, t.supervised)
            for sid, t in by_service.items()
            if t.people
        ),
        streams_counted={
            stream: {
                status: whole.streams.get(stream, {}).get(status, 0)
                for status in supervision_rules.STATUSES
            }
            for stream in STREAMS
        },
        due_by=dict(whole.due_by),
    )


def organisation_counts(scope, on, *, as_of=False, service_id=None, whole=False):
    """What the summary and dashboards count: from the status tables for today, or
    from the facts (as recorded, when `as_of`) for another day. `whole`: `scope` is
    everyone (a manager's), whose counts for today are kept between changes
    (`compliance.counts`)."""
    if not as_of and reads_kept_statuses(on):
        if whole and not service_id and on == timezone.localdate():
            modules = module_facts()
            return counted(counts.kept_tallies(on, modules), on, requirement_columns(modules))
        return status_counts(scope, on, service_id)
    return organisation_status(scope, on, as_of=as_of, service_id=service_id)
