"""The status tables follow the facts, rebuild the same, and keep counts in SQL; the
trends page reads month-end counts written as recorded then."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance.loader import organisation_counts, organisation_status, status_counts
from compliance.models import ArrangementState, MonthEndCount, RequirementState
from compliance.trends import month_end_record, monthly_compliance
from people.models import User
from supervision import services as supervision_services
from tests import factories
from training import services as training_services

from .history import recorded_since_long_ago

pytestmark = pytest.mark.django_db


def state_rows():
    return sorted(
        RequirementState.objects.values_list(
            "person_id", "module_id", "provider", "last_completed", "valid_until", "pending"
        )
    ) + sorted(ArrangementState.objects.values_list("arrangement_id", "next_due", "last_held_on"))


def test_verifying_a_record_rewrites_the_kept_dates_in_the_same_transaction(psw, manager):
    module = factories.module("Data protection", provider="nhs", renewal_months=12)
    day = timezone.localdate() - timedelta(days=3)
    record = training_services.record_create(
        person=psw, module=module, provider="nhs", completed_on=day, by=psw
    )
    state = RequirementState.objects.get(person=psw, module=module, provider="nhs")
    assert state.pending and state.last_completed is None
    training_services.record_verify(record=record, by=manager)
    state = RequirementState.objects.get(person=psw, module=module, provider="nhs")
    assert not state.pending and state.last_completed == day
    assert state.valid_until == date(day.year + 1, day.month, day.day)


def test_a_logged_session_moves_the_next_due_date(psw, supervisor):
    arrangement = factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=date(2025, 1, 6)
    )
    assert ArrangementState.objects.get(arrangement=arrangement).next_due == date(2025, 2, 3)
    supervision_services.session_log(
        arrangement=arrangement,
        held_on=date(2025, 3, 3),
        duration_minutes=60,
        format="one_to_one",
        status="held",
        wellbeing_checked=True,
        today=date(2025, 3, 3),
        topics=[],
        notes="",
        actions="",
        safeguarding_concern=False,
        by=supervisor,
    )
    assert ArrangementState.objects.get(arrangement=arrangement).next_due == date(2025, 3, 31)


def test_refresh_statuses_rebuilds_the_same_rows_however_often_it_runs(psw, other_psw):
    module = factories.module("Safeguarding", provider="both", renewal_months=36)
    factories.TrainingRecordFactory(person=psw, module=module, provider="nhs")
    factories.SessionFactory(arrangement__supervisee=other_psw)
    kept = state_rows()
    RequirementState.objects.all().delete()
    ArrangementState.objects.all().delete()
    call_command("refresh_statuses", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert state_rows() == kept
    call_command("refresh_statuses", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert state_rows() == kept


def make_people(count, modules):
    for n in range(count):
        person = factories.psw()
        module = modules[n % len(modules)]
        factories.TrainingRecordFactory(
            person=person,
            module=module,
            provider="nhs",
            completed_on=timezone.localdate() - timedelta(days=n * 170 % 1400),
        )
        factories.SessionFactory(
            arrangement__supervisee=person,
            held_on=timezone.localdate() - timedelta(days=n * 7 % 60),
        )


@pytest.fixture
def modules():
    service = factories.ServiceFactory(name="Ward 1")
    return [
        factories.module("Safeguarding", provider="both", renewal_months=36),
        factories.module("PMVA", provider="nhs", renewal_months=12, services=[service]),
    ]


def test_the_counts_from_the_tables_are_the_counts_from_the_rules(modules):
    make_people(30, modules)
    today = timezone.localdate()
    counted = status_counts(User.objects.all(), today)
    computed = organisation_status(User.objects.all(), today)
    assert counted.totals() == computed.totals()
    assert counted.service_compliance() == computed.service_compliance()
    assert counted.stream_counts() == computed.stream_counts()
    assert counted.requirement_compliance() == computed.requirement_compliance()


PAGES = [
    ("wagtailadmin_home", {}),
    ("compliance_admin:summary", {}),
    ("compliance_admin:trends", {}),
    ("compliance_admin:matrix", {"status": "expired"}),
    ("compliance_admin:matrix", {"status": "overdue", "item": "s-nhs"}),
]


def analyse_as_autovacuum_would():
    """PostgreSQL plans from table statistics, which autovacuum keeps up to date in
    production; tables just filled inside a test have none, and the planner then picks
    nested loops that take minutes. Analyse them, as autovacuum would."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def test_dashboard_summary_trends_and_filters_make_as_many_queries_for_200_as_for_10(
    client_for, manager, modules
):
    client = client_for(manager)
    make_people(10, modules)
    for name, query in PAGES:  # warm the session and the site's settings
        client.get(reverse(name), query)
    few = {}
    for name, query in PAGES:
        cache.clear()  # counted afresh, not read from the kept counts
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name), query).status_code == 200
        few[name, str(query)] = len(queries)
    make_people(190, modules)
    analyse_as_autovacuum_would()
    for name, query in PAGES:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name), query).status_code == 200
        assert len(queries) == few[name, str(query)], (name, query)


def test_month_end_counts_are_what_was_recorded_then_and_trends_read_them(modules):
    make_people(12, modules)
    recorded_since_long_ago(*User.objects.all())
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    month_end_record(last_month_end)
    recorded = organisation_status(User.objects.all(), last_month_end, as_of=True)
    people, trained, supervised = recorded.totals()
    row = MonthEndCount.objects.filter(month_end=last_month_end, item="trained")
    assert sum(r.people for r in row) == people == 12
    assert sum(r.compliant for r in row) == trained
    months = monthly_compliance(User.objects.all(), 3, today)
    assert months[-2][0] == last_month_end and months[-2][1] == 12
    assert months[-3][1] == 0 and months[-3][2] is None  # never written: no figures
    assert months[-1][1] == 12  # today, from the status tables


def test_the_daily_job_writes_each_month_end_once(modules, capsys):
    make_people(3, modules)
    call_command("record_month_ends", "--months", "2")
    assert "people counted" in capsys.readouterr().out
    call_command("record_month_ends", "--months", "2")
    assert "Nothing to write" in capsys.readouterr().out
    assert MonthEndCount.objects.values("month_end").distinct().count() == 2


def test_the_daily_job_counts_the_new_day_for_the_first_dashboard(modules, capsys):
    make_people(3, modules)
    cache.clear()
    call_command("record_month_ends")
    assert "today's counts kept (3 people)" in capsys.readouterr().out
    with CaptureQueriesContext(connection) as queries:
        organisation_counts(User.objects.all(), timezone.localdate(), whole=True)
    counted = [q for q in queries.captured_queries if "requirementstate" in q["sql"]]
    assert counted == []  # read from what the job kept
