"""Each reminder email goes once, with two `send_reminders` runs at the same moment (two
processes, as on two cron hosts) and when a run is killed halfway through sending."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from compliance.models import ReminderLog, RunLock
from compliance.reminders import CLAIM_TIMEOUT, reminders_claim, reminders_plan
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 3, 4)
PEOPLE = 9

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def organisation():
    factories.module("Data protection", provider="nhs", renewal_months=12)
    for index in range(PEOPLE):
        factories.psw(username=f"psw.{index}", email=f"psw{index}@example.org")
    return len(reminders_plan(TODAY).emails)


class Site:
    """The test database as another process sees it."""

    def __init__(self, tmp_path):
        self.env = dict(os.environ)
        self.file = None
        if connection.vendor == "sqlite":
            # The in-memory test database, copied to a file other processes can open.
            self.file = tmp_path / "site.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.file) as copy:
                connection.connection.backup(copy)
            self.env["DATABASE_URL"] = f"sqlite:///{self.file}"
        else:
            s = connection.settings_dict
            self.env["DATABASE_URL"] = (
                f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
            )

    def start(self, outbox, delay):
        return subprocess.Popen(
            [sys.executable, "-m", "tests.compliance.reminder_run", str(outbox), str(delay)]
            + ["--today", TODAY.isoformat()],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def sql(self, statement, params=()):
        if self.file:
            with sqlite3.connect(self.file) as db:
                return db.execute(statement, params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(statement.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []


def recipients(outbox):
    return sorted(message_from_bytes(p.read_bytes())["To"] for p in outbox.glob("*.eml"))


def test_two_runs_at_the_same_moment_send_each_email_once(organisation, tmp_path):
    assert organisation == PEOPLE
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    site = Site(tmp_path)
    first, second = site.start(outbox, 0.3), site.start(outbox, 0.3)
    results = [process.communicate(timeout=300) for process in (first, second)]
    assert first.returncode == second.returncode == 0, results
    sent = recipients(outbox)
    print(f"planned {organisation}, sent {len(sent)} with two runs at once")
    assert len(sent) == organisation
    assert len(set(sent)) == organisation
    assert site.sql("SELECT COUNT(*) FROM compliance_reminderlog WHERE status = 'sent'") == [
        (organisation,)
    ]


def test_a_run_killed_mid_send_is_resumed_without_sending_anything_twice(organisation, tmp_path):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    site = Site(tmp_path)
    killed = site.start(outbox, 0.5)
    deadline = time.monotonic() + 120
    while len(list(outbox.glob("*.eml"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.25)  # halfway through the fourth email's conversation with the server
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    before = len(recipients(outbox))
    assert 3 <= before < organisation
    (in_flight,) = site.sql("SELECT COUNT(*) FROM compliance_reminderlog WHERE status = 'sending'")
    assert in_flight == (1,), "the email being sent when the run died stays claimed"

    # The dead run's lease runs out; the rerun sends what was never claimed.
    site.sql("UPDATE compliance_runlock SET expires_at = ?", [_past(minutes=5)])
    rerun = site.start(outbox, 0)
    assert rerun.wait(timeout=300) == 0, rerun.communicate()
    assert len(recipients(outbox)) == organisation - 1

    # Once the claim is older than CLAIM_TIMEOUT, the next run sends that last one.
    site.sql(
        "UPDATE compliance_reminderlog SET last_tried_at = ? WHERE status = 'sending'",
        [_past(minutes=CLAIM_TIMEOUT.total_seconds() / 60 + 1)],
    )
    later = site.start(outbox, 0)
    assert later.wait(timeout=300) == 0, later.communicate()
    sent = recipients(outbox)
    print(f"planned {organisation}, sent {len(sent)} after a kill and two reruns")
    assert len(sent) == len(set(sent)) == organisation


def _past(minutes):
    moment = timezone.now() - timedelta(minutes=minutes)
    if connection.vendor == "sqlite":  # stored as text, in UTC without an offset
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    return moment


def test_a_reminder_claimed_moments_ago_is_not_claimed_again(psw):
    reminders = reminders_plan(TODAY).emails
    email = next(e for e in reminders if e.recipient == psw) if reminders else None
    if email is None:
        factories.module("Data protection", provider="nhs", renewal_months=12)
        email = next(e for e in reminders_plan(TODAY).emails if e.recipient == psw)
    assert reminders_claim(person=psw, reminders=email.reminders) == email.reminders
    assert reminders_claim(person=psw, reminders=email.reminders) == []
    later = timezone.now() + CLAIM_TIMEOUT + timedelta(seconds=1)
    assert reminders_claim(person=psw, reminders=email.reminders, now=later) == email.reminders
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {"sending"}


def test_a_second_run_while_one_holds_the_lock_sends_nothing(organisation, mailoutbox):
    from django.core.management import call_command

    RunLock.objects.create(
        name="send_reminders", holder="other-host", expires_at=timezone.now() + timedelta(minutes=1)
    )
    import io

    out = io.StringIO()
    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=out)
    assert "Nothing sent: another send_reminders run is working" in out.getvalue()
    assert mailoutbox == []
