from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from compliance import trends
from compliance.loader import (
    StatusSource,
    Timeline,
    end_of_day,
    month_ends,
    organisation_status,
    supervision_facts_on,
)
from people.models import User
from supervision.models import SupervisionArrangement, SupervisionSession
from supervision.selectors import stream_statuses, supervision_facts
from tests import factories
from training.models import TrainingExemption, TrainingRecord

from .history import at, delete_at, recorded_since_long_ago, save_at

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 1)
BEFORE_ON = at(2026, 2, 20)
AFTER_ON = at(2026, 3, 10)


@pytest.fixture
def data_protection():
    return factories.module("Data protection", provider="nhs", renewal_months=12)


@pytest.fixture
def worker(psw):
    recorded_since_long_ago(psw)
    return psw


def status_of(worker, module, *, as_of, provider="nhs", on=ON):
    status = organisation_status(User.objects.all(), on, as_of=as_of)
    (person,) = [p for p in status.people if p.person.pk == worker.pk]
    return person.requirements[module.pk, provider].status


def stream_of(worker, stream, *, as_of, on=ON):
    status = organisation_status(User.objects.all(), on, as_of=as_of)
    (person,) = [p for p in status.people if p.person.pk == worker.pk]
    return person.streams[stream]


def record(worker, module, moment, **fields):
    fields.setdefault("completed_on", date(2025, 6, 1))
    fields.setdefault("status", TrainingRecord.Status.VERIFIED)
    instance = TrainingRecord(person=worker, module=module, provider="nhs", **fields)
    return save_at(instance, moment)


def test_the_loader_composes_training_and_supervision_for_each_person(worker, data_protection):
    record(worker, data_protection, BEFORE_ON, completed_on=date(2025, 12, 1))
    arrangement = factories.ArrangementFactory(supervisee=worker, starts_on=date(2026, 1, 5))
    factories.SessionFactory(arrangement=arrangement, held_on=date(2026, 2, 23))
    status = organisation_status(User.objects.all(), ON)
    (person,) = status.people
    assert person.requirements[data_protection.pk, "nhs"].status == "valid"
    assert person.requirements[data_protection.pk, "nhs"].valid_until == date(2026, 12, 1)
    assert person.streams["nhs"].status == "on_track"
    assert person.streams["nhs"].due_on == date(2026, 3, 23)
    assert person.streams["employer"].status == "no_arrangement"
    assert person.trained and not person.supervised


def test_only_peer_support_workers_in_post_are_counted(worker, manager, data_protection):
    left = factories.psw(left_on=date(2026, 2, 1))
    leaving_later = factories.psw(left_on=date(2026, 3, 1))
    names = {p.person.pk for p in organisation_status(User.objects.all(), ON).people}
    assert names == {worker.pk, leaving_later.pk}
    assert left.pk not in names and manager.pk not in names


def test_loader_query_count_does_not_grow_with_people(django_assert_num_queries, data_protection):
    few = [factories.psw() for _ in range(10)]
    for person in few:
        factories.TrainingRecordFactory(person=person, module=data_protection)
        factories.SessionFactory(arrangement__supervisee=person)
    recorded_since_long_ago(*few)
    scope = User.objects.filter(pk__in=[p.pk for p in few])
    with django_assert_num_queries(8):
        organisation_status(scope, ON)
    with django_assert_num_queries(8):
        assert len(organisation_status(scope, ON, as_of=True).people) == 10
    many = few + [factories.psw() for _ in range(90)]
    recorded_since_long_ago(*many)
    scope = User.objects.filter(pk__in=[p.pk for p in many])
    with django_assert_num_queries(8):
        assert len(organisation_status(scope, ON).people) == 100
    with django_assert_num_queries(8):
        assert len(organisation_status(scope, ON, as_of=True).people) == 100


# As recorded at the end of ON -------------------------------------------------------


def test_a_record_created_after_the_day_is_absent_as_of_the_day(worker, data_protection):
    record(worker, data_protection, AFTER_ON)
    assert status_of(worker, data_protection, as_of=False) == "valid"
    assert status_of(worker, data_protection, as_of=True) == "missing"


def test_a_back_dated_record_entered_after_the_day_is_absent_as_of_the_day(worker, data_protection):
    record(worker, data_protection, AFTER_ON, completed_on=date(2026, 2, 27))
    assert status_of(worker, data_protection, as_of=True) == "missing"
    assert status_of(worker, data_protection, as_of=True, on=date(2026, 3, 10)) == "valid"


def test_a_record_entered_late_on_the_day_in_london_counts_for_that_day(worker, data_protection):
    # 23:30 on 1 March in London (GMT) is still 1 March.
    record(worker, data_protection, at(2026, 3, 1, hour=23))
    assert status_of(worker, data_protection, as_of=True) == "valid"


def test_a_record_edited_after_the_day_shows_its_old_values(worker, data_protection):
    edited = record(worker, data_protection, BEFORE_ON, completed_on=date(2025, 1, 10))
    save_at(edited, AFTER_ON, completed_on=date(2025, 6, 1))
    assert status_of(worker, data_protection, as_of=False) == "valid"
    assert status_of(worker, data_protection, as_of=True) == "expired"


def test_a_record_deleted_after_the_day_is_present_as_of_the_day(worker, data_protection):
    deleted = record(worker, data_protection, BEFORE_ON)
    delete_at(deleted, AFTER_ON)
    assert status_of(worker, data_protection, as_of=False) == "missing"
    assert status_of(worker, data_protection, as_of=True) == "valid"


def test_a_record_verified_after_the_day_is_pending_as_of_the_day(worker, data_protection):
    pending = record(worker, data_protection, BEFORE_ON, status=TrainingRecord.Status.PENDING)
    save_at(pending, AFTER_ON, status=TrainingRecord.Status.VERIFIED)
    assert status_of(worker, data_protection, as_of=True) == "pending"
    assert status_of(worker, data_protection, as_of=False) == "valid"


def test_a_record_rejected_after_the_day_still_counts_as_of_the_day(worker, data_protection):
    wrong = record(worker, data_protection, BEFORE_ON)
    save_at(wrong, AFTER_ON, status=TrainingRecord.Status.REJECTED)
    assert status_of(worker, data_protection, as_of=True) == "valid"
    assert status_of(worker, data_protection, as_of=False) == "missing"


def test_an_exemption_granted_after_the_day_is_absent_as_of_the_day(worker, data_protection):
    exemption = TrainingExemption(
        person=worker, module=data_protection, reason="Leave", starts_on=date(2026, 1, 1)
    )
    save_at(exemption, AFTER_ON)
    assert status_of(worker, data_protection, as_of=False) == "exempt"
    assert status_of(worker, data_protection, as_of=True) == "missing"


def test_a_session_logged_after_the_day_does_not_count_as_of_the_day(worker):
    arrangement = save_at(
        SupervisionArrangement(
            supervisee=worker, stream="nhs", supervisor_name="Dr Ali", starts_on=date(2025, 12, 1)
        ),
        BEFORE_ON,
    )
    session = SupervisionSession(
        arrangement=arrangement, held_on=date(2026, 2, 16), confirmed_at=AFTER_ON
    )
    save_at(session, AFTER_ON)
    assert stream_of(worker, "nhs", as_of=False).status == "on_track"
    as_recorded = stream_of(worker, "nhs", as_of=True)
    assert as_recorded.status == "overdue"
    assert as_recorded.due_on == date(2025, 12, 29)
    assert as_recorded.supervisor_name == "Dr Ali"


def test_a_session_confirmed_after_the_day_does_not_count_as_of_the_day(worker):
    arrangement = save_at(
        SupervisionArrangement(supervisee=worker, stream="employer", starts_on=date(2025, 12, 1)),
        BEFORE_ON,
    )
    session = save_at(
        SupervisionSession(arrangement=arrangement, held_on=date(2026, 2, 16)), BEFORE_ON
    )
    save_at(session, AFTER_ON, confirmed_at=AFTER_ON)
    assert stream_of(worker, "employer", as_of=True).status == "overdue"
    assert stream_of(worker, "employer", as_of=False).status == "on_track"


def test_people_are_read_as_recorded_on_the_day(worker, data_protection):
    moved = factories.psw(username="moved")
    recorded_since_long_ago(moved)
    old_service = moved.service
    save_at(moved, AFTER_ON, service=factories.ServiceFactory(name="CMHT 9"))
    joined_later = factories.psw(username="joined.later")
    left = factories.psw(username="left")
    recorded_since_long_ago(left)
    save_at(left, BEFORE_ON, left_on=date(2026, 2, 1))

    source = StatusSource(User.objects.all(), ON, as_of=True)
    people = {p.username: p for p in source.people()}
    assert set(people) == {worker.username, "moved"}
    assert people["moved"].service_name == old_service.name
    assert joined_later.username not in people


def test_a_person_who_became_a_psw_after_the_day_is_absent_as_of_the_day(manager):
    recorded_since_long_ago(manager)
    manager._history_date = AFTER_ON
    manager.groups.add(Group.objects.get(name="Peer support worker"))
    assert list(StatusSource(User.objects.all(), ON, as_of=True).people()) == []
    assert [p.username for p in StatusSource(User.objects.all(), ON).people()] == [manager.username]


def test_month_ends_run_back_from_today():
    assert month_ends(date(2026, 3, 15), 4) == [
        date(2025, 12, 31),
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 15),
    ]


def month_end_figures(today, months):
    """The trends' figures for the month ends before `today`'s month, each written as
    recorded at its end (as the daily job writes them)."""
    for day in month_ends(today, months)[:-1]:
        trends.month_end_record(day)
    return trends.monthly_compliance(User.objects.all(), months, today)[:-1]


def test_month_end_counts_read_each_month_as_recorded(worker, data_protection):
    record(worker, data_protection, at(2026, 2, 10), completed_on=date(2026, 2, 9))
    months = month_end_figures(date(2026, 3, 15), 3)
    assert [(day, people, trained) for day, people, trained, _ in months] == [
        (date(2026, 1, 31), 1, 0),
        (date(2026, 2, 28), 1, 100),
    ]
    assert all(supervised == 0 for *_, supervised in months)


@pytest.mark.parametrize(
    ("sessions", "on"),
    [
        ([], ON),
        ([(date(2026, 2, 16), "held", True)], ON),
        ([(date(2026, 2, 16), "held", False)], ON),
        ([(date(2026, 2, 16), "cancelled", True)], ON),
        ([(date(2026, 2, 16), "did_not_attend", True)], ON),
        ([(date(2026, 1, 5), "held", True), (date(2026, 2, 23), "held", True)], ON),
        ([(date(2026, 1, 5), "held", True), (date(2026, 3, 2), "held", True)], ON),
        ([(date(2026, 1, 5), "held", True), (date(2026, 2, 2), "held", True)], date(2026, 1, 20)),
    ],
)
def test_todays_summed_up_sessions_give_the_same_statuses_as_every_session(worker, sessions, on):
    arrangement = factories.ArrangementFactory(supervisee=worker, starts_on=date(2025, 12, 1))
    for held_on, status, confirmed in sessions:
        factories.SessionFactory(
            arrangement=arrangement,
            held_on=held_on,
            status=status,
            confirmed_at=AFTER_ON if confirmed else None,
        )
    every_session = stream_statuses([worker], on, supervision_facts([worker.pk]))
    summed_up = stream_statuses([worker], on, supervision_facts_on([worker.pk], on))
    assert summed_up == every_session


def test_month_end_counts_count_supervision_as_recorded_at_each_month_end(worker):
    streams = [
        save_at(
            SupervisionArrangement(supervisee=worker, stream=stream, starts_on=date(2023, 1, 2)),
            at(2023, 1, 2),
        )
        for stream in ("nhs", "employer")
    ]
    # Long ago, then not again until late February 2026 (each logged on the day).
    sessions = [(streams[0], date(2023, 6, 5))] + [(a, date(2026, 2, 23)) for a in streams]
    for arrangement, held_on in sessions:
        moment = at(held_on.year, held_on.month, held_on.day)
        save_at(
            SupervisionSession(arrangement=arrangement, held_on=held_on, confirmed_at=moment),
            moment,
        )
    months = month_end_figures(date(2026, 3, 15), 3)
    assert [supervised for *_, supervised in months] == [0, 100]


@pytest.mark.parametrize(
    ("day", "first_moment_after"),
    [
        (date(2026, 1, 15), datetime(2026, 1, 16, 0, 0, tzinfo=UTC)),  # GMT
        (date(2026, 7, 1), datetime(2026, 7, 1, 23, 0, tzinfo=UTC)),  # BST
    ],
)
def test_a_day_ends_at_midnight_in_london_whoever_is_asking(day, first_moment_after):
    with timezone.override("Asia/Tokyo"):
        assert end_of_day(day) == first_moment_after


def test_month_end_counts_agree_with_the_as_of_status_of_each_month_end(worker, data_protection):
    record(worker, data_protection, at(2025, 11, 3), completed_on=date(2024, 12, 20))
    streams = [
        save_at(
            SupervisionArrangement(supervisee=worker, stream=stream, starts_on=date(2025, 6, 2)),
            at(2025, 6, 2),
        )
        for stream in ("nhs", "employer")
    ]
    for n, held_on in enumerate([date(2025, 9, 1), date(2025, 12, 22), date(2026, 2, 9)]):
        for arrangement in streams[: n + 1]:
            moment = at(held_on.year, held_on.month, held_on.day + 1)
            session = SupervisionSession(arrangement=arrangement, held_on=held_on)
            save_at(session, moment, confirmed_at=moment)
    for day, people, trained, supervised in month_end_figures(date(2026, 3, 15), 6):
        status = organisation_status(User.objects.all(), day, as_of=True)
        assert (people, trained, supervised) == (
            len(status.people),
            100 * status.people[0].trained,
            100 * status.people[0].supervised,
        ), day


def test_a_timeline_gives_each_objects_live_version_at_a_moment():
    def version(pk, hour, kind, value=None):
        return {"id": pk, "history_date": at(2026, 3, 1, hour), "history_type": kind, "v": value}

    rows = [
        version(1, 9, "+", "first"),
        version(1, 13, "~", "edited"),
        version(2, 10, "+", "doomed"),
        version(2, 14, "-", "doomed"),
        version(3, 15, "+", "late"),
    ]
    timeline = Timeline(sorted(rows, key=lambda r: (r["id"], r["history_date"])))

    def live(hour):
        return sorted(row["v"] for row in timeline.as_at(at(2026, 3, 1, hour)))

    assert live(9) == []  # saved exactly then is not yet before it
    assert live(11) == ["doomed", "first"]
    assert live(14) == ["doomed", "edited"]
    assert live(16) == ["edited", "late"]


def test_the_people_as_recorded_are_chosen_in_the_database_as_the_month_ends_choose_them(
    manager,
):
    """recorded_in_post (the matrix, in SQL) and RecordedPeople.on (the month-end
    counts, in Python) read the same history the same way, on every day around the
    changes: moves, leaving, a new role, a placement, a version saved twice in a moment."""
    from compliance.loader import recorded_in_post, recorded_people
    from people.models import Placement

    ward, team = factories.ServiceFactory(name="Ward 3"), factories.ServiceFactory(name="Team 9")
    stays, moves, leaves, joins, placed, twice = (factories.psw(service=team) for _ in range(6))
    recorded_since_long_ago(stays, moves, leaves, joins, placed, twice, manager)
    save_at(moves, at(2026, 2, 20), service=ward)
    save_at(leaves, at(2026, 2, 25), left_on=date(2026, 2, 26))
    joins.groups.clear()
    User.history.filter(id=joins.pk).update(history_date=at(2026, 1, 1))
    save_at(joins, at(2026, 2, 27), first_name="Joined")
    joins.groups.add(Group.objects.get(name="Peer support worker"))
    placement = Placement(person=placed, service=ward, starts_on=date(2026, 2, 23))
    save_at(placement, at(2026, 2, 22))
    save_at(placement, at(2026, 2, 28), ends_on=date(2026, 2, 28))
    save_at(twice, at(2026, 2, 24), first_name="First")
    save_at(twice, at(2026, 2, 24), first_name="Second")
    scope = User.objects.all()
    for day in (date(2026, 2, d) for d in range(18, 29)):
        recorded = recorded_people(scope, day)
        for service in (None, ward.pk, team.pk):
            in_python = sorted(recorded.on(day, service), key=lambda p: p.sort_key)
            assert list(recorded_in_post(scope, day, service)) == in_python, (day, service)
