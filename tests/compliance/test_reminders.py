import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from compliance import reminders
from compliance.models import ReminderLog
from compliance.reminders import digest_key, notice_threshold
from portal.doors import landing_url
from supervision.models import SupervisionSession
from supervision.selectors import sessions_awaiting_confirmation_by
from tests import factories
from training.models import TrainingRecord
from training.selectors import RequirementStatus

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 3, 4)
MONDAY = date(2026, 3, 2)
SIGNED_OFF = datetime(2026, 2, 10, tzinfo=UTC)
SECRET_NOTES = "Spoke about the tangerine-umbrella incident at home"
SECRET_ACTIONS = "Phone the violet-kettle duty team"


def run(*args, today=WEDNESDAY):
    out = io.StringIO()
    call_command("send_reminders", "--today", today.isoformat(), *args, stdout=out)
    return out.getvalue()


def summary_line(output):
    return output.strip().splitlines()[-1]


def sent_to(outbox):
    return sorted(address for message in outbox for address in message.to)


def logged(person):
    return set(
        ReminderLog.objects.filter(person=person, status=ReminderLog.Status.SENT).values_list(
            "threshold", flat=True
        )
    )


def bodies(message):
    return [message.body] + [content for content, _ in message.alternatives]


@pytest.fixture
def data_protection():
    return factories.module("Data protection", provider="nhs", renewal_months=12)


def trained(person, module, completed_on):
    return factories.TrainingRecordFactory(
        person=person, module=module, provider="nhs", completed_on=completed_on
    )


# Thresholds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [
        (61, None),
        (60, "expiring_60"),
        (31, "expiring_60"),
        (30, "expiring_30"),
        (8, "expiring_30"),
        (7, "expiring_7"),
        (0, "expiring_7"),
    ],
)
def test_the_days_left_decide_the_notice(days_left, threshold):
    valid_until = date.fromordinal(WEDNESDAY.toordinal() + days_left)
    status = "valid" if days_left >= 60 else "expiring"
    requirement = RequirementStatus(1, 2, "Data protection", "nhs", status, None, valid_until)
    assert notice_threshold(requirement, WEDNESDAY) == threshold


def test_each_training_threshold_fires_once_as_the_expiry_comes_closer(
    psw, data_protection, mailoutbox
):
    trained(psw, data_protection, date(2025, 5, 1))  # valid until 1 May 2026
    days = [
        (date(2026, 3, 2), {"expiring_60"}),
        (date(2026, 3, 2), set()),
        (date(2026, 3, 20), set()),
        (date(2026, 4, 1), {"expiring_30"}),
        (date(2026, 4, 2), set()),
        (date(2026, 4, 24), {"expiring_7"}),
        (date(2026, 5, 1), set()),
        (date(2026, 5, 2), {"expired"}),
        (date(2026, 5, 9), set()),
    ]
    before = set()
    for today, new in days:
        mailoutbox.clear()
        run(today=today)
        assert logged(psw) - before == new, today
        assert len(mailoutbox) == (1 if new else 0), today
        before = logged(psw)
    assert ReminderLog.objects.filter(person=psw).count() == 4


def test_a_renewal_starts_a_fresh_cycle_of_notices(psw, data_protection, mailoutbox):
    trained(psw, data_protection, date(2025, 4, 1))
    run(today=date(2026, 3, 20))
    trained(psw, data_protection, date(2026, 3, 25))
    run(today=date(2027, 3, 1))
    notices = ReminderLog.objects.filter(person=psw, threshold="expiring_30")
    assert sorted(notices.values_list("item_key", flat=True)) == [
        f"training:{data_protection.pk}:nhs:2026-04-01",
        f"training:{data_protection.pk}:nhs:2027-03-25",
    ]


def test_a_missing_requirement_is_told_once(psw, data_protection, mailoutbox):
    run()
    run(today=date(2026, 3, 5))
    assert len(mailoutbox) == 1
    assert "Data protection (NHS): there is no completion recorded yet" in mailoutbox[0].body
    assert logged(psw) == {"missing"}


def test_supervision_due_soon_and_then_overdue_reach_the_psw_and_their_supervisor(
    psw, supervisor, mailoutbox
):
    supervisor.first_name, supervisor.last_name = "Quennell", "Zabrowski"
    supervisor.save(update_fields=["first_name", "last_name"])
    arrangement = factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=date(2026, 1, 5)
    )
    factories.SessionFactory(  # due on 9 March
        arrangement=arrangement, held_on=date(2026, 2, 9), acknowledged_at=SIGNED_OFF
    )
    run(today=date(2026, 3, 3))
    assert logged(psw) == logged(supervisor) == {"due_soon"}
    run(today=date(2026, 3, 4))
    assert len(mailoutbox) == 2
    run(today=date(2026, 3, 10))
    assert logged(psw) == logged(supervisor) == {"due_soon", "overdue"}
    to_psw = [m for m in mailoutbox if m.to == [psw.email]][-1]
    to_supervisor = [m for m in mailoutbox if m.to == [supervisor.email]][-1]
    assert "NHS supervision was due on 9 March 2026 and is overdue" in to_psw.body
    assert supervisor.last_name not in to_psw.body
    assert f"{psw.first_name} {psw.last_name}: NHS supervision" in to_supervisor.body
    # Each can change their email choices on the site's account page.
    for message in (to_psw, to_supervisor):
        assert "/me/account/" in message.body
        assert "/admin/account/" not in message.body


def test_a_session_waiting_for_sign_off_and_one_waiting_for_confirmation(
    psw, supervisor, mailoutbox
):
    arrangement = factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=date(2026, 2, 2)
    )
    logged_by_supervisor = factories.SessionFactory(
        arrangement=arrangement, held_on=date(2026, 3, 2), acknowledged_at=None
    )
    logged_by_psw = factories.SessionFactory(
        arrangement=arrangement,
        held_on=date(2026, 3, 3),
        logged_by=psw,
        confirmed_by=None,
        confirmed_at=None,
        acknowledged_at=datetime(2026, 3, 3, tzinfo=UTC),
    )
    run()
    acknowledge = ReminderLog.objects.get(person=psw, threshold="acknowledge")
    confirm = ReminderLog.objects.get(person=supervisor, threshold="confirm")
    assert acknowledge.item_key == f"ack:{logged_by_supervisor.pk}"
    assert confirm.item_key == f"confirm:{logged_by_psw.pk}"
    to_supervisor = next(m for m in mailoutbox if m.to == [supervisor.email])
    assert f"/supervising/sessions/{logged_by_psw.pk}/" in to_supervisor.body


# One email, reruns, dry runs ----------------------------------------------------------


def test_one_email_per_person_groups_all_their_reminders(psw, data_protection, mailoutbox):
    factories.module("Safeguarding", provider="both", renewal_months=36)
    trained(psw, data_protection, date(2025, 1, 10))  # expired on 10 January 2026
    output = run()
    assert sent_to(mailoutbox) == [psw.email]
    message = mailoutbox[0]
    assert message.subject == "Alongside: 3 things need your attention"
    assert "ran out on 10 January 2026" in message.body
    assert "Safeguarding (NHS)" in message.body and "Safeguarding (Leeds Mind)" in message.body
    assert summary_line(output) == "sent 1, skipped 0, failed 0"


def test_the_email_comes_from_the_organisation_with_links_into_the_site(
    psw, data_protection, mailoutbox, settings
):
    settings.SITE_URL = "https://alongside.example.org"
    settings.DEFAULT_FROM_EMAIL = "reminders@example.org"
    run()
    message = mailoutbox[0]
    assert message.from_email == '"Leeds Mind (Alongside)" <reminders@example.org>'
    html = message.alternatives[0]
    assert html[1] == "text/html"
    assert 'href="https://alongside.example.org/me/training/"' in html[0]
    assert "https://alongside.example.org/me/training/" in message.body
    assert "https://alongside.example.org/me/account/" in message.body


def test_links_and_days_worked_out_once_are_each_reminders_own(settings):
    settings.SITE_URL = "https://alongside.example.org"
    assert reminders.site_link("me:session", 7) == "https://alongside.example.org/me/supervision/7/"
    assert reminders.site_link("me:session", 12) == (
        "https://alongside.example.org/me/supervision/12/"
    )
    assert reminders.site_link("me:training") == "https://alongside.example.org/me/training/"
    assert reminders.site_link("supervision_sessions:index", query="?x=1").endswith("/?x=1")
    settings.SITE_URL = "https://other.example.org"
    assert reminders.site_link("me:session", 7) == "https://other.example.org/me/supervision/7/"
    assert reminders.day(date(2026, 5, 3)) == "3 May 2026"
    with translation.override("fr"):
        assert reminders.day(date(2026, 5, 3)) == "3 mai 2026"
    assert reminders.day(date(2026, 5, 3)) == "3 May 2026"


def test_a_rerun_on_the_same_day_sends_nothing(psw, data_protection, mailoutbox):
    assert summary_line(run()) == "sent 1, skipped 0, failed 0"
    assert summary_line(run()) == "sent 0, skipped 1, failed 0"
    assert len(mailoutbox) == 1


def test_a_dry_run_prints_what_would_go_and_sends_and_records_nothing(
    psw, data_protection, mailoutbox
):
    output = run("--dry-run")
    assert f"To {psw} <{psw.email}>: Alongside: 1 thing needs your attention" in output
    assert "[missing] Data protection (NHS)" in output
    assert "dry run: 1 emails would be sent" in output
    assert summary_line(output) == "sent 0, skipped 0, failed 0"
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


def test_a_failed_send_is_recorded_and_retried_while_the_others_go(
    psw, other_psw, data_protection, mailoutbox, monkeypatch
):
    real_send = EmailMultiAlternatives.send

    def refuse_psw(message, *args, **kwargs):
        if psw.email in message.to:
            raise ConnectionRefusedError("mail server refused the connection")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_psw)
    assert summary_line(run()) == "sent 1, skipped 0, failed 1"
    assert sent_to(mailoutbox) == [other_psw.email]
    failed = ReminderLog.objects.get(person=psw)
    assert (failed.status, failed.attempts, failed.sent_at) == ("failed", 1, None)
    assert failed.error.startswith("ConnectionRefusedError")

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    assert summary_line(run(today=date(2026, 3, 5))) == "sent 1, skipped 1, failed 0"
    assert sent_to(mailoutbox) == sorted([other_psw.email, psw.email])
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error) == ("sent", 2, "")
    assert failed.sent_at is not None


def test_the_database_holds_each_reminder_once(psw):
    fields = {"person": psw, "item_key": "ack:1", "threshold": "acknowledge", "status": "sent"}
    ReminderLog.objects.create(summary="first", last_tried_at=datetime.now(UTC), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(summary="again", last_tried_at=datetime.now(UTC), **fields)


# Who gets nothing ---------------------------------------------------------------------


def test_leavers_inactive_people_and_people_without_email_get_nothing(data_protection, mailoutbox):
    left = factories.psw(username="left", left_on=date(2026, 3, 3))
    last_day = factories.psw(username="last.day", left_on=WEDNESDAY)
    inactive = factories.psw(username="inactive", is_active=False)
    no_email = factories.psw(username="no.email", email="")
    supervisor_who_left = factories.supervisor(username="gone", is_active=False)
    factories.ArrangementFactory(
        supervisee=last_day, supervisor=supervisor_who_left, starts_on=date(2026, 1, 5)
    )
    output = run()
    assert sent_to(mailoutbox) == [last_day.email]
    assert not ReminderLog.objects.filter(person__in=[left, inactive, no_email]).exists()
    assert not ReminderLog.objects.filter(person=supervisor_who_left).exists()
    # Skipped: the PSW without an address and the inactive supervisor, both with something due.
    assert summary_line(output) == "sent 1, skipped 2, failed 0"


def test_turning_optional_reminders_off_stops_the_60_day_notice_but_not_expiry(
    psw, data_protection, mailoutbox
):
    psw.optional_reminders = False
    psw.save()
    trained(psw, data_protection, date(2025, 5, 1))
    run(today=date(2026, 3, 2))
    assert mailoutbox == [] and logged(psw) == set()
    run(today=date(2026, 4, 1))
    run(today=date(2026, 5, 2))
    assert logged(psw) == {"expiring_30", "expired"}


def test_turning_optional_reminders_off_stops_the_digest_but_not_confirmations(
    manager, psw, mailoutbox
):
    manager.optional_reminders = False
    manager.save()
    arrangement = factories.ArrangementFactory(
        supervisee=psw, supervisor=None, supervisor_name="Ruth Akers", starts_on=date(2026, 1, 5)
    )
    factories.SessionFactory(
        arrangement=arrangement, logged_by=psw, confirmed_by=None, confirmed_at=None
    )
    run(today=MONDAY)
    assert logged(manager) == {"confirm"}


# The managers' digest -----------------------------------------------------------------


@pytest.fixture
def organisation(psw, manager, supervisor, data_protection):
    """A pending completion and a flagged session with confidential notes."""
    TrainingRecord.objects.create(
        person=psw,
        module=data_protection,
        provider="nhs",
        completed_on=date(2026, 2, 20),
        status=TrainingRecord.Status.PENDING,
        notes="Certificate photographed at the violet-kettle office",
        created_by=psw,
    )
    arrangement = factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=date(2026, 1, 5), interval_weeks=1
    )
    factories.SessionFactory(
        arrangement=arrangement,
        held_on=date(2026, 2, 25),
        notes=SECRET_NOTES,
        actions=SECRET_ACTIONS,
        safeguarding_concern=True,
        acknowledged_at=None,
    )
    return psw


def test_the_digest_goes_on_mondays_only_and_once_a_week(organisation, manager, mailoutbox):
    run(today=date(2026, 2, 25))
    assert logged(manager) == set()
    run(today=MONDAY)
    assert logged(manager) == {"digest"}
    digest = ReminderLog.objects.get(person=manager, threshold="digest")
    assert digest.item_key == digest_key(MONDAY) == "digest:2026-W10"
    mailoutbox.clear()
    run("--digest", today=date(2026, 3, 3))
    assert manager.email not in sent_to(mailoutbox)
    run(today=date(2026, 3, 9))
    assert ReminderLog.objects.filter(person=manager, threshold="digest").count() == 2


def test_digest_on_request_gives_the_summary_queue_and_new_flags_by_date_alone(
    organisation, manager, mailoutbox
):
    run("--digest")
    message = next(m for m in mailoutbox if m.to == [manager.email])
    assert "0 of 1 peer support workers fully trained (0%; the target is 95%)" in message.body
    assert "1 completion waiting for verification" in message.body
    assert f"{organisation}: Data protection (NHS), completed 20 February 2026" in message.body
    assert "A safeguarding concern was flagged in a session held on 25 February 2026" in (
        message.body
    )
    assert "/admin/training/pending/" in message.body


def test_no_email_carries_session_notes_actions_or_training_notes(organisation, mailoutbox):
    run("--digest")
    assert len(mailoutbox) == 3  # the PSW, their supervisor, the manager
    for message in mailoutbox:
        for body in bodies(message):
            assert "tangerine-umbrella" not in body
            assert "violet-kettle" not in body
            assert SupervisionSession.objects.get().notes not in body


def test_a_psws_email_names_nobody_else(organisation, supervisor, mailoutbox):
    # Names no template, module or PSW could share by chance.
    supervisor.first_name, supervisor.last_name = "Quennell", "Zabrowski"
    supervisor.save(update_fields=["first_name", "last_name"])
    run("--digest")
    to_psw = next(m for m in mailoutbox if m.to == [organisation.email])
    for body in bodies(to_psw):
        assert supervisor.first_name not in body and supervisor.last_name not in body
        assert supervisor.username not in body


# Arguments ----------------------------------------------------------------------------


def test_a_malformed_today_exits_2_with_one_line(capsys):
    with pytest.raises(SystemExit) as exit:
        call_command("send_reminders", "--today", "2026-02-30")
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "send_reminders: error: argument --today: '2026-02-30' is not a date in the form YYYY-MM-DD"
    ]


def test_nothing_due_sends_nothing(mailoutbox):
    assert summary_line(run()) == "sent 0, skipped 0, failed 0"
    assert mail.outbox == []


def queries_to_plan(today=WEDNESDAY):
    with CaptureQueriesContext(connection) as queries:
        run("--dry-run", "--digest", today=today)
    return len(queries)


def test_planning_takes_as_many_queries_for_many_people_as_for_few(
    data_protection, manager, supervisor
):
    def people(count):
        for _ in range(count):
            person = factories.psw()
            factories.ArrangementFactory(
                supervisee=person, supervisor=supervisor, starts_on=date(2026, 1, 5)
            )
            factories.SessionFactory(
                arrangement=person.supervision_arrangements.get(),
                held_on=date(2026, 2, 2),
                acknowledged_at=None,
                safeguarding_concern=True,
            )
            TrainingRecord.objects.create(
                person=person,
                module=data_protection,
                provider="nhs",
                completed_on=date(2026, 2, 1),
                status=TrainingRecord.Status.PENDING,
                created_by=person,
            )

    people(2)
    queries_to_plan()  # the first run fills caches (site, settings, content types)
    few = queries_to_plan()
    people(6)
    assert queries_to_plan() == few


def test_planning_takes_as_many_queries_for_many_supervisors_as_for_few(
    data_protection, psw, manager
):
    """With no session waiting for a supervisor who has no account here, nobody's roles
    need asking one confirmer at a time."""
    factories.supervisor()
    queries_to_plan()
    few = queries_to_plan()
    for _ in range(5):
        factories.supervisor()
    assert queries_to_plan() == few


# In the staff workspace ---------------------------------------------------------------


@pytest.fixture
def log_entry(psw, data_protection, mailoutbox):
    run()
    return ReminderLog.objects.get(person=psw)


def test_managers_read_the_reminder_log(log_entry, manager, client_for):
    client = client_for(manager)
    listing = client.get("/admin/reminder-log/")
    assert listing.status_code == 200
    assert "Data protection (NHS): there is no completion recorded yet" in listing.text
    inspect = client.get(f"/admin/reminder-log/inspect/{log_entry.pk}/")
    assert inspect.status_code == 200
    assert log_entry.item_key in inspect.text


@pytest.mark.parametrize("who", ["psw", "supervisor", "service_lead"])
def test_nobody_else_reads_the_reminder_log(log_entry, who, request, client_for):
    person = request.getfixturevalue(who)
    client = client_for(person)
    for url in [
        "/admin/reminder-log/",
        f"/admin/reminder-log/inspect/{log_entry.pk}/",
        f"/admin/reminder-log/edit/{log_entry.pk}/",
        f"/admin/reminder-log/delete/{log_entry.pk}/",
        f"/admin/reminder-log/history/{log_entry.pk}/",
    ]:
        response = client.get(url)
        refused = response.status_code in (403, 404)
        sent_home = response.status_code == 302 and response["Location"] == landing_url(person)
        assert refused or sent_home, url


def test_not_even_a_manager_edits_or_deletes_the_log(log_entry, manager, client_for):
    client = client_for(manager)
    assert client.get(f"/admin/reminder-log/edit/{log_entry.pk}/").status_code in (403, 404)
    response = client.post(f"/admin/reminder-log/delete/{log_entry.pk}/")
    assert response.status_code in (403, 404)
    assert ReminderLog.objects.filter(pk=log_entry.pk).exists()


def account_form(person, **fields):
    return {
        "name_email-first_name": person.first_name,
        "name_email-last_name": person.last_name,
        "name_email-email": person.email,
        "theme-theme": "system",
        "theme-density": "default",
        "theme-contrast": "system",
        "theme-keyboard_shortcuts": "on",
        **fields,
    }


def test_a_manager_finds_the_reminder_switch_on_the_workspace_account_page(manager, client_for):
    page = client_for(manager).get("/admin/account/")
    assert page.status_code == 200
    assert "Reminders by email" in page.text
    assert 'name="reminders-optional_reminders"' in page.text
    assert "Reminders about expired training and overdue supervision are always sent" in (page.text)


def test_a_manager_switches_the_optional_reminders_off_and_on_again(manager, client_for):
    client = client_for(manager)
    response = client.post("/admin/account/", account_form(manager))
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.optional_reminders is False
    client.post("/admin/account/", account_form(manager, **{"reminders-optional_reminders": "on"}))
    manager.refresh_from_db()
    assert manager.optional_reminders is True


# At scale ----------------------------------------------------------------------------


def test_reading_only_the_people_the_status_tables_say_are_due_loses_no_reminder(
    data_protection, monkeypatch
):
    today = timezone.localdate()
    for n in range(30):
        person = factories.psw()
        trained(person, data_protection, today - timedelta(days=n * 13))
        if n % 3:
            factories.SessionFactory(
                arrangement__supervisee=person,
                held_on=today - timedelta(days=n * 2),
                acknowledged_at=SIGNED_OFF,
            )
    read = []
    real_statuses_today = reminders.statuses_today
    monkeypatch.setattr(
        reminders,
        "statuses_today",
        lambda people, on: read.extend(people) or real_statuses_today(people, on),
    )
    narrowed, narrowed_read = reminders.reminders_due(today), len(read)
    monkeypatch.setattr(reminders, "may_need_notice", lambda day: Q())
    read.clear()
    assert reminders.reminders_due(today) == narrowed
    assert 0 < narrowed_read < len(read) == 30


def test_the_sessions_waiting_for_each_confirmer_are_those_they_may_confirm(
    psw, other_psw, supervisor, manager
):
    supervised = factories.ArrangementFactory(supervisee=psw, supervisor=supervisor)
    unaccounted = factories.ArrangementFactory(
        supervisee=other_psw, supervisor=None, supervisor_name="Dr Away", stream="employer"
    )
    for arrangement in (supervised, unaccounted):
        factories.SessionFactory(arrangement=arrangement, confirmed_by=None, confirmed_at=None)
    due = reminders.confirmations_due("Leeds Mind")
    for confirmer in (supervisor, manager):
        waiting = sessions_awaiting_confirmation_by(confirmer).values_list("pk", flat=True)
        assert {r.item_key for r in due[confirmer.pk]} == {f"confirm:{pk}" for pk in waiting}
    assert len(due[manager.pk]) == 1
