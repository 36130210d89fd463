"""What people do with training: record, verify, reject, register, exempt, and take a
module's knowledge check (a pass is recorded by `record_create`, like any completion).

Each action checks who is acting (a manager, or the person themself), runs in one
transaction and names the acting user on the history row it writes, so the audit
trail is right even outside a web request (commands, tasks, tests).
"""

import random
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from people import roles

from . import check_rules, codes
from .evidence import check_evidence
from .models import KnowledgeCheckAttempt, TrainingExemption, TrainingRecord

Status = TrainingRecord.Status
VERIFY_ACTION = "training.verify"
REJECT_ACTION = "training.reject"
CORRECT_ACTION = "training.correct"
REISSUE_ACTION = "training.reissue"
WITHDRAW_ACTION = "training.withdraw"
WITHDRAWN_REASON = "Withdrawn by the person before it was verified."
ALREADY_RECORDED = "This completion is already recorded for that date."
IN_THE_FUTURE = "The date you completed it cannot be in the future."
ALREADY_SUBMITTED = "This attempt has already been handed in, so it cannot be changed."


@dataclass
class RegisterResult:
    """What an attendance register did: records created, and people already recorded."""

    created: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def _require_manager(user):
    if not roles.is_manager(user):
        raise PermissionDenied("Only a manager can do this.")


def completion_problems(*, module, provider, completed_on, today):
    """{field: message} for a completion that cannot be recorded as given; empty when it can."""
    problems = {}
    if provider not in module.providers():
        problems["provider"] = f"{module.title} is not delivered by that provider."
    if completed_on is not None and completed_on > today:
        problems["completed_on"] = IN_THE_FUTURE
    return problems


def _check_provider(module, provider):
    problems = completion_problems(module=module, provider=provider, completed_on=None, today=None)
    if problems:
        raise ValidationError(problems)


def _live_record_exists(*, person, module, provider, completed_on):
    return (
        TrainingRecord.objects.filter(
            person=person, module=module, provider=provider, completed_on=completed_on
        )
        .exclude(status=Status.REJECTED)
        .exists()
    )


def _mark_verified(record, by):
    record.status = Status.VERIFIED
    record.verified_by = by
    record.verified_at = timezone.now()
    if record.module.issues_certificate and not record.certificate_code:
        record.certificate_code = codes.new_code()
        record.issued_name = record.person.legal_name()


@transaction.atomic
def certificates_reissue(*, person, by):
    """After a legal name change: each current certificate gets a new code and the new
    name; the old codes answer "replaced" on the public check page (from the history)."""
    reissued = []
    records = TrainingRecord.objects.select_for_update().select_related("module", "person")
    for record in records.filter(
        person=person, status=Status.VERIFIED, certificate_code__isnull=False
    ):
        record.certificate_code = codes.new_code()
        record.issued_name = person.legal_name()
        reissued.append(_save(record, by, REISSUE_ACTION, "Certificate re-issued under a new name"))
    return reissued


def _save(instance, by, action, why):
    """Save with the acting user and what happened, in words, on the history row, and
    in the admin's log."""
    instance._history_user = by
    instance._change_reason = why
    instance.save()
    log(instance=instance, action=action, user=by)
    return instance


def _is_pass_of(attempt, person, module):
    return (
        attempt.passed is True
        and attempt.person_id == person.pk
        and attempt.module_id == module.pk
        and attempt.submitted_at is not None
    )


def check_reason(score, out_of):
    return f"Passed the knowledge check ({score}/{out_of})"


@transaction.atomic
def record_create(
    *,
    person,
    module,
    provider,
    completed_on,
    evidence=None,
    notes="",
    by,
    why=None,
    today=None,
    passed_check=None,
):
    """A completion: pending when the PSW records their own, verified when a manager does.

    `why` replaces the usual words on the history row, for records that arrive another
    way (an import says which file, and who imported it). `passed_check` is the
    knowledge-check attempt whose pass is the completion: it is verified at once, or
    waits for a manager when the module asks for that, and says so in its reason.
    """
    if by.pk != person.pk and not roles.is_manager(by):
        raise PermissionDenied("You can only record your own training.")
    if passed_check is not None and not _is_pass_of(passed_check, person, module):
        raise PermissionDenied("Only a passed check of this module by this person counts.")
    problems = completion_problems(
        module=module,
        provider=provider,
        completed_on=completed_on,
        today=today or timezone.localdate(),
    )
    if problems:
        raise ValidationError(problems)
    if _live_record_exists(
        person=person, module=module, provider=provider, completed_on=completed_on
    ):
        raise ValidationError({"completed_on": ALREADY_RECORDED})
    record = TrainingRecord(
        person=person,
        module=module,
        provider=provider,
        completed_on=completed_on,
        notes=notes,
        created_by=by,
    )
    if evidence:
        try:
            kind = check_evidence(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from None
        evidence.name = f"evidence.{kind.extension}"
        record.evidence = evidence
    if roles.is_manager(by):
        _mark_verified(record, by)
        why = why or "Recorded and verified by a manager"
    elif passed_check is not None:
        record.status_reason = why = check_reason(passed_check.score, passed_check.out_of)
        if module.check_verified_at_once:
            _mark_verified(record, None)
        else:
            why += ", waiting for verification"
    else:
        why = why or "Recorded, waiting for verification"
    try:
        with transaction.atomic():
            return _save(record, by, "wagtail.create", why)
    except IntegrityError:
        # The same completion saved a moment ago by a twin request (a double click):
        # the database constraint caught what the check above could not yet see.
        _remove_saved_file(record.evidence)
        raise ValidationError({"completed_on": ALREADY_RECORDED}) from None
    except BaseException:
        _remove_saved_file(record.evidence)
        raise


def _remove_saved_file(field_file):
    """The evidence was written to storage before the row failed to save: remove it, so
    nothing personal outlives a record that was never made. (A process killed at this
    moment leaves the file for `manage.py clean_files`.)"""
    if field_file and field_file._committed:
        field_file.storage.delete(field_file.name)


def _locked(record):
    return TrainingRecord.objects.select_for_update().select_related("module").get(pk=record.pk)


def _changed_meanwhile(record):
    """What someone else did to `record` (locked, as it is now), in the manager's words."""
    newest = record.history.select_related("history_user").first()
    who = (newest.history_user if newest else None) or "someone else"
    when = timezone.localtime(newest.history_date) if newest else None
    moment = "a moment ago" if when is None else f"a moment ago ({when:%H:%M})"
    done = {Status.VERIFIED: "verified", Status.REJECTED: "rejected"}.get(record.status, "changed")
    return ValidationError(
        f"This record was {done} by {who} {moment}, so nothing was changed. "
        "Look at it again before deciding.",
        code="changed_meanwhile",
    )


@transaction.atomic
def record_verify(*, record, by, reason=""):
    """A manager confirms a pending completion; certificates get their code here."""
    _require_manager(by)
    seen = record.status
    record = _locked(record)
    if record.status != seen:
        raise _changed_meanwhile(record)
    if record.status != Status.PENDING:
        raise ValidationError(
            f"This record is {record.get_status_display().lower()}: only a record waiting "
            "for verification can be verified."
        )
    _mark_verified(record, by)
    record.status_reason = reason
    return _save(record, by, VERIFY_ACTION, f"Verified: {reason}" if reason else "Verified")


@transaction.atomic
def record_reject(*, record, by, reason, expected_status=None):
    """A manager rejects a pending record, or revokes a verified one, with a reason.

    `expected_status` is the state the manager saw when they chose (by default, that of
    the `record` passed in): if someone changed it meanwhile, nothing happens and the
    manager is told who did what, so a reject meant for a pending record never revokes
    one verified a moment earlier. The certificate code stays on a revoked record so the
    public check can say that the certificate was revoked rather than that it never
    existed.
    """
    _require_manager(by)
    if not reason.strip():
        raise ValidationError({"reason": "Please say why, so the person knows what to do next."})
    expected_status = expected_status or record.status
    record = _locked(record)
    if record.status != expected_status:
        raise _changed_meanwhile(record)
    if record.status == Status.REJECTED:
        raise ValidationError("This record has already been rejected.")
    what = "Revoked" if record.status == Status.VERIFIED else "Rejected"
    record.status = Status.REJECTED
    record.status_reason = reason.strip()
    return _save(record, by, REJECT_ACTION, f"{what}: {record.status_reason}")


@transaction.atomic
def record_withdraw(*, record, by):
    """The person takes back a completion of their own that nobody has verified yet.

    The record is kept, rejected with a reason that says it was their choice, so it
    never counts and its date is free to record again; the history keeps what was
    claimed.
    """
    if record.person_id != by.pk:
        raise PermissionDenied("Only the person who recorded a completion can withdraw it.")
    record = _locked(record)
    if record.status != Status.PENDING:
        raise ValidationError(
            "Only a completion waiting for verification can be withdrawn, and this one "
            f"is {record.get_status_display().lower()}."
        )
    record.status = Status.REJECTED
    record.status_reason = WITHDRAWN_REASON
    record.withdrawn_at = timezone.now()
    return _save(record, by, WITHDRAW_ACTION, "Withdrawn by the person before verification")


@transaction.atomic
def record_correct(*, record, by, completed_on, reason):
    """A manager corrects the completion date of a record, saying why.

    The only change a verified record allows besides revoking it; the history keeps
    both dates and the reason, and `valid_until` follows the new date.
    """
    _require_manager(by)
    if not reason.strip():
        raise ValidationError({"reason": "Please say why the date is being changed."})
    record = _locked(record)
    if record.status == Status.REJECTED:
        raise ValidationError("A rejected record cannot be corrected.")
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The completion date cannot be in the future."})
    if completed_on == record.completed_on:
        raise ValidationError({"completed_on": "This is the date the record already has."})
    if _live_record_exists(
        person=record.person,
        module=record.module,
        provider=record.provider,
        completed_on=completed_on,
    ):
        raise ValidationError(
            {"completed_on": "Another record of this completion has that date already."}
        )
    record.completed_on = completed_on
    return _save(record, by, CORRECT_ACTION, f"Date corrected: {reason.strip()}")


@transaction.atomic
def attendance_register(*, module, provider, completed_on, attendees, by):
    """One training session for many people: a verified record each, in one step."""
    _require_manager(by)
    _check_provider(module, provider)
    result = RegisterResult()
    for person in attendees:
        if _live_record_exists(
            person=person, module=module, provider=provider, completed_on=completed_on
        ):
            result.skipped.append(person)
            continue
        result.created.append(
            record_create(
                person=person,
                module=module,
                provider=provider,
                completed_on=completed_on,
                by=by,
            )
        )
    return result


@transaction.atomic
def exemption_grant(*, person, module, provider, reason, starts_on, ends_on, by):
    """A manager decides a requirement does not apply to a person for a while."""
    _require_manager(by)
    if provider:
        _check_provider(module, provider)
    if not reason.strip():
        raise ValidationError({"reason": "Please give the reason for the exemption."})
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "An exemption cannot end before it starts."})
    exemption = TrainingExemption(
        person=person,
        module=module,
        provider=provider or None,
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=by,
    )
    return _save(exemption, by, "wagtail.create", f"Exemption granted: {exemption.reason}")


# Knowledge checks.


def _taken_on(*, person, module, day):
    return KnowledgeCheckAttempt.objects.filter(
        person=person, module=module, submitted_on=day
    ).count()


def attempt_start_problems(*, module, taken_today, today):
    """Why a new attempt cannot start today, in words; empty when it can."""
    if not module.has_knowledge_check:
        return [f"{module.title} has no knowledge check."]
    allowed = module.check_attempts_per_day
    if not check_rules.attempts_left(allowed, taken_today):
        day = check_rules.next_attempt_on(today, allowed, taken_today)
        return [
            f"You have used today's {allowed} attempt{'s' if allowed > 1 else ''}. "
            f"You can try again on {day:%A} {day.day} {day:%B %Y}."
        ]
    return []


def _open_attempt(person, module):
    return KnowledgeCheckAttempt.objects.filter(
        person=person, module=module, submitted_at__isnull=True
    ).first()


def _save_attempt(attempt, by, why):
    attempt._history_user = by
    attempt._change_reason = why
    attempt.save()
    return attempt


@transaction.atomic
def attempt_start(*, person, module, today, by, rng=None):
    """Draw the questions for a PSW's next attempt, or continue the one still open."""
    if by.pk != person.pk or not roles.is_psw(person):
        raise PermissionDenied("Only the peer support worker can take their own check.")
    existing = _open_attempt(person, module)
    if existing is not None:
        return existing
    taken = _taken_on(person=person, module=module, day=today)
    problems = attempt_start_problems(module=module, taken_today=taken, today=today)
    if problems:
        raise ValidationError(problems)
    bank = {question["id"]: question for question in module.check_question_bank()}
    drawn = check_rules.draw(bank, module.check_question_count, rng or random.SystemRandom())
    attempt = KnowledgeCheckAttempt(
        person=person,
        module=module,
        provider=module.check_provider,
        questions=[bank[each] for each in drawn],
        pass_mark=module.check_pass_mark,
    )
    try:
        with transaction.atomic():
            return _save_attempt(attempt, by, f"Started: {len(drawn)} questions drawn")
    except IntegrityError:
        # A twin request opened the attempt a moment ago: continue that one.
        return _open_attempt(person, module)


@transaction.atomic
def attempt_submit(*, attempt, answers, by, today):
    """Mark an open attempt; a pass records the completion through `record_create`.

    `answers` maps question ids to lists of choice numbers. An attempt is handed in
    once: the first statement claims it, so a replayed or doubled submission finds it
    taken, on SQLite as on PostgreSQL, and makes no second record.
    """
    if by.pk != attempt.person_id:
        raise PermissionDenied("Only the person taking the check can hand it in.")
    problems = check_rules.answer_problems(attempt.questions, answers)
    if problems:
        raise ValidationError(problems)
    claimed = KnowledgeCheckAttempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        submitted_at=timezone.now(), submitted_on=today
    )
    if not claimed:
        raise ValidationError(ALREADY_SUBMITTED)
    attempt = KnowledgeCheckAttempt.objects.select_related("module").get(pk=attempt.pk)
    attempt.answers = {q["id"]: sorted(answers[q["id"]]) for q in attempt.questions}
    attempt.score = check_rules.score(attempt.questions, attempt.answers)
    attempt.passed = check_rules.passed(attempt.score, attempt.out_of, attempt.pass_mark)
    outcome = "passed" if attempt.passed else "not passed"
    _save_attempt(attempt, by, f"Handed in: {attempt.score}/{attempt.out_of}, {outcome}")
    if attempt.passed:
        _record_pass(attempt, by, today)
    return attempt


def _record_pass(attempt, by, today):
    try:
        attempt.record = record_create(
            person=attempt.person,
            module=attempt.module,
            provider=attempt.provider,
            completed_on=today,
            by=by,
            today=today,
            passed_check=attempt,
        )
    except ValidationError:
        # Already recorded today (an earlier pass, or a completion the person entered):
        # the attempt keeps its pass and points at that record.
        attempt.record = (
            TrainingRecord.objects.filter(
                person=attempt.person,
                module=attempt.module,
                provider=attempt.provider,
                completed_on=today,
            )
            .exclude(status=Status.REJECTED)
            .first()
        )
    _save_attempt(attempt, by, "Completion recorded")
