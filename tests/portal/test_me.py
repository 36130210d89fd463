"""A peer support worker's own pages under /me/: what each shows, what each refuses."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.doors import landing_url
from supervision.models import SupervisionSession
from tests import factories
from training import services
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db

TODAY = reverse("me:today")
TRAINING = reverse("me:training")
SUPERVISION = reverse("me:supervision")
CHANGES = reverse("me:changes")
ACCOUNT = reverse("me:account")
NOTES = "We talked about what to share of my own story on the ward."


@pytest.fixture
def today():
    return timezone.localdate()


def text_of(response):
    assert response.status_code == 200
    return response.content.decode()


def pending_record(person, module, today, **fields):
    return factories.TrainingRecordFactory(
        person=person,
        module=module,
        completed_on=today - timedelta(days=3),
        status=TrainingRecord.Status.PENDING,
        **fields,
    )


# Who gets in -------------------------------------------------------------------------


def test_a_psw_lands_on_their_today_page(psw):
    assert landing_url(psw) == TODAY


@pytest.mark.parametrize(
    "url", [TODAY, TRAINING, SUPERVISION, CHANGES, ACCOUNT, reverse("me:password")]
)
def test_someone_signed_out_is_asked_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["supervisor", "manager", "service_lead"])
def test_other_roles_opening_a_psws_page_are_sent_to_their_own(role, client_for):
    person = getattr(factories, role)()
    response = client_for(person).get(TRAINING)
    assert response.status_code == 302
    assert response["Location"] == landing_url(person)


def test_every_page_is_linked_from_the_header(psw, client_for):
    page = text_of(client_for(psw).get(TODAY))
    for url in (TODAY, TRAINING, SUPERVISION, CHANGES, ACCOUNT):
        assert f'href="{url}"' in page
    assert 'href="/me/" aria-current="page"' in page
    assert "Wagtail" not in page


# Today -------------------------------------------------------------------------------


def test_a_new_starter_is_shown_where_to_start(psw, client_for):
    data_protection = factories.module("Data protection", provider="nhs", renewal_months=12)
    page = text_of(client_for(psw).get(TODAY))
    assert "Start here" in page
    assert "Data protection (NHS)" in page
    assert "Not recorded" in page
    record = reverse("training:record", args=[data_protection.pk])
    assert f'href="{record}?provider=nhs"' in page


def test_today_puts_what_ran_out_first_then_what_falls_due_soonest(psw, client_for, today):
    later = factories.module("Later", provider="nhs", renewal_months=12)
    sooner = factories.module("Sooner", provider="nhs", renewal_months=12)
    lapsed = factories.module("Lapsed", provider="nhs", renewal_months=12)
    factories.TrainingRecordFactory(
        person=psw, module=later, completed_on=today - timedelta(days=330)
    )
    factories.TrainingRecordFactory(
        person=psw, module=sooner, completed_on=today - timedelta(days=340)
    )
    factories.TrainingRecordFactory(
        person=psw, module=lapsed, completed_on=today - timedelta(days=400)
    )
    page = text_of(client_for(psw).get(TODAY))
    order = [page.index(f">{title} (NHS)</a>") for title in ("Lapsed", "Sooner", "Later")]
    assert order == sorted(order)
    assert "Your next step" in page and "Start here" not in page
    assert "Expired" in page and "Expiring soon" in page


def test_each_row_links_to_what_to_do_next(psw, client_for, today):
    done = factories.module("Done", provider="nhs", renewal_months=36, issues_certificate=True)
    waiting = factories.module("Waiting", provider="nhs", renewal_months=12)
    record = factories.TrainingRecordFactory(
        person=psw, module=done, completed_on=today - timedelta(days=10)
    )
    services.record_verify  # noqa: B018 (verified by the factory; a code is given below)
    record.certificate_code = "ABCDEFGHJKMN"
    record.save()
    pending_record(psw, waiting, today)
    page = text_of(client_for(psw).get(TODAY))
    assert reverse("certificates:pdf", args=["ABCDEFGHJKMN"]) in page
    assert "Waiting for verification" in page
    assert f'href="{TRAINING}">See what you recorded' in page
    assert f'href="{done.url}"' in page


def test_today_shows_the_next_session_in_each_stream(psw, supervisor, client_for, today):
    factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=today - timedelta(days=14)
    )
    page = text_of(client_for(psw).get(TODAY))
    due = today + timedelta(days=14)
    assert f"Next session due {due:%-d %B %Y} with {supervisor}" in page
    assert "NHS supervision" in page and "Leeds Mind supervision" in page
    assert "No arrangement" in page


def test_the_today_page_asks_the_same_number_of_queries_for_one_record_or_twenty(
    psw, client_for, today
):
    modules = [
        factories.module(f"Module {n}", provider="both", renewal_months=12) for n in range(10)
    ]
    client = client_for(psw)

    def queries():
        client.get(TODAY)  # warm caches (site, settings) the first request fills
        with CaptureQueriesContext(connection) as captured:
            assert client.get(TODAY).status_code == 200
        return len(captured)

    factories.TrainingRecordFactory(person=psw, module=modules[0], completed_on=today)
    one = queries()
    for module in modules:
        for provider in ("nhs", "employer"):
            if (module, provider) != (modules[0], "nhs"):
                factories.TrainingRecordFactory(
                    person=psw, module=module, provider=provider, completed_on=today
                )
    assert TrainingRecord.objects.filter(person=psw).count() == 20
    assert queries() == one


# My training -------------------------------------------------------------------------


def test_my_training_marks_a_rejection_and_gives_its_reason(psw, manager, client_for, today):
    record = pending_record(psw, factories.module("PMVA breakaway", provider="nhs"), today)
    services.record_reject(record=record, by=manager, reason="The certificate is for 2019.")
    page = text_of(client_for(psw).get(TRAINING))
    assert "Rejected</span> — see why" in page
    assert "The certificate is for 2019." in page
    assert reverse("passport", args=[psw.username]) in page


def test_a_psw_withdraws_a_pending_completion(psw, client_for, today):
    record = pending_record(psw, factories.module("PMVA breakaway", provider="nhs"), today)
    client = client_for(psw)
    url = reverse("me:withdraw", args=[record.pk])
    assert url in text_of(client.get(TRAINING))
    assert "Withdraw it" in text_of(client.get(url))
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == TRAINING
    record.refresh_from_db()
    assert record.status == TrainingRecord.Status.REJECTED and record.withdrawn_at
    newest = record.history.first()
    assert newest.history_user == psw
    assert newest.history_change_reason == "Withdrawn by the person before verification"
    page = text_of(client.get(TRAINING))
    assert "Withdrawn" in page and url not in page


def test_a_psw_cannot_withdraw_a_verified_completion(psw, client_for, today):
    record = factories.TrainingRecordFactory(person=psw, completed_on=today)
    response = client_for(psw).post(reverse("me:withdraw", args=[record.pk]), follow=True)
    assert "Only a completion waiting for verification can be withdrawn" in text_of(response)
    record.refresh_from_db()
    assert record.status == TrainingRecord.Status.VERIFIED and record.withdrawn_at is None


def test_another_persons_record_cannot_be_withdrawn_or_even_found(
    psw, other_psw, manager, client_for, today
):
    theirs = pending_record(other_psw, factories.module(), today)
    url = reverse("me:withdraw", args=[theirs.pk])
    assert client_for(psw).get(url).status_code == 404
    assert client_for(psw).post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == TrainingRecord.Status.PENDING


def test_the_withdraw_service_refuses_anyone_but_the_owner_and_anything_not_pending(
    psw, manager, today
):
    record = pending_record(psw, factories.module(), today)
    with pytest.raises(PermissionDenied):
        services.record_withdraw(record=record, by=manager)
    services.record_verify(record=record, by=manager)
    with pytest.raises(ValidationError):
        services.record_withdraw(record=record, by=psw)
    record.refresh_from_db()
    assert record.status == TrainingRecord.Status.VERIFIED


# My supervision ----------------------------------------------------------------------


@pytest.fixture
def arrangement(psw, supervisor, today):
    return factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=today - timedelta(days=400)
    )


def test_sessions_are_listed_newest_first_ten_to_a_page(psw, arrangement, client_for, today):
    for weeks in range(12):
        factories.SessionFactory(arrangement=arrangement, held_on=today - timedelta(weeks=weeks))
    client = client_for(psw)
    first = text_of(client.get(SUPERVISION))
    newest, older = f"{today:%-d %B %Y}:", f"{today - timedelta(weeks=1):%-d %B %Y}:"
    assert first.index(newest) < first.index(older)
    assert "Page 1 of 2" in first
    second = text_of(client.get(SUPERVISION, {"page": 2}))
    assert f"{today - timedelta(weeks=11):%-d %B %Y}:" in second
    assert newest not in second


def test_a_psw_signs_off_a_session_with_a_note_only_the_supervisor_also_reads(
    psw, supervisor, manager, arrangement, client_for, today
):
    session = factories.SessionFactory(arrangement=arrangement, held_on=today, notes=NOTES)
    url = reverse("me:session", args=[session.pk])
    page = text_of(client_for(psw).get(url))
    assert NOTES in page and "I see this differently" in page
    response = client_for(psw).post(url, {"differing_view": "I said I would think about it."})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.acknowledged_at is not None
    assert session.supervisee_view == "I said I would think about it."
    assert session.history.first().history_user == psw
    assert "Signed off" in text_of(client_for(psw).get(url))
    supervisor_page = client_for(supervisor).get(reverse("supervision:session", args=[session.pk]))
    assert "I said I would think about it." in text_of(supervisor_page)
    assert "I said I would think about it." not in client_for(manager).get(url).content.decode()


def test_a_session_cannot_be_signed_off_twice(psw, arrangement, client_for, today):
    session = factories.SessionFactory(arrangement=arrangement, held_on=today)
    url = reverse("me:session", args=[session.pk])
    client_for(psw).post(url, {"differing_view": ""})
    session.refresh_from_db()
    signed = session.acknowledged_at
    page = text_of(client_for(psw).post(url, {"differing_view": "Later thoughts"}, follow=True))
    assert "already signed off" in page
    session.refresh_from_db()
    assert session.acknowledged_at == signed and session.supervisee_view == ""


def test_another_persons_session_is_not_found(psw, other_psw, client_for, today):
    theirs = factories.SessionFactory(
        arrangement=factories.ArrangementFactory(supervisee=other_psw), held_on=today
    )
    url = reverse("me:session", args=[theirs.pk])
    assert client_for(psw).get(url).status_code == 404
    assert client_for(psw).post(url, {"differing_view": "x"}).status_code == 404
    assert SupervisionSession.objects.get(pk=theirs.pk).acknowledged_at is None


def session_form(arrangement, held_on, **changes):
    return {
        "arrangement": arrangement.pk,
        "held_on": held_on.isoformat(),
        "duration_minutes": "45",
        "format": "one_to_one",
        "status": "held",
        "topics": ["wellbeing"],
        "notes": NOTES,
        "actions": "",
        "same_day_reason": "",
        **changes,
    }


def test_a_psw_logs_a_session_that_waits_for_their_supervisor(psw, arrangement, client_for, today):
    url = reverse("me:log_session")
    assert url in text_of(client_for(psw).get(SUPERVISION))
    assert "Log a session" in text_of(client_for(psw).get(url))
    response = client_for(psw).post(url, session_form(arrangement, today))
    session = SupervisionSession.objects.get()
    assert response["Location"] == reverse("me:session", args=[session.pk])
    assert session.logged_by == psw and session.confirmed_at is None
    assert session.acknowledged_at is not None and session.notes == NOTES
    assert "Waiting for confirmation" in text_of(client_for(psw).get(response["Location"]))


def test_a_psw_cannot_log_a_session_on_someone_elses_arrangement(psw, other_psw, client_for, today):
    theirs = factories.ArrangementFactory(supervisee=other_psw)
    response = client_for(psw).post(reverse("me:log_session"), session_form(theirs, today))
    assert response.status_code == 200
    assert "Nothing has been saved yet" in response.content.decode()
    assert not SupervisionSession.objects.exists()


# What changed ------------------------------------------------------------------------


def test_what_changed_tells_each_change_as_a_sentence(psw, manager, client_for, today):
    manager.first_name, manager.last_name = "Sam", "Carter"
    manager.save()
    module = factories.module("Data protection", provider="nhs", renewal_months=12)
    record = services.record_create(
        person=psw, module=module, provider="nhs", completed_on=today, by=psw
    )
    services.record_verify(record=record, by=manager)
    page = text_of(client_for(psw).get(CHANGES))
    day = f"{today:%-d %B}"
    assert f"Sam Carter verified your Data protection (NHS) on {day}." in page
    assert f"You recorded your Data protection (NHS), completed {day}, on {day}." in page
    assert page.index("Sam Carter verified") < page.index("You recorded")


def test_what_changed_leaves_out_signing_in_and_session_notes(
    psw, arrangement, client, client_for, today
):
    factories.SessionFactory(arrangement=arrangement, held_on=today, notes=NOTES)
    for _ in range(2):
        signed_in = client.post(
            reverse("login"), {"username": psw.username, "password": factories.PASSWORD}
        )
        assert signed_in.status_code == 302
        client.logout()
    page = text_of(client_for(psw).get(CHANGES))
    assert f"logged your NHS supervision session on {today:%-d %B}." in page
    assert NOTES not in page
    assert "changed your" not in page
    assert "last login" not in page.lower()


def test_what_changed_formats_account_changes(psw, manager, client_for):
    new_service = factories.ServiceFactory(name="CMHT 3")
    psw.service = new_service
    psw._history_user = manager
    psw.save()
    page = text_of(client_for(psw).get(CHANGES))
    assert f"{manager} changed your service from CMHT 2 to CMHT 3" in page


# Account -----------------------------------------------------------------------------


def test_a_psw_turns_off_the_optional_emails(psw, client_for):
    page = text_of(client_for(psw).get(ACCOUNT))
    assert reverse("two_factor") in page and reverse("me:password") in page
    response = client_for(psw).post(ACCOUNT, {"notifications": "1"})
    assert response.status_code == 302
    psw.refresh_from_db()
    assert psw.optional_reminders is False
    assert psw.history.first().history_change_reason == (
        "Notification choices changed by their owner"
    )


def test_a_psw_changes_their_password_on_the_site(psw, client_for):
    client = client_for(psw)
    response = client.post(
        reverse("me:password"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "a-new-longer-password-2026",
            "new_password2": "a-new-longer-password-2026",
        },
    )
    assert response.status_code == 302 and response["Location"] == ACCOUNT
    psw.refresh_from_db()
    assert psw.check_password("a-new-longer-password-2026")


def test_a_wrong_current_password_changes_nothing(psw, client_for):
    page = client_for(psw).post(
        reverse("me:password"),
        {
            "old_password": "not-it",
            "new_password1": "a-new-longer-password-2026",
            "new_password2": "a-new-longer-password-2026",
        },
    )
    assert page.status_code == 200
    psw.refresh_from_db()
    assert psw.check_password(factories.PASSWORD)


def test_the_two_factor_pages_are_in_the_site_look(psw, client_for):
    page = text_of(client_for(psw).get(reverse("two_factor")))
    assert 'href="/me/"' in page and "Wagtail" not in page
