"""The knowledge-check rules: examples people would recognise, then properties over
generated attempts (hypothesis)."""

import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from organisation.words import BOTH, Side
from training import check_rules

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("score", "out_of", "pass_mark", "expected"),
    [
        (4, 5, 80, True),
        (3, 5, 80, False),
        (8, 10, 80, True),
        (7, 9, 80, False),  # 77.8%: no rounding up
        (9, 10, 80, True),
        (0, 0, 80, False),  # an empty attempt never passes
        (5, 5, 100, True),
    ],
)
def test_a_pass_is_a_score_at_or_above_the_pass_mark(score, out_of, pass_mark, expected):
    assert check_rules.passed(score, out_of, pass_mark) is expected


def test_a_multiple_choice_answer_is_right_only_with_exactly_the_right_choices():
    assert check_rules.is_right([0, 2], [2, 0])
    assert not check_rules.is_right([0, 2], [0])
    assert not check_rules.is_right([0, 2], [0, 1, 2])
    assert not check_rules.is_right([1], [])


def test_an_unanswered_question_scores_nothing():
    questions = [{"id": "a", "correct": [0]}, {"id": "b", "correct": [1]}]
    assert check_rules.score(questions, {"a": [0]}) == 1


def test_after_the_days_attempts_the_next_is_tomorrow():
    assert check_rules.next_attempt_on(TODAY, 2, 1) == TODAY
    assert check_rules.next_attempt_on(TODAY, 2, 2) == TODAY + timedelta(days=1)
    assert check_rules.attempts_left(2, 5) == 0


@pytest.mark.parametrize(
    ("module_provider", "completes"),
    [(Side.NHS, Side.NHS), (Side.EMPLOYER, Side.EMPLOYER), (BOTH, Side.EMPLOYER)],
)
def test_a_check_completes_the_modules_provider_and_the_charitys_side_of_a_both_module(
    module_provider, completes
):
    assert check_rules.check_provider(module_provider) == completes


def test_attempts_needed_count_up_to_each_persons_first_pass():
    figures = check_rules.module_figures([(1, False), (2, True), (1, True), (1, True), (3, False)])
    assert (figures.attempts, figures.people, figures.passes) == (5, 3, 3)
    assert figures.attempts_to_pass == 1.5  # person 1 needed 2, person 2 needed 1
    assert figures.pass_rate == 60


# Properties.

ids = st.lists(st.text(min_size=1, max_size=4), min_size=0, max_size=12, unique=True)


@given(ids, st.one_of(st.none(), st.integers(min_value=1, max_value=15)), st.integers())
def test_a_draw_asks_distinct_questions_from_the_bank_in_the_editors_order(bank, count, seed):
    drawn = check_rules.draw(bank, count, random.Random(seed))
    assert len(drawn) == (len(bank) if count is None else min(count, len(bank)))
    assert len(set(drawn)) == len(drawn)
    assert drawn == [each for each in bank if each in drawn]


@st.composite
def attempts(draw):
    size = draw(st.integers(min_value=1, max_value=10))
    questions = [
        {"id": str(n), "correct": draw(st.sets(st.integers(0, 3), min_size=1))} for n in range(size)
    ]
    answers = {
        q["id"]: sorted(draw(st.sets(st.integers(0, 3)))) for q in questions if draw(st.booleans())
    }
    return questions, answers


@given(attempts())
def test_a_score_is_between_nothing_and_every_question(attempt):
    questions, answers = attempt
    assert 0 <= check_rules.score(questions, answers) <= len(questions)


@given(attempts())
def test_answering_with_the_right_choices_scores_every_question(attempt):
    questions, _ = attempt
    right = {q["id"]: sorted(q["correct"]) for q in questions}
    assert check_rules.score(questions, right) == len(questions)
    assert check_rules.passed(len(questions), len(questions), 100)


@given(st.integers(0, 50), st.integers(1, 50), st.integers(1, 100))
def test_one_more_right_answer_never_turns_a_pass_into_a_fail(score, out_of, pass_mark):
    score = min(score, out_of - 1)
    if check_rules.passed(score, out_of, pass_mark):
        assert check_rules.passed(score + 1, out_of, pass_mark)


@given(st.integers(1, 20), st.integers(0, 40), st.dates())
def test_another_attempt_is_allowed_today_exactly_while_attempts_are_left(allowed, taken, today):
    left = check_rules.attempts_left(allowed, taken)
    assert 0 <= left <= allowed
    next_on = check_rules.next_attempt_on(today, allowed, taken) if today < date.max else None
    if next_on is not None:
        assert (next_on == today) == (taken < allowed)
        assert next_on - today <= timedelta(days=1)


@given(st.lists(attempts(), max_size=6))
def test_question_figures_never_count_more_wrong_answers_than_times_asked(many):
    for figures in check_rules.question_figures(many).values():
        assert 0 <= figures.wrong <= figures.asked
        assert 0 <= figures.wrong_percent <= 100


@given(st.lists(st.tuples(st.integers(1, 5), st.booleans()), max_size=30))
def test_module_figures_are_consistent(outcomes):
    figures = check_rules.module_figures(outcomes)
    assert figures.passes <= figures.attempts
    assert figures.people <= figures.attempts
    assert 0 <= figures.pass_rate <= 100
    if figures.attempts_to_pass is not None:
        assert 1 <= figures.attempts_to_pass <= figures.attempts


def test_answer_problems_name_each_unanswered_or_impossible_answer():
    questions = [
        {"id": "a", "kind": "single", "choices": ["x", "y"], "correct": [0]},
        {"id": "b", "kind": "single", "choices": ["x", "y"], "correct": [0]},
        {"id": "c", "kind": "multiple", "choices": ["x", "y"], "correct": [0, 1]},
        {"id": "d", "kind": "multiple", "choices": ["x", "y"], "correct": [0]},
    ]
    answers = {"b": [0, 1], "c": [0, 1], "d": [2]}
    assert check_rules.answer_problems(questions, answers) == {
        "a": "Please choose an answer.",
        "b": "Please choose one answer.",
        "d": "Please choose from the answers shown.",
    }


@given(attempts())
def test_the_right_answers_are_never_refused_as_a_problem(attempt):
    questions, _ = attempt
    for question in questions:
        question["kind"] = "multiple"
        question["choices"] = ["a", "b", "c", "d"]
    right = {q["id"]: sorted(q["correct"]) for q in questions}
    assert check_rules.answer_problems(questions, right) == {}
