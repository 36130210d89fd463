"""How fast compliance answers for a large organisation.

    python -m bench.compliance [--people 2000] [--runs 5]

Builds a synthetic organisation in a throwaway database (a temporary SQLite file, or a
test database next to the one DATABASE_URL names): PSWs in twenty services, ten
modules, five years of training records and fortnightly supervision sessions in two
streams, all with their history rows. Then times, through the test client, the Wagtail
admin's own empty dashboard (the baseline), the matrix's first page, the full CSV
export, the manager summary and a few more, and prints the median of several runs
with the number of queries each made.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "k3Pz8" * 10)
os.environ.setdefault("AUDIT_KEY", "bench-only-audit-key-" + "r5Tn1" * 8)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("MFA_REQUIRED", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")

import django  # noqa: E402

YEARS = 5
SERVICES = 20
CHUNK = 100
MODULES = [
    # title, provider, renewal months
    ("Safeguarding", "both", 36),
    ("Data protection", "both", 12),
    ("Trauma-informed practice", "nhs", 36),
    ("Sharing lived experience in clinical settings", "nhs", None),
    ("Peer support facilitator training", "employer", None),
    ("PMVA breakaway", "nhs", 12),
    ("Equality and diversity", "employer", 36),
    ("Health and safety", "employer", 12),
    ("Suicide prevention", "nhs", 24),
    ("Boundaries in peer work", "both", 24),
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000, help="PSWs (default 2000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per page (default 5)")
    options = parser.parse_args(argv)
    django.setup()
    from django.db import connection

    scratch = tempfile.mkdtemp(prefix="alongside-bench-")
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = os.path.join(scratch, "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        users = build_organisation(options.people)
        say(f"built {options.people} people in {time.perf_counter() - started:.0f} s")
        report(measure(users, options.runs), options.people)
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)


def say(message):
    print(message, file=sys.stderr, flush=True)


# The organisation -------------------------------------------------------------------


def build_organisation(count):
    from django.contrib.auth.models import Group, Permission

    from people import roles
    from people.models import Service, User

    today = date.today()
    long_ago = datetime.combine(today - timedelta(days=365 * YEARS + 30), datetime.min.time())
    long_ago = long_ago.replace(tzinfo=UTC)
    services = [Service.objects.create(name=f"Service {n + 1}") for n in range(SERVICES)]
    modules = create_modules()
    manager = User.objects.create(username="bench.manager", first_name="Bench", is_staff=True)
    manager.groups.add(Group.objects.get(name=roles.MANAGER))
    onlooker = User.objects.create(username="bench.onlooker", first_name="Onlooker")
    viewers = Group.objects.create(name="Bench viewers")
    viewers.permissions.add(Permission.objects.get(codename="access_admin"))
    onlooker.groups.add(viewers)
    supervisors = create_people(
        [f"supervisor{n}" for n in range(max(count // 20, 1))], roles.SUPERVISOR, [], long_ago
    )
    psws = create_people([f"psw{n}" for n in range(count)], roles.PSW, services, long_ago)
    for start in range(0, len(psws), CHUNK):
        chunk = psws[start : start + CHUNK]
        create_records(chunk, modules, today)
        create_supervision(chunk, supervisors, today, long_ago)
        say(f"  {start + len(chunk)} of {len(psws)} people")
    return {"manager": manager, "onlooker": onlooker}


def create_modules():
    from training.models import TrainingIndexPage, TrainingModulePage

    index = TrainingIndexPage.objects.get()
    modules = []
    for title, provider, renewal in MODULES:
        page = TrainingModulePage(
            title=title, summary=title, provider=provider, renewal_months=renewal
        )
        index.add_child(instance=page)
        modules.append(page)
    return modules


def create_people(usernames, role, services, since):
    """Users with their history and group history, as if they joined long ago."""
    from django.apps import apps
    from django.contrib.auth.models import Group
    from simple_history.utils import bulk_create_with_history

    from people.models import User

    group = Group.objects.get(name=role)
    people = [
        User(
            username=name,
            first_name=name.capitalize(),
            last_name="Bench",
            service=services[n % len(services)] if services else None,
            started_on=since.date(),
        )
        for n, name in enumerate(usernames)
    ]
    people = bulk_create_with_history(people, User, batch_size=500, default_date=since)
    people = list(User.objects.filter(username__in=usernames).order_by("pk"))
    through = User.groups.through
    through.objects.bulk_create([through(user_id=p.pk, group_id=group.pk) for p in people])
    memberships = dict(
        through.objects.filter(group=group, user__in=people).values_list("user_id", "id")
    )
    group_history = apps.get_model("people", "HistoricalUser_groups")
    versions = User.history.filter(id__in=[p.pk for p in people]).values_list("history_id", "id")
    group_history.objects.bulk_create(
        [
            group_history(id=memberships[u], history_id=h, user_id=u, group_id=group.pk)
            for h, u in versions
        ],
        batch_size=1000,
    )
    return people


def create_records(people, modules, today):
    """Completions for each requirement on time, most verified, a few late or pending."""
    from simple_history.utils import bulk_create_with_history

    from training import rules
    from training.models import TrainingRecord

    first = today - timedelta(days=365 * YEARS)
    records = []
    for n, person in enumerate(people):
        for m, module in enumerate(modules):
            if (n + m) % 17 == 0:
                continue  # never done: missing
            for provider in rules.providers_of(module.provider):
                day = first + timedelta(days=(n * 7 + m * 3) % 60)
                while day <= today - timedelta(days=20):
                    records.append(
                        TrainingRecord(
                            person=person,
                            module=module,
                            provider=provider,
                            completed_on=day,
                            valid_until=rules.valid_until(day, module.renewal_months),
                            status="pending" if (n + m) % 23 == 0 else "verified",
                        )
                    )
                    if module.renewal_months is None:
                        break
                    # Some renew a little late, so some requirements lapse.
                    late = 40 if (n + m) % 5 == 0 else -10
                    day = rules.add_months(day, module.renewal_months) + timedelta(days=late)
    for record in records:
        record._history_date = datetime.combine(record.completed_on, datetime.min.time(), UTC)
    bulk_create_with_history(records, TrainingRecord, batch_size=2000)


def create_supervision(people, supervisors, today, since):
    """An NHS and an employer arrangement each, with a session every fortnight."""
    from simple_history.utils import bulk_create_with_history

    from supervision.models import SupervisionArrangement, SupervisionSession

    arrangements = []
    for n, person in enumerate(people):
        for stream in ("nhs", "employer"):
            arrangement = SupervisionArrangement(
                supervisee=person,
                stream=stream,
                supervisor=supervisors[n % len(supervisors)] if stream == "nhs" else None,
                supervisor_name="" if stream == "nhs" else "Employer supervisor",
                interval_weeks=4,
                starts_on=since.date(),
            )
            arrangement._history_date = since
            arrangements.append(arrangement)
    arrangements = bulk_create_with_history(arrangements, SupervisionArrangement, batch_size=500)
    arrangements = SupervisionArrangement.objects.filter(supervisee__in=people)
    sessions = []
    for arrangement in arrangements:
        # Some people's sessions stopped a while ago, so they are overdue.
        stop = today - timedelta(days=50 if arrangement.supervisee_id % 9 == 0 else 0)
        day = since.date() + timedelta(days=arrangement.pk % 14)
        while day <= stop:
            moment = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=15)
            session = SupervisionSession(
                arrangement=arrangement,
                held_on=day,
                status="held" if day.toordinal() % 13 else "cancelled",
                confirmed_at=moment,
            )
            session._history_date = moment
            sessions.append(session)
            day += timedelta(days=14)
    bulk_create_with_history(sessions, SupervisionSession, batch_size=5000)


# Measuring --------------------------------------------------------------------------


def measure(users, runs):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    matrix = reverse("compliance_admin:matrix")
    last_month = (date.today() - timedelta(days=30)).isoformat()
    pages = [
        ("Wagtail admin dashboard, empty (baseline)", "onlooker", reverse("wagtailadmin_home")),
        ("Organisation matrix, first page", "manager", matrix),
        ("Full CSV export (long format)", "manager", matrix + "?export=long-csv"),
        ("Manager summary", "manager", reverse("compliance_admin:summary")),
        ("Manager dashboard (with summary panel)", "manager", reverse("wagtailadmin_home")),
        ("Matrix, filtered to 'overdue'", "manager", matrix + "?status=overdue"),
        ("Matrix first page, as of 30 days ago", "manager", f"{matrix}?as_of={last_month}"),
        ("Trends, 12 month ends as recorded", "manager", reverse("compliance_admin:trends")),
    ]
    results = []
    for label, who, url in pages:
        client = Client()
        client.force_login(users[who])
        response = client.get(url)  # warm caches
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
                timings.append(time.perf_counter() - started)
        results.append((label, statistics.median(timings), len(queries.captured_queries)))
        say(f"  {label}: {statistics.median(timings) * 1000:.0f} ms")
    return results


def report(results, people):
    baseline = results[0][1]
    print(f"\nCompliance benchmark: {people} PSWs, median of timed runs\n")
    print(f"{'page':<48} {'median ms':>10} {'queries':>8} {'x baseline':>11}")
    for label, seconds, queries in results:
        print(f"{label:<48} {seconds * 1000:>10.0f} {queries:>8} {seconds / baseline:>11.1f}")


if __name__ == "__main__":
    main()
