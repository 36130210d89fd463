"""The knowledge check in the browser: an editor adds five questions to Safeguarding and
publishes them; a PSW on a phone fails once, reads the feedback, passes on the next
attempt the day allows and leaves with a certificate; a manager reads the figures."""

import re

import pytest
from playwright.sync_api import expect

from training.models import KnowledgeCheckAttempt, TrainingModulePage, TrainingRecord

from .conftest import look

pytestmark = pytest.mark.e2e

# (statement, is it true?, feedback) for the true-or-false questions.
STATEMENTS = [
    (
        "If someone tells you about abuse, you should promise to keep it secret.",
        False,
        "Never promise secrecy: listen, stay calm, and explain who you will need to tell.",
    ),
    (
        "Self-neglect can be a safeguarding concern.",
        True,
        "Self-neglect is one of the kinds of abuse and neglect the Care Act names.",
    ),
    (
        "You raise a concern with the NHS team and with your manager here.",
        True,
        "You work in both organisations, so both need to know.",
    ),
    (
        "A safeguarding record should keep to what the person said.",
        True,
        "Record facts and the person's own words, not your opinions.",
    ),
]
CHOICE = (
    "Who do you tell first when you are worried about someone's safety at work?",
    ["Nobody, until you are sure", "Your manager or the NHS team's safeguarding lead"],
    1,
    "Tell someone the same day: you do not need to be sure to raise a concern.",
)


def add_block(editor, label):
    editor.locator("#check_questions-root .c-sf-add-button").last.click()
    editor.get_by_role("option", name=label).click()


def add_questions(editor):
    for n, (statement, true, feedback) in enumerate(STATEMENTS):
        add_block(editor, "True or false")
        editor.locator(f"#check_questions-{n}-value-statement").fill(statement)
        editor.locator(f"#check_questions-{n}-value-answer").select_option(
            "true" if true else "false"
        )
        editor.locator(f"#check_questions-{n}-value-feedback").fill(feedback)
    n = len(STATEMENTS)
    question, answers, right, feedback = CHOICE
    add_block(editor, "Single choice question")
    editor.locator(f"#check_questions-{n}-value-question").fill(question)
    editor.locator("#check_questions-root").get_by_role("button", name="Add").last.click()
    for index, text in enumerate(answers):
        editor.locator(f"#check_questions-{n}-value-answers-{index}-value-text").fill(text)
    editor.locator(f"#check_questions-{n}-value-answers-{right}-value-correct").check()
    editor.locator(f"#check_questions-{n}-value-feedback").fill(feedback)


def answer(page, *, true_false, choice):
    """Answer each question by its group (fieldset and legend), as a screen reader would."""
    for n, ((statement, _, _), value) in enumerate(
        zip(STATEMENTS, true_false, strict=True), start=1
    ):
        group = page.get_by_role("group", name=f"{n}. {statement}")
        group.get_by_label("True" if value else "False", exact=True).check()
    group = page.get_by_role("group", name=f"{len(STATEMENTS) + 1}. {CHOICE[0]}")
    group.get_by_label(CHOICE[1][choice]).check()


def fits_a_phone(page, name):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name} scrolls sideways on a phone ({width}px)"


def test_an_editor_adds_a_check_a_psw_fails_then_passes_on_a_phone_and_a_manager_reads_it(
    open_as,
):
    safeguarding = TrainingModulePage.objects.get(slug="safeguarding")

    editor = open_as("admin")
    editor.goto(f"/admin/pages/{safeguarding.pk}/edit/")
    add_questions(editor)
    editor.get_by_label("Attempts allowed per day").fill("2")
    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Publish").click()
    expect(editor.locator(".messages")).to_contain_text("published")
    assert len(TrainingModulePage.objects.get(pk=safeguarding.pk).check_questions) == 5

    psw = open_as("psw4", phone=True)
    psw.goto("/training/")
    psw.get_by_role("link", name="Safeguarding").click()
    check = psw.get_by_role("region", name="Knowledge check")
    expect(check).to_contain_text("5 questions. To pass, get 80% right.")
    check.get_by_role("button", name="Start the knowledge check").click()
    expect(psw.get_by_role("group", name=re.compile("^1\\. "))).to_be_visible()
    assert "correct" not in psw.content().lower()
    look(psw, "psw-knowledge-check-questions")
    fits_a_phone(psw, "the questions")

    # First attempt: two wrong, 3 out of 5 is below the pass mark.
    answer(psw, true_false=[True, False, True, True], choice=1)
    psw.get_by_role("button", name="Hand in my answers").click()
    expect(psw.get_by_role("heading", level=1)).to_have_text("Knowledge check: Safeguarding")
    expect(psw.locator(".check-result")).to_contain_text("Not passed")
    expect(psw.locator(".check-result")).to_contain_text("3 out of 5 right (60%)")
    missed = psw.locator(".check-missed")
    expect(missed).to_contain_text(STATEMENTS[0][2])
    expect(missed).to_contain_text(STATEMENTS[1][2])
    expect(psw.get_by_role("status")).to_contain_text("you have 1 attempt left today")
    look(psw, "psw-knowledge-check-not-passed")
    fits_a_phone(psw, "the result")

    # The next attempt the day allows.
    psw.get_by_role("link", name="Back to the knowledge check").click()
    psw.get_by_role("button", name="Try the knowledge check again").click()
    answer(psw, true_false=[False, True, True, True], choice=1)
    psw.get_by_role("button", name="Hand in my answers").click()
    expect(psw.locator(".check-result")).to_contain_text("Passed")
    expect(psw.locator(".check-result")).to_contain_text("5 out of 5 right (100%)")
    completion = psw.get_by_role("region", name="Your completion")
    expect(completion).to_contain_text("Verified")
    certificate = completion.get_by_role("link", name="Download the certificate (PDF)")
    response = psw.request.get(certificate.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    look(psw, "psw-knowledge-check-passed")

    psw.get_by_role("link", name="Back to Safeguarding").click()
    record = psw.get_by_role("region", name="Your record")
    expect(record).to_contain_text(re.compile(r"Leeds Mind: \S*\s*Valid", re.I))
    fits_a_phone(psw, "the module page")
    records = TrainingRecord.objects.filter(
        person__username="psw4", module=safeguarding, status_reason__startswith="Passed"
    )
    assert [r.status_reason for r in records] == ["Passed the knowledge check (5/5)"]
    assert KnowledgeCheckAttempt.objects.filter(person__username="psw4").count() == 2

    manager = open_as("manager")
    manager.get_by_role("button", name="Training").click()
    manager.get_by_role("link", name="Knowledge checks").click()
    expect(manager.get_by_role("heading", level=1)).to_contain_text("Knowledge checks")
    figures = manager.get_by_role("table", name=re.compile("Questions in Safeguarding"))
    first = figures.get_by_role("row").filter(has_text=STATEMENTS[0][0])
    expect(first).to_contain_text("1 (50%)")
    expect(manager.get_by_role("main")).to_contain_text("2 attempts by 1 person; 50% passed.")
    expect(manager.get_by_role("main")).not_to_contain_text("Firth")
    look(manager, "manager-knowledge-check-figures")
