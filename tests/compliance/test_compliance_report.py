import csv
import io
import os
import stat
import subprocess
import sys
import threading
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from people.exports import spreadsheet_safe
from supervision import rules as supervision_rules
from tests import factories
from training import rules as training_rules

from .history import at, recorded_since_long_ago, save_at

pytestmark = pytest.mark.django_db

HEADER = "username,name,service,kind,item,provider,status,last_completed,due_on"


@pytest.fixture
def organisation(psw, other_psw, supervisor):
    """psw (CMHT 2) trained in March 2025 and supervised; other_psw with nothing yet."""
    psw.first_name, psw.last_name = "Aisha", "Khan"
    psw.save()
    recorded_since_long_ago(psw, other_psw)
    module = factories.module("Data protection", provider="nhs", renewal_months=12)
    record = factories.TrainingRecordFactory.build(
        person=psw, module=module, completed_on=date(2025, 3, 12)
    )
    save_at(record, at(2025, 3, 12))
    arrangement = save_at(
        factories.ArrangementFactory.build(
            supervisee=psw, supervisor=supervisor, starts_on=date(2025, 1, 6)
        ),
        at(2025, 1, 6),
    )
    session = factories.SessionFactory.build(
        arrangement=arrangement, held_on=date(2025, 3, 3), confirmed_at=at(2025, 3, 3)
    )
    save_at(session, at(2025, 3, 3))
    return module


def report(*args):
    out = io.StringIO()
    call_command("compliance_report", *args, stdout=out)
    return out.getvalue()


def lines(text):
    return text.splitlines()


def test_the_report_has_the_fixed_header_and_one_row_per_person_and_item(
    organisation, psw, other_psw
):
    rows = lines(report("--today", "2025-03-20"))
    assert rows[0] == HEADER
    assert [row for row in rows if row.startswith("psw.one,")] == [
        "psw.one,Aisha Khan,CMHT 2,training,Data protection,nhs,valid,2025-03-12,2026-03-12",
        "psw.one,Aisha Khan,CMHT 2,supervision,NHS supervision,nhs,on_track,2025-03-03,2025-03-31",
        "psw.one,Aisha Khan,CMHT 2,supervision,Leeds Mind supervision,employer,no_arrangement,,",
    ]
    other = f"psw.two,{other_psw.get_full_name()},{other_psw.service}"
    assert [row for row in rows if row.startswith("psw.two,")] == [
        f"{other},training,Data protection,nhs,missing,,",
        f"{other},supervision,NHS supervision,nhs,no_arrangement,,",
        f"{other},supervision,Leeds Mind supervision,employer,no_arrangement,,",
    ]
    assert len(rows) == 7


def test_today_moves_the_day_the_statuses_are_for(organisation):
    rows = lines(report("--today", "2026-02-01", "--service", "CMHT 2"))
    assert rows[1].split(",")[6] == "expiring"
    assert rows[2].split(",")[6] == "overdue"


def test_service_limits_the_report_to_one_service(organisation, psw):
    rows = lines(report("--service", "cmht 2", "--today", "2025-04-01"))
    assert {row.split(",")[0] for row in rows[1:]} == {psw.username}


def test_as_of_reads_what_was_recorded_by_the_end_of_that_day(organisation):
    rows = lines(report("--as-of", "2025-03-11", "--service", "CMHT 2"))
    assert rows[1].split(",")[6] == "missing"  # the completion was entered on 12 March
    rows = lines(report("--as-of", "2025-03-12", "--service", "CMHT 2"))
    assert rows[1].split(",")[6] == "valid"


def test_output_writes_csv_to_a_file(organisation, tmp_path):
    target = tmp_path / "report.csv"
    assert report("--output", str(target), "--today", "2025-04-01") == ""
    with open(target, newline="", encoding="utf-8") as saved:
        rows = list(csv.reader(saved))
    assert ",".join(rows[0]) == HEADER and len(rows) == 7


def test_output_to_a_pipe_writes_into_it_and_leaves_it_a_pipe(organisation, tmp_path):
    pipe = tmp_path / "report.pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text()), daemon=True)
    reader.start()
    call_command("compliance_report", "--output", str(pipe))
    reader.join(timeout=10)
    assert received[0].startswith(HEADER)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_xlsx_goes_to_the_output_file(organisation, tmp_path):
    target = tmp_path / "report.xlsx"
    report("--format", "xlsx", "--output", str(target), "--today", "2025-04-01")
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert ",".join(rows[0]) == HEADER
    assert rows[1][:7] == (
        "psw.one",
        "Aisha Khan",
        "CMHT 2",
        "training",
        "Data protection",
        "nhs",
        "valid",
    )


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--today", "2025-13-01"], "'2025-13-01' is not a date in the form YYYY-MM-DD"),
        (["--as-of", "yesterday"], "'yesterday' is not a date in the form YYYY-MM-DD"),
        (["--format", "pdf"], "invalid choice: 'pdf'"),
        (["--format", "xlsx"], "--format xlsx needs --output FILE"),
        (["--service", "Nowhere"], "no service called 'Nowhere'"),
        (["--today", "2025-01-01", "--as-of", "2025-02-01"], "is after today"),
    ],
)
def test_malformed_arguments_exit_2_with_one_line(organisation, capsys, args, reason):
    with pytest.raises(SystemExit) as exit:
        report(*args)
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("compliance_report: error:") and reason in err


def test_a_malformed_date_on_the_command_line_prints_no_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "compliance_report", "--as-of", "2025-02-30"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "compliance_report: error: argument --as-of: '2025-02-30' is not a date in the form "
        "YYYY-MM-DD"
    ]


def test_progress_goes_to_stderr_for_large_organisations(organisation, monkeypatch, capsys):
    monkeypatch.setattr("compliance.management.commands.compliance_report.CHUNK", 1)
    out = report("--today", "2025-04-01")
    assert lines(out)[0] == HEADER
    err = capsys.readouterr().err
    assert "1 of 2 people" in err and "2 of 2 people" in err


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+44 113", "'+44 113"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Aisha", "Aisha"),
        ("a=b", "a=b"),
        (None, ""),
        (date(2025, 3, 1), "2025-03-01"),
    ],
)
def test_spreadsheet_safe_escapes_cells_a_spreadsheet_would_run(value, safe):
    assert spreadsheet_safe(value) == safe


def test_the_report_covers_every_psw_of_the_demo_organisation():
    call_command("seed_demo", "--password", "demo-pass-123", stdout=io.StringIO())
    rows = list(csv.reader(io.StringIO(report())))
    assert ",".join(rows[0]) == HEADER
    people = {row[0]: (row[1], row[2]) for row in rows[1:]}
    assert people == {
        "psw1": ("Aisha Khan", "Rehabilitation and Recovery Centre"),
        "psw2": ("Tom Whitaker", "Rehabilitation and Recovery Centre"),
        "psw3": ("Grace Okafor", "CMHT 1"),
        "psw4": ("Daniel Firth", "CMHT 2"),
        "psw5": ("Megan Holroyd", "CMHT 3"),
    }
    for username in people:
        supervision = [row[3:7] for row in rows if row[0] == username and row[3] == "supervision"]
        assert [row[1:3] for row in supervision] == [
            ["NHS supervision", "nhs"],
            ["Leeds Mind supervision", "employer"],
        ]
    statuses = set(training_rules.STATUSES) | set(supervision_rules.STATUSES)
    assert {row[6] for row in rows[1:]} <= statuses
    assert {row[3] for row in rows[1:]} <= {"training", "supervision"}
