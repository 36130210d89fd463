"""The site under load: gunicorn on PostgreSQL, simulated people on their usual pages.

    python -m bench.load [--users 50] [--seconds 60] [--workers 3] [--database-url URL]

Without --database-url it makes a throwaway PostgreSQL role and database (through the
`postgres` system account, so run it as root or as postgres on a machine with a local
cluster) and drops the database at the end. It migrates, seeds the demo organisation,
starts gunicorn bound to 127.0.0.1 on a free port, and runs the simulated people as
threads for the given time. Everything stays on 127.0.0.1.

Each simulated person reads each page for a while (`--think`, 2 seconds on average;
0 sends the next request at once, which measures the site saturated rather than in
use). Each signs in once, with the right password so sign-in lockout never trips (all
at once and untimed: the clock starts when the last is in), then loops over their
usual pages:

- PSWs: the admin home, My training, My supervision, the training catalogue, and
  their own certificate PDF;
- supervisors: My supervisees;
- managers: the organisation matrix, the summary;
- members of the public: the certificate check page for a real code.

Every request comes from one address, so the public check's limit (30 a minute per
address) trips within seconds: its 429 answers are counted apart as "limited", the
answer a real member of the public would get for the 31st check in a minute, and not
as errors. Anything else that is not a 200 is an error.

The requests say they came through a TLS proxy (`X-Forwarded-Proto: https`), as they
do in production, so the site's secure cookies and CSRF checks work as deployed.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-" + secrets.token_urlsafe(12)
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ORDINARY = ("home", "my training", "my supervision", "catalogue", "supervisees", "matrix")
ORDINARY += ("summary",)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(*command):
    return subprocess.run(
        ["su", "postgres", "-c", " ".join(command)], check=True, capture_output=True, text=True
    ).stdout


def throwaway_database():
    """(url, drop) for a new database owned by a role with a random password."""
    name = f"alongside_load_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    role = "alongside_load"
    exists = as_postgres("psql", "-Atc", f"\"select 1 from pg_roles where rolname='{role}'\"")
    verb = "alter" if exists.strip() else "create"
    as_postgres("psql", "-qc", f"\"{verb} role {role} login password '{password}'\"")
    as_postgres("createdb", "-O", role, name)
    return (
        f"postgres://{role}:{password}@127.0.0.1/{name}",
        lambda: as_postgres("dropdb", "--if-exists", name),
    )


def site_environment(database_url, scratch, port):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "load-only-secret-key-" + "q7Wn4" * 10,
        "AUDIT_KEY": "load-only-audit-key-" + "h2Lc6" * 8,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "DEBUG": "0",
        "MFA_REQUIRED": "0",
        "STATIC_MANIFEST": "0",
        "PRIVATE_ROOT": str(scratch / "private"),
        "MEDIA_ROOT": str(scratch / "media"),
    }


def manage(env, *arguments):
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def demo_facts(env):
    """Usernames by role and certificate codes by username, read from the seeded site."""
    script = (
        "import json\n"
        "from people import roles\n"
        "from people.models import User\n"
        "from training.models import TrainingRecord\n"
        "people = {r: sorted(User.objects.filter(groups__name=r).values_list('username', "
        "flat=True)) for r in (roles.PSW, roles.SUPERVISOR, roles.MANAGER)}\n"
        "codes = {}\n"
        "for username, code in TrainingRecord.objects.filter(status='verified', "
        "certificate_code__isnull=False).values_list('person__username', 'certificate_code'):\n"
        "    codes.setdefault(username, code)\n"
        "print(json.dumps({'people': people, 'codes': codes}))\n"
    )
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    import json

    return json.loads(output.strip().splitlines()[-1])


class Browser:
    """One person's cookies and requests against the site, over plain HTTP on 127.0.0.1."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, content
        finally:
            connection.close()

    def sign_in(self, username):
        _, page = self.request("GET", "/login/")
        token = TOKEN.search(page).group(1).decode()
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        status, _ = self.request("POST", "/login/", urlencode(form))
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not sign in (answer {status})")


def rounds_for(kind, username, facts):
    """(page kind, path) for one round of a simulated person's visits."""
    codes = facts["codes"]
    if kind == "psw":
        pages = [
            ("home", "/admin/"),
            ("my training", "/me/training/"),
            ("my supervision", "/me/supervision/"),
            ("catalogue", "/training/"),
        ]
        if username in codes:
            pages.append(("certificate", f"/certificates/{codes[username]}.pdf"))
        return pages
    if kind == "supervisor":
        return [("supervisees", "/supervising/"), ("their training", "/supervising/training/")]
    if kind == "manager":
        return [("matrix", "/admin/compliance/matrix/"), ("summary", "/admin/compliance/summary/")]
    return [("check", f"/verify/{shown(code)}/") for code in list(codes.values())[:3]]


def shown(code):
    """A code as printed (XXXX-XXXX-XXXX): the form the check page answers without a
    redirect."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def cast(users, facts):
    """(kind, username) for each simulated person: half PSWs, then the others."""
    psws = facts["people"]["Peer support worker"]
    supervisors = facts["people"]["Supervisor"]
    managers = facts["people"]["Manager"]
    plan = []
    for index in range(users):
        share = index % 10
        if share < 5:
            plan.append(("psw", psws[index % len(psws)]))
        elif share < 7:
            plan.append(("supervisor", supervisors[index % len(supervisors)]))
        elif share < 9:
            plan.append(("manager", managers[index % len(managers)]))
        else:
            plan.append(("public", None))
    return plan


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.errors = defaultdict(int)
        self.limited = 0

    def add(self, kind, seconds, status):
        with self.lock:
            if status == 429 and kind == "check":
                self.limited += 1
            elif status != 200:
                self.errors[f"{kind} {status}"] += 1
            else:
                self.latency[kind].append(seconds)


class Start:
    """Everyone signs in first (untimed); the clock starts when the last one is in."""

    def __init__(self, people):
        self.signed_in = threading.Barrier(people + 1)
        self.go = threading.Event()
        self.deadline = None


def simulate(kind, username, facts, port, start, tally, think):
    pause = random.Random(f"{kind}{username}{threading.get_ident()}")
    browser = Browser(port)
    try:
        if username:
            browser.sign_in(username)
    finally:
        start.signed_in.wait()
    start.go.wait()
    deadline = start.deadline
    # Arrive spread over one reading time rather than all in the same instant.
    time.sleep(pause.uniform(0, think))
    pages = rounds_for(kind, username, facts)
    while time.monotonic() < deadline:
        for page, path in pages:
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            try:
                status, _ = browser.request("GET", path)
            except OSError:
                status = "no answer"
            tally.add(page, time.perf_counter() - started, status)
            if think:
                time.sleep(
                    min(pause.uniform(0.5, 1.5) * think, max(0, deadline - time.monotonic()))
                )


def children_of(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def rss_megabytes(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def wait_until_up(port, process):
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped before answering")
        try:
            status, _ = Browser(port).request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz within 20 seconds")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(tally, seconds, memory):
    everything = [value for values in tally.latency.values() for value in values]
    ordinary = [value for kind in ORDINARY for value in tally.latency.get(kind, [])]
    total = len(everything) + sum(tally.errors.values()) + tally.limited
    print(f"\n{total} requests in {seconds:.0f} s: {total / seconds:.1f} requests a second")
    print(f"{'page':<16}{'count':>8}{'median ms':>11}{'p95 ms':>9}")
    rows = sorted(tally.latency.items()) + [("ordinary pages", ordinary), ("all", everything)]
    for kind, values in rows:
        if values:
            median, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
            print(f"{kind:<16}{len(values):>8}{median:>11.0f}{p95:>9.0f}")
    print(f"errors: {sum(tally.errors.values())} {dict(tally.errors) or ''}")
    print(f"certificate checks limited (429, expected from one address): {tally.limited}")
    print("gunicorn worker memory (RSS, MB, peak): " + ", ".join(f"{m:.0f}" for m in memory))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="Average seconds a person spends reading a page before the next (0: none).",
    )
    parser.add_argument("--database-url", help="An empty PostgreSQL database to use.")
    options = parser.parse_args(argv)
    if not 1 <= options.users <= 500 or not 1 <= options.seconds <= 3600:
        parser.error("--users from 1 to 500, --seconds from 1 to 3600")
    if not 0 <= options.think <= 60:
        parser.error("--think from 0 to 60 seconds")

    drop = None
    database_url = options.database_url
    if not database_url:
        database_url, drop = throwaway_database()
    scratch = Path(tempfile.mkdtemp(prefix="alongside-load-"))
    port = free_port()
    env = site_environment(database_url, scratch, port)
    server = None
    try:
        print("Migrating and seeding the demo organisation...", flush=True)
        manage(env, "migrate", "--no-input")
        manage(env, "seed_demo", "--password", PASSWORD)
        facts = demo_facts(env)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "--workers",
                str(options.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_until_up(port, server)
        print(
            f"{options.users} people for {options.seconds} s on 127.0.0.1:{port}, "
            f"reading each page for {options.think} s on average",
            flush=True,
        )
        tally = Tally()
        peak = defaultdict(float)
        start = Start(options.users)
        threads = [
            threading.Thread(
                target=simulate,
                args=(kind, username, facts, port, start, tally, options.think),
                daemon=True,
            )
            for kind, username in cast(options.users, facts)
        ]
        for thread in threads:
            thread.start()
        signing_in = time.monotonic()
        start.signed_in.wait(timeout=300)
        print(f"All signed in after {time.monotonic() - signing_in:.1f} s", flush=True)
        started = time.monotonic()
        deadline = start.deadline = started + options.seconds
        start.go.set()
        while any(thread.is_alive() for thread in threads):
            for worker in children_of(server.pid):
                peak[worker] = max(peak[worker], rss_megabytes(worker))
            time.sleep(1)
            if time.monotonic() > deadline + 60:
                print("Some people were still waiting a minute after the end.")
                break
        report(tally, time.monotonic() - started, sorted(peak.values()))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)
        if drop is not None:
            drop()


if __name__ == "__main__":
    main()
