"""Two app processes, one PostgreSQL and one Redis: a sign-in lockout and the
certificate-check rate limit are counted across both, as on several hosts.

Starts two `manage.py runserver --noreload` processes configured like two hosts
(CACHE_URL naming the same Redis, DATABASE_URL the same database) and spreads the
attempts over them. Skipped, saying why, without PostgreSQL or redis-server.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from certificates.views import CHECKS_PER_MINUTE
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    # Decided before any database is set up: a skipped transactional test still
    # flushes the database, which the backup tests that run last must not meet.
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://…",
    ),
    # serialized_rollback: the flush after each test leaves the content types to be
    # restored as they were, as the other transactional tests expect.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process on {port} exited: {process.stdout.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port}")


@pytest.fixture
def redis_url():
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("needs redis-server (apt-get install redis-server) or TEST_REDIS_URL")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(port, process, 10)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def database_url():
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@pytest.fixture
def two_hosts(redis_url):
    subprocess.run(["redis-cli", "-u", redis_url, "FLUSHDB"], check=False, capture_output=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CACHE_URL": redis_url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "MFA_REQUIRED": "0",
        "STATIC_MANIFEST": "0",
    }
    hosts, processes = [], []
    try:
        for _ in range(2):
            port = free_port()
            process = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "runserver",
                    "--noreload",
                    "--skip-checks",
                    f"127.0.0.1:{port}",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            processes.append(process)
            hosts.append(port)
        for port, process in zip(hosts, processes, strict=True):
            wait_for(port, process)
        yield hosts
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)


def request(port, method, path, body=None, cookies=None):
    """One request, cookies by hand (they are Secure, and this is plain HTTP)."""
    client = HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode(body)
    client.request(method, path, body=body, headers=headers)
    response = client.getresponse()
    text = response.read().decode()
    for name, value in response.getheaders():
        if name.lower() == "set-cookie" and cookies is not None:
            key, _, rest = value.partition("=")
            cookies[key] = rest.split(";", 1)[0]
    return response.status, text


def sign_in(port, username, password):
    cookies = {}
    _, page = request(port, "GET", "/login/", cookies=cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    status, _ = request(port, "POST", "/login/", form, cookies)
    return status


def test_a_lockout_counts_failed_sign_ins_on_every_host(two_hosts):
    person = factories.psw(username="two.hosts")
    first, second = two_hosts
    for attempt in range(5):  # AXES_FAILURE_LIMIT, spread over both hosts
        status = sign_in(two_hosts[attempt % 2], person.username, "wrong password")
        assert status == (429 if attempt == 4 else 200), attempt
    # Neither host lets the right password in now.
    assert sign_in(second, person.username, factories.PASSWORD) == 429
    assert sign_in(first, person.username, factories.PASSWORD) == 429


def test_the_certificate_check_limit_counts_checks_on_every_host(two_hosts):
    first, second = two_hosts
    path = "/verify/AAAA-BBBB-CCCC/"
    statuses = [request(two_hosts[n % 2], "GET", path)[0] for n in range(CHECKS_PER_MINUTE)]
    # Half the checks went to each host: under the limit on either alone.
    assert set(statuses) == {404}
    assert request(first, "GET", path)[0] == 429
    assert request(second, "GET", path)[0] == 429
