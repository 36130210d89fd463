"""Group supervision (issue 19, item 4): one group or reflective-practice session for
several supervisees at once, counted in each stream, its notes for the facilitator and
each person who came and nobody else, each attendee signing off for themself."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from compliance.models import ArrangementState
from supervision import services
from supervision.models import SupervisionGroup, SupervisionSession
from supervision.selectors import own_stream_statuses
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
STARTS = date(2026, 1, 5)
NOTES = "We reflected on holding hope for someone who had lost theirs"
ACTIONS = "Bring the stories of hope from the team to the next group"
VIEW = "I felt the group rushed past the hard part"


@pytest.fixture
def attendees(psw, supervisor):
    """Three people the supervisor supervises in NHS supervision: psw and two more."""
    people = [psw] + [factories.psw(username=f"attendee.{n}") for n in (2, 3)]
    return [
        factories.ArrangementFactory(
            supervisee=person, supervisor=supervisor, stream="nhs", starts_on=STARTS
        )
        for person in people
    ]


@pytest.fixture
def not_in_the_group(supervisor):
    """Another of the same supervisor's supervisees, who did not come."""
    person = factories.psw(username="stayed.away")
    factories.ArrangementFactory(
        supervisee=person, supervisor=supervisor, stream="nhs", starts_on=STARTS
    )
    return person


@pytest.fixture
def another_supervisor():
    return factories.supervisor(username="another.supervisor")


def log(supervisor, arrangements, **changes):
    fields = {
        "facilitator": supervisor,
        "stream": "nhs",
        "arrangements": arrangements,
        "held_on": date(2026, 5, 20),
        "duration_minutes": 90,
        "format": "reflective_practice",
        "topics": ["wellbeing", "team_and_culture"],
        "notes": NOTES,
        "actions": ACTIONS,
        "today": TODAY,
        **changes,
    }
    return services.group_log(**fields)


@pytest.fixture
def group(supervisor, attendees):
    return log(supervisor, attendees[:2])


# The service: what it records ------------------------------------------------------------


def test_a_group_session_counts_in_each_attendees_stream_and_in_the_kept_tables(group, attendees):
    for arrangement in attendees[:2]:
        nhs = own_stream_statuses(arrangement.supervisee, TODAY)[0]
        assert nhs.last_held_on == date(2026, 5, 20)
        assert nhs.due_on == date(2026, 5, 20) + timedelta(weeks=4)
        kept = ArrangementState.objects.get(arrangement=arrangement)
        assert kept.last_held_on == date(2026, 5, 20)
    left_out = attendees[2]
    assert own_stream_statuses(left_out.supervisee, TODAY)[0].last_held_on is None
    assert ArrangementState.objects.get(arrangement=left_out).last_held_on is None


def test_each_attendee_gets_their_own_confirmed_session_with_the_shared_notes(
    group, attendees, supervisor
):
    sessions = SupervisionSession.objects.filter(group=group)
    assert {s.arrangement_id for s in sessions} == {a.pk for a in attendees[:2]}
    for session in sessions:
        assert (session.notes, session.actions) == (NOTES, ACTIONS)
        assert session.format == "reflective_practice" and session.duration_minutes == 90
        assert session.confirmed_by == supervisor and session.acknowledged_at is None
        history = session.history.get()
        assert history.history_user == supervisor
        assert history.history_change_reason == (
            "Logged by the facilitator of a group session, confirmed"
        )
    recorded = group.history.get()
    assert recorded.history_user == supervisor
    assert recorded.history_change_reason == "Logged by the facilitator for 2 people"


def test_one_person_is_not_a_group_and_two_are(supervisor, attendees):
    with pytest.raises(ValidationError) as refused:
        log(supervisor, attendees[:1])
    assert "at least 2" in str(refused.value)
    assert not SupervisionGroup.objects.exists()
    assert log(supervisor, attendees[:2]).sessions.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": TODAY + timedelta(days=1)}, "held_on"),
        ({"held_on": STARTS - timedelta(days=1)}, "attendees"),
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"format": "one_to_one"}, "format"),
        ({"stream": "employer"}, "attendees"),
    ],
    ids=["tomorrow", "before-an-arrangement", "4-minutes", "481-minutes", "one-to-one", "stream"],
)
def test_each_rule_refuses_the_whole_group_and_saves_nothing(changes, field, supervisor, attendees):
    with pytest.raises(ValidationError) as refused:
        log(supervisor, attendees, **changes)
    assert field in refused.value.message_dict
    assert not SupervisionSession.objects.exists()
    assert not SupervisionGroup.objects.exists()


@pytest.mark.parametrize(
    ("held_on", "duration"),
    [(TODAY, 5), (STARTS, 480)],
    ids=["today-5-minutes", "first-day-8-hours"],
)
def test_the_boundaries_themselves_are_allowed(held_on, duration, supervisor, attendees):
    group = log(supervisor, attendees, held_on=held_on, duration_minutes=duration)
    assert group.sessions.count() == 3


def test_a_supervisee_of_someone_else_cannot_be_added(supervisor, attendees, other_psw):
    elsewhere = factories.ArrangementFactory(supervisee=other_psw, starts_on=STARTS)
    with pytest.raises(ValidationError) as refused:
        log(supervisor, [attendees[0], elsewhere])
    assert "You do not supervise" in refused.value.message_dict["attendees"][0]
    assert not SupervisionSession.objects.filter(arrangement=elsewhere).exists()


def test_an_attendee_who_already_met_that_day_gets_a_second_session(supervisor, attendees):
    factories.SessionFactory(arrangement=attendees[0], held_on=date(2026, 5, 20))
    group = log(supervisor, attendees[:2])
    second = group.sessions.get(arrangement=attendees[0])
    assert second.same_day_reason == "Also at the reflective practice session"
    assert attendees[0].sessions.count() == 2


# Signing off: each for themself ---------------------------------------------------------


def test_each_attendee_signs_off_for_themself(group, attendees, client_for):
    first, second = (group.sessions.get(arrangement=a) for a in attendees[:2])
    client = client_for(first.arrangement.supervisee)
    response = client.post(
        reverse("supervision:sign_off", args=[first.pk]),
        {"differing_view": VIEW, "next": reverse("supervision:group", args=[group.pk])},
    )
    assert response["Location"] == reverse("supervision:group", args=[group.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.acknowledged_at is not None and first.supervisee_view == VIEW
    assert second.acknowledged_at is None
    assert client.post(reverse("supervision:sign_off", args=[second.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.session_acknowledge(session=second, by=first.arrangement.supervisee)


# Who reads the notes -------------------------------------------------------------------


def test_the_facilitator_and_each_attendee_read_the_notes(group, attendees, supervisor, client_for):
    url = reverse("supervision:group", args=[group.pk])
    for reader in [supervisor] + [a.supervisee for a in attendees[:2]]:
        text = client_for(reader).get(url).content.decode()
        assert NOTES in text and ACTIONS in text, reader


def test_an_attendee_reads_neither_anothers_view_nor_their_session(group, attendees, client_for):
    first, second = (group.sessions.get(arrangement=a) for a in attendees[:2])
    services.session_acknowledge(
        session=second, by=second.arrangement.supervisee, differing_view=VIEW
    )
    client = client_for(first.arrangement.supervisee)
    assert VIEW not in client.get(reverse("supervision:group", args=[group.pk])).content.decode()
    assert client.get(reverse("supervision:session", args=[second.pk])).status_code == 404


@pytest.mark.parametrize(
    "who", ["not_in_the_group", "other_psw", "another_supervisor", "service_lead", "administrator"]
)
def test_nobody_else_reads_the_group_or_its_sessions(who, group, client_for, request):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("supervision:group", args=[group.pk])).status_code == 404
    for session in group.sessions.all():
        for name in ("supervision:session", "supervision_workspace:session"):
            response = client.get(reverse(name, args=[session.pk]))
            assert response.status_code == 404
            assert NOTES not in response.content.decode()
    for url in ("/supervising/", "/admin/supervision_sessions/", "/admin/audit/"):
        assert NOTES not in client.get(url, follow=True).content.decode()


def test_the_manager_sees_the_group_sessions_dates_and_format_never_the_notes(
    group, attendees, manager, client_for
):
    client = client_for(manager)
    assert client.get(reverse("supervision:group", args=[group.pk])).status_code == 404
    listing = client.get("/admin/supervision_sessions/").content.decode()
    assert "20 May 2026" in listing and "Reflective practice" in listing
    for url in (
        "/admin/supervision_sessions/",
        "/admin/supervision_sessions/?export=csv",
        "/admin/audit/",
        "/admin/audit/?export=csv",
    ):
        response = client.get(url)
        content = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert NOTES not in content and ACTIONS not in content, url


# Correcting a group session ------------------------------------------------------------


def test_the_facilitator_corrects_every_attendees_session_and_each_is_told(
    group, supervisor, client_for, django_capture_on_commit_callbacks
):
    url = reverse("supervision:correct_group", args=[group.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(supervisor).post(
            url,
            {
                "held_on": "2026-05-19",
                "duration_minutes": "120",
                "format": "group",
                "reason": "It was the Tuesday group",
            },
        )
    assert response.status_code == 302
    for session in group.sessions.all():
        assert (session.held_on, session.duration_minutes, session.format) == (
            date(2026, 5, 19),
            120,
            "group",
        )
        latest, before = session.history.order_by("-history_id")[:2]
        assert before.held_on == date(2026, 5, 20)
        assert (
            latest.history_change_reason == "Corrected by the supervisor: It was the Tuesday group"
        )
    group.refresh_from_db()
    assert group.held_on == date(2026, 5, 19)
    assert len(mail.outbox) == 2
    assert all("It was the Tuesday group" in message.body for message in mail.outbox)


def test_a_group_correction_without_a_reason_changes_nothing(group, supervisor, client_for):
    url = reverse("supervision:correct_group", args=[group.pk])
    response = client_for(supervisor).post(
        url, {"held_on": "2026-05-19", "duration_minutes": "90", "format": "group"}
    )
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert set(group.sessions.values_list("held_on", flat=True)) == {date(2026, 5, 20)}


def test_one_attendees_session_is_not_corrected_on_its_own(group, supervisor, client_for):
    session = group.sessions.first()
    url = reverse("supervision:correct", args=[session.pk])
    assert client_for(supervisor).get(url).status_code == 404
    with pytest.raises(ValidationError):
        services.session_correct(
            session=session,
            by=supervisor,
            held_on=date(2026, 5, 19),
            duration_minutes=90,
            format="group",
            reason="Wrong day",
            today=TODAY,
        )


def test_only_the_facilitator_corrects_the_group(group, another_supervisor, psw, client_for):
    url = reverse("supervision:correct_group", args=[group.pk])
    assert client_for(another_supervisor).get(url).status_code == 404
    assert client_for(psw).get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.group_correct(
            group=group,
            by=another_supervisor,
            held_on=date(2026, 5, 19),
            duration_minutes=90,
            format="group",
            reason="Guessed",
            today=TODAY,
        )


# The page --------------------------------------------------------------------------------


def form(arrangements, **changes):
    return {
        "stream": "nhs",
        "attendees": [a.supervisee_id for a in arrangements],
        "held_on": "2026-05-20",
        "duration_minutes": "90",
        "format": "group",
        "topics": ["wellbeing"],
        "notes": NOTES,
        "actions": "",
        **changes,
    }


def test_the_supervisor_logs_a_group_session_on_the_page(supervisor, attendees, client_for):
    client = client_for(supervisor)
    page = client.get(reverse("supervision:log_group")).content.decode()
    for arrangement in attendees:
        assert str(arrangement.supervisee) in page
    response = client.post(reverse("supervision:log_group"), form(attendees))
    group = SupervisionGroup.objects.get()
    assert response["Location"] == reverse("supervision:group", args=[group.pk])
    assert group.sessions.count() == 3


def test_the_page_refuses_someone_elses_supervisee_and_saves_nothing(
    supervisor, attendees, other_psw, client_for
):
    factories.ArrangementFactory(supervisee=other_psw, starts_on=STARTS)
    response = client_for(supervisor).post(
        reverse("supervision:log_group"),
        form(attendees[:1], attendees=[attendees[0].supervisee_id, other_psw.pk]),
    )
    assert response.status_code == 200
    assert "Choose only people you supervise." in response.content.decode()
    assert NOTES in response.content.decode()  # what was typed is kept
    assert not SupervisionSession.objects.exists()


def test_the_page_refuses_a_supervisee_of_the_other_stream(supervisor, attendees, client_for):
    employer = factories.psw(username="employer.only")
    factories.ArrangementFactory(
        supervisee=employer, supervisor=supervisor, stream="employer", starts_on=STARTS
    )
    response = client_for(supervisor).post(
        reverse("supervision:log_group"),
        form(attendees[:1], attendees=[attendees[0].supervisee_id, employer.pk]),
    )
    assert "You did not supervise employer" not in response.content.decode() or True
    assert f"You did not supervise {employer}" in response.content.decode()
    assert not SupervisionSession.objects.exists()
