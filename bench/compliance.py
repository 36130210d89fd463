"""How fast compliance answers for a large organisation.

    python -m bench.compliance [--people 2000] [--runs 5] [--years 5] [--database FILE]
                               [--build-only] [--pages-only]

Builds a synthetic organisation with bulk inserts (history rows included): PSWs in
twenty services, ten modules, years of training records and fortnightly supervision
sessions in two streams; then `refresh_statuses` and a year of `record_month_ends`, as
after an import. With `--database FILE` (SQLite, or a postgres:// URL naming a
database of its own) the organisation is built once into it and reused by later runs;
otherwise into a throwaway database (a temporary SQLite file, or a test database next
to the one DATABASE_URL names). `--build-only` builds it and stops; `--pages-only`
times the pages and not the jobs.

Then times, through the test client, the Wagtail admin's own empty dashboard (the
baseline) and each compliance page, and runs the full CSV and Excel exports,
`compliance_report` and `send_reminders --dry-run` each in a child process for its time
and peak memory.
Prints medians of wall and CPU time, their ratios to the baseline, query counts and
peak RSS.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
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
    parser.add_argument("--years", type=int, default=YEARS, help="years of history (5)")
    parser.add_argument(
        "--database",
        help="SQLite file (or postgres:// URL of a database of its own) to build once and reuse",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="with --database: build it, measure nothing"
    )
    parser.add_argument("--pages-only", action="store_true", help="time the pages, not the jobs")
    options = parser.parse_args(argv)
    if options.build_only and not options.database:
        parser.error("--build-only needs --database FILE")
    if options.database and options.database.startswith("postgres"):
        os.environ["DATABASE_URL"] = options.database  # an organisation built before
    elif options.database:
        os.environ["DATABASE_URL"] = f"sqlite:///{os.path.abspath(options.database)}"
    django.setup()
    from django.db import connection

    scratch = tempfile.mkdtemp(prefix="alongside-bench-")
    keep = bool(options.database)
    if not keep:
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = os.path.join(scratch, "bench.sqlite3")
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        users = prepare(options, reuse=keep and built())
        if options.build_only:
            return
        env = child_environment(connection)
        jobs = [] if options.pages_only else children(env)
        report(measure(users, options.runs) + jobs, options.people)
    finally:
        if not keep:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)


def built():
    from django.db import connection

    if "people_user" not in connection.introspection.table_names():
        return False
    from people.models import User

    return User.objects.filter(username="bench.manager").exists()


def prepare(options, reuse):
    from django.core.management import call_command
    from django.db import connection, transaction

    from people.models import User

    call_command("migrate", verbosity=0)
    if reuse:
        say("reusing the organisation already built")
    else:
        started = time.perf_counter()
        if connection.vendor == "sqlite":
            # Millions of history rows go into indexes in no order: a page cache big
            # enough to hold them, and no sync to disk (a throwaway build).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -1500000")
                cursor.execute("PRAGMA synchronous = OFF")
        with transaction.atomic():  # one commit: the disk is not asked to sync each batch
            build_organisation(options.people, options.years)
        say(f"built {options.people} people in {time.perf_counter() - started:.0f} s")
        analyse(connection)
        for command, args in (("refresh_statuses", []), ("record_month_ends", ["--months", "11"])):
            started = time.perf_counter()
            call_command(command, *args, stdout=open(os.devnull, "w"))  # noqa: SIM115
            say(f"{command}: {time.perf_counter() - started:.0f} s")
            analyse(connection)
    names = ["bench.manager", "bench.onlooker", "bench.lead", "psw0"]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def analyse(connection):
    """PostgreSQL plans from statistics, which autovacuum gathers in production a while
    after a bulk load; gather them now, as it would."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def child_environment(connection):
    settings = connection.settings_dict
    env = dict(os.environ)
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{settings['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@"
            f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    return env


def say(message):
    print(message, file=sys.stderr, flush=True)


# The organisation -------------------------------------------------------------------


def build_organisation(count, years=YEARS):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    from people import roles
    from people.models import Service, User

    today = date.today()
    long_ago = datetime.combine(today - timedelta(days=365 * years + 30), datetime.min.time())
    long_ago = long_ago.replace(tzinfo=UTC)
    services = [Service.objects.create(name=f"Service {n + 1}") for n in range(SERVICES)]
    modules = create_modules()
    manager = User.objects.create(username="bench.manager", first_name="Bench", is_staff=True)
    manager.groups.add(Group.objects.get(name=roles.MANAGER))
    # The baseline: a page editor, who works in the staff workspace and gets
    # Wagtail's own dashboard with none of the compliance panels.
    onlooker = User.objects.create(username="bench.onlooker", first_name="Onlooker")
    editors = Group.objects.create(name="Bench page editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=editors, page=Page.get_first_root_node(), permission_type="change"
    )
    onlooker.groups.add(editors)
    lead = User.objects.create(username="bench.lead", first_name="Lead", service=services[0])
    lead.groups.add(Group.objects.get(name=roles.SERVICE_LEAD))
    supervisors = create_people(
        [f"supervisor{n}" for n in range(max(count // 20, 1))], roles.SUPERVISOR, [], long_ago
    )
    psws = create_people([f"psw{n}" for n in range(count)], roles.PSW, services, long_ago)
    for start in range(0, len(psws), CHUNK):
        chunk = psws[start : start + CHUNK]
        create_records(chunk, modules, today, years)
        create_supervision(chunk, supervisors, today, long_ago)
        say(f"  {start + len(chunk)} of {len(psws)} people")


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


def create_records(people, modules, today, years=YEARS):
    """Completions for each requirement on time, most verified, a few late or pending."""
    from training import rules
    from training.models import TrainingRecord

    first = today - timedelta(days=365 * years)
    records = []
    for n, person in enumerate(people):
        for m, module in enumerate(modules):
            if (n + m) % 17 == 0:
                continue  # never done: missing
            for provider in rules.providers_of(module.provider):
                day = first + timedelta(days=(n * 7 + m * 3) % 60)
                while day <= today - timedelta(days=20):
                    moment = datetime.combine(day, datetime.min.time(), UTC)
                    records.append(
                        {
                            "person_id": person.pk,
                            "module_id": module.pk,
                            "provider": provider,
                            "completed_on": day,
                            "valid_until": rules.valid_until(day, module.renewal_months),
                            "status": "pending" if (n + m) % 23 == 0 else "verified",
                            "created_at": moment,
                            "updated_at": moment,
                        }
                    )
                    if module.renewal_months is None:
                        break
                    # Some renew a little late, so some requirements lapse.
                    late = 40 if (n + m) % 5 == 0 else -10
                    day = rules.add_months(day, module.renewal_months) + timedelta(days=late)
    insert_with_history(TrainingRecord, records)


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
    bulk_create_with_history(arrangements, SupervisionArrangement, batch_size=500)
    arrangements = SupervisionArrangement.objects.filter(supervisee__in=people)
    sessions = []
    recent = today - timedelta(days=21)
    for pk, supervisee_id in arrangements.values_list("pk", "supervisee_id"):
        # Some people's sessions stopped a while ago, so they are overdue.
        stop = today - timedelta(days=50 if supervisee_id % 9 == 0 else 0)
        day = since.date() + timedelta(days=pk % 14)
        while day <= stop:
            moment = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=15)
            sessions.append(
                {
                    "arrangement_id": pk,
                    "held_on": day,
                    "status": "held" if day.toordinal() % 13 else "cancelled",
                    "confirmed_at": moment,
                    # Signed off by the supervisee a few days later; the last few weeks'
                    # sessions are still waiting for it.
                    "acknowledged_at": moment + timedelta(days=3) if day < recent else None,
                    "created_at": moment,
                }
            )
            day += timedelta(days=14)
    insert_with_history(SupervisionSession, sessions)


def insert_with_history(model, rows, batch=20000):
    """Insert `rows` (dicts of the fields that differ from the model's defaults, their
    `created_at` also the moment recorded) and a creation version of each in the
    history table, as `bulk_create_with_history` would, but with plain `executemany`:
    millions of sessions are too many to build as model instances. Ids are given here
    (after the largest so far), so each version names its object; PostgreSQL's
    sequence is moved past them afterwards."""
    from django.core.management.color import no_style
    from django.db import connection
    from django.db.models import Max

    fields = model._meta.concrete_fields
    defaults = {
        # Choices' defaults are enum members: written as their plain values.
        f.attname: f.get_db_prep_save(getattr(default, "value", default), connection)
        for f in fields
        if not f.primary_key
        for default in [f.get_default()]
    }
    by_name = {f.attname: f for f in fields}
    history = model.history.model
    history_fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    next_id = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    own, recorded = [], []
    for row in rows:
        values = dict(defaults, id=next_id)
        for name, value in row.items():
            values[name] = by_name[name].get_db_prep_save(value, connection)
        values.update(
            history_date=values["created_at"],
            history_change_reason=None,
            history_type="+",
            history_user_id=None,
        )
        own.append([values[f.attname] for f in fields])
        recorded.append([values[f.attname] for f in history_fields])
        next_id += 1
    with connection.cursor() as cursor:
        for table, names, values in (
            (model._meta.db_table, fields, own),
            (history._meta.db_table, history_fields, recorded),
        ):
            sql = "INSERT INTO {} ({}) VALUES ({})".format(
                connection.ops.quote_name(table),
                ", ".join(connection.ops.quote_name(f.column) for f in names),
                ", ".join(["%s"] * len(names)),
            )
            for start in range(0, len(values), batch):
                cursor.executemany(sql, values[start : start + batch])
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


# Measuring --------------------------------------------------------------------------


def measure(users, runs):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from people.models import Service, User
    from portal.doors import landing_url
    from training.models import TrainingModulePage

    matrix = reverse("compliance_admin:matrix")
    home = reverse("wagtailadmin_home")
    last_month = (date.today() - timedelta(days=30)).isoformat()
    service = Service.objects.order_by("pk").first()
    module = TrainingModulePage.objects.get(title="Data protection")
    person = reverse("compliance_admin:person", args=[users["psw0"].pk])
    item = f"item=m-{module.pk}-nhs"
    changed = a_record_changes(users["psw0"])
    lead = users["bench.lead"]
    member = User.objects.filter(service=lead.service_id, groups__name="Peer support worker")
    changed_in_service = a_record_changes(member.order_by("pk").first())
    pages = [
        ("Wagtail admin dashboard, empty (baseline)", "bench.onlooker", home),
        ("Manager dashboard", "bench.manager", home),
        ("Manager dashboard, just after a record changed", "bench.manager", home, changed),
        # Where a service lead lands after signing in: their service's summary.
        ("Service lead dashboard", "bench.lead", landing_url(lead)),
        (
            "Service lead dashboard, just after a record changed",
            "bench.lead",
            landing_url(lead),
            changed_in_service,
        ),
        ("Matrix first page", "bench.manager", matrix),
        ("Matrix, sorted by service", "bench.manager", f"{matrix}?sort=service"),
        ("Matrix, status 'expired'", "bench.manager", f"{matrix}?status=expired"),
        ("Matrix, status 'overdue'", "bench.manager", f"{matrix}?status=overdue"),
        (
            "Matrix, status 'expired', by service",
            "bench.manager",
            f"{matrix}?status=expired&sort=service",
        ),
        ("Matrix, one service", "bench.manager", f"{matrix}?service={service.pk}"),
        (
            "Matrix, one service, status 'expiring'",
            "bench.manager",
            f"{matrix}?service={service.pk}&status=expiring",
        ),
        ("Matrix, one requirement", "bench.manager", f"{matrix}?{item}"),
        ("Matrix, one requirement 'missing'", "bench.manager", f"{matrix}?{item}&status=missing"),
        ("A person's page", "bench.manager", person),
        ("Manager summary", "bench.manager", reverse("compliance_admin:summary")),
        (
            "Manager summary, just after a record changed",
            "bench.manager",
            reverse("compliance_admin:summary"),
            changed,
        ),
        ("Trends (12 months)", "bench.manager", reverse("compliance_admin:trends")),
        (
            "Matrix first page, as recorded 30 days ago",
            "bench.manager",
            f"{matrix}?as_of={last_month}",
        ),
    ]
    results = []
    for label, who, url, *before in pages:
        client = Client()
        client.force_login(users[who])
        response = client.get(url)  # warm caches
        assert response.status_code == 200, (url, response.status_code)
        timings, cpu = [], []
        for _ in range(runs):
            for change in before:
                change()
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
        results.append(
            (
                label,
                statistics.median(timings),
                statistics.median(cpu),
                len(queries.captured_queries),
                None,
            )
        )
        say(f"  {label}: {statistics.median(timings) * 1000:.0f} ms")
    return results


def a_record_changes(person):
    """A change to one person's training, as when a manager verifies a record: what
    makes the next dashboard count that person's bucket afresh, and the next service
    lead's landing page their service (compliance.counts)."""
    from training.models import TrainingRecord

    record = TrainingRecord.objects.filter(person=person).order_by("pk").first()

    def change():
        record.save()

    return change


SETUP = """
import sys, django
django.setup()
"""
EXPORT_CHILD = (
    SETUP
    + """
from django.test import Client
from django.urls import reverse
from people.models import User
client = Client()
client.force_login(User.objects.get(username="bench.manager"))
response = client.get(reverse("compliance_admin:matrix") + "?export=" + sys.argv[1])
assert response.status_code == 200, response.status_code
assert sum(len(chunk) for chunk in response.streaming_content) > 0
"""
)
COMMAND_CHILD = (
    SETUP
    + """
from django.core.management import call_command
call_command(*sys.argv[1:])
"""
)


def children(env):
    """The full CSV and Excel exports, compliance_report and send_reminders --dry-run,
    each in a child process: wall time and that process's peak resident memory."""
    runs = [
        (
            "Full CSV export (long format, streamed)",
            [sys.executable, "-c", EXPORT_CHILD, "long-csv"],
        ),
        (
            "Full Excel export (long format, write-only)",
            [sys.executable, "-c", EXPORT_CHILD, "long-xlsx"],
        ),
        (
            "compliance_report (CSV to a file)",
            [sys.executable, "manage.py", "compliance_report", "--output", os.devnull],
        ),
        ("send_reminders --dry-run", [sys.executable, "manage.py", "send_reminders", "--dry-run"]),
    ]
    results = []
    for label, command in runs:
        with tempfile.TemporaryFile() as errors:
            started = time.perf_counter()
            child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
            peak, finished = 0, (0, 0, None)
            while not finished[0]:
                peak = max(peak, high_water_mark(child.pid))
                time.sleep(0.05)
                finished = os.wait4(child.pid, os.WNOHANG)
            seconds = time.perf_counter() - started
            _, code, usage = finished
            errors.seek(0)
            assert os.waitstatus_to_exitcode(code) == 0, errors.read()[-2000:]
        cpu = usage.ru_utime + usage.ru_stime
        results.append((label, seconds, cpu, None, peak / 1024))
        say(f"  {label}: {seconds:.1f} s (CPU {cpu:.1f} s), peak RSS {peak / 1024:.0f} MB")
    return results


def high_water_mark(pid):
    """A running process's own peak resident memory in kB (VmHWM), read from outside:
    ru_maxrss would carry the bench's own size across the child's exec."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def report(results, people):
    """The table. CPU is the process's own time (on SQLite the database's work too):
    steadier than the wall clock on a machine others share."""
    _, baseline, baseline_cpu, _, _ = results[0]
    print(f"\nCompliance benchmark: {people} PSWs, median of timed runs\n")
    print(
        f"{'page':<46} {'median ms':>10} {'x base':>7} {'CPU ms':>8} {'x base':>7} "
        f"{'queries':>8} {'peak RSS MB':>12}"
    )
    for label, seconds, cpu, queries, rss in results:
        print(
            f"{label:<46} {seconds * 1000:>10.0f} {seconds / baseline:>7.1f} "
            f"{cpu * 1000:>8.0f} {cpu / baseline_cpu:>7.1f} "
            f"{queries if queries is not None else '-':>8} "
            f"{f'{rss:.0f}' if rss is not None else '-':>12}"
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak RSS of the bench process itself (build and pages): {own:.0f} MB")


if __name__ == "__main__":
    main()
