"""import_records: the workspace's checks on the command line, and a 20,000-row file."""

import csv
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from simple_history.utils import bulk_create_with_history

from imports.models import RecordImport
from tests import factories
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db
HEADING = ["Person", "Module", "Provider", "Completed on"]


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return str(path)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_records", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_checks_every_row_and_writes_nothing(tmp_path, psw, pmva):
    path = write(
        tmp_path / "c.csv",
        [HEADING, [psw.username, "PMVA breakaway", "NHS", "2025-03-12"], ["x", "y", "NHS", "z"]],
    )
    out, err = run("completions", path, "--dry-run")
    assert out.strip() == "c.csv: 2 rows: 1 new, 0 unchanged, 0 updated, 1 refused " + (
        "(dry run: nothing written)"
    )
    assert err.startswith("row 3: Unknown person")
    assert not TrainingRecord.objects.exists()


def test_an_import_names_the_manager_in_the_history_and_a_second_changes_nothing(
    tmp_path, sam, psw, pmva
):
    path = write(
        tmp_path / "c.csv", [HEADING, [psw.username, "PMVA breakaway", "NHS", "2025-03-12"]]
    )
    out, _ = run("completions", path, "--by", "sam.lister")
    assert out.strip().endswith("1 new, 0 unchanged, 0 updated, 0 refused; 1 written as sam.lister")
    record = TrainingRecord.objects.get()
    assert record.history.get().history_change_reason == "Imported from c.csv by Sam Lister"
    out, _ = run("completions", path, "--by", "sam.lister")
    assert "0 new, 1 unchanged" in out
    assert TrainingRecord.history.count() == 1


def test_without_by_the_command_imports_as_the_first_administrator(tmp_path, psw, pmva):
    admin = factories.administrator(username="root.admin")
    path = write(
        tmp_path / "c.csv", [HEADING, [psw.username, "PMVA breakaway", "NHS", "2025-03-12"]]
    )
    out, _ = run("completions", path)
    assert out.strip().endswith("1 written as root.admin")
    assert TrainingRecord.objects.get().verified_by == admin


@pytest.mark.parametrize(
    "args, says",
    [
        (["completions", "missing.csv", "--dry-run"], "cannot open missing.csv"),
        (["lessons", "c.csv", "--dry-run"], "invalid choice: 'lessons'"),
        (["completions", "c.csv"], "no administrator to import as"),
        (["completions", "c.csv", "--by", "psw.one"], "no manager has that username"),
        (["completions", "c.txt", "--dry-run"], "Upload a CSV or XLSX file"),
        (["completions", "bad.csv", "--dry-run"], "Missing column: Completed on"),
        (["completions", "c.csv", "--today", "31/12/2025"], "not a date in the form YYYY-MM-DD"),
    ],
)
def test_bad_files_and_arguments_get_one_line_and_exit_2(
    tmp_path, monkeypatch, capsys, psw, args, says
):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "c.csv", [HEADING])
    write(tmp_path / "c.txt", [HEADING])
    write(tmp_path / "bad.csv", [HEADING[:3]])
    with pytest.raises(SystemExit) as exit:
        run(*args)
    assert exit.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and says in lines[0]


def test_a_20000_row_file_is_previewed_and_imported_by_the_background_tasks(
    tmp_path, upload, confirm, sam, pmva
):
    """Most rows are already recorded (put there in bulk), so the test stays quick while
    every one of the 20,000 rows is read, checked, stored and re-checked."""
    people = [factories.psw(username=f"bulk{n}") for n in range(20)]
    days = [date(2015, 1, 1) + timedelta(days=n) for n in range(1000)]
    recorded = [
        TrainingRecord(
            person=person, module=pmva, provider="nhs", completed_on=day, status="verified"
        )
        for person in people
        for day in days[:975]
    ]
    bulk_create_with_history(recorded, TrainingRecord, batch_size=1000)
    rows = [HEADING] + [
        [person.username, "PMVA breakaway", "NHS", f"{day:%d/%m/%Y}"]
        for day in days
        for person in people
    ]
    path = write(tmp_path / "completions-bulk.csv", rows)

    with open(path, "rb") as file:
        record_import = upload(
            "completions", "completions-bulk.csv", SimpleUploadedFile(file.name, file.read()), sam
        )

    assert (record_import.total, record_import.done) == (20_000, 20_000)
    assert (record_import.unchanged, record_import.new, record_import.refused) == (19_500, 500, 0)
    assert record_import.rows.count() == 20_000
    record_import = confirm(record_import)
    assert record_import.status == RecordImport.Status.IMPORTED
    assert TrainingRecord.objects.count() == 20_000
    assert TrainingRecord.objects.filter(verified_by=sam).count() == 500
