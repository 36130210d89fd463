"""Knowledge-check rules as pure functions of plain data, beside `rules.py`.

Scoring, the pass mark, the daily limit on attempts, which questions an attempt draws
and the figures managers see all live here, with no ORM, so they can be tested
exhaustively. A pass becomes an ordinary training record through the services, and
from there `rules.py` treats it like any verified completion.
"""

from dataclasses import dataclass
from datetime import timedelta

from organisation.words import BOTH, Side

DEFAULT_PASS_MARK = 80  # the NHS Core Skills Training Framework's pass mark, in percent
DEFAULT_ATTEMPTS_PER_DAY = 2


def check_provider(module_provider):
    """Whose requirement a passed check completes.

    A check is written and published on the charity's own site, so for a module both
    sides deliver it stands for the charity's training; the NHS side keeps being
    recorded from the Trust's own course or e-learning.
    """
    return Side.EMPLOYER if module_provider == BOTH else module_provider


def is_right(correct, chosen):
    """An answer is right when exactly the correct choices are chosen."""
    return frozenset(chosen) == frozenset(correct)


def score(questions, answers):
    """How many of `questions` (each with `id` and `correct`) `answers` got right.

    `answers` maps a question id to the chosen choice numbers; a missing one is wrong.
    """
    return sum(1 for q in questions if is_right(q["correct"], answers.get(q["id"], ())))


def passed(score, out_of, pass_mark):
    """A pass is a score of at least `pass_mark` percent (no rounding up)."""
    return out_of > 0 and score * 100 >= pass_mark * out_of


def answer_problems(questions, answers):
    """{question id: what is wrong} for unanswered questions and impossible answers.

    Shared by the attempt form and the service, so each refusal has one wording.
    """
    problems = {}
    for question in questions:
        chosen = answers.get(question["id"], [])
        if not chosen:
            problems[question["id"]] = "Please choose an answer."
        elif question["kind"] == "single" and len(chosen) > 1:
            problems[question["id"]] = "Please choose one answer."
        elif not set(chosen) <= set(range(len(question["choices"]))):
            problems[question["id"]] = "Please choose from the answers shown."
    return problems


def attempts_left(allowed_per_day, taken_today):
    return max(allowed_per_day - taken_today, 0)


def next_attempt_on(today, allowed_per_day, taken_today):
    """The first day another attempt may be started."""
    if attempts_left(allowed_per_day, taken_today):
        return today
    return today + timedelta(days=1)


def draw(question_ids, count, rng):
    """The questions one attempt asks: `count` of the bank at random (all of it when
    `count` is empty or larger), kept in the order the editor gave them."""
    question_ids = list(question_ids)
    if not count or count >= len(question_ids):
        return question_ids
    chosen = set(rng.sample(question_ids, count))
    return [each for each in question_ids if each in chosen]


@dataclass(frozen=True)
class QuestionFigures:
    """How often one question was asked and answered wrongly: no names, only counts."""

    id: str
    asked: int
    wrong: int

    @property
    def wrong_percent(self):
        return round(100 * self.wrong / self.asked) if self.asked else 0


@dataclass(frozen=True)
class ModuleFigures:
    attempts: int
    people: int
    passes: int
    attempts_to_pass: float | None  # on average, counting up to each person's first pass

    @property
    def pass_rate(self):
        return round(100 * self.passes / self.attempts) if self.attempts else 0


def question_figures(attempts):
    """Per question id, over submitted attempts given as (questions, answers) pairs."""
    asked, wrong = {}, {}
    for questions, answers in attempts:
        for question in questions:
            asked[question["id"]] = asked.get(question["id"], 0) + 1
            if not is_right(question["correct"], answers.get(question["id"], ())):
                wrong[question["id"]] = wrong.get(question["id"], 0) + 1
    return {each: QuestionFigures(each, asked[each], wrong.get(each, 0)) for each in asked}


def module_figures(outcomes):
    """From (person id, passed) pairs in the order the attempts were submitted."""
    outcomes = list(outcomes)
    taken, needed = {}, {}
    for person, has_passed in outcomes:
        taken[person] = taken.get(person, 0) + 1
        if has_passed and person not in needed:
            needed[person] = taken[person]
    return ModuleFigures(
        attempts=len(outcomes),
        people=len(taken),
        passes=sum(1 for _, has_passed in outcomes if has_passed),
        attempts_to_pass=sum(needed.values()) / len(needed) if needed else None,
    )
