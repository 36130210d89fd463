"""The demo organisation's supervision: every status shows, and seeding twice adds nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from people.models import User
from supervision import rules
from supervision.models import SupervisionArrangement, SupervisionGroup, SupervisionSession
from supervision.selectors import sessions_awaiting_confirmation_by, stream_statuses

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)


def seed():
    call_command(
        "seed_demo", "--today", TODAY.isoformat(), "--password", "demo-pass-1", stdout=StringIO()
    )


def counts():
    return (
        SupervisionArrangement.objects.count(),
        SupervisionSession.objects.count(),
        SupervisionArrangement.history.count(),
        SupervisionSession.history.count(),
        SupervisionGroup.objects.count(),
    )


def test_seeding_twice_changes_no_counts():
    seed()
    first = counts()
    seed()
    assert counts() == first
    assert first[1] > 50


def test_every_psw_has_both_streams_and_every_status_appears():
    seed()
    psws = User.objects.filter(username__startswith="psw").order_by("username")
    statuses = stream_statuses(psws, TODAY)
    seen = {s.status for rows in statuses.values() for s in rows}
    assert {rules.ON_TRACK, rules.DUE_SOON, rules.OVERDUE} <= seen
    assert rules.NO_ARRANGEMENT not in seen
    assert len(statuses) == 5


def test_the_demo_has_waiting_sessions_a_flag_and_a_changed_supervisor():
    seed()
    manager = User.objects.get(username="manager")
    waiting_for_manager = sessions_awaiting_confirmation_by(manager)
    assert waiting_for_manager.filter(arrangement__supervisee__username="psw5").count() == 1
    assert sessions_awaiting_confirmation_by(User.objects.get(username="nhs.cmht")).exists()
    assert SupervisionSession.objects.filter(acknowledged_at__isnull=True).count() >= 3
    assert SupervisionSession.objects.filter(safeguarding_concern=True).count() == 1
    ended = SupervisionArrangement.objects.get(ends_on__isnull=False)
    assert ended.supervisee.username == "psw3"
    assert ended.sessions.exists()
    assert not SupervisionSession.objects.filter(held_on__gt=TODAY).exists()
    psw5_nhs = SupervisionArrangement.objects.get(supervisee__username="psw5", stream="nhs")
    assert psw5_nhs.supervisor is None and psw5_nhs.supervisor_name


def test_each_demo_supervisor_belongs_to_the_side_of_every_arrangement_they_hold():
    seed()
    sides = dict(
        User.objects.filter(username__in=["nhs.rc", "nhs.cmht", "mind.supervisor"]).values_list(
            "username", "side"
        )
    )
    assert sides == {"nhs.rc": "nhs", "nhs.cmht": "nhs", "mind.supervisor": "employer"}
    for arrangement in SupervisionArrangement.objects.filter(supervisor__isnull=False):
        assert rules.supervisor_side_allowed(arrangement.stream, arrangement.supervisor.side)


def test_the_charitys_supervisor_runs_a_monthly_reflective_practice_group_for_every_psw():
    seed()
    before = stream_statuses(User.objects.filter(username__startswith="psw"), TODAY)
    groups = SupervisionGroup.objects.order_by("held_on")
    assert [g.facilitator.username for g in groups] == ["mind.supervisor"] * 2
    assert (groups[1].held_on - groups[0].held_on).days == 28
    for group in groups:
        attendees = group.sessions.values_list("arrangement__supervisee__username", flat=True)
        assert sorted(attendees) == ["psw1", "psw2", "psw3", "psw4", "psw5"]
        assert group.format == "reflective_practice"
    waiting = SupervisionSession.objects.filter(group__isnull=False, acknowledged_at=None)
    assert [s.arrangement.supervisee.username for s in waiting] == ["psw1"]
    # Older than each PSW's latest session: the statuses the demo shows stay as planned.
    for rows in before.values():
        for status in rows:
            assert status.last_held_on is None or status.last_held_on > groups[1].held_on
