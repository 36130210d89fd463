"""Statuses kept, not recomputed: the status tables and the SQL that reads them.

`RequirementState` and `ArrangementState` hold, per person and requirement (and per
supervision arrangement), the dates that decide a status. They are rewritten for a
person in the same transaction as any change to that person's records, exemptions,
arrangements or sessions (`compliance.apps` connects the models' save and delete to
`states_refresh`), and rebuilt whole by `manage.py refresh_statuses`.

What depends on the day (expiring, expired, due soon, overdue) is decided here in SQL
by comparing those dates with the day, so filters and counts are database queries.
The rules in `training/rules.py` and `supervision/rules.py` stay the definition: the
expressions below restate them over the kept dates, and an equivalence property test
(tests/compliance/test_states_properties.py) holds the two together for every cell on
any day from the person's latest completion or session on. For a day before that
(`--today` in the past), callers read the facts themselves (`compliance.loader`).
"""

import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThan, LessThan

from organisation.words import SIDES
from people.models import Placement, User
from people.selectors import placement_facts
from supervision import rules as supervision_rules
from supervision.models import SupervisionArrangement, SupervisionSession
from training import rules as training_rules
from training.models import TrainingExemption, TrainingRecord
from training.selectors import module_facts

from .models import ArrangementState, CountsVersion, RequirementState

CHUNK = 500
WHOLE = "organisation"  # the CountsVersion.part numbering every kept count
BUCKETS = 64  # the organisation's counts are kept in this many parts (compliance.counts)
S = supervision_rules
T = training_rules


# Writing ---------------------------------------------------------------------------


def requirement_state_rows(person_ids):
    """Unsaved RequirementState rows for these people, from their records and exemptions."""
    records = defaultdict(list)
    live = TrainingRecord.objects.filter(person_id__in=person_ids).exclude(
        status=TrainingRecord.Status.REJECTED
    )
    for person_id, module_id, provider, completed_on, valid_until, status in live.values_list(
        "person_id", "module_id", "provider", "completed_on", "valid_until", "status"
    ):
        records[person_id, module_id, provider].append(T.Record(completed_on, valid_until, status))
    exemptions = defaultdict(list)
    for person_id, module_id, provider, starts_on, ends_on in TrainingExemption.objects.filter(
        person_id__in=person_ids
    ).values_list("person_id", "module_id", "provider", "starts_on", "ends_on"):
        for each in (provider,) if provider else SIDES:
            exemptions[person_id, module_id, each].append(T.Exemption(starts_on, ends_on))
    due = induction_dates(person_ids)
    return [
        requirement_state(key, records.get(key, []), exemptions.get(key, []), due.get(key))
        for key in records.keys() | exemptions.keys() | due.keys()
    ]


def induction_dates(person_ids):
    """{(person, module, provider): the last day of its induction period}, for every
    requirement that applies to these people somewhere (home or any placement) and has
    one. The date does not depend on the day asked (training/rules.applies_since), so it
    is kept; whether the requirement applies on a day is read live (`applies_to`)."""
    modules = [m for m in module_facts() if m.mandatory and m.induction_days is not None]
    placements = placement_facts(person_ids)
    due = {}
    people = User.objects.filter(pk__in=person_ids, started_on__isnull=False) | User.objects.filter(
        pk__in=placements.keys()
    )
    for person_id, service_id, started_on in people.values_list("pk", "service_id", "started_on"):
        placed = placements.get(person_id, ())
        for module in modules:
            due_on = T.induction_due_on(
                module, service_id=service_id, started_on=started_on, placements=placed
            )
            for provider in T.providers_of(module.provider) if due_on else ():
                due[person_id, module.id, provider] = due_on
    return due


def requirement_state(key, records, exemptions, due_on=None):
    """The kept dates of one requirement: its latest verified record, whether a newer
    one is pending, and its exemptions as one span (or a flag when they have gaps)."""
    person_id, module_id, provider = key
    latest = T.latest_verified(records, date.max)
    pending = any(
        r.status == TrainingRecord.Status.PENDING
        and (latest is None or r.completed_on > latest.completed_on)
        for r in records
    )
    spans = exemption_spans(exemptions)
    return RequirementState(
        person_id=person_id,
        module_id=module_id,
        provider=provider,
        last_completed=latest.completed_on if latest else None,
        valid_until=latest.valid_until if latest else None,
        pending=pending,
        exempt_from=spans[0][0] if len(spans) == 1 else None,
        exempt_until=spans[0][1] if len(spans) == 1 else None,
        exemption_gaps=len(spans) > 1,
        due_on=due_on,
    )


def exemption_spans(exemptions):
    """Exemptions merged into spans of consecutive days: [(from, until or None)]."""
    spans = []
    for e in sorted(exemptions, key=lambda e: e.starts_on):
        if spans and (spans[-1][1] is None or e.starts_on <= spans[-1][1] + timedelta(days=1)):
            until = spans[-1][1]
            spans[-1] = (
                spans[-1][0],
                None if None in (until, e.ends_on) else max(until, e.ends_on),
            )
        else:
            spans.append((e.starts_on, e.ends_on))
    return spans


def arrangement_state_rows(person_ids):
    """Unsaved ArrangementState rows: each arrangement's span and next due date."""
    last_held = defaultdict(list)
    counted = SupervisionSession.objects.filter(
        arrangement__supervisee_id__in=person_ids,
        status=SupervisionSession.Status.HELD,
        confirmed_at__isnull=False,
        declined_at__isnull=True,
    )
    for arrangement_id, held_on in counted.values_list("arrangement_id", "held_on"):
        last_held[arrangement_id].append(S.Session(held_on, "held", True))
    rows = []
    for pk, person_id, stream, starts_on, ends_on, weeks in SupervisionArrangement.objects.filter(
        supervisee_id__in=person_ids
    ).values_list("pk", "supervisee_id", "stream", "starts_on", "ends_on", "interval_weeks"):
        arrangement = S.Arrangement(starts_on, ends_on, weeks)
        sessions = last_held.get(pk, [])
        rows.append(
            ArrangementState(
                arrangement_id=pk,
                person_id=person_id,
                stream=stream,
                starts_on=starts_on,
                ends_on=ends_on,
                last_held_on=S.last_counted(sessions),
                next_due=S.next_due(arrangement, sessions),
            )
        )
    return rows


def states_refresh(*, person_ids):
    """Rewrite these people's kept dates from their facts, in the caller's transaction."""
    person_ids = list(person_ids)
    with transaction.atomic():
        RequirementState.objects.filter(person_id__in=person_ids).delete()
        ArrangementState.objects.filter(person_id__in=person_ids).delete()
        RequirementState.objects.bulk_create(requirement_state_rows(person_ids))
        ArrangementState.objects.bulk_create(arrangement_state_rows(person_ids))
        people_changed(person_ids)


def states_rebuild(person_ids):
    """Rebuild the whole tables, a chunk of people at a time (memory stays flat).

    Returns the number of people covered. Idempotent: the same facts give the same rows.
    """
    done = 0
    with transaction.atomic():
        RequirementState.objects.all().delete()
        ArrangementState.objects.all().delete()
        iterator = iter(person_ids)
        while chunk := list(islice(iterator, CHUNK)):
            RequirementState.objects.bulk_create(requirement_state_rows(chunk), batch_size=2000)
            ArrangementState.objects.bulk_create(arrangement_state_rows(chunk), batch_size=2000)
            done += len(chunk)
        everything_changed()
    return done


# Versions of the kept counts (compliance.counts) ---------------------------------


def bucket_of(field):
    """An expression: the bucket of the person whose id is `field`, one of BUCKETS (the
    remainder of the id; integer division in SQLite and PostgreSQL alike)."""
    return ExpressionWrapper(F(field) - F(field) / BUCKETS * BUCKETS, output_field=IntegerField())


def bucket_part(bucket):
    return f"people:{bucket}"


def service_part(service_id):
    return f"service:{service_id or 0}"


def parts_of(person_ids):
    """The version parts these people's counts are kept under: their buckets (the
    organisation's counts), and their home services and every service they have a
    placement in (a service's figures count the people placed there)."""
    homes = User.objects.filter(pk__in=person_ids).values_list("service_id", flat=True)
    placed = Placement.objects.filter(person_id__in=person_ids).values_list("service_id", flat=True)
    return {bucket_part(pk % BUCKETS) for pk in person_ids} | {
        service_part(service_id) for service_id in [*homes, *placed]
    }


def counts_changed(parts):
    """Bump these parts' versions, in the caller's transaction: two statements."""
    parts = sorted(set(parts))
    if not parts:
        return
    with transaction.atomic():
        CountsVersion.objects.bulk_create(
            [CountsVersion(part=each) for each in parts], ignore_conflicts=True
        )
        CountsVersion.objects.filter(part__in=parts).update(n=F("n") + 1)


def people_changed(person_ids):
    counts_changed(parts_of(person_ids))


def everything_changed():
    """A new organisation number: every kept tally is stale."""
    with transaction.atomic():
        CountsVersion.objects.update_or_create(part=WHOLE, defaults={"n": secrets.randbits(62)})


# Reading: the rules as SQL --------------------------------------------------------


def exempt_on(on):
    """Q on RequirementState: an exemption covers `on` (training/rules.exemption_covers)."""
    one_span = Q(exemption_gaps=False, exempt_from__lte=on) & (
        Q(exempt_until__isnull=True) | Q(exempt_until__gte=on)
    )
    covering = TrainingExemption.objects.filter(
        Q(provider=OuterRef("provider")) | Q(provider__isnull=True) | Q(provider=""),
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        person_id=OuterRef("person_id"),
        module_id=OuterRef("module_id"),
        starts_on__lte=on,
    )
    return one_span | (Q(exemption_gaps=True) & Exists(covering))


def requirement_status(on):
    """The status of a RequirementState row on `on`, as training/rules.requirement_status."""
    return Case(
        When(exempt_on(on), then=Value(T.EXEMPT)),
        When(last_completed__isnull=True, pending=True, then=Value(T.PENDING)),
        When(in_induction(on), then=Value(T.DUE_BY)),
        When(last_completed__isnull=True, then=Value(T.MISSING)),
        When(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on + T.EXPIRING_WINDOW),
            then=Value(T.VALID),
        ),
        When(valid_until__gte=on, then=Value(T.EXPIRING)),
        When(pending=True, then=Value(T.PENDING)),
        default=Value(T.EXPIRED),
        output_field=CharField(),
    )


def requirement_compliant(on):
    """Q on RequirementState: valid, expiring, exempt or due by a later day on `on`."""
    return (
        exempt_on(on)
        | (Q(last_completed__isnull=False) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on)))
        | in_induction(on)
    )


def in_induction(on):
    """Q on RequirementState: not recorded yet, and `on` is inside its induction period
    (training/rules.requirement_status, due by)."""
    return Q(last_completed__isnull=True, pending=False, due_on__gte=on)


def in_force(on, prefix=""):
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


def current_arrangements(on):
    """ArrangementState rows of the arrangement each stream follows on `on`: in force,
    and no arrangement of the same stream in force started later (rules.active_arrangement).
    Two started the same day: one answer, the first made. (Two plain NOT EXISTS rather
    than one with an OR, which PostgreSQL cannot plan as an anti-join.)"""
    same_stream = ArrangementState.objects.filter(
        in_force(on), person_id=OuterRef("person_id"), stream=OuterRef("stream")
    )
    return (
        ArrangementState.objects.filter(in_force(on))
        .exclude(Exists(same_stream.filter(starts_on__gt=OuterRef("starts_on"))))
        .exclude(
            Exists(
                same_stream.filter(
                    starts_on=OuterRef("starts_on"), arrangement_id__lt=OuterRef("arrangement_id")
                )
            )
        )
    )


def stream_status(on):
    """The status of a current ArrangementState row on `on`, as supervision/rules."""
    return Case(
        When(next_due__lt=on, then=Value(S.OVERDUE)),
        When(next_due__lte=on + S.DUE_SOON_WINDOW, then=Value(S.DUE_SOON)),
        default=Value(S.ON_TRACK),
        output_field=CharField(),
    )


def applies_to(requirement, prefix="", on=None):
    """Q: the requirement (a training rules Module and provider) applies to the person
    (reached through `prefix`): mandatory, and in one of its services if it names any,
    as their home service or (given `on`) a placement in force that day."""
    module, provider = requirement
    if not module.service_ids:
        return Q()
    condition = Q(**{f"{prefix}service_id__in": sorted(module.service_ids)})
    if on is not None:
        condition |= placed_in(module.service_ids, on, prefix)
    return condition


def placed_in(service_ids, on, prefix=""):
    """Q on User (or through `prefix`): placed in one of `service_ids` on `on`
    (people.rules.placement_covers)."""
    placed = Placement.objects.filter(service_id__in=sorted(service_ids), starts_on__lte=on)
    placed = placed.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    return Q(**{f"{prefix}pk__in": placed.values("person_id")})


def requirements_of(modules):
    """[(module, provider)] of the mandatory modules, in catalogue order."""
    return [
        (module, provider)
        for module in modules
        if module.mandatory
        for provider in T.providers_of(module.provider)
    ]


def any_requirement(requirements, prefix="", on=None):
    """Q on RequirementState: the row is one of `requirements`, for a person it applies to
    (on `on`, when given, counting their placements that day).

    Requirements are grouped by side and by the services they are limited to, so the
    condition has a term per group (two or three in practice) rather than one per
    requirement: it is evaluated on every row a count or filter reads."""
    groups = defaultdict(list)
    for module, provider in requirements:
        groups[provider, module.service_ids].append(module)
    condition = Q(pk__in=[])
    for (provider, _), modules in groups.items():
        module_ids = sorted(module.id for module in modules)
        # The modules of a group apply to the same people: ask for the first.
        condition |= Q(module_id__in=module_ids, provider=provider) & applies_to(
            (modules[0], provider), "person__", on
        )
    return condition


# Reading: people with a status (matrix filters) -----------------------------------


def with_requirement_status(requirement, status, on):
    """Q on User: people to whom `requirement` applies whose status on `on` is `status`."""
    return with_any_requirement_status([requirement], status, on)


def with_any_requirement_status(requirements, status, on):
    """Q on User: people with `status` on `on` in at least one of `requirements` that
    applies to them. One correlated EXISTS over their kept rows (by the person's index),
    whatever the number of requirements; "missing" (no row, or a row that decides
    nothing) is a count of the rows that decide something, short of those needed."""
    rows = RequirementState.objects.filter(any_requirement(requirements, on=on))
    if status in FEW_ROWS:
        # Few rows can have it, and an index finds them: the people are those rows'.
        # Said twice: as a list of the rows (which SQLite then reads by id, rather than
        # every row of the modules), and on the rows themselves (which PostgreSQL's
        # planner counts, rather than guessing at the status expression).
        few = RequirementState.objects.filter(FEW_ROWS[status](on)).values("pk")
        having = rows.filter(FEW_ROWS[status](on), pk__in=few).annotate(
            status=requirement_status(on)
        )
        return Q(pk__in=having.filter(status=status).values("person_id"))
    rows = rows.filter(person_id=OuterRef("pk"))
    if status != T.MISSING:
        return Q(Exists(rows.annotate(status=requirement_status(on)).filter(status=status)))
    if len(requirements) == 1:
        # One column: it applies to them, and no row of theirs decides it.
        decided = rows.annotate(status=requirement_status(on)).exclude(status=T.MISSING)
        return applies_to(requirements[0], on=on) & ~Q(Exists(decided))
    deciding = (
        rows.annotate(status=requirement_status(on))
        .exclude(status=T.MISSING)
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Q(
        GreaterThan(
            needed_cells(requirements, on),
            Coalesce(Subquery(deciding, output_field=IntegerField()), 0),
        )
    )


# Statuses only a few kept rows can have, each with a condition every such row meets
# (implied by `requirement_status`) that an index of RequirementState answers. Not
# "expiring": with yearly renewals most people have something expiring, and a person's
# own rows answer sooner.
FEW_ROWS = {
    T.EXPIRED: lambda on: Q(valid_until__lt=on),
    T.PENDING: lambda on: Q(pending=True),
    T.DUE_BY: lambda on: Q(due_on__gte=on),
}


def with_any_requirement_running_out(requirements, on, days):
    """Q on User: people with one of `requirements` in date (valid or expiring) on `on`
    whose completion runs out within `days` of it (the reminders' notices)."""
    rows = RequirementState.objects.filter(
        any_requirement(requirements, on=on),
        person_id=OuterRef("pk"),
        valid_until__gte=on,
        valid_until__lte=on + timedelta(days=days),
    )
    in_date = rows.annotate(status=requirement_status(on)).filter(status__in=[T.VALID, T.EXPIRING])
    return Q(Exists(in_date))


def with_stream_status(stream, status, on):
    """Q on User: people whose `stream` has `status` on `on`."""
    return with_any_stream_status([stream], status, on)


def with_any_stream_status(streams, status, on):
    """Q on User: people with `status` on `on` in at least one of `streams`: one
    correlated EXISTS, or for "no arrangement", a count of current arrangements short
    of the streams (a stream has at most one current arrangement)."""
    if status in (S.OVERDUE, S.DUE_SOON):
        # Few arrangements are due (the index of stream and next due finds them).
        due = Q(next_due__lt=on) if status == S.OVERDUE else Q(next_due__gte=on)
        having = current_arrangements(on).filter(
            due, next_due__lte=on + S.DUE_SOON_WINDOW, stream__in=list(streams)
        )
        return Q(
            pk__in=having.annotate(status=stream_status(on))
            .filter(status=status)
            .values("person_id")
        )
    current = current_arrangements(on).filter(person_id=OuterRef("pk"), stream__in=list(streams))
    if status != S.NO_ARRANGEMENT:
        return Q(Exists(current.annotate(status=stream_status(on)).filter(status=status)))
    if len(streams) == 1:
        return ~Q(Exists(current))
    counted = current.values("person_id").annotate(n=Count("pk")).values("n")
    return Q(LessThan(Coalesce(Subquery(counted, output_field=IntegerField()), 0), len(streams)))


def with_status(status, on, requirements, streams):
    """Q on User: people with `status` in any of these requirement or stream columns."""
    condition = Q(pk__in=[])
    if status in T.STATUSES and requirements:
        condition |= with_any_requirement_status(requirements, status, on)
    if status in S.STATUSES and streams:
        condition |= with_any_stream_status(streams, status, on)
    return condition


# Reading: counts (dashboards, summary, this month's point on the trends) ----------


def trained_people(people, on, requirements):
    """`people` (a User queryset) annotated with `trained`: compliant with every
    requirement that applies to them on `on`."""
    compliant = (
        RequirementState.objects.filter(
            any_requirement(requirements, on=on),
            requirement_compliant(on),
            person_id=OuterRef("pk"),
        )
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return people.annotate(
        compliant_cells=Coalesce(Subquery(compliant, output_field=IntegerField()), 0),
        needed_cells=needed_cells(requirements, on),
    )


def needed_cells(requirements, on=None):
    """Expression on User: how many of `requirements` apply to the person (on `on`,
    when given, counting those that apply through a placement only)."""
    needed = needed_counts(requirements)
    home = Case(
        *[When(service_id=service_id, then=Value(n)) for service_id, n in needed.items()],
        default=Value(sum(1 for module, _ in requirements if not module.service_ids)),
        output_field=IntegerField(),
    )
    return home if on is None else home + placed_needed(requirements, on)


def placed_needed(requirements, on):
    """An expression on User: how many requirements apply to the person on `on` through
    a placement only (not through their home service)."""
    extra = Value(0)
    for module, _ in requirements:
        if module.service_ids:
            through_placement = ~Q(service_id__in=sorted(module.service_ids)) & placed_in(
                module.service_ids, on
            )
            extra += Case(When(through_placement, then=1), default=0, output_field=IntegerField())
    return extra


def placed_applicable(people, on, requirements):
    """{(bucket, home service id): {(module id, provider): people}} among `people` to
    whom a requirement applies on `on` through a placement only: one query."""
    counted = {}
    for n, (module, _) in enumerate(requirements):
        if module.service_ids:
            through_placement = ~Q(service_id__in=sorted(module.service_ids)) & placed_in(
                module.service_ids, on
            )
            counted[f"r{n}"] = Count("pk", filter=through_placement)
    if not counted:
        return {}
    rows = (
        people.annotate(bucket=bucket_of("pk"))
        .order_by()
        .values("bucket", "service_id")
        .annotate(**counted)
    )
    return {
        (row["bucket"], row["service_id"]): {
            (module.id, provider): row[f"r{n}"]
            for n, (module, provider) in enumerate(requirements)
            if f"r{n}" in row
        }
        for row in rows
    }


def requirement_due_by_totals(people, on, requirements):
    """{((bucket, home service id), module id, provider): people due by a later day}."""
    rows = RequirementState.objects.filter(
        any_requirement(requirements, on=on),
        in_induction(on),
        ~exempt_on(on),
        person_id__in=people.values("pk"),
    )
    return by_home_service(rows)


def by_home_service(rows):
    """{((bucket, home service id), module id, provider): rows}: RequirementState rows
    counted."""
    counted = (
        rows.annotate(bucket=bucket_of("person_id"))
        .values("bucket", "person__service_id", "module_id", "provider")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        ((r["bucket"], r["person__service_id"]), r["module_id"], r["provider"]): r["n"]
        for r in counted
    }


def needed_counts(requirements):
    """{service id: how many requirements apply in it}, for services some module names."""
    named = set().union(*(module.service_ids for module, _ in requirements))
    return {
        service_id: sum(
            1
            for module, _ in requirements
            if not module.service_ids or service_id in module.service_ids
        )
        for service_id in sorted(named)
    }


def supervised(on):
    """Q on User: every stream current and not overdue on `on` (one count of them)."""
    ok = (
        current_arrangements(on)
        .filter(person_id=OuterRef("pk"), stream__in=list(SIDES), next_due__gte=on)
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Q(Exact(Coalesce(Subquery(ok, output_field=IntegerField()), 0), Value(len(SIDES))))


def service_totals(people, on, requirements):
    """[((bucket, home service id), people, fully trained, fully supervised)]: one query."""
    rows = (
        trained_people(people, on, requirements)
        .annotate(
            is_supervised=Case(When(supervised(on), then=1), default=0), bucket=bucket_of("pk")
        )
        .values("bucket", "service_id")
        .annotate(
            total=Count("pk"),
            trained=Count("pk", filter=Q(compliant_cells__gte=F("needed_cells"))),
            fully_supervised=Count("pk", filter=Q(is_supervised=1)),
        )
        .order_by()
    )
    return [
        ((r["bucket"], r["service_id"]), r["total"], r["trained"], r["fully_supervised"])
        for r in rows
    ]


def requirement_totals(people, on, requirements):
    """{((bucket, home service id), module id, provider): compliant people} on `on`."""
    rows = RequirementState.objects.filter(
        any_requirement(requirements, on=on),
        requirement_compliant(on),
        person_id__in=people.values("pk"),
    )
    return by_home_service(rows)


def stream_totals(people, on):
    """{(bucket, home service id): {stream: {status: people}}} for people with a
    current arrangement: one query."""
    rows = (
        current_arrangements(on)
        .filter(person_id__in=people.values("pk"))
        .annotate(status=stream_status(on), bucket=bucket_of("person_id"))
        .values("bucket", "person__service_id", "stream", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = defaultdict(lambda: {stream: dict.fromkeys(S.STATUSES, 0) for stream in SIDES})
    for r in rows:
        counts[r["bucket"], r["person__service_id"]][r["stream"]][r["status"]] = r["n"]
    return dict(counts)


@dataclass
class Tally:
    """The counts of the peer support workers of one home service on one day: the
    figures the summary and dashboards add up (`service_tallies`). A person placed in
    other services is counted once, under their home service, with every requirement
    that applies to them that day."""

    people: int = 0
    trained: int = 0
    supervised: int = 0
    applicable: Counter = field(default_factory=Counter)  # (module id, provider) -> people
    compliant: Counter = field(default_factory=Counter)
    due_by: Counter = field(default_factory=Counter)
    streams: dict = field(default_factory=dict)  # stream -> Counter of status -> people

    def __add__(self, other):
        streams = {
            stream: Counter(self.streams.get(stream)) + Counter(other.streams.get(stream))
            for stream in SIDES
        }
        return Tally(
            people=self.people + other.people,
            trained=self.trained + other.trained,
            supervised=self.supervised + other.supervised,
            applicable=self.applicable + other.applicable,
            compliant=self.compliant + other.compliant,
            due_by=self.due_by + other.due_by,
            streams=streams,
        )


def service_tallies(people, on, requirements):
    """{(bucket, home service id (None: none)): Tally} of `people` (a User queryset of
    peer support workers in post on `on`): five queries, whatever their number. A
    person's bucket is `bucket_of` their id: the kept counts are kept by bucket."""
    tallies = defaultdict(Tally)
    for key, total, trained, fully_supervised in service_totals(people, on, requirements):
        tally = tallies[key]
        tally.people, tally.trained, tally.supervised = total, trained, fully_supervised
        for module, provider in requirements:
            if not module.service_ids or key[1] in module.service_ids:
                tally.applicable[module.id, provider] = total
    for key, placed in placed_applicable(people, on, requirements).items():
        tallies[key].applicable.update(placed)
    for (key, module_id, provider), n in requirement_totals(people, on, requirements).items():
        tallies[key].compliant[module_id, provider] = n
    for (key, module_id, provider), n in requirement_due_by_totals(
        people, on, requirements
    ).items():
        tallies[key].due_by[module_id, provider] = n
    for key, streams in stream_totals(people, on).items():
        tallies[key].streams = {s: Counter(counts) for s, counts in streams.items()}
    for tally in tallies.values():
        for stream in SIDES:
            counts = tally.streams.setdefault(stream, Counter())
            counts[S.NO_ARRANGEMENT] = tally.people - sum(
                n for status, n in counts.items() if status != S.NO_ARRANGEMENT
            )
    return dict(tallies)
