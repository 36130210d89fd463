"""What people do with supervision: set up arrangements, log, confirm and sign off sessions.

Each check that a form also makes lives here once (`arrangement_problems`,
`session_problems`), so a form shows the message next to its field and a service called
from anywhere else refuses the same input with the same words.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from organisation.words import SIDES, side_name, supervision_name
from people import roles

from . import rules, tasks
from .models import SupervisionArrangement, SupervisionGroup, SupervisionSession
from .selectors import sessions_awaiting_confirmation_by

MIN_MINUTES = 5
MAX_MINUTES = 480
SAME_DAY_MESSAGE = "A session is already logged for this day. Say why there was a second one."


def arrangement_problems(
    *, supervisee, stream, supervisor, supervisor_name, interval_weeks, starts_on
):
    """{field: message} for an arrangement that cannot start as given; empty when it can."""
    problems = {}
    if stream not in SIDES:
        problems["stream"] = f"Choose {' or '.join(map(supervision_name, SIDES))}."
    if supervisor is None and not supervisor_name.strip():
        problems["supervisor_name"] = (
            "Choose a supervisor with an account, or give the name of one without."
        )
    if supervisor is not None and supervisee is not None and supervisor.pk == supervisee.pk:
        problems["supervisor"] = "Nobody can supervise themself."
    elif (
        supervisor is not None
        and "stream" not in problems
        and not rules.supervisor_side_allowed(stream, supervisor.side)
    ):
        problems["supervisor"] = supervisor_side_problem(stream=stream, supervisor=supervisor)
    shortest, longest = rules.SHORTEST_INTERVAL_WEEKS, rules.LONGEST_INTERVAL_WEEKS
    if interval_weeks is None or not shortest <= interval_weeks <= longest:
        problems["interval_weeks"] = f"Give an interval between {shortest} and {longest} weeks."
    if supervisee is not None and starts_on is not None and "stream" not in problems:
        later = SupervisionArrangement.objects.filter(
            supervisee=supervisee, stream=stream, starts_on__gte=starts_on
        )
        if later.exists():
            problems["starts_on"] = (
                "This person already has an arrangement for this stream starting on or after "
                "this date. Choose a later start."
            )
    return problems


def supervisor_side_problem(*, stream, supervisor):
    """Why `supervisor` cannot supervise in `stream`, in words a manager can act on."""
    if not supervisor.side:
        either = " or ".join(side_name(side) for side in SIDES)
        return (
            f"{supervisor}'s account does not say whether they belong to {either}. An "
            "administrator records this on their account; until then, choose another "
            "supervisor."
        )
    return (
        f"{supervisor} belongs to {side_name(supervisor.side)}: {supervision_name(stream)} "
        f"needs a supervisor who belongs to {side_name(stream)}. Choose one, or leave this "
        "empty and give the name of an external supervisor."
    )


def arrangement_start(
    *,
    supervisee,
    stream,
    supervisor=None,
    supervisor_name="",
    interval_weeks=4,
    starts_on,
    by,
    why="Arrangement started",
):
    """Start an arrangement, ending the one in force for this stream the day before.

    `why` is the history's words for it; an import names its file and who imported it.
    """
    problems = arrangement_problems(
        supervisee=supervisee,
        stream=stream,
        supervisor=supervisor,
        supervisor_name=supervisor_name,
        interval_weeks=interval_weeks,
        starts_on=starts_on,
    )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        current = SupervisionArrangement.objects.select_for_update().filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on),
            supervisee=supervisee,
            stream=stream,
            starts_on__lt=starts_on,
        )
        for arrangement in current:
            _end(arrangement, starts_on - timedelta(days=1), by, "Supervisor changed")
        arrangement = SupervisionArrangement(
            supervisee=supervisee,
            stream=stream,
            supervisor=supervisor,
            supervisor_name="" if supervisor else supervisor_name.strip(),
            interval_weeks=interval_weeks,
            starts_on=starts_on,
            created_by=by,
        )
        arrangement._history_user = by
        arrangement._change_reason = why
        arrangement.save()
    return arrangement


def arrangement_end_problems(*, arrangement, ends_on):
    """{field: message} when the arrangement cannot end on `ends_on`; empty when it can."""
    if ends_on < arrangement.starts_on:
        return {"ends_on": "An arrangement cannot end before it starts."}
    last = arrangement.sessions.order_by("-held_on").values_list("held_on", flat=True).first()
    if last and ends_on < last:
        return {"ends_on": f"A session was held on {last:%-d %B %Y}; end the arrangement after it."}
    return {}


def arrangement_end(*, arrangement, ends_on, by, reason):
    """End an arrangement on `ends_on`; its sessions stay as they were."""
    problems = arrangement_end_problems(arrangement=arrangement, ends_on=ends_on)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        _end(arrangement, ends_on, by, reason)
    return arrangement


def _end(arrangement, ends_on, by, reason):
    arrangement.ends_on = ends_on
    arrangement._history_user = by
    arrangement._change_reason = reason
    arrangement.save()


def session_problems(
    *,
    arrangement,
    held_on,
    duration_minutes,
    format,
    status,
    topics,
    same_day_reason,
    today,
):
    """{field: message} for a session that cannot be logged as given; empty when it can.

    Without an arrangement (a form not yet filled in) the date is checked only
    against today.
    """
    problems = {}
    if held_on is not None and held_on > today:
        problems["held_on"] = "A session cannot be in the future. Log it once it has happened."
    elif held_on is not None and arrangement is not None:
        problems.update(_problems_with_the_day(arrangement, held_on, same_day_reason))
    if duration_minutes is None or not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        problems["duration_minutes"] = (
            f"Give a duration between {MIN_MINUTES} and {MAX_MINUTES} minutes (8 hours)."
        )
    if format not in SupervisionSession.Format.values:
        problems["format"] = "Choose a format from the list."
    if status not in SupervisionSession.Status.values:
        problems["status"] = "Choose held, cancelled or did not attend."
    if any(topic not in SupervisionSession.Topic.values for topic in topics):
        problems["topics"] = "Choose topics from the list."
    return problems


def _outside_the_arrangement(arrangement, held_on):
    """Why a session cannot be on `held_on` in this arrangement, or None."""
    if held_on < arrangement.starts_on:
        return (
            f"This arrangement starts on {arrangement.starts_on:%-d %B %Y}; "
            "a session cannot be before that."
        )
    if arrangement.ends_on and held_on > arrangement.ends_on:
        return (
            f"This arrangement ended on {arrangement.ends_on:%-d %B %Y}; "
            "a session cannot be after that."
        )
    return None


def _problems_with_the_day(arrangement, held_on, same_day_reason, session=None):
    outside = _outside_the_arrangement(arrangement, held_on)
    if outside:
        return {"held_on": outside}
    others = arrangement.sessions.filter(held_on=held_on, declined_at__isnull=True)
    if session is not None:
        others = others.exclude(pk=session.pk)
    if not same_day_reason.strip() and others.exists():
        return {"same_day_reason": SAME_DAY_MESSAGE}
    return {}


def session_log(
    *,
    arrangement,
    by,
    held_on,
    duration_minutes,
    format,
    status,
    topics,
    notes,
    actions,
    wellbeing_checked,
    safeguarding_concern,
    same_day_reason="",
    today,
):
    """Record a session.

    Logged by the arrangement's supervisor, it is confirmed at once. Logged by the PSW,
    it is their own sign-off and waits for the supervisor (or a manager, where the
    supervisor has no account) to confirm it.
    """
    by_supervisor = arrangement.supervisor_id is not None and arrangement.supervisor_id == by.pk
    by_supervisee = arrangement.supervisee_id == by.pk
    if not (by_supervisor or by_supervisee):
        raise PermissionDenied("Only the PSW and their supervisor can log this session.")
    problems = session_problems(
        arrangement=arrangement,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        status=status,
        topics=topics,
        same_day_reason=same_day_reason,
        today=today,
    )
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    session = SupervisionSession(
        arrangement=arrangement,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        status=status,
        topics=list(topics),
        notes=notes,
        actions=actions,
        wellbeing_checked=wellbeing_checked,
        safeguarding_concern=safeguarding_concern,
        same_day_reason=same_day_reason.strip(),
        logged_by=by,
        confirmed_by=by if by_supervisor else None,
        confirmed_at=now if by_supervisor else None,
        acknowledged_at=now if by_supervisee else None,
    )
    session._history_user = by
    session._change_reason = (
        "Logged by the supervisor, confirmed"
        if by_supervisor
        else "Logged by the supervisee, waiting for confirmation"
    )
    with transaction.atomic():
        _save_new_session(session)
        if safeguarding_concern:
            transaction.on_commit(
                lambda: tasks.notify_managers_of_safeguarding_concern.enqueue(session.pk)
            )
    return session


def _save_new_session(session):
    """Save, turning a twin made at the same moment (a double-clicked form) into the
    same message a later second session would get."""
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        raise ValidationError({"same_day_reason": SAME_DAY_MESSAGE}) from None


def session_record_confirmed(
    *, arrangement, by, held_on, duration_minutes, format, status, why, today
):
    """A manager records a past session from another record (an import): dates and
    format only, confirmed by that manager; notes, actions and flags stay with the PSW
    and their supervisor."""
    if not roles.is_manager(by):
        raise PermissionDenied("Only a manager can record sessions for others.")
    problems = session_problems(
        arrangement=arrangement,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        status=status,
        topics=[],
        same_day_reason="",
        today=today,
    )
    if problems:
        raise ValidationError(problems)
    session = SupervisionSession(
        arrangement=arrangement,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        status=status,
        logged_by=by,
        confirmed_by=by,
        confirmed_at=timezone.now(),
    )
    session._history_user = by
    session._change_reason = why
    with transaction.atomic():
        _save_new_session(session)
    return session


def session_confirm(*, session, by):
    """Confirm a session the PSW logged; from then on it counts towards the due date."""
    if not sessions_awaiting_confirmation_by(by).filter(pk=session.pk).exists():
        raise PermissionDenied("This session is not waiting for your confirmation.")
    with transaction.atomic():
        session.confirmed_by = by
        session.confirmed_at = timezone.now()
        session._history_user = by
        session._change_reason = "Confirmed"
        session.save()
    return session


def session_acknowledge(*, session, by, differing_view=""):
    """The PSW's own sign-off of a session record: once, and only by them.

    `differing_view` ("I see this differently") is kept with the session, for the PSW
    and the supervisor only, like the notes.
    """
    if session.arrangement.supervisee_id != by.pk:
        raise PermissionDenied("Only the person supervised can sign off this session.")
    if session.acknowledged_at is not None:
        raise ValidationError("You have already signed off this session.")
    if session.is_declined:
        raise ValidationError("This session was declined, so there is nothing to sign off.")
    with transaction.atomic():
        session.acknowledged_at = timezone.now()
        session.supervisee_view = differing_view.strip()
        session._history_user = by
        session._change_reason = "Signed off by the supervisee"
        session.save()
    return session


def session_correction_problems(*, session, held_on, duration_minutes, format, reason, today):
    """{field: message} for a correction that cannot be made as given; empty when it can."""
    problems = session_problems(
        arrangement=None,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        status=session.status,
        topics=[],
        same_day_reason="",
        today=today,
    )
    if held_on is not None and "held_on" not in problems:
        day = _problems_with_the_day(
            session.arrangement, held_on, session.same_day_reason, session=session
        )
        # The correction form has no same-day reason field: the date takes the message.
        if day:
            problems["held_on"] = next(iter(day.values()))
    return _reason_and_change(
        problems, reason, "the PSW is told", (held_on, duration_minutes, format), session
    )


def _reason_and_change(problems, reason, told, corrected, held):
    """What every correction must also have: a reason (which `told` people read), and
    a change to the date, duration or format `held` (a session or a group) has."""
    if not (reason or "").strip():
        problems["reason"] = f"Say why the session is being corrected: {told}."
    if corrected == (held.held_on, held.duration_minutes, held.format) and not problems:
        problems["held_on"] = "Nothing has changed: correct the date, the duration or the format."
    return problems


def session_correct(*, session, by, held_on, duration_minutes, format, reason, today):
    """The arrangement's supervisor corrects a session's date, duration or format.

    The history keeps the values before and after, who corrected them and why; the PSW
    is emailed the change and the reason.
    """
    if session.arrangement.supervisor_id != by.pk or session.is_declined:
        raise PermissionDenied("Only the supervisor of this arrangement can correct it.")
    if session.group_id:
        raise ValidationError(
            "This session was part of a group session: correct the group session, and every "
            "attendee's session changes with it."
        )
    with transaction.atomic():
        _correct(session, by, held_on, duration_minutes, format, reason, today)
    return session


def _correct(session, by, held_on, duration_minutes, format, reason, today):
    problems = session_correction_problems(
        session=session,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        reason=reason,
        today=today,
    )
    if problems:
        raise ValidationError(problems)
    reason = reason.strip()
    session.held_on = held_on
    session.duration_minutes = duration_minutes
    session.format = format
    session.corrected_at = timezone.now()
    session.correction_reason = reason
    session._history_user = by
    session._change_reason = f"Corrected by the supervisor: {reason}"
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        raise ValidationError({"held_on": SAME_DAY_MESSAGE}) from None
    transaction.on_commit(lambda: tasks.notify_supervisee_of_correction.enqueue(session.pk))


def session_decline(*, session, by, reason):
    """The supervisor (or a manager, where the supervisor has no account) declines a
    session the PSW logged, saying why. It is kept, never counts, and the PSW reads the
    reason on their session."""
    if not sessions_awaiting_confirmation_by(by).filter(pk=session.pk).exists():
        raise PermissionDenied("This session is not waiting for your confirmation.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why you are declining it: the PSW reads this."})
    with transaction.atomic():
        session.declined_at = timezone.now()
        session.declined_by = by
        session.decline_reason = reason.strip()
        session._history_user = by
        session._change_reason = "Declined"
        session.save()
    return session


# Group sessions ------------------------------------------------------------------------


def group_problems(*, facilitator, stream, arrangements, held_on, duration_minutes, format, today):
    """{field: message} for a group session that cannot be logged as given; empty when
    it can. `arrangements` are the attendees' arrangements in `stream`: each must be one
    `facilitator` supervises and in force on `held_on`."""
    problems = session_problems(
        arrangement=None,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        status=SupervisionSession.Status.HELD,
        topics=[],
        same_day_reason="",
        today=today,
    )
    if format not in SupervisionSession.GROUP_FORMATS:
        problems["format"] = "Choose group or reflective practice."
    if stream not in SIDES:
        problems["stream"] = f"Choose {' or '.join(map(supervision_name, SIDES))}."
    if len(arrangements) < rules.FEWEST_IN_A_GROUP:
        problems["attendees"] = (
            f"Choose at least {rules.FEWEST_IN_A_GROUP} people who came. For one person, log a "
            "session of their own."
        )
    elif held_on is not None and "held_on" not in problems:
        for arrangement in arrangements:
            if arrangement.supervisor_id != facilitator.pk or arrangement.stream != stream:
                problems["attendees"] = (
                    f"You do not supervise {arrangement.supervisee} in {supervision_name(stream)}."
                )
                break
            outside = _outside_the_arrangement(arrangement, held_on)
            if outside:
                problems["attendees"] = f"{arrangement.supervisee}: {outside}"
                break
    return problems


def group_log(
    *,
    facilitator,
    stream,
    arrangements,
    held_on,
    duration_minutes,
    format,
    topics,
    notes,
    actions,
    today,
):
    """Record one group or reflective-practice session for several supervisees at once.

    Each attendee gets a session of their own, confirmed (the facilitator is their
    supervisor), with the shared notes; each stream counts it and each attendee signs it
    off for themself. An attendee who already has a session that day gets this one as a
    second, with the group as the reason.
    """
    arrangements = list(arrangements)
    problems = group_problems(
        facilitator=facilitator,
        stream=stream,
        arrangements=arrangements,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        today=today,
    )
    if any(topic not in SupervisionSession.Topic.values for topic in topics):
        problems["topics"] = "Choose topics from the list."
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    label = SupervisionSession.Format(format).label.lower()
    with transaction.atomic():
        _refuse_a_twin(arrangements, held_on, format, label)
        group = SupervisionGroup(
            facilitator=facilitator,
            stream=stream,
            held_on=held_on,
            duration_minutes=duration_minutes,
            format=format,
        )
        group._history_user = facilitator
        group._change_reason = f"Logged by the facilitator for {len(arrangements)} people"
        group.save()
        for arrangement in arrangements:
            session = SupervisionSession(
                arrangement=arrangement,
                group=group,
                held_on=held_on,
                duration_minutes=duration_minutes,
                format=format,
                status=SupervisionSession.Status.HELD,
                topics=list(topics),
                notes=notes,
                actions=actions,
                logged_by=facilitator,
                confirmed_by=facilitator,
                confirmed_at=now,
            )
            if arrangement.sessions.filter(held_on=held_on, declined_at__isnull=True).exists():
                session.same_day_reason = f"Also at the {label} session"
            session._history_user = facilitator
            session._change_reason = "Logged by the facilitator of a group session, confirmed"
            _save_new_session(session)
    return group


def _refuse_a_twin(arrangements, held_on, format, label):
    """A double-submitted group form must not make two groups: the attendees'
    arrangements are locked until this one is saved, so the second finds the first."""
    locked = SupervisionArrangement.objects.select_for_update().filter(
        pk__in=[a.pk for a in arrangements]
    )
    list(locked)
    twin = (
        SupervisionSession.objects.filter(
            arrangement__in=locked,
            held_on=held_on,
            format=format,
            group__isnull=False,
            declined_at__isnull=True,
        )
        .select_related("arrangement__supervisee")
        .first()
    )
    if twin:
        raise ValidationError(
            {
                "attendees": f"{twin.arrangement.supervisee} already has a {label} session "
                f"logged on {held_on:%-d %B %Y}."
            }
        )


def group_correction_problems(*, group, held_on, duration_minutes, format, reason, today):
    """{field: message} for a group correction that cannot be made as given."""
    problems = session_problems(
        arrangement=None,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        status=SupervisionSession.Status.HELD,
        topics=[],
        same_day_reason="",
        today=today,
    )
    if format not in SupervisionSession.GROUP_FORMATS:
        problems["format"] = "Choose group or reflective practice."
    if held_on is not None and "held_on" not in problems:
        for session in group.sessions.select_related("arrangement__supervisee"):
            outside = _outside_the_arrangement(session.arrangement, held_on)
            if outside:
                problems["held_on"] = f"{session.arrangement.supervisee}: {outside}"
                break
    return _reason_and_change(
        problems, reason, "everyone who came is told", (held_on, duration_minutes, format), group
    )


def group_correct(*, group, by, held_on, duration_minutes, format, reason, today):
    """The facilitator corrects a group session's date, duration or format: every
    attendee's session changes with it, each keeps the before and after and why in its
    history, and each attendee is told."""
    if group.facilitator_id != by.pk:
        raise PermissionDenied("Only the facilitator can correct this group session.")
    problems = group_correction_problems(
        group=group,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        reason=reason,
        today=today,
    )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        for session in group.sessions.select_related("arrangement__supervisee"):
            try:
                _correct(session, by, held_on, duration_minutes, format, reason, today)
            except ValidationError as error:
                raise _naming(session.arrangement.supervisee, error) from None
        group.held_on = held_on
        group.duration_minutes = duration_minutes
        group.format = format
        group._history_user = by
        group._change_reason = f"Corrected by the facilitator: {reason.strip()}"
        group.save()
    return group


def _naming(person, error):
    """The same refusal, saying whose session it is (a group has several)."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {
            field: [f"{person}: {message}" for message in messages]
            for field, messages in error.message_dict.items()
        }
    )
