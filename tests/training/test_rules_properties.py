"""Properties of the training rules over generated histories (hypothesis)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from training import rules

RANK = {
    rules.MISSING: 0,
    rules.EXPIRED: 0,
    rules.PENDING: 1,
    rules.EXPIRING: 2,
    rules.VALID: 3,
    rules.EXEMPT: 3,
}
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
renewals = st.one_of(st.none(), st.integers(min_value=1, max_value=120))


@st.composite
def records(draw, renewal=Ellipsis):
    completed = draw(days)
    status = draw(st.sampled_from(["pending", "verified", "rejected"]))
    months = draw(renewals) if renewal is Ellipsis else renewal
    return rules.Record(completed, rules.valid_until(completed, months), status)


@st.composite
def one_requirement(draw):
    """A module's records share its renewal period, as `valid_until` is computed."""
    renewal = draw(renewals)
    return renewal, draw(st.lists(records(renewal=renewal), max_size=6))


@st.composite
def exemptions(draw):
    start = draw(days)
    end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=date(2041, 1, 1))))
    return rules.Exemption(start, end)


@settings(max_examples=400)
@given(one_requirement(), st.lists(exemptions(), max_size=2), days)
def test_a_verified_in_date_completion_never_makes_a_status_worse(requirement, exempt, on):
    renewal, history = requirement
    before = rules.requirement_status(on, history, exempt)
    added = rules.Record(on, rules.valid_until(on, renewal), "verified")
    after = rules.requirement_status(on, [*history, added], exempt)
    assert RANK[after] >= RANK[before]
    assert rules.is_compliant(after)


@settings(max_examples=400)
@given(st.lists(records(), max_size=6), days)
def test_records_completed_after_the_day_never_change_its_status(history, on):
    earlier = [r for r in history if r.completed_on <= on]
    assert rules.requirement_status(on, history) == rules.requirement_status(on, earlier)


@settings(max_examples=300)
@given(st.lists(records(), max_size=6), days)
def test_rejected_records_are_ignored(history, on):
    kept = [r for r in history if r.status != "rejected"]
    assert rules.requirement_status(on, history) == rules.requirement_status(on, kept)


@settings(max_examples=500)
@given(days, st.integers(min_value=0, max_value=240))
def test_valid_until_is_the_same_day_or_the_months_last_day(completed, months):
    until = rules.valid_until(completed, months)
    assert until.day == completed.day or (until + timedelta(days=1)).day == 1
    assert until.day <= completed.day
    assert (until.year * 12 + until.month) - (completed.year * 12 + completed.month) == months


@settings(max_examples=300)
@given(st.lists(records(), max_size=6), days)
def test_status_is_always_one_of_the_six(history, on):
    assert rules.requirement_status(on, history) in rules.STATUSES
