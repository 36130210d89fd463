"""Properties of the supervision rules over generated histories (hypothesis)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from organisation.words import SIDES
from supervision import rules

RANK = {rules.NO_ARRANGEMENT: 0, rules.OVERDUE: 0, rules.DUE_SOON: 1, rules.ON_TRACK: 2}
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@st.composite
def arrangements(draw):
    start = draw(days)
    end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=date(2036, 1, 1))))
    return rules.Arrangement(start, end, draw(st.integers(min_value=1, max_value=52)))


sessions = st.builds(
    rules.Session,
    days,
    st.sampled_from(["held", "cancelled", "did_not_attend"]),
    st.booleans(),
)


@settings(max_examples=400)
@given(arrangements(), st.lists(sessions, max_size=8), days)
def test_a_confirmed_session_held_today_never_makes_the_status_worse(arrangement, log, on):
    before = rules.stream_status(on, arrangement, log)
    after = rules.stream_status(on, arrangement, [*log, rules.Session(on, "held", True)])
    assert RANK[after] >= RANK[before]
    if rules.is_active(arrangement, on):
        assert after in (rules.ON_TRACK, rules.DUE_SOON)


@settings(max_examples=400)
@given(arrangements(), st.lists(sessions, max_size=8), days)
def test_only_confirmed_held_sessions_move_the_due_date(arrangement, log, on):
    counted = [s for s in log if s.confirmed and s.status == "held"]
    assert rules.next_due(arrangement, log, on) == rules.next_due(arrangement, counted, on)


@settings(max_examples=300)
@given(arrangements(), st.lists(sessions, max_size=8), days)
def test_due_date_is_never_before_the_first_interval(arrangement, log, on):
    due = rules.next_due(arrangement, log, on)
    assert due >= arrangement.starts_on + timedelta(weeks=arrangement.interval_weeks) or any(
        s.held_on < arrangement.starts_on for s in log
    )


@given(st.sampled_from([*SIDES, "", "other"]), st.sampled_from([*SIDES, "", "x"]))
def test_a_side_is_allowed_exactly_when_it_is_the_streams_own(stream, side):
    allowed = rules.supervisor_side_allowed(stream, side)
    assert allowed == (stream in SIDES and side == stream)
    assert sum(rules.supervisor_side_allowed(each, side) for each in SIDES) <= 1


@given(st.builds(rules.Session, days, st.sampled_from(["held", "cancelled"]), st.booleans()), days)
def test_declining_a_session_stops_it_counting_and_changes_nothing_else(session, on):
    declined = rules.Session(session.held_on, session.status, session.confirmed, True)
    assert not rules.counts(declined, on)
    assert rules.last_counted([session, declined], on) == rules.last_counted([session], on)
