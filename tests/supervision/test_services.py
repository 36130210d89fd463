"""Setting up arrangements and logging, confirming and signing off sessions."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from supervision import services
from supervision.models import SupervisionArrangement, SupervisionSession
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


@pytest.fixture
def arrangement(psw, supervisor):
    return factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=date(2026, 1, 5)
    )


@pytest.fixture
def unaccounted(psw):
    """An NHS arrangement whose supervisor has no account here."""
    return factories.ArrangementFactory(
        supervisee=psw, supervisor=None, supervisor_name="Ruth Akers", starts_on=date(2026, 1, 5)
    )


@pytest.fixture
def another_supervisor():
    return factories.supervisor(username="another.supervisor")


def log(arrangement, by, **changes):
    fields = {
        "held_on": date(2026, 5, 20),
        "duration_minutes": 60,
        "format": "one_to_one",
        "status": "held",
        "topics": ["boundaries", "wellbeing"],
        "notes": "Talked about boundaries.",
        "actions": "",
        "wellbeing_checked": True,
        "safeguarding_concern": False,
        "today": TODAY,
        **changes,
    }
    return services.session_log(arrangement=arrangement, by=by, **fields)


# Logging and confirmation ----------------------------------------------------------------


def test_a_session_the_supervisor_logs_is_confirmed_at_once(arrangement, supervisor):
    session = log(arrangement, supervisor)
    assert session.confirmed_by == supervisor
    assert session.confirmed_at is not None
    assert session.acknowledged_at is None
    assert session.logged_by == supervisor


def test_a_session_the_psw_logs_waits_for_the_supervisor_and_is_their_sign_off(arrangement, psw):
    session = log(arrangement, psw)
    assert session.confirmed_at is None
    assert session.acknowledged_at is not None
    assert session.logged_by == psw


def test_the_supervisor_confirms_what_the_psw_logged(arrangement, psw, supervisor):
    session = log(arrangement, psw)
    services.session_confirm(session=session, by=supervisor)
    session.refresh_from_db()
    assert session.confirmed_by == supervisor
    assert session.confirmed_at is not None


def test_a_manager_cannot_confirm_when_the_supervisor_has_an_account(arrangement, psw, manager):
    session = log(arrangement, psw)
    with pytest.raises(PermissionDenied):
        services.session_confirm(session=session, by=manager)
    session.refresh_from_db()
    assert session.confirmed_at is None


def test_a_manager_confirms_when_the_supervisor_has_no_account(unaccounted, psw, manager):
    session = log(unaccounted, psw)
    services.session_confirm(session=session, by=manager)
    session.refresh_from_db()
    assert session.confirmed_by == manager


@pytest.mark.parametrize("who", ["psw", "other_psw", "service_lead", "another_supervisor"])
def test_nobody_else_confirms(who, arrangement, psw, request):
    session = log(arrangement, psw)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.session_confirm(session=session, by=user)
    session.refresh_from_db()
    assert session.confirmed_at is None


def test_a_confirmed_session_cannot_be_confirmed_again(arrangement, supervisor):
    session = log(arrangement, supervisor)
    first = session.confirmed_at
    with pytest.raises(PermissionDenied):
        services.session_confirm(session=session, by=supervisor)
    session.refresh_from_db()
    assert session.confirmed_at == first


@pytest.mark.parametrize("who", ["other_psw", "manager", "another_supervisor"])
def test_only_the_psw_and_their_supervisor_can_log(who, arrangement, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        log(arrangement, user)
    assert not SupervisionSession.objects.exists()


# Acknowledgement -------------------------------------------------------------------------


def test_the_psw_signs_off_a_session_once(arrangement, psw, supervisor):
    session = log(arrangement, supervisor)
    services.session_acknowledge(session=session, by=psw)
    session.refresh_from_db()
    signed = session.acknowledged_at
    assert signed is not None
    with pytest.raises(ValidationError):
        services.session_acknowledge(session=session, by=psw)
    session.refresh_from_db()
    assert session.acknowledged_at == signed


@pytest.mark.parametrize("who", ["supervisor", "manager", "other_psw"])
def test_only_the_psw_signs_off(who, arrangement, supervisor, request):
    session = log(arrangement, supervisor)
    with pytest.raises(PermissionDenied):
        services.session_acknowledge(session=session, by=request.getfixturevalue(who))
    session.refresh_from_db()
    assert session.acknowledged_at is None


# Validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"held_on": date(2026, 6, 2)}, "held_on", "cannot be in the future"),
        ({"held_on": date(2026, 1, 4)}, "held_on", "a session cannot be before that"),
        ({"duration_minutes": 4}, "duration_minutes", "between 5 and 480"),
        ({"duration_minutes": 481}, "duration_minutes", "between 5 and 480"),
        ({"topics": ["gossip"]}, "topics", "Choose topics from the list"),
        ({"format": "telepathy"}, "format", "Choose a format"),
        ({"status": "maybe"}, "status", "Choose held, cancelled"),
    ],
    ids=["future", "before-start", "4-minutes", "481-minutes", "topic", "format", "status"],
)
def test_a_session_that_breaks_a_rule_is_refused_and_nothing_saved(
    changes, field, words, arrangement, supervisor
):
    with pytest.raises(ValidationError) as refused:
        log(arrangement, supervisor, **changes)
    assert words in " ".join(refused.value.message_dict[field])
    assert not SupervisionSession.objects.exists()


@pytest.mark.parametrize("minutes", [5, 480])
def test_durations_at_the_limits_are_accepted(minutes, arrangement, supervisor):
    assert log(arrangement, supervisor, duration_minutes=minutes).pk


def test_a_session_after_the_arrangement_ended_is_refused(arrangement, supervisor, manager):
    services.arrangement_end(
        arrangement=arrangement, ends_on=date(2026, 4, 30), by=manager, reason="Left"
    )
    with pytest.raises(ValidationError) as refused:
        log(arrangement, supervisor, held_on=date(2026, 5, 1))
    assert "ended on 30 April 2026" in refused.value.message_dict["held_on"][0]
    assert not SupervisionSession.objects.exists()


def test_a_second_session_on_the_same_day_needs_a_reason(arrangement, supervisor):
    log(arrangement, supervisor)
    with pytest.raises(ValidationError) as refused:
        log(arrangement, supervisor)
    assert "Say why" in refused.value.message_dict["same_day_reason"][0]
    assert SupervisionSession.objects.count() == 1
    second = log(arrangement, supervisor, same_day_reason="Group reflective practice after 1:1")
    assert second.same_day_reason == "Group reflective practice after 1:1"
    assert SupervisionSession.objects.count() == 2


# Arrangements ----------------------------------------------------------------------------


def test_changing_supervisor_ends_the_current_arrangement_and_keeps_the_past(
    arrangement, supervisor, manager
):
    session = log(arrangement, supervisor)
    successor = factories.supervisor()
    new = services.arrangement_start(
        supervisee=arrangement.supervisee,
        stream="nhs",
        supervisor=successor,
        starts_on=date(2026, 6, 1),
        by=manager,
    )
    arrangement.refresh_from_db()
    assert arrangement.ends_on == date(2026, 5, 31)
    assert arrangement.supervisor == supervisor
    assert session.arrangement_id == arrangement.pk
    assert SupervisionSession.objects.get().arrangement == arrangement
    assert new.ends_on is None and new.supervisor == successor
    assert arrangement.history.first().history_change_reason == "Supervisor changed"


def test_an_arrangement_needs_a_supervisor_or_a_name(psw, manager):
    with pytest.raises(ValidationError) as refused:
        services.arrangement_start(supervisee=psw, stream="nhs", starts_on=TODAY, by=manager)
    assert "supervisor_name" in refused.value.message_dict
    assert not SupervisionArrangement.objects.exists()


def test_a_supervisor_without_an_account_is_kept_by_name(psw, manager):
    arrangement = services.arrangement_start(
        supervisee=psw, stream="nhs", supervisor_name=" Ruth Akers ", starts_on=TODAY, by=manager
    )
    assert arrangement.supervisor is None
    assert arrangement.supervisor_display == "Ruth Akers"


def test_a_new_arrangement_cannot_start_before_the_current_one(arrangement, manager):
    with pytest.raises(ValidationError) as refused:
        services.arrangement_start(
            supervisee=arrangement.supervisee,
            stream="nhs",
            supervisor_name="Someone",
            starts_on=date(2026, 1, 1),
            by=manager,
        )
    assert "starts_on" in refused.value.message_dict
    arrangement.refresh_from_db()
    assert arrangement.ends_on is None
    assert SupervisionArrangement.objects.count() == 1


def test_an_arrangement_cannot_end_before_its_last_session(arrangement, supervisor, manager):
    log(arrangement, supervisor)
    with pytest.raises(ValidationError):
        services.arrangement_end(
            arrangement=arrangement, ends_on=date(2026, 5, 19), by=manager, reason="Changed"
        )
    arrangement.refresh_from_db()
    assert arrangement.ends_on is None


# History and notification ----------------------------------------------------------------


def test_history_rows_carry_the_acting_user(arrangement, psw, supervisor, manager):
    session = log(arrangement, psw)
    services.session_confirm(session=session, by=supervisor)
    charity = factories.supervisor(username="charity.supervisor", side="employer")
    new = services.arrangement_start(
        supervisee=psw, stream="employer", supervisor=charity, starts_on=TODAY, by=manager
    )
    services.arrangement_end(arrangement=new, ends_on=TODAY, by=manager, reason="Left")
    users = [row.history_user for row in session.history.order_by("history_id")]
    assert users == [psw, supervisor]
    assert {row.history_user for row in new.history.all()} == {manager}


def test_a_safeguarding_flag_emails_managers_without_content(
    arrangement, supervisor, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log(arrangement, supervisor, safeguarding_concern=True, notes="Confidential detail")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]
    assert "20 May 2026" in message.body
    assert "/admin/supervision_sessions/?safeguarding_concern=true" in message.body
    assert "Confidential detail" not in message.body
    assert arrangement.supervisee.get_full_name() not in message.body


def test_no_email_without_a_flag(
    arrangement, supervisor, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log(arrangement, supervisor)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("stream", "side", "words"),
    [
        ("nhs", "employer", "needs a supervisor who belongs to NHS"),
        ("employer", "nhs", "belongs to NHS: "),
        ("nhs", "", "does not say whether they belong to NHS or "),
        ("employer", "", "does not say whether they belong to NHS or "),
    ],
    ids=[
        "nhs-with-charity-supervisor",
        "employer-with-nhs-supervisor",
        "nhs-unknown",
        "employer-unknown",
    ],
)
def test_an_arrangement_needs_a_supervisor_from_its_streams_side(stream, side, words, psw, manager):
    wrong = factories.supervisor(username="wrong.side", side=side)
    with pytest.raises(ValidationError) as refused:
        services.arrangement_start(
            supervisee=psw, stream=stream, supervisor=wrong, starts_on=TODAY, by=manager
        )
    assert words in refused.value.message_dict["supervisor"][0]
    assert not SupervisionArrangement.objects.exists()


@pytest.mark.parametrize("stream", ["nhs", "employer"])
def test_an_arrangement_starts_with_a_supervisor_of_its_own_side_or_a_named_external_one(
    stream, psw, manager
):
    right = factories.supervisor(username="right.side", side=stream)
    services.arrangement_start(
        supervisee=psw, stream=stream, supervisor=right, starts_on=TODAY, by=manager
    )
    external = services.arrangement_start(
        supervisee=factories.psw(username="psw.external"),
        stream=stream,
        supervisor_name="Ruth Akers",
        starts_on=TODAY,
        by=manager,
    )
    assert SupervisionArrangement.objects.filter(supervisor=right, stream=stream).exists()
    assert external.supervisor_display == "Ruth Akers"
