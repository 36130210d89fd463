"""Two processes writing one SQLite database at once (two cron runs, a job beside the
site): a transaction that reads and then writes waits for the other's write to finish
instead of failing with "database is locked" (portal/settings.py, SQLite options)."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from django.db import connection, transaction

role, ready = sys.argv[1], Path(sys.argv[2])
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS claims (who TEXT)")
if role == "holder":
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO claims VALUES ('holder')")
        ready.touch()
        time.sleep(1.5)  # still writing: as a run sending its email
else:
    while not ready.exists():
        time.sleep(0.01)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM claims")  # read first, as get_or_create does
        cursor.execute("INSERT INTO claims VALUES ('reader')")
print("done")
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking")
def test_a_transaction_that_reads_then_writes_waits_for_another_process(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'two.sqlite3'}"}
    ready = tmp_path / "ready"

    def start(role):
        return subprocess.Popen(
            [sys.executable, "-c", SCRIPT, role, str(ready)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    holder = start("holder")
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    reader = start("reader")
    results = [process.communicate(timeout=120) for process in (holder, reader)]

    assert holder.returncode == reader.returncode == 0, results
    with sqlite3.connect(tmp_path / "two.sqlite3") as db:
        rows = sorted(who for (who,) in db.execute("SELECT who FROM claims"))
    assert rows == ["holder", "reader"]
