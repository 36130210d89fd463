"""Every management command, every kind of argument: bad input is one line on stderr,
exit status 2, nothing changed and no traceback."""

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.portal.test_backups import snapshot

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = [
    "backup",
    "restore",
    "verify_audit",
    "audit_report",
    "purge_leavers",
    "send_reminders",
    "compliance_report",
    "seed_demo",
    "clean_files",
    "close_leavers",
    "import_records",
]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            call_command(*args, stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()


def bad_inputs(tmp):
    """(arguments, words the one line must contain)."""
    missing = str(tmp / "missing-folder" / "out.file")
    cases = [
        (["backup", "--output", missing], "no such folder"),
        (["backup", "--output", str(tmp)], "is a directory"),
        (["backup"], "the following arguments are required: --output"),
        (["restore", str(tmp / "nope.tar.gz")], "no such file"),
        (["restore", str(tmp)], "is a directory"),
        (["restore"], "give the archive to restore"),
        (["verify_audit", "--checkpoint", missing], "no such folder"),
        (["verify_audit", "--since-checkpoint", str(tmp / "nope.json")], "no such file"),
        (["compliance_report", "--output", missing], "no such folder"),
        (["compliance_report", "--output", str(tmp)], "is a directory"),
        (["compliance_report", "--format", "pdf"], "invalid choice: 'pdf'"),
        (["compliance_report", "--format", "xlsx"], "--format xlsx needs --output FILE"),
        (["compliance_report", "--service", "Nowhere"], "no service called 'Nowhere'"),
        (["compliance_report", "--today", "2026-01-01", "--as-of", "2026-02-01"], "after today"),
        (["purge_leavers", "--older-than", "many"], "not a whole number of years"),
        (["purge_leavers", "--older-than", "0"], "at least 1 year"),
        (["purge_leavers"], "required: --older-than"),
        (["audit_report", "--since", "2026-02-01", "--until", "2026-01-01"], "before --since"),
        (["clean_files", "--delete", "yes"], "unrecognized arguments: yes"),
        (["import_records", "people", str(tmp / "nope.csv"), "--dry-run"], "cannot open"),
        (["import_records", "pets", str(tmp / "nope.csv")], "invalid choice: 'pets'"),
    ]
    dated = [
        ["compliance_report", "--today"],
        ["compliance_report", "--as-of"],
        ["send_reminders", "--today"],
        ["seed_demo", "--today"],
        ["purge_leavers", "--older-than", "6", "--today"],
        ["audit_report", "--since"],
        ["close_leavers", "--today"],
        ["import_records", "people", "x.csv", "--dry-run", "--today"],
    ]
    for command in dated:
        cases += [
            (command + ["20250101"], "'20250101' is not a date in the form YYYY-MM-DD"),
            (command + ["2025-02-30"], "is not a date in the form YYYY-MM-DD"),
            (command + ["9999-12-31"], "outside the dates Alongside works with"),
            (command + ["0001-01-01"], "outside the dates Alongside works with"),
        ]
    return cases


@pytest.mark.django_db
def test_every_bad_argument_is_one_line_exit_2_and_changes_nothing(tmp_path, psw):
    before = snapshot()
    failures = []
    for arguments, words in bad_inputs(tmp_path):
        code, out, err = run(*arguments)
        lines = err.strip().splitlines()
        ok = (
            code == 2
            and len(lines) == 1
            and lines[0].startswith(f"{arguments[0]}: error: ")
            and words in lines[0]
            and "Traceback" not in err
        )
        if not ok:
            failures.append((arguments, code, err))
    assert failures == []
    assert snapshot() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_every_command_refuses_an_unmigrated_database_in_one_line(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    arguments = {
        "backup": ["--output", str(tmp_path / "a.tar.gz")],
        "purge_leavers": ["--older-than", "6"],
        "audit_report": ["--since", "2026-01-01"],
        "import_records": ["people", str(tmp_path / "people.csv"), "--dry-run"],
    }
    for command in [c for c in COMMANDS if c != "restore"]:
        result = subprocess.run(
            [sys.executable, "manage.py", command, *arguments.get(command, [])],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.strip().splitlines() == [
            f"{command}: error: the database is not set up or not up to date: run "
            "`manage.py migrate`"
        ], command
    assert not (tmp_path / "a.tar.gz").exists()
