"""Sessions that can be corrected, declined, and seen differently (issue 19, item 5)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from compliance.reminders import acknowledgement_reminders
from supervision import rules, services
from supervision.models import SupervisionSession
from supervision.selectors import own_stream_statuses, sessions_awaiting_confirmation_by
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)
REASON = "Typed the wrong day: we met on the Tuesday"


@pytest.fixture
def arrangement(psw, supervisor):
    return factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=date(2026, 1, 5)
    )


@pytest.fixture
def logged(arrangement, supervisor):
    return factories.SessionFactory(
        arrangement=arrangement, held_on=date(2026, 5, 18), duration_minutes=60
    )


@pytest.fixture
def waiting(arrangement, psw):
    """A session the PSW logged, waiting for the supervisor."""
    return factories.SessionFactory(
        arrangement=arrangement,
        held_on=date(2026, 5, 20),
        logged_by=psw,
        confirmed_by=None,
        confirmed_at=None,
    )


def correct(session, by, **changes):
    fields = {
        "held_on": date(2026, 5, 19),
        "duration_minutes": 90,
        "format": "reflective_practice",
        "reason": REASON,
        "today": TODAY,
        **changes,
    }
    return services.session_correct(session=session, by=by, **fields)


# Correcting ----------------------------------------------------------------------------


def test_the_supervisor_corrects_a_session_and_history_keeps_before_after_and_why(
    logged, supervisor, psw, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        correct(logged, supervisor)
    logged.refresh_from_db()
    assert (logged.held_on, logged.duration_minutes, logged.format) == (
        date(2026, 5, 19),
        90,
        "reflective_practice",
    )
    latest, before = logged.history.order_by("-history_id")[:2]
    assert (before.held_on, before.duration_minutes, before.format) == (
        date(2026, 5, 18),
        60,
        "one_to_one",
    )
    assert latest.history_user == supervisor
    assert latest.history_change_reason == f"Corrected by the supervisor: {REASON}"
    assert logged.correction_reason == REASON and logged.corrected_at is not None
    assert [message.to for message in mail.outbox] == [[psw.email]]
    assert REASON in mail.outbox[0].body and "19 May 2026" in mail.outbox[0].body
    assert logged.notes not in mail.outbox[0].body


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"reason": "  "}, "reason", "Say why the session is being corrected"),
        ({"held_on": date(2026, 6, 2)}, "held_on", "cannot be in the future"),
        ({"held_on": date(2026, 1, 4)}, "held_on", "a session cannot be before that"),
        ({"duration_minutes": 4}, "duration_minutes", "between 5 and 480"),
        ({"duration_minutes": 481}, "duration_minutes", "between 5 and 480"),
        ({"format": "lecture"}, "format", "Choose a format"),
        (
            {"held_on": date(2026, 5, 18), "duration_minutes": 60, "format": "one_to_one"},
            "held_on",
            "Nothing has changed",
        ),
        ({"held_on": date(2026, 5, 11)}, "held_on", "A session is already logged for this day"),
    ],
    ids=["no-reason", "future", "before-start", "4-min", "481-min", "format", "same", "taken-day"],
)
def test_a_correction_that_cannot_be_made_says_why_and_changes_nothing(
    changes, field, words, logged, arrangement, supervisor
):
    factories.SessionFactory(arrangement=arrangement, held_on=date(2026, 5, 11))
    with pytest.raises(ValidationError) as refused:
        correct(logged, supervisor, **changes)
    assert words in refused.value.message_dict[field][0]
    logged.refresh_from_db()
    assert (logged.held_on, logged.corrected_at) == (date(2026, 5, 18), None)
    assert logged.history.count() == 1


def test_a_session_can_be_corrected_to_its_own_day(logged, supervisor):
    correct(logged, supervisor, held_on=logged.held_on)
    logged.refresh_from_db()
    assert logged.duration_minutes == 90


@pytest.mark.parametrize("who", ["psw", "manager", "another"])
def test_only_the_arrangements_supervisor_corrects(who, logged, psw, manager):
    by = {"psw": psw, "manager": manager, "another": factories.supervisor(username="x")}[who]
    with pytest.raises(PermissionDenied):
        correct(logged, by)
    logged.refresh_from_db()
    assert logged.corrected_at is None


def test_the_correct_page_shows_the_message_next_to_the_field_and_saves_nothing(
    logged, supervisor, client_for
):
    url = reverse("supervision:correct", args=[logged.pk])
    client = client_for(supervisor)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"held_on": "2026-05-19", "duration_minutes": "60", "format": "one_to_one"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    logged.refresh_from_db()
    assert logged.held_on == date(2026, 5, 18)


def test_the_psw_sees_the_correction_and_its_reason_on_their_session_list(
    logged, supervisor, psw, client_for
):
    client_for(supervisor).post(
        reverse("supervision:correct", args=[logged.pk]),
        {
            "held_on": "2026-05-19",
            "duration_minutes": "75",
            "format": "one_to_one",
            "reason": REASON,
        },
    )
    logged.refresh_from_db()
    assert logged.duration_minutes == 75
    page = client_for(psw).get(reverse("me:session", args=[logged.pk])).content.decode()
    assert REASON in page and "75 minutes" in page


# Declining -----------------------------------------------------------------------------


def test_the_supervisor_declines_a_psw_logged_session_and_it_never_counts(
    waiting, supervisor, psw, client_for
):
    response = client_for(supervisor).post(
        reverse("supervision:decline", args=[waiting.pk]),
        {"reason": "We did not meet that week"},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.declined_by == supervisor and waiting.declined_at is not None
    assert waiting.history.latest().history_change_reason == "Declined"
    assert not sessions_awaiting_confirmation_by(supervisor).exists()
    with pytest.raises(PermissionDenied):
        services.session_confirm(session=waiting, by=supervisor)
    nhs = own_stream_statuses(psw, TODAY)[0]
    assert nhs.last_held_on is None
    page = client_for(psw).get(reverse("me:session", args=[waiting.pk])).content.decode()
    assert "We did not meet that week" in page and "declined" in page


def test_a_decline_without_a_reason_is_refused_and_changes_nothing(waiting, supervisor, client_for):
    response = client_for(supervisor).post(
        reverse("supervision:decline", args=[waiting.pk]), {"reason": " "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    with pytest.raises(ValidationError):
        services.session_decline(session=waiting, by=supervisor, reason="")
    waiting.refresh_from_db()
    assert waiting.declined_at is None


def test_a_manager_declines_only_where_the_supervisor_has_no_account(
    waiting, psw, manager, client_for
):
    url = reverse("supervision_workspace:decline", args=[waiting.pk])
    assert client_for(manager).post(url, {"reason": "No"}).status_code == 404
    external = factories.ArrangementFactory(
        supervisee=psw,
        stream="employer",
        supervisor=None,
        supervisor_name="Ruth Akers",
        starts_on=date(2026, 1, 5),
    )
    theirs = factories.SessionFactory(
        arrangement=external, logged_by=psw, confirmed_by=None, confirmed_at=None
    )
    services.session_decline(session=theirs, by=manager, reason="Ruth says it did not happen")
    theirs.refresh_from_db()
    assert theirs.declined_by == manager


def test_a_confirmed_session_cannot_be_declined(logged, supervisor):
    with pytest.raises(PermissionDenied):
        services.session_decline(session=logged, by=supervisor, reason="Changed my mind")


def test_a_declined_session_is_not_signed_off_nor_reminded_about(waiting, supervisor, psw):
    waiting.acknowledged_at = None
    waiting.save()
    services.session_decline(session=waiting, by=supervisor, reason="Not supervision")
    with pytest.raises(ValidationError):
        services.session_acknowledge(session=waiting, by=psw)
    assert acknowledgement_reminders([psw.pk], "Leeds Mind") == {}


def test_a_declined_session_cannot_be_corrected(waiting, supervisor):
    services.session_decline(session=waiting, by=supervisor, reason="Not supervision")
    with pytest.raises(PermissionDenied):
        correct(waiting, supervisor)


# I see this differently -------------------------------------------------------------------


def test_the_psw_signs_off_with_their_own_view_which_the_supervisor_reads(
    logged, psw, supervisor, client_for
):
    logged.acknowledged_at = None
    logged.save()
    client_for(psw).post(
        reverse("me:session", args=[logged.pk]),
        {"differing_view": "  I felt the plan was agreed for me, not with me  "},
    )
    logged.refresh_from_db()
    assert logged.acknowledged_at is not None
    assert logged.supervisee_view == "I felt the plan was agreed for me, not with me"
    page = client_for(supervisor).get(reverse("supervision:session", args=[logged.pk]))
    assert "I felt the plan was agreed for me, not with me" in page.content.decode()


def test_signing_off_without_a_view_keeps_it_empty(logged, psw):
    logged.acknowledged_at = None
    logged.save()
    services.session_acknowledge(session=logged, by=psw)
    logged.refresh_from_db()
    assert logged.supervisee_view == ""


# The rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "confirmed", "declined", "counted"),
    [
        ("held", True, False, True),
        ("held", True, True, False),
        ("held", False, True, False),
        ("held", False, False, False),
        ("cancelled", True, False, False),
    ],
)
def test_a_declined_session_never_counts(status, confirmed, declined, counted):
    session = rules.Session(TODAY - timedelta(days=1), status, confirmed, declined)
    assert rules.counts(session, TODAY) is counted


def test_the_session_model_says_declined(waiting, supervisor):
    services.session_decline(session=waiting, by=supervisor, reason="No")
    assert SupervisionSession.objects.get(pk=waiting.pk).is_declined


def test_after_a_decline_the_psw_logs_the_real_session_on_the_same_day(
    waiting, arrangement, supervisor, psw
):
    services.session_decline(session=waiting, by=supervisor, reason="It was 90 minutes")
    again = services.session_log(
        arrangement=arrangement,
        by=psw,
        held_on=waiting.held_on,
        duration_minutes=90,
        format="one_to_one",
        status="held",
        topics=[],
        notes="",
        actions="",
        wellbeing_checked=False,
        safeguarding_concern=False,
        today=TODAY,
    )
    assert again.held_on == waiting.held_on and not again.is_declined
    with pytest.raises(ValidationError):
        services.session_log(
            arrangement=arrangement,
            by=psw,
            held_on=waiting.held_on,
            duration_minutes=90,
            format="one_to_one",
            status="held",
            topics=[],
            notes="",
            actions="",
            wellbeing_checked=False,
            safeguarding_concern=False,
            today=TODAY,
        )


def test_the_correct_page_starts_with_what_the_session_says(logged, supervisor, client_for):
    page = client_for(supervisor).get(reverse("supervision:correct", args=[logged.pk]))
    form = page.context["form"]
    assert (form["held_on"].value(), form["duration_minutes"].value(), form["format"].value()) == (
        date(2026, 5, 18),
        60,
        "one_to_one",
    )
