"""Two requests at the same moment: the database, not only Python, keeps one of each.

The concurrent tests need PostgreSQL (row locks, and a second writer waiting on the
first): SQLite takes one writer at a time, so there is no race to lose. The
constraint tests below them run on both, by letting a twin past the Python check.
"""

import threading
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supervision import services as supervision_services
from supervision.models import SupervisionSession
from tests import factories
from training import services as training_services
from training.models import TrainingRecord


def concurrent(test):
    """Real commits from several connections; skipped before any database set-up on
    SQLite, where there is no race to lose."""
    on_postgresql = pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="Races need PostgreSQL: SQLite lets one writer in at a time.",
    )
    return on_postgresql(pytest.mark.django_db(transaction=True, serialized_rollback=True)(test))


def at_once(*actions):
    """Run the actions in threads, each on its own database connection, released
    together; returns what each returned or raised."""
    start = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        from django.db import connection as own_connection

        try:
            start.wait()
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = error
        finally:
            own_connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def safeguarding():
    return factories.module(title="Safeguarding", issues_certificate=True)


@concurrent
def test_two_managers_verifying_one_record_at_once_give_one_verification(safeguarding):
    psw = factories.psw(username="psw.race")
    record = training_services.record_create(
        person=psw, module=safeguarding, provider="nhs", completed_on=date(2026, 1, 5), by=psw
    )
    first, second = factories.manager(username="m.one"), factories.manager(username="m.two")

    outcomes = at_once(
        lambda: training_services.record_verify(record=record, by=first),
        lambda: training_services.record_verify(record=record, by=second),
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "TrainingRecord",
        "ValidationError",
    ]
    record.refresh_from_db()
    winner = next(o for o in outcomes if isinstance(o, TrainingRecord))
    assert record.status == "verified" and record.verified_by == winner.verified_by
    assert record.certificate_code == winner.certificate_code
    assert record.history.filter(status="verified").count() == 1
    assert TrainingRecord.objects.filter(certificate_code__isnull=False).count() == 1


@concurrent
def test_changes_to_one_person_at_once_extend_the_audit_chain_in_turn():
    from audit.models import AuditEntry
    from people.models import User

    person = factories.psw(username="psw.twice")
    entries = AuditEntry.objects.filter(object_id=str(person.pk), content_type__model="user")
    before = entries.count()

    def sign_in():
        Client().force_login(person)

    def move_to(unit):
        def move():
            someone = User.objects.get(pk=person.pk)
            someone.organisation_unit = unit
            someone.save(update_fields=["organisation_unit"])

        return move

    assert at_once(*[sign_in] * 4) == [None] * 4
    assert entries.count() == before, "signing in is not a change to the person"
    assert at_once(*[move_to(f"Team {n}") for n in range(4)]) == [None] * 4
    numbers = sorted(entries.values_list("sequence", flat=True))
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == before + 4


def post_completion(psw, module):
    client = Client()
    client.force_login(psw)
    return client.post(
        reverse("training:record", args=[module.pk]),
        {"module": module.pk, "provider": "nhs", "completed_on": "2026-01-10"},
    )


@concurrent
def test_a_double_submitted_completion_form_makes_one_record():
    module = factories.module(title="Boundaries", provider="nhs", evidence_required=False)
    psw = factories.psw(username="psw.double")

    responses = at_once(lambda: post_completion(psw, module), lambda: post_completion(psw, module))

    assert sorted(response.status_code for response in responses) == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    assert b"already recorded for that date" in refused.content
    assert TrainingRecord.objects.filter(person=psw).count() == 1


def post_session(supervisor, arrangement, held_on):
    client = Client()
    client.force_login(supervisor)
    return client.post(
        reverse("supervision:log"),
        {
            "arrangement": arrangement.pk,
            "held_on": held_on.isoformat(),
            "duration_minutes": "60",
            "format": "one_to_one",
            "status": "held",
            "topics": ["wellbeing"],
            "notes": "",
            "actions": "",
            "same_day_reason": "",
        },
    )


@concurrent
def test_a_double_submitted_session_log_makes_one_session():
    today = timezone.localdate()
    psw, supervisor = factories.psw(username="psw.s"), factories.supervisor(username="sup.s")
    arrangement = factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=today - timedelta(days=60)
    )
    held_on = today - timedelta(days=2)

    responses = at_once(
        lambda: post_session(supervisor, arrangement, held_on),
        lambda: post_session(supervisor, arrangement, held_on),
    )

    assert sorted(response.status_code for response in responses) == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    assert b"already logged for this day" in refused.content
    assert SupervisionSession.objects.filter(arrangement=arrangement).count() == 1


def post_group(supervisor, people, held_on):
    client = Client()
    client.force_login(supervisor)
    return client.post(
        reverse("supervision:log_group"),
        {
            "stream": "nhs",
            "attendees": [person.pk for person in people],
            "held_on": held_on.isoformat(),
            "duration_minutes": "90",
            "format": "reflective_practice",
            "notes": "",
            "actions": "",
        },
    )


@concurrent
def test_a_double_submitted_group_session_makes_one_group():
    today = timezone.localdate()
    supervisor = factories.supervisor(username="sup.g")
    people = [factories.psw(username=f"psw.g{n}") for n in (1, 2)]
    for person in people:
        factories.ArrangementFactory(
            supervisee=person, supervisor=supervisor, starts_on=today - timedelta(days=60)
        )
    held_on = today - timedelta(days=2)

    responses = at_once(
        lambda: post_group(supervisor, people, held_on),
        lambda: post_group(supervisor, people, held_on),
    )

    assert sorted(response.status_code for response in responses) == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    assert b"already has a reflective practice session" in refused.content
    assert SupervisionSession.objects.filter(group__isnull=False).count() == 2


@pytest.mark.django_db
def test_a_twin_completion_past_the_python_check_is_stopped_by_the_database(
    monkeypatch, psw, safeguarding
):
    def twin():
        return training_services.record_create(
            person=psw, module=safeguarding, provider="nhs", completed_on=date(2026, 1, 5), by=psw
        )

    twin()
    monkeypatch.setattr(training_services, "_live_record_exists", lambda **kwargs: False)
    with pytest.raises(ValidationError) as refused:
        twin()
    assert refused.value.message_dict == {"completed_on": [training_services.ALREADY_RECORDED]}
    assert TrainingRecord.objects.filter(person=psw).count() == 1


@pytest.mark.django_db
def test_a_twin_session_past_the_python_check_is_stopped_by_the_database(
    monkeypatch, psw, supervisor
):
    today = timezone.localdate()
    arrangement = factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=today - timedelta(days=60)
    )

    def twin():
        return supervision_services.session_log(
            arrangement=arrangement,
            by=supervisor,
            held_on=today - timedelta(days=1),
            duration_minutes=60,
            format="one_to_one",
            status="held",
            topics=[],
            notes="",
            actions="",
            wellbeing_checked=False,
            safeguarding_concern=False,
            today=today,
        )

    twin()
    monkeypatch.setattr(supervision_services, "session_problems", lambda **kwargs: {})
    with pytest.raises(ValidationError) as refused:
        twin()
    assert refused.value.message_dict == {
        "same_day_reason": [supervision_services.SAME_DAY_MESSAGE]
    }
    assert SupervisionSession.objects.filter(arrangement=arrangement).count() == 1


@pytest.mark.django_db
def test_a_second_session_the_same_day_with_its_reason_is_allowed_by_the_database(psw, supervisor):
    arrangement = factories.ArrangementFactory(supervisee=psw, supervisor=supervisor)
    factories.SessionFactory(arrangement=arrangement, held_on=date(2026, 2, 2))
    factories.SessionFactory(
        arrangement=arrangement, held_on=date(2026, 2, 2), same_day_reason="Group after the 1:1"
    )
    assert arrangement.sessions.count() == 2
