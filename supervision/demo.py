"""Demo supervision: both arrangements for every PSW, and a realistic history of sessions.

Relative to `today`, the streams show every status: on track, due soon and overdue;
some sessions wait for confirmation (one for a manager, because the supervisor has no
account) and some for the PSW's sign-off; one carries a safeguarding flag; and one PSW
changed NHS supervisor, so an ended arrangement keeps its sessions. The charity's
supervisor runs a monthly reflective-practice group for every PSW. A PSW who already
has an arrangement is left as they are, so running it again changes nothing.
"""

from datetime import datetime, time, timedelta
from itertools import cycle

from django.utils import timezone

from people.history import afternoon_of, recorded_at

from . import services
from .models import SupervisionArrangement, SupervisionGroup, SupervisionSession

Topic = SupervisionSession.Topic

# (topics, notes, actions): what a supervision might cover, without naming anyone supported.
CONVERSATIONS = [
    (
        [Topic.BOUNDARIES, Topic.CASELOAD],
        "Talked through a person on the caseload who has been asking to meet outside the "
        "centre. We agreed what to say so the relationship stays equal and safe for both.",
        "Raise meeting places at the next team meeting.",
    ),
    (
        [Topic.LIVED_EXPERIENCE, Topic.TEAM],
        "Reflected on sharing lived experience in a team meeting to challenge the language "
        "used about medication. It landed well. Sharing only when it helps the person, not "
        "to make the conversation about me.",
        "",
    ),
    (
        [Topic.WELLBEING],
        "Checked in on wellbeing after a hard week of hearing disclosures of trauma. Talked "
        "about sitting with it and about what helps afterwards: a walk, time with the team.",
        "Book a reflective practice session with the psychologist.",
    ),
    (
        [Topic.TEAM, Topic.TRAINING],
        "Feeling more heard in the team since the role was explained at the away day. "
        "Trauma-informed practice training has validated the way I already work.",
        "Look at dates for the next trauma-informed practice course.",
    ),
    (
        [Topic.CASELOAD, Topic.LIVED_EXPERIENCE],
        "Knowledge is power: I chose not to read more of the records than the risk summary "
        "and asked staff what I should know instead. We agreed that is the right balance.",
        "",
    ),
    (
        [Topic.SAFEGUARDING, Topic.BOUNDARIES],
        "Went through how to record the fact of a meeting without its content, and when "
        "something is a real concern that must be recorded and passed on.",
        "Reread the safeguarding procedure.",
    ),
]

FLAGGED = (
    [Topic.SAFEGUARDING, Topic.WELLBEING],
    "A concern came up about someone's safety at home. We followed the safeguarding "
    "procedure together and the duty worker was told the same day.",
    "Supervisor to check the referral was received.",
)


# The monthly reflective-practice group (days ago), older than each PSW's latest
# session with the charity's supervisor, so every stream keeps the status it shows.
GROUPS = {
    78: "What keeps us hopeful when the wards are full, and how we look after each other.",
    50: "Sharing lived experience in team meetings: when it helps, and when to hold back.",
}


def every(weeks, first, last):
    """Days before today of sessions every `weeks` weeks: the latest `last`, none before `first`."""
    return list(range(last, first + 1, 7 * weeks))


# For each PSW and stream: arrangements oldest first, each (supervisor username or None,
# supervisor name when they have no account, interval, starts days ago, held days ago),
# and the exceptions by days ago.
PLAN = {
    "psw1": {
        "nhs": [("nhs.rc", "", 4, 420, every(4, 402, 10))],
        "employer": [("mind.supervisor", "", 6, 420, every(6, 415, 37))],
        "unacknowledged": {("nhs", 10)},
    },
    "psw2": {
        "nhs": [("nhs.rc", "", 4, 300, every(4, 285, 33) + [6])],
        "employer": [("mind.supervisor", "", 4, 300, every(4, 294, 14))],
        "cancelled": {("nhs", 6)},
        "unacknowledged": {("employer", 14)},
    },
    "psw3": {
        "nhs": [
            (None, "Jo Whitley", 4, 600, every(4, 580, 40)),
            ("nhs.cmht", "", 4, 30, [12, 2]),
        ],
        "employer": [("mind.supervisor", "", 6, 600, every(6, 591, 45))],
        "logged_by_psw": {("nhs", 2)},
    },
    "psw4": {
        "nhs": [("nhs.cmht", "", 4, 500, every(4, 500, 24))],
        "employer": [("mind.supervisor", "", 6, 500, every(6, 482, 20))],
        "did_not_attend": {("nhs", 52)},
        "unacknowledged": {("nhs", 24)},
        "flagged": {("employer", 20)},
    },
    "psw5": {
        "nhs": [(None, "Ruth Akers", 4, 190, every(4, 174, 34) + [5])],
        "employer": [("mind.supervisor", "", 4, 190, every(4, 165, 25))],
        "logged_by_psw": {("nhs", 5)},
    },
}


def seed_supervision(*, people, today):
    """Give every demo PSW both arrangements and their sessions, unless they have them."""
    conversations = cycle(CONVERSATIONS)
    for username, plan in PLAN.items():
        person = people[username]
        if person.supervision_arrangements.exists():
            continue
        for stream in ("nhs", "employer"):
            for supervisor, name, interval, starts, held in plan[stream]:
                starts_on = today - timedelta(days=starts)
                with recorded_at(afternoon_of(starts_on)):
                    arrangement = services.arrangement_start(
                        supervisee=person,
                        stream=stream,
                        supervisor=people[supervisor] if supervisor else None,
                        supervisor_name=name,
                        interval_weeks=interval,
                        starts_on=starts_on,
                        by=people["manager"],
                    )
                for days_ago in sorted(held, reverse=True):
                    _session(arrangement, days_ago, plan, people, today, conversations)
    if not SupervisionGroup.objects.exists():
        _reflective_practice(people["mind.supervisor"], today)


def _reflective_practice(facilitator, today):
    for days_ago, notes in GROUPS.items():
        held_on = today - timedelta(days=days_ago)
        arrangements = SupervisionArrangement.objects.filter(
            supervisor=facilitator, stream="employer", starts_on__lte=held_on
        ).order_by("supervisee__username")
        with recorded_at(afternoon_of(held_on)):
            group = services.group_log(
                facilitator=facilitator,
                stream="employer",
                arrangements=arrangements,
                held_on=held_on,
                duration_minutes=90,
                format=SupervisionSession.Format.REFLECTIVE_PRACTICE,
                topics=[Topic.WELLBEING, Topic.TEAM],
                notes=notes,
                actions="",
                today=today,
            )
        # Everyone has signed off the older group; the newer waits for one person.
        for session in group.sessions.select_related("arrangement__supervisee"):
            if days_ago == min(GROUPS) and session.arrangement.supervisee.username == "psw1":
                continue
            services.session_acknowledge(session=session, by=session.arrangement.supervisee)


def _session(arrangement, days_ago, plan, people, today, conversations):
    key = (arrangement.stream, days_ago)
    held_on = today - timedelta(days=days_ago)
    by_psw = arrangement.supervisor is None or key in plan.get("logged_by_psw", ())
    waiting = key in plan.get("logged_by_psw", ())
    flagged = key in plan.get("flagged", ())
    topics, notes, actions = FLAGGED if flagged else next(conversations)
    status = SupervisionSession.Status.HELD
    if key in plan.get("cancelled", ()):
        status, topics, notes, actions = SupervisionSession.Status.CANCELLED, [], "", ""
    elif key in plan.get("did_not_attend", ()):
        status, topics, notes, actions = SupervisionSession.Status.DID_NOT_ATTEND, [], "", ""
    confirmer = arrangement.supervisor or people["manager"]
    logger = arrangement.supervisee if by_psw else arrangement.supervisor
    session = SupervisionSession(
        arrangement=arrangement,
        held_on=held_on,
        duration_minutes=90 if arrangement.stream == "nhs" else 60,
        format=SupervisionSession.Format.ONE_TO_ONE,
        status=status,
        topics=list(topics),
        notes=notes,
        actions=actions,
        wellbeing_checked=status == SupervisionSession.Status.HELD,
        safeguarding_concern=flagged,
        logged_by=logger,
        confirmed_by=None if waiting else confirmer,
        confirmed_at=None if waiting else _moment(held_on + timedelta(days=2 if by_psw else 0)),
        acknowledged_at=(
            None
            if key in plan.get("unacknowledged", ())
            else _moment(held_on + timedelta(days=0 if by_psw else 3))
        ),
    )
    session._history_user = logger
    with recorded_at(afternoon_of(held_on)):
        session.save()


def _moment(day):
    """Late afternoon of `day`, in the site's time zone, but never after now."""
    return min(timezone.make_aware(datetime.combine(day, time(17, 0))), timezone.now())
