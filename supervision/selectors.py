"""What people may see of supervision, and the bulk status loader over it.

`supervision_facts` fetches, in a fixed number of queries, what the rules need for any
set of people; `stream_statuses` applies `rules.py`. Compliance feeds the same function
with facts rebuilt from the history tables for "as of" views.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from organisation.current import current_organisation
from organisation.words import SIDES, Side, status_word
from people.selectors import (
    Sees,
    arrangement_filter,
    confirms_for_absent_supervisors,
    supervisees_of,
)

from . import rules
from .models import SupervisionArrangement, SupervisionGroup, SupervisionSession


def arrangements_visible_to(user):
    """Arrangements whose session dates, format and status `user` may see (see
    people.selectors for who; notes are a narrower matter)."""
    return SupervisionArrangement.objects.filter(arrangement_filter(user, Sees.SESSIONS))


def sessions_visible_to(user):
    """Sessions whose metadata (dates, format, status) `user` may see."""
    return SupervisionSession.objects.filter(
        arrangement_filter(user, Sees.SESSIONS, "arrangement__")
    )


def sessions_with_notes_visible_to(user):
    """Sessions whose notes and actions `user` may read: their own, or ones they supervise.

    A manager is not let in by their role: notes belong to the supervisory relationship.
    """
    return SupervisionSession.objects.filter(arrangement_filter(user, Sees.NOTES, "arrangement__"))


def safeguarding_flags_visible_to(user):
    """Sessions whose safeguarding flag (and date) `user` may see: not service leads'."""
    return SupervisionSession.objects.filter(arrangement_filter(user, Sees.FLAGS, "arrangement__"))


# What the rules need of an arrangement (compliance's history reader asks the same).
ARRANGEMENT_FIELDS = [
    "supervisee_id",
    "stream",
    "starts_on",
    "ends_on",
    "interval_weeks",
    "supervisor_id",
    "supervisor__first_name",
    "supervisor__last_name",
    "supervisor_name",
]


@dataclass(frozen=True)
class ArrangementFacts(rules.Arrangement):
    id: int = 0
    supervisor_id: int | None = None
    supervisor_name: str = ""


@dataclass
class SupervisionFacts:
    arrangements: dict = field(default_factory=lambda: defaultdict(list))  # (person, stream)
    sessions: dict = field(default_factory=lambda: defaultdict(list))  # arrangement id


@dataclass(frozen=True)
class StreamStatus:
    person_id: int
    stream: str
    status: str
    arrangement_id: int | None
    supervisor_id: int | None
    supervisor_name: str
    last_held_on: date | None
    due_on: date | None

    @property
    def compliant(self):
        return rules.is_compliant(self.status)

    @property
    def label(self):
        return status_word(self.status)


def supervision_facts(person_ids):
    """Current facts for these people, in two queries whatever their number."""
    facts = SupervisionFacts()
    arrangements = SupervisionArrangement.objects.filter(supervisee_id__in=person_ids)
    for row in arrangements.values("id", *ARRANGEMENT_FIELDS):
        name = " ".join(filter(None, [row["supervisor__first_name"], row["supervisor__last_name"]]))
        facts.arrangements[row["supervisee_id"], row["stream"]].append(
            ArrangementFacts(
                starts_on=row["starts_on"],
                ends_on=row["ends_on"],
                interval_weeks=row["interval_weeks"],
                id=row["id"],
                supervisor_id=row["supervisor_id"],
                supervisor_name=name or row["supervisor_name"],
            )
        )
    sessions = SupervisionSession.objects.filter(arrangement__supervisee_id__in=person_ids)
    for arrangement_id, held_on, status, confirmed_at, declined_at in sessions.values_list(
        "arrangement_id", "held_on", "status", "confirmed_at", "declined_at"
    ):
        facts.sessions[arrangement_id].append(
            rules.Session(held_on, status, confirmed_at is not None, declined_at is not None)
        )
    return facts


def stream_statuses(people, on, facts=None):
    """{person id: [StreamStatus for nhs, StreamStatus for employer]} on `on`."""
    people = list(people)
    if facts is None:
        facts = supervision_facts([p.pk for p in people])
    result = {}
    for person in people:
        result[person.pk] = [_stream_status(person.pk, stream, on, facts) for stream in SIDES]
    return result


def _stream_status(person_id, stream, on, facts):
    arrangement = rules.active_arrangement(facts.arrangements.get((person_id, stream), []), on)
    if arrangement is None:
        return StreamStatus(person_id, stream, rules.NO_ARRANGEMENT, None, None, "", None, None)
    sessions = facts.sessions.get(arrangement.id, [])
    return StreamStatus(
        person_id=person_id,
        stream=stream,
        status=rules.stream_status(on, arrangement, sessions),
        arrangement_id=arrangement.id,
        supervisor_id=arrangement.supervisor_id,
        supervisor_name=arrangement.supervisor_name,
        last_held_on=rules.last_counted(sessions, on),
        due_on=rules.next_due(arrangement, sessions, on),
    )


def default_interval_weeks():
    """{stream: weeks} a new arrangement offers, from the organisation's settings."""
    organisation = current_organisation()
    return {
        Side.NHS: organisation.nhs_interval_weeks,
        Side.EMPLOYER: organisation.employer_interval_weeks,
    }


def sessions_awaiting_confirmation_by(user):
    """Unconfirmed sessions `user` may confirm.

    The arrangement's supervisor confirms what the PSW logged; where the supervisor has
    no account here, a manager does. Only metadata is needed to confirm, so a manager
    confirming never needs the notes.
    """
    if not user.is_authenticated or not user.is_active:
        return SupervisionSession.objects.none()
    condition = Q(arrangement__supervisor=user)
    if confirms_for_absent_supervisors(user):
        condition |= Q(arrangement__supervisor__isnull=True)
    return SupervisionSession.objects.filter(
        condition, confirmed_at__isnull=True, declined_at__isnull=True
    )


def sessions_correctable_by(user):
    """Sessions `user` may correct (date, duration, format): those of arrangements they
    supervise, unless declined."""
    if not user.is_authenticated or not user.is_active:
        return SupervisionSession.objects.none()
    return SupervisionSession.objects.filter(arrangement__supervisor=user, declined_at__isnull=True)


def arrangements_loggable_by(user):
    """Arrangements `user` may log a session on: their own, or those they supervise."""
    return SupervisionArrangement.objects.filter(
        arrangement_filter(user, Sees.NOTES)
    ).select_related("supervisee", "supervisor")


def new_safeguarding_flags(user, since):
    """Sessions flagged with a safeguarding concern and logged since `since` (a datetime).

    Metadata only: for the managers' dashboard, never the notes.
    """
    return (
        safeguarding_flags_visible_to(user)
        .filter(safeguarding_concern=True, created_at__gte=since)
        .defer("notes", "actions", "same_day_reason", "supervisee_view", "decline_reason")
        .select_related("arrangement__supervisee")
    )


def counted_sessions(on):
    """Sessions that count by `on` (rules.counts, asked of the database)."""
    return SupervisionSession.objects.filter(
        status=rules.COUNTED_STATUS,
        confirmed_at__isnull=False,
        declined_at__isnull=True,
        held_on__lte=on,
    )


def supervisee_statuses(supervisor, on):
    """The streams `supervisor` looks after on `on`, soonest due first."""
    people = (
        supervisees_of(supervisor, on).filter(is_active=True).order_by("first_name", "last_name")
    )
    people = {person.pk: person for person in people}
    rows = [
        (people[status.person_id], status)
        for statuses in stream_statuses(people.values(), on).values()
        for status in statuses
        if status.supervisor_id == supervisor.pk
    ]
    return sorted(rows, key=lambda row: (row[1].due_on, str(row[0])))


def own_stream_statuses(person, on):
    """The PSW's two streams on `on`: NHS first, then the employer's."""
    return stream_statuses([person], on)[person.pk]


def groups_with_notes_visible_to(user):
    """Group sessions whose shared notes `user` may read: the facilitator's, and each
    attendee's own (one of its sessions is theirs); nobody else's."""
    readable = sessions_with_notes_visible_to(user).filter(group__isnull=False)
    return SupervisionGroup.objects.filter(pk__in=readable.values("group_id"))


def arrangements_supervised_by(user):
    """The arrangements `user` holds as supervisor, past and present: the people they
    may log a session for, individually or in a group."""
    if not user.is_authenticated or not user.is_active:
        return SupervisionArrangement.objects.none()
    return SupervisionArrangement.objects.filter(supervisor=user).select_related(
        "supervisee", "supervisor"
    )


def sessions_supervised_by(user):
    """Sessions of the arrangements `user` holds as supervisor (the facilitator's own
    sessions of a group among them)."""
    return SupervisionSession.objects.filter(arrangement__in=arrangements_supervised_by(user))
