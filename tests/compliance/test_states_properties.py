"""The status tables say what the rules say, for every cell, on any day from the
person's latest completion or session on (DESIGN.md section 8).

Hypothesis builds random histories through the models (so the tables are written the
way every service writes them, on save) and compares, cell by cell and day by day, the
status decided in SQL from the kept dates with the status the pure rules give from the
facts themselves. Thousands of cells and days are compared in a run.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.models import RequirementState
from compliance.states import (
    current_arrangements,
    requirement_status,
    stream_status,
    with_any_requirement_status,
    with_any_stream_status,
    with_requirement_status,
    with_stream_status,
)
from organisation.words import SIDES
from people.models import User
from supervision import rules as supervision_rules
from supervision.models import SupervisionArrangement, SupervisionSession
from tests import factories
from training import rules as training_rules
from training.models import TrainingExemption, TrainingRecord
from training.selectors import module_facts

pytestmark = pytest.mark.django_db(transaction=False)
START = date(2024, 1, 1)
EXAMPLES = 100
checked = {"cells": 0}

days = st.integers(min_value=0, max_value=900).map(lambda n: START + timedelta(days=n))
record = st.tuples(days, st.sampled_from(["verified", "pending", "rejected"]))
exemption = st.tuples(
    st.sampled_from(["nhs", "employer", None]), days, st.none() | st.integers(0, 400)
)
arrangement = st.tuples(
    days,
    st.none() | st.integers(0, 500),
    st.integers(1, 12),
    st.lists(
        st.tuples(
            st.integers(0, 400),
            st.sampled_from(["held", "held", "cancelled", "did_not_attend"]),
            st.booleans(),
        ),
        max_size=6,
    ),
)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def person(db):
    return factories.psw()


@pytest.fixture
def both(db):
    return factories.module("Safeguarding", provider="both", renewal_months=12)


def rolled_back(test):
    """Each example writes its history inside a transaction that is then undone."""

    def run(*args, **kwargs):
        with transaction.atomic():
            test(*args, **kwargs)
            transaction.set_rollback(True)

    return run


@SETTINGS
@given(
    records=st.lists(record, max_size=6, unique_by=lambda r: r[0]),
    exemptions=st.lists(exemption, max_size=3),
    renewal=st.sampled_from([None, 1, 12, 36]),
    later=st.lists(st.integers(0, 800), min_size=1, max_size=8),
)
def test_a_requirement_status_in_sql_is_the_rules_status(
    person, both, records, exemptions, renewal, later
):
    rolled_back(check_training)(person, both, records, exemptions, renewal, later)


def check_training(person, module, records, exemptions, renewal, later):
    type(module).objects.filter(pk=module.pk).update(renewal_months=renewal)
    module.refresh_from_db()
    facts = {"nhs": [], "employer": []}
    for n, (completed_on, status) in enumerate(records):
        provider = "nhs" if n % 2 else "employer"
        TrainingRecord.objects.create(
            person=person,
            module=module,
            provider=provider,
            completed_on=completed_on,
            status=status,
        )
        if status != "rejected":
            until = training_rules.valid_until(completed_on, renewal)
            facts[provider].append(training_rules.Record(completed_on, until, status))
    covering = {"nhs": [], "employer": []}
    for provider, starts_on, length in exemptions:
        ends_on = None if length is None else starts_on + timedelta(days=length)
        TrainingExemption.objects.create(
            person=person,
            module=module,
            provider=provider,
            reason="r",
            starts_on=starts_on,
            ends_on=ends_on,
        )
        for each in [provider] if provider else ["nhs", "employer"]:
            covering[each].append(training_rules.Exemption(starts_on, ends_on))
    latest = max([r[0] for r in records], default=START)
    requirements = {
        p: (m, p) for m in module_facts() for p in training_rules.providers_of(m.provider)
    }
    for offset in later:
        on = latest + timedelta(days=offset)
        for provider in ("nhs", "employer"):
            expected = training_rules.requirement_status(on, facts[provider], covering[provider])
            row = RequirementState.objects.filter(
                person=person, module=module, provider=provider
            ).annotate(status=requirement_status(on))
            assert (row[0].status if row else training_rules.MISSING) == expected
            for status in training_rules.STATUSES:
                condition = with_requirement_status(requirements[provider], status, on)
                found = User.objects.filter(condition, pk=person.pk).exists()
                assert found == (status == expected), (status, expected)
            checked["cells"] += 1
        # Both sides at once, as the matrix filters "any column": one query.
        statuses = {training_rules.requirement_status(on, facts[p], covering[p]) for p in facts}
        for status in training_rules.STATUSES:
            condition = with_any_requirement_status(list(requirements.values()), status, on)
            found = User.objects.filter(condition, pk=person.pk).exists()
            assert found == (status in statuses), (status, statuses)


@SETTINGS
@given(
    arrangements=st.lists(arrangement, max_size=3, unique_by=lambda a: a[0]),
    later=st.lists(st.integers(-200, 800), min_size=1, max_size=8),
)
def test_a_stream_status_in_sql_is_the_rules_status(person, arrangements, later):
    rolled_back(check_supervision)(person, arrangements, later)


def check_supervision(person, arrangements, later):
    facts, latest = {"nhs": [], "employer": []}, START
    for n, (starts_on, length, weeks, sessions) in enumerate(arrangements):
        stream = "nhs" if n % 2 else "employer"
        ends_on = None if length is None else starts_on + timedelta(days=length)
        saved = SupervisionArrangement.objects.create(
            supervisee=person,
            stream=stream,
            supervisor_name="Named",
            interval_weeks=weeks,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        held = []
        for offset, status, confirmed in {s[0]: s for s in sessions}.values():
            held_on = starts_on + timedelta(days=offset)
            SupervisionSession.objects.create(
                arrangement=saved,
                held_on=held_on,
                duration_minutes=60,
                status=status,
                confirmed_at=datetime(2024, 1, 1, tzinfo=UTC) if confirmed else None,
            )
            held.append(supervision_rules.Session(held_on, status, confirmed))
            latest = max(latest, held_on)
        facts[stream].append((supervision_rules.Arrangement(starts_on, ends_on, weeks), held))
    for offset in later:
        on = latest + timedelta(days=offset)
        if on < latest:
            continue
        for stream in SIDES:
            active = supervision_rules.active_arrangement([a for a, _ in facts[stream]], on)
            sessions = next((s for a, s in facts[stream] if a is active), [])
            expected = supervision_rules.stream_status(on, active, sessions)
            rows = list(
                current_arrangements(on)
                .filter(person=person, stream=stream)
                .annotate(status=stream_status(on))
            )
            assert len(rows) <= 1
            assert (rows[0].status if rows else supervision_rules.NO_ARRANGEMENT) == expected
            for status in supervision_rules.STATUSES:
                found = User.objects.filter(
                    with_stream_status(stream, status, on), pk=person.pk
                ).exists()
                assert found == (status == expected), (status, expected)
            checked["cells"] += 1
        statuses = set()
        for stream in SIDES:
            active = supervision_rules.active_arrangement([a for a, _ in facts[stream]], on)
            sessions = next((s for a, s in facts[stream] if a is active), [])
            statuses.add(supervision_rules.stream_status(on, active, sessions))
        for status in supervision_rules.STATUSES:
            condition = with_any_stream_status(list(SIDES), status, on)
            found = User.objects.filter(condition, pk=person.pk).exists()
            assert found == (status in statuses), (status, statuses)


def test_thousands_of_cells_were_compared():
    """Runs after the two properties above (file order): the run compared enough."""
    if checked["cells"] == 0:
        pytest.skip("run with the property tests above")
    assert checked["cells"] >= 1000, checked
