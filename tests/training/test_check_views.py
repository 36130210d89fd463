"""The knowledge check on the site and the figures in the staff workspace: what each
person sees, what the browser is never sent, and every refusal."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.doors import refused, sent_home
from training.blocks import MultipleChoiceQuestionBlock, SingleChoiceQuestionBlock
from training.models import KnowledgeCheckAttempt, TrainingModulePage, TrainingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def check():
    return factories.checked_module(questions=5)


def start_url(module):
    return module.check_url("check_start")


def attempt_url(attempt):
    return attempt.module.check_url("check_attempt", attempt.pk)


def form_data(attempt, answers):
    return {f"q-{question}": [str(n) for n in chosen] for question, chosen in answers.items()}


def begin(client, psw, module):
    client.force_login(psw)
    assert client.post(start_url(module)).status_code == 302
    return KnowledgeCheckAttempt.objects.get(person=psw, module=module, submitted_at=None)


def the_form(html):
    """The attempt's form, less its CSRF token (masked afresh on every page)."""
    form = re.search(r'<form method="post" action="[^"]*check/\d+/".*?</form>', html, re.S).group()
    return re.sub(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>', "", form)


def test_the_questions_are_on_the_module_page_one_fieldset_each(client, psw, check):
    client.force_login(psw)
    before = client.get(check.url).content.decode()
    assert "Start the knowledge check" in before
    assert "5 questions. To pass, get 80% right. There is no time limit" in before

    attempt = begin(client, psw, check)
    html = client.get(check.url).content.decode()
    form = the_form(html)
    assert form.count("<fieldset") == form.count("<legend>") == 5
    for number, question in enumerate(attempt.questions, start=1):
        assert f"<legend>{number}. {question['text']}</legend>" in form
    assert "Choose all that apply." in form


def test_the_page_source_says_nothing_about_which_answers_are_right(client, psw, check):
    attempt = begin(client, psw, check)
    html = client.get(check.url).content.decode()
    form = the_form(html)
    for question in attempt.questions:
        assert question["feedback"] not in html
    assert "correct" not in html.lower()
    assert set(re.findall(r'value="([^"]*)"', form)) == {"0", "1", "2"}

    # The same questions with other right answers give the very same page.
    for question in attempt.questions:
        question["correct"] = [len(question["choices"]) - 1]
    attempt.save()
    assert the_form(client.get(check.url).content.decode()) == form


def test_a_failed_attempt_shows_the_score_what_was_missed_and_when_to_try_again(client, psw, check):
    attempt = begin(client, psw, check)
    answers = factories.wrong_answers(attempt, 2)

    response = client.post(attempt_url(attempt), form_data(attempt, answers), follow=True)

    html = response.content.decode()
    assert "Not passed" in html and "3 out of 5 right (60%). The pass mark is 80%." in html
    for question in attempt.questions[:2]:
        assert question["feedback"] in html
    assert attempt.questions[2]["feedback"] not in html
    assert "You can try again now: you have 1 attempt left today." in html
    assert not TrainingRecord.objects.exists()


def test_after_the_days_last_attempt_the_page_says_which_day_the_next_may_be_taken(
    client, psw, check
):
    for _ in range(2):
        attempt = begin(client, psw, check)
        client.post(attempt_url(attempt), form_data(attempt, factories.wrong_answers(attempt, 5)))
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    words = f"{tomorrow:%A} {tomorrow.day} {tomorrow:%B %Y}"

    assert f"You can try again on {words}" in client.get(attempt_url(attempt)).content.decode()
    assert f"You can try again on {words}" in client.get(check.url).content.decode()
    response = client.post(start_url(check), follow=True)
    assert f"You can try again on {words}." in response.content.decode()
    assert KnowledgeCheckAttempt.objects.count() == 2


def test_a_pass_shows_the_completion_recorded_and_its_certificate(client, psw, check):
    attempt = begin(client, psw, check)

    response = client.post(
        attempt_url(attempt), form_data(attempt, factories.right_answers(attempt)), follow=True
    )

    record = TrainingRecord.objects.get(person=psw, module=check)
    html = response.content.decode()
    assert "Passed" in html and "5 out of 5 right (100%)" in html
    assert "Verified" in html
    assert reverse("certificates:pdf", args=[record.certificate_code]) in html
    assert "status-valid" in client.get(check.url).content.decode()


def test_answers_handed_in_again_change_nothing(client, psw, check):
    attempt = begin(client, psw, check)
    url = attempt_url(attempt)
    client.post(url, form_data(attempt, factories.wrong_answers(attempt, 5)))

    again = client.post(url, form_data(attempt, factories.right_answers(attempt)), follow=True)

    assert "already been handed in" in again.content.decode()
    empty = client.post(url, {}, follow=True)
    assert "already been handed in" in empty.content.decode()
    attempt.refresh_from_db()
    assert attempt.score == 0 and not attempt.passed
    assert not TrainingRecord.objects.exists()


def test_unanswered_questions_are_marked_and_nothing_is_handed_in(client, psw, check):
    attempt = begin(client, psw, check)
    answers = factories.right_answers(attempt)
    del answers[attempt.questions[0]["id"]]

    response = client.post(attempt_url(attempt), form_data(attempt, answers))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and "Nothing has been handed in yet" in html
    assert "Please choose an answer." in html
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_someone_elses_attempt_answers_404_to_other_psws_supervisors_and_service_leads(
    client, psw, other_psw, supervisor, service_lead, check
):
    factories.ArrangementFactory(supervisee=psw, supervisor=supervisor)
    attempt = begin(client, psw, check)
    client.post(attempt_url(attempt), form_data(attempt, factories.wrong_answers(attempt, 1)))
    open_one = begin(client, psw, check)

    for stranger in (other_psw, supervisor, service_lead):
        client.force_login(stranger)
        assert client.get(attempt_url(attempt)).status_code == 404
        answers = form_data(open_one, factories.right_answers(open_one))
        assert client.post(attempt_url(open_one), answers).status_code == 404
    open_one.refresh_from_db()
    assert open_one.submitted_at is None


def test_a_manager_reads_an_attempt_but_cannot_hand_one_in(client, psw, manager, check):
    attempt = begin(client, psw, check)
    client.force_login(manager)
    answers = form_data(attempt, factories.right_answers(attempt))
    assert client.post(attempt_url(attempt), answers).status_code == 404

    client.force_login(psw)
    client.post(attempt_url(attempt), form_data(attempt, factories.wrong_answers(attempt, 1)))
    client.force_login(manager)
    response = client.get(attempt_url(attempt))
    assert response.status_code == 200
    assert f"{psw.get_full_name()}'s attempt" in response.content.decode()


def test_only_psws_start_a_check_and_only_by_posting(client, psw, manager, check):
    client.force_login(psw)
    assert client.get(start_url(check)).status_code == 405
    client.force_login(manager)
    assert client.post(start_url(check)).status_code == 403
    client.logout()
    assert client.post(start_url(check)).status_code == 302
    assert not KnowledgeCheckAttempt.objects.exists()


def test_managers_see_how_often_each_question_is_answered_wrongly_without_names(
    client, psw, manager, check
):
    # Names no page chrome could contain by chance ("Brandi" is inside "Branding").
    psw.first_name, psw.last_name = "Quennell", "Zabrowski"
    psw.save(update_fields=["first_name", "last_name"])
    attempt = begin(client, psw, check)
    client.post(attempt_url(attempt), form_data(attempt, factories.wrong_answers(attempt, 1)))
    client.force_login(manager)

    response = client.get(reverse("training_admin:check_statistics"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 attempt by 1 person; 100% passed." in html
    first = attempt.questions[0]["text"]
    assert re.search(rf"<td>{re.escape(first)}</td><td>1</td><td>1 \(100%\)</td>", html)
    for name in (psw.username, psw.first_name, psw.last_name):
        assert name not in html
    assert "Knowledge checks" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_question_figures_are_refused_to_everyone_but_managers(
    client, psw, supervisor, service_lead
):
    for someone in (psw, supervisor, service_lead):
        client.force_login(someone)
        assert sent_home(client.get(reverse("training_admin:check_statistics")), someone)


def test_a_single_choice_question_needs_exactly_one_right_answer():
    block = SingleChoiceQuestionBlock()
    value = block.to_python(
        {
            "question": "Which?",
            "answers": [{"text": "A", "correct": True}, {"text": "B", "correct": True}],
            "feedback": "A.",
        }
    )
    with pytest.raises(ValidationError) as refused:
        block.clean(value)
    assert "exactly one answer" in str(refused.value.non_block_errors.as_data()[0])


def test_a_multiple_choice_question_needs_a_right_answer():
    block = MultipleChoiceQuestionBlock()
    value = block.to_python(
        {
            "question": "Which?",
            "answers": [{"text": "A", "correct": False}, {"text": "B", "correct": False}],
            "feedback": "None.",
        }
    )
    with pytest.raises(ValidationError) as refused:
        block.clean(value)
    assert "at least one answer" in str(refused.value.non_block_errors.as_data()[0])


def test_a_draft_check_is_previewed_but_attempts_draw_from_the_published_one(client, psw, check):
    draft = TrainingModulePage.objects.get(pk=check.pk)
    draft.check_questions = factories.check_questions(6)
    draft.check_questions[5].value["statement"] = "A question only in the draft."
    revision = draft.save_revision()

    request = RequestFactory().get(check.url)
    request.user, request.is_preview = factories.administrator(username="editor"), True
    preview = revision.as_object().serve_preview(request, "").render()
    assert "A question only in the draft." in preview.content.decode()
    assert "Start the knowledge check" not in preview.content.decode()

    attempt = begin(client, psw, check)
    assert len(attempt.questions) == 5


def test_managers_list_and_inspect_attempts_and_nobody_else_reaches_them(
    client, psw, other_psw, supervisor, service_lead, manager, check
):
    attempt = begin(client, psw, check)
    client.post(attempt_url(attempt), form_data(attempt, factories.wrong_answers(attempt, 1)))
    inspect = reverse("check-attempts:inspect", args=[attempt.pk])

    client.force_login(manager)
    listing = client.get(reverse("check-attempts:index")).content.decode()
    assert psw.get_full_name() in listing and "Passed, 4/5" in listing
    page = client.get(inspect)
    assert page.status_code == 200
    assert attempt_url(attempt) in page.content.decode()

    for someone in (psw, other_psw, supervisor, service_lead):
        client.force_login(someone)
        assert refused(client.get(inspect), someone)
        assert sent_home(client.get(reverse("check-attempts:index")), someone)
