"""Every link in a supervision email opens a page its recipient can read: a PSW's own
pages under /me/, a supervisor's under /supervising/, a manager's in the workspace."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from supervision import tasks
from supervision.models import SupervisionSession
from tests import factories

pytestmark = pytest.mark.django_db

SITE_URL = "https://alongside.example.org"
LINK = re.compile(re.escape(SITE_URL) + r"(/[^\s\"<>]*)")


def opens_for(client_for, user, path):
    response = client_for(user).get(path)
    return response.status_code, path


@pytest.fixture
def sessions(psw, supervisor, today):
    """One session the PSW has not signed off, one they logged that waits for their
    supervisor, and one with a supervisor who has no account, waiting for a manager."""
    arrangement = factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=today - timedelta(days=200)
    )
    unaccounted = factories.ArrangementFactory(
        supervisee=psw,
        stream="employer",
        supervisor=None,
        supervisor_name="Ruth Akers",
        starts_on=today - timedelta(days=200),
    )
    held = today - timedelta(days=40)
    return [
        factories.SessionFactory(arrangement=arrangement, held_on=held),
        factories.SessionFactory(
            arrangement=arrangement,
            held_on=held + timedelta(days=1),
            logged_by=psw,
            confirmed_by=None,
            confirmed_at=None,
        ),
        factories.SessionFactory(
            arrangement=unaccounted,
            held_on=held,
            logged_by=psw,
            confirmed_by=None,
            confirmed_at=None,
        ),
    ]


@pytest.fixture
def today():
    return timezone.localdate()


def test_every_link_in_a_reminder_opens_for_the_person_it_was_sent_to(
    psw, supervisor, manager, sessions, client_for, mailoutbox, settings, today
):
    settings.SITE_URL = SITE_URL
    call_command("send_reminders", "--today", today.isoformat(), stdout=io.StringIO())
    recipients = {person.email: person for person in (psw, supervisor, manager)}
    opened = {}
    for message in mailoutbox:
        (address,) = message.to
        for path in set(LINK.findall(message.body)):
            opened[(recipients[address].username, path)] = opens_for(
                client_for, recipients[address], path
            )[0]
    assert {who for who, _ in opened} == {psw.username, supervisor.username, manager.username}
    assert set(opened.values()) == {200}, opened
    signed_off, waiting, unaccounted = sessions
    assert (psw.username, f"/me/supervision/{signed_off.pk}/") in opened
    assert (supervisor.username, f"/supervising/sessions/{waiting.pk}/") in opened
    assert (manager.username, "/admin/supervision/waiting/") in opened
    # A supervisor's notification choices are still on the workspace's account page.
    on_the_workspace = {
        path for (who, path) in opened if who != manager.username and "/admin/" in path
    }
    assert on_the_workspace <= {"/admin/account/"}


def test_the_correction_email_links_to_the_psws_own_session_page(
    psw, sessions, client_for, mailoutbox, settings
):
    settings.SITE_URL = SITE_URL
    session = sessions[0]
    SupervisionSession.objects.filter(pk=session.pk).update(correction_reason="Wrong day")
    tasks.notify_supervisee_of_correction.call(session.pk)
    (path,) = LINK.findall(mailoutbox[0].body)
    assert path == f"/me/supervision/{session.pk}/"
    assert opens_for(client_for, psw, path)[0] == 200
