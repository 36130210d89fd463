"""Leaving ends access (issue 15, finding 3); records stay."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from people import roles
from people.models import User
from people.selectors import people_visible_to
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def test_a_leaver_is_refused_sign_in_with_a_plain_message(client, supervisor):
    supervisor.left_on = yesterday()
    supervisor.save()
    response = client.post("/login/", {"username": supervisor.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "account closed when you left" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_wagtail_sign_in_refuses_a_leaver_too(client, manager):
    manager.left_on = yesterday()
    manager.save()
    response = client.post("/admin/login/", {"username": manager.username, "password": PASSWORD})
    assert "account closed when you left" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_on_the_leaving_day_itself_sign_in_still_works(client, psw):
    psw.left_on = timezone.localdate()
    psw.save()
    response = client.post("/login/", {"username": psw.username, "password": PASSWORD})
    assert response.status_code == 302


def test_an_existing_session_ends_on_the_next_request_after_leaving(client, manager):
    client.force_login(manager)
    assert client.get("/admin/").status_code == 200
    User.objects.filter(pk=manager.pk).update(left_on=yesterday())
    response = client.get("/admin/audit/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_scoping_selectors_treat_a_leaver_as_gone(manager, psw):
    assert people_visible_to(manager).filter(pk=psw.pk).exists()
    manager.left_on = yesterday()
    assert not people_visible_to(manager).exists()
    assert not roles.is_manager(manager)
    assert roles.role_names(manager) == frozenset()


def test_close_leavers_switches_off_accounts_and_keeps_their_records(psw):
    record = factories.TrainingRecordFactory(person=psw)
    psw.left_on = date(2026, 3, 31)
    psw.save()
    still_here = factories.psw(username="still.here", left_on=date(2026, 4, 1))
    out = io.StringIO()
    call_command("close_leavers", "--today", "2026-04-01", stdout=out)
    psw.refresh_from_db()
    still_here.refresh_from_db()
    assert not psw.is_active
    assert still_here.is_active
    assert "closed " + psw.username in out.getvalue()
    assert psw.history.first().history_change_reason == "Left on 2026-03-31: account closed"
    assert record.__class__.objects.filter(pk=record.pk).exists()


def test_close_leavers_refuses_a_malformed_date_in_one_line(capsys):
    with pytest.raises(SystemExit) as exit:
        call_command("close_leavers", "--today", "31/03/2026")
    assert exit.value.code == 2
