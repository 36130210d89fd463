"""Taking a knowledge check: starting, handing in, limits, and the record a pass makes."""

import random
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests import factories
from tests.security.test_races import at_once, concurrent
from training import services
from training.models import KnowledgeCheckAttempt, TrainingRecord
from training.selectors import requirement_statuses

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


@pytest.fixture
def check():
    return factories.checked_module(questions=6, check_question_count=5)


def start(psw, module, today=TODAY):
    return services.attempt_start(
        person=psw, module=module, today=today, by=psw, rng=random.Random(1)
    )


def hand_in(psw, attempt, answers, today=TODAY):
    return services.attempt_submit(attempt=attempt, answers=answers, by=psw, today=today)


def test_an_attempt_draws_the_number_of_questions_the_editor_set_from_the_bank(psw, check):
    attempt = start(psw, check)
    bank = {q["id"] for q in check.check_question_bank()}
    assert len(attempt.questions) == 5
    assert {q["id"] for q in attempt.questions} <= bank
    assert attempt.pass_mark == 80
    assert attempt.history.get().history_change_reason == "Started: 5 questions drawn"


def test_starting_again_continues_the_open_attempt_with_the_same_questions(psw, check):
    first = start(psw, check)
    again = services.attempt_start(
        person=psw, module=check, today=TODAY, by=psw, rng=random.Random(99)
    )
    assert again.pk == first.pk
    assert again.questions == first.questions
    assert KnowledgeCheckAttempt.objects.count() == 1


def test_a_pass_records_a_verified_completion_through_the_record_service(psw, check):
    attempt = start(psw, check)
    hand_in(psw, attempt, factories.wrong_answers(attempt, 1))

    attempt.refresh_from_db()
    assert (attempt.score, attempt.out_of, attempt.passed) == (4, 5, True)
    record = TrainingRecord.objects.get(person=psw, module=check)
    assert attempt.record == record
    assert (record.status, record.provider, record.completed_on) == ("verified", "employer", TODAY)
    assert record.status_reason == "Passed the knowledge check (4/5)"
    assert record.certificate_code
    assert record.history.get().history_change_reason == "Passed the knowledge check (4/5)"
    assert record.created_by == psw


def test_the_status_engine_treats_a_passed_check_like_any_verified_completion(psw, check):
    attempt = start(psw, check)
    hand_in(psw, attempt, factories.right_answers(attempt))
    statuses = requirement_statuses([psw], TODAY)[psw.pk]
    assert [s.status for s in statuses if s.module_id == check.pk] == ["valid"]


def test_a_pass_waits_for_a_manager_when_the_module_asks_for_it(psw, manager, client):
    module = factories.checked_module(check_verified_at_once=False)
    attempt = start(psw, module)
    hand_in(psw, attempt, factories.right_answers(attempt))
    record = TrainingRecord.objects.get(person=psw, module=module)
    assert record.status == "pending"
    assert record.status_reason == "Passed the knowledge check (5/5)"
    assert not record.certificate_code
    client.force_login(manager)
    queue = client.get(reverse("training_admin:pending")).content.decode()
    assert "Passed the knowledge check (5/5)" in queue


def test_a_both_module_check_completes_the_charitys_side(psw):
    module = factories.checked_module(title="Safeguarding", provider="both")
    attempt = start(psw, module)
    hand_in(psw, attempt, factories.right_answers(attempt))
    assert TrainingRecord.objects.get(person=psw, module=module).provider == "employer"


def test_a_fail_keeps_the_attempt_and_records_no_completion(psw, check):
    attempt = start(psw, check)
    hand_in(psw, attempt, factories.wrong_answers(attempt, 2))
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed, attempt.submitted_on) == (3, False, TODAY)
    assert attempt.answers == {q: sorted(a) for q, a in factories.wrong_answers(attempt, 2).items()}
    assert not TrainingRecord.objects.exists()
    assert attempt.history.first().history_change_reason == "Handed in: 3/5, not passed"


def test_attempts_are_limited_per_day_and_allowed_again_the_next_day(psw, check):
    for _ in range(2):
        attempt = start(psw, check)
        hand_in(psw, attempt, factories.wrong_answers(attempt, 5))

    with pytest.raises(ValidationError) as refused:
        start(psw, check)
    assert "You can try again on Tuesday 1 December 2026." in refused.value.messages[0]
    assert KnowledgeCheckAttempt.objects.filter(submitted_at__isnull=True).count() == 0

    tomorrow = start(psw, check, today=TODAY + timedelta(days=1))
    assert tomorrow.submitted_at is None


def test_a_handed_in_attempt_cannot_be_handed_in_again(psw, check):
    attempt = start(psw, check)
    hand_in(psw, attempt, factories.wrong_answers(attempt, 5))

    with pytest.raises(ValidationError, match="already been handed in"):
        hand_in(psw, attempt, factories.right_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.score == 0
    assert not TrainingRecord.objects.exists()


def test_unanswered_questions_are_refused_and_change_nothing(psw, check):
    attempt = start(psw, check)
    answers = factories.right_answers(attempt)
    del answers[attempt.questions[0]["id"]]
    answers[attempt.questions[1]["id"]] = [7]

    with pytest.raises(ValidationError) as refused:
        hand_in(psw, attempt, answers)
    assert refused.value.message_dict == {
        attempt.questions[0]["id"]: ["Please choose an answer."],
        attempt.questions[1]["id"]: ["Please choose from the answers shown."],
    }
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_nobody_can_hand_in_someone_elses_attempt(psw, other_psw, manager, check):
    attempt = start(psw, check)
    for someone in (other_psw, manager):
        with pytest.raises(PermissionDenied):
            services.attempt_submit(
                attempt=attempt, answers=factories.right_answers(attempt), by=someone, today=TODAY
            )
    with pytest.raises(PermissionDenied):
        services.attempt_start(person=psw, module=check, today=TODAY, by=manager)


def test_a_module_without_questions_has_no_check_to_start(psw):
    with pytest.raises(ValidationError, match="has no knowledge check"):
        start(psw, factories.module(title="PMVA breakaway", provider="nhs"))


def test_a_second_pass_on_the_same_day_points_at_the_one_record(psw, check):
    check.check_attempts_per_day = 3
    check.save_revision().publish()
    for _ in range(2):
        attempt = start(psw, check)
        hand_in(psw, attempt, factories.right_answers(attempt))
    assert TrainingRecord.objects.filter(person=psw, module=check).count() == 1
    assert {a.record_id for a in KnowledgeCheckAttempt.objects.all()} == {
        TrainingRecord.objects.get().pk
    }


def test_a_stale_copy_of_an_attempt_handed_in_twice_makes_one_record(psw, check):
    """The twin of a double submission, on any database: both requests loaded the
    attempt before either saved, so the Python check alone would let both through."""
    attempt = start(psw, check)
    twin = KnowledgeCheckAttempt.objects.get(pk=attempt.pk)
    hand_in(psw, attempt, factories.right_answers(attempt))

    with pytest.raises(ValidationError, match="already been handed in"):
        hand_in(psw, twin, factories.right_answers(twin))
    assert TrainingRecord.objects.filter(person=psw, module=check).count() == 1


@concurrent
def test_a_pass_recorded_twice_at_once_makes_one_record():
    module = factories.checked_module(title="Data protection race")
    psw = factories.psw(username="psw.twice")
    attempt = services.attempt_start(person=psw, module=module, today=TODAY, by=psw)
    answers = factories.right_answers(attempt)

    outcomes = at_once(
        lambda: services.attempt_submit(attempt=attempt, answers=answers, by=psw, today=TODAY),
        lambda: services.attempt_submit(attempt=attempt, answers=answers, by=psw, today=TODAY),
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "KnowledgeCheckAttempt",
        "ValidationError",
    ]
    assert TrainingRecord.objects.filter(person=psw, module=module).count() == 1
    assert KnowledgeCheckAttempt.objects.get().record is not None


def test_only_a_passed_attempt_of_that_person_and_module_can_stand_as_a_completion(
    psw, other_psw, check
):
    attempt = start(psw, check)
    hand_in(psw, attempt, factories.wrong_answers(attempt, 5))
    attempt.refresh_from_db()
    for person, passed in ((psw, False), (other_psw, True)):
        attempt.passed = passed
        with pytest.raises(PermissionDenied):
            services.record_create(
                person=person,
                module=check,
                provider="employer",
                completed_on=TODAY,
                by=person,
                passed_check=attempt,
            )
    assert not TrainingRecord.objects.exists()
