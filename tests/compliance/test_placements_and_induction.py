"""Placements and induction periods through the status engine: the kept tables and the
facts agree, the matrix and summary count "due by" apart and not as a failure, the
matrix's service filter includes placed PSWs, "as recorded" reads placements as they
were, reminders give the date, and compliance_report says what the matrix says."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from compliance.loader import Person, organisation_counts, organisation_status, statuses_today
from compliance.models import ReminderLog
from people.models import Service, User
from people.services import placement_start
from tests import factories
from training import rules
from training.models import TrainingModulePage

from .history import at, recorded_since_long_ago

pytestmark = pytest.mark.django_db

MATRIX = reverse("compliance_admin:matrix")
SUMMARY = reverse("compliance_admin:summary")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def ward():
    return factories.ServiceFactory(name="Inpatient unit 1", kind="inpatient")


@pytest.fixture
def breakaway(ward):
    return factories.module(
        "PMVA breakaway", provider="nhs", renewal_months=12, services=[ward], induction_days=28
    )


@pytest.fixture
def ward_lead(ward):
    return factories.service_lead(username="ward.lead", service=ward)


def place(person, service, starts_on, ends_on=None):
    return placement_start(
        person=person,
        service=service,
        starts_on=starts_on,
        ends_on=ends_on,
        description="In-reach, Tuesdays",
        by=factories.manager(),
    )


def statuses(person, on):
    found = statuses_today([Person.of(person)], on).people[0].requirements
    return {key: (s.status, s.induction_due_on) for key, s in found.items()}


def test_a_placement_adds_its_services_requirements_with_their_own_induction_window(
    psw, ward, breakaway, today
):
    assert (breakaway.pk, "nhs") not in statuses(psw, today)
    place(psw, ward, today - timedelta(days=3))
    psw.refresh_from_db()
    due = today - timedelta(days=3) + timedelta(days=28)
    assert statuses(psw, today)[breakaway.pk, "nhs"] == (rules.DUE_BY, due)
    # The same from the facts, the day before (the kept tables answer for today on).
    yesterday = today - timedelta(days=1)
    assert statuses(psw, yesterday)[breakaway.pk, "nhs"] == (rules.DUE_BY, due)
    assert statuses(psw, due)[breakaway.pk, "nhs"] == (rules.DUE_BY, due)
    assert statuses(psw, due + timedelta(days=1))[breakaway.pk, "nhs"] == (rules.MISSING, None)


def test_a_placement_ended_yesterday_no_longer_brings_its_requirements(psw, ward, breakaway, today):
    place(psw, ward, today - timedelta(days=100), today - timedelta(days=1))
    assert (breakaway.pk, "nhs") not in statuses(psw, today)
    assert statuses(psw, today - timedelta(days=1))[breakaway.pk, "nhs"][0] == rules.MISSING


def test_a_new_starter_is_due_by_the_end_of_each_induction_period(today):
    safeguarding = factories.module("Safeguarding", provider="both", induction_days=28)
    facilitator = factories.module("Facilitator training", provider="employer", induction_days=180)
    data_protection = factories.module("Data protection", provider="nhs")  # the default: 90
    starter = factories.psw(username="new.starter", started_on=today - timedelta(days=7))
    found = statuses(starter, today)
    started = today - timedelta(days=7)
    assert found[safeguarding.pk, "nhs"] == (rules.DUE_BY, started + timedelta(days=28))
    assert found[safeguarding.pk, "employer"] == (rules.DUE_BY, started + timedelta(days=28))
    assert found[facilitator.pk, "employer"] == (rules.DUE_BY, started + timedelta(days=180))
    assert found[data_protection.pk, "nhs"] == (rules.DUE_BY, started + timedelta(days=90))


def test_changing_a_start_date_moves_the_kept_due_dates(today):
    safeguarding = factories.module("Safeguarding", provider="nhs", induction_days=28)
    starter = factories.psw(username="new.starter", started_on=today - timedelta(days=7))
    assert statuses(starter, today)[safeguarding.pk, "nhs"][0] == rules.DUE_BY
    starter.started_on = today - timedelta(days=60)
    starter.save()
    assert statuses(starter, today)[safeguarding.pk, "nhs"] == (rules.MISSING, None)


def test_publishing_a_new_induction_period_rebuilds_the_kept_due_dates(
    today, django_capture_on_commit_callbacks
):
    safeguarding = factories.module("Safeguarding", provider="nhs", induction_days=0)
    starter = factories.psw(username="new.starter", started_on=today - timedelta(days=7))
    assert statuses(starter, today)[safeguarding.pk, "nhs"][0] == rules.MISSING
    safeguarding.induction_days = 28
    with django_capture_on_commit_callbacks(execute=True):
        safeguarding.save_revision().publish()
    assert statuses(starter, today)[safeguarding.pk, "nhs"][0] == rules.DUE_BY


def test_due_by_counts_as_compliant_and_apart_in_the_kept_and_the_recorded_counts(
    psw, ward, breakaway, today
):
    place(psw, ward, today - timedelta(days=3))
    kept = organisation_counts(User.objects.all(), today)
    from_facts = organisation_status(User.objects.all(), today)
    for counts in (kept, from_facts):
        row = {r.module_id: (c, n) for r, c, n in counts.requirement_compliance()}
        assert row[breakaway.pk] == (1, 1)
        assert counts.due_by_counts()[breakaway.pk, "nhs"] == 1
        assert counts.totals()[1] == 1  # fully trained: nothing failing


def test_the_service_lead_sees_the_psws_placed_in_their_service_with_the_placement(
    client_for, psw, ward, ward_lead, breakaway, today
):
    place(psw, ward, today - timedelta(days=3))
    page = client_for(ward_lead).get(reverse("compliance:service_people")).content.decode()
    assert psw.get_full_name() in page
    assert "Placed in Inpatient unit 1 (In-reach, Tuesdays)" in page
    assert "status-due_by" in page and "Due by" in page
    person = client_for(ward_lead).get(reverse("compliance:service_person", args=[psw.pk]))
    assert person.status_code == 200
    assert "Placed in Inpatient unit 1" in person.content.decode()


def test_the_lead_of_another_service_cannot_open_a_placed_psws_record(
    client_for, psw, ward, breakaway, today
):
    place(psw, ward, today - timedelta(days=3))
    elsewhere = factories.service_lead(username="elsewhere.lead")
    client = client_for(elsewhere)
    assert client.get(reverse("compliance:service_person", args=[psw.pk])).status_code == 404
    people = client.get(reverse("compliance:service_people")).content.decode()
    assert psw.get_full_name() not in people


def test_the_managers_service_filter_includes_placed_psws(
    client_for, manager, psw, other_psw, ward, breakaway, today
):
    place(psw, ward, today - timedelta(days=3))
    page = client_for(manager).get(MATRIX, {"service": ward.pk}).content.decode()
    assert psw.get_full_name() in page and other_psw.get_full_name() not in page
    due_by = client_for(manager).get(MATRIX, {"status": "due_by"}).content.decode()
    assert psw.get_full_name() in due_by and other_psw.get_full_name() not in due_by


def test_the_summary_lists_due_by_in_its_own_column(client_for, manager, psw, ward, breakaway):
    place(psw, ward, timezone.localdate() - timedelta(days=3))
    page = client_for(manager).get(SUMMARY).content.decode()
    assert "Due by a later date (induction, counted as compliant)" in page
    assert f"item=m-{breakaway.pk}-nhs&amp;status=due_by" in page


def test_as_recorded_on_a_past_day_the_placements_are_as_they_were(
    client_for, manager, psw, other_psw, ward, breakaway
):
    recorded_since_long_ago(psw, other_psw)
    placement = place(psw, ward, date(2026, 1, 5))
    placement.history.update(history_date=at(2026, 1, 20))
    before = {"service": ward.pk, "as_of": "2026-01-19"}
    after = {"service": ward.pk, "as_of": "2026-01-21"}
    assert psw.get_full_name() not in client_for(manager).get(MATRIX, before).content.decode()
    assert psw.get_full_name() in client_for(manager).get(MATRIX, after).content.decode()


def test_a_due_by_reminder_gives_the_date_once(psw, ward, breakaway, mailoutbox, today):
    place(psw, ward, today - timedelta(days=3))
    due = today - timedelta(days=3) + timedelta(days=28)
    for _ in range(2):
        call_command("send_reminders", "--today", today.isoformat(), stdout=io.StringIO())
    sent = [m for m in mailoutbox if psw.email in m.to]
    assert len(sent) == 1
    assert f"PMVA breakaway (NHS): please complete it by {due.day} {due:%B %Y}" in sent[0].body
    assert ReminderLog.objects.filter(person=psw, threshold="due_by").count() == 1


def test_compliance_report_and_the_matrix_agree_on_every_new_status_in_the_demo(client_for):
    call_command("seed_demo", "--password", "demo-pass-123", stdout=io.StringIO())
    out = io.StringIO()
    call_command("compliance_report", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    due_by = [row for row in rows if row["status"] == rules.DUE_BY]
    assert {row["username"] for row in due_by} == {"psw5", "psw6"}
    assert {row["item"] for row in due_by if row["username"] == "psw5"} == {"PMVA breakaway"}
    manager = User.objects.get(username="manager")
    client = client_for(manager)
    for row in due_by:
        person = User.objects.get(username=row["username"])
        module = TrainingModulePage.objects.get(title=row["item"])
        listed = client.get(
            MATRIX, {"item": f"m-{module.pk}-{row['provider']}", "status": "due_by"}
        ).content.decode()
        assert person.get_full_name() in listed, row
        due = date.fromisoformat(row["due_on"])
        assert f'Due by</span><span class="cdate">{due.day} {due:%b %Y}' in listed, row
    unit = Service.objects.get(name="Inpatient unit 2")
    placed = client.get(MATRIX, {"service": unit.pk}).content.decode()
    for username in ("psw3", "psw4", "psw5"):
        assert User.objects.get(username=username).get_full_name() in placed
