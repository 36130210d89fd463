"""Backups and restores under real conditions: people writing during the backup, damaged
and incomplete archives, restores stopped halfway (in-process and by kill -9)."""

import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError, connection

from portal import backups
from portal.files import walk
from supervision import services as supervision_services
from tests import factories
from tests.portal.test_backups import PDF, run, snapshot
from training import services as training_services
from training.models import TrainingRecord

ROOT = Path(__file__).resolve().parents[2]


def evidence(name="certificate.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def repack(source, target, *, drop=None, replace=None):
    """Copy an archive member by member, leaving out `drop` or changing `replace`."""
    replace = replace or {}
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            if member.name == drop:
                continue
            data = old.extractfile(member).read()
            data = replace.get(member.name, lambda d: d)(data)
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


@pytest.fixture
def archive(tmp_path, psw, manager):
    training_services.record_create(
        person=psw,
        module=factories.module(title="Safeguarding", provider="nhs"),
        provider="nhs",
        completed_on=date(2026, 1, 5),
        evidence=evidence(),
        by=psw,
    )
    path = tmp_path / "alongside.tar.gz"
    code, _, err = run("backup", "--output", str(path))
    assert code == 0, err
    return path


def evidence_key(path):
    with tarfile.open(path, "r:gz") as opened:
        return next(n for n in opened.getnames() if n.startswith("files/private/evidence/"))


def assert_refused_and_nothing_changed(path, message):
    before = snapshot()
    code, out, err = run("restore", str(path), "--force")
    assert code == 2, out + err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert message in err
    assert snapshot() == before
    assert backups.restore_leftover() is None


# Writing the archive -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_manifest_counts_every_tables_rows_and_hashes_every_file(archive, psw):
    with tarfile.open(archive, "r:gz") as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
        names = opened.getnames()
    assert manifest["tables"]["people.user"] == 2  # the PSW and the manager
    assert manifest["tables"]["training.trainingrecord"] == 1
    assert manifest["tables"]["audit.auditentry"] >= 2
    (key,) = [k for k in manifest["files"] if k.startswith("private/evidence/")]
    assert f"files/{key}" in names
    assert "audit-checkpoint.json" in names
    assert Path(f"{archive}.audit-checkpoint.json").exists()


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_partial_archive(tmp_path, psw, monkeypatch):
    factories.TrainingRecordFactory(person=psw, evidence=evidence())

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(backups, "_add_stored", broken)
    with pytest.raises(OSError):
        backups.backup_write(output=tmp_path / "alongside.tar.gz")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "output, message",
    [("missing-folder/a.tar.gz", "no such folder"), (".", "is a directory")],
)
def test_backup_refuses_an_output_it_cannot_write(tmp_path, output, message):
    code, _, err = run("backup", "--output", str(tmp_path / output))
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


@pytest.mark.wipes_database
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_taken_while_people_write_restores_whole(tmp_path, manager):
    """A thread keeps saving completions (with evidence) and sessions while the backup
    runs; after a restore, the audit log is clean and every record has its history."""
    psw = factories.psw(username="busy.psw")
    module = factories.module(title="Data protection", provider="nhs")
    supervisor = factories.supervisor(username="busy.supervisor")
    arrangement = factories.ArrangementFactory(
        supervisee=psw, stream="nhs", supervisor=supervisor, starts_on=date(2019, 1, 1)
    )
    stop, written, errors = threading.Event(), [0], []
    phase = [0]  # 0 before the backup, 1 while it runs, 2 after it
    overlapping = [0]  # writes begun or still going while the backup ran

    def keep_writing():
        from django.db import connection as own

        day = 0
        try:
            while not stop.is_set() and day < 400:
                day += 1
                began = phase[0]
                try:
                    training_services.record_create(
                        person=psw,
                        module=module,
                        provider="nhs",
                        completed_on=date(2020, 1, 1) + timedelta(days=day),
                        evidence=evidence(),
                        by=manager,
                    )
                    supervision_services.session_log(
                        arrangement=arrangement,
                        by=supervisor,
                        held_on=date(2020, 1, 1) + timedelta(days=day),
                        duration_minutes=60,
                        format="one_to_one",
                        status="held",
                        topics=["wellbeing"],
                        notes="",
                        actions="",
                        wellbeing_checked=True,
                        safeguarding_concern=False,
                        today=date(2026, 1, 1),
                    )
                    written[0] += 1
                except OperationalError:
                    time.sleep(0.01)  # SQLite: the backup's read holds the tables a moment
                finally:
                    overlapping[0] += began <= 1 <= phase[0]
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            own.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    while written[0] < 3 and writer.is_alive():
        time.sleep(0.01)
    path = tmp_path / "busy.tar.gz"
    phase[0] = 1
    try:
        code, _, err = run("backup", "--output", str(path))
    finally:
        phase[0] = 2
        stop.set()
        writer.join(timeout=120)
    assert code == 0, err
    assert not errors, errors
    # Someone tried to write while the backup ran (on SQLite the backup's read may make
    # them wait: how many landed depends on the machine's load, not on the backup).
    assert written[0] >= 3 and overlapping[0] >= 1

    call_command("flush", interactive=False, verbosity=0)
    code, out, err = run("restore", str(path))
    assert code == 0, err
    assert "verify_audit: audit log intact" in out
    for record in TrainingRecord.objects.all():
        assert record.history.exists(), record
        assert storages["private"].exists(record.evidence.name)


# Refusing damaged archives -------------------------------------------------------------


@pytest.mark.django_db
def test_an_archive_missing_a_file_is_refused_before_anything_changes(archive, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    key = evidence_key(archive)
    repack(archive, damaged, drop=key)
    assert_refused_and_nothing_changed(damaged, f"the archive is missing {key}")


@pytest.mark.django_db
def test_a_tampered_file_is_refused_before_anything_changes(archive, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    key = evidence_key(archive)
    repack(archive, damaged, replace={key: lambda data: data + b"tampered"})
    assert_refused_and_nothing_changed(damaged, f"{key} does not match its checksum")


@pytest.mark.django_db
def test_tampered_rows_are_refused_before_anything_changes(archive, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    part = "database/2-rows.jsonl"
    repack(archive, damaged, replace={part: lambda data: data.replace(b"psw.one", b"psw.six")})
    assert_refused_and_nothing_changed(damaged, f"{part} does not match its checksum")


@pytest.mark.django_db
def test_an_archive_without_a_manifest_is_refused(archive, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    repack(archive, damaged, drop="manifest.json")
    assert_refused_and_nothing_changed(damaged, "the archive has no manifest")


@pytest.mark.django_db
def test_a_truncated_archive_is_refused(archive, tmp_path):
    damaged = tmp_path / "truncated.tar.gz"
    damaged.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert_refused_and_nothing_changed(damaged, "not a complete backup archive")


@pytest.mark.django_db
def test_a_file_that_is_not_an_archive_is_refused(tmp_path, psw):
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    assert_refused_and_nothing_changed(other, "not a complete backup archive")


@pytest.mark.django_db
def test_a_directory_is_refused(tmp_path, psw):
    code, _, err = run("restore", str(tmp_path), "--force")
    assert code == 2 and "is a directory" in err


@pytest.mark.django_db
def test_a_missing_archive_says_no_such_file_even_onto_a_full_database(tmp_path, psw):
    code, _, err = run("restore", str(tmp_path / "nope.tar.gz"))
    assert code == 2
    assert "no such file" in err and "not empty" not in err


# Interrupted restores ------------------------------------------------------------------


@pytest.mark.wipes_database
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_stopped_between_database_and_files_is_finished_by_recover(
    tmp_path, psw, monkeypatch
):
    factories.TrainingRecordFactory(person=psw, evidence=evidence())
    path = tmp_path / "a.tar.gz"
    assert run("backup", "--output", str(path))[0] == 0
    archived = snapshot()
    for name in list(walk(storages["private"])):
        storages["private"].delete(name)
    storages["private"].save("left-from-before.txt", io.BytesIO(b"old"))

    real_swap = backups._swap_in

    def killed(folders):
        raise KeyboardInterrupt

    monkeypatch.setattr(backups, "_swap_in", killed)
    with pytest.raises(KeyboardInterrupt):
        run("restore", str(path), "--force")
    monkeypatch.setattr(backups, "_swap_in", real_swap)

    leftover = backups.restore_leftover()
    assert leftover.committed
    from portal.checks import interrupted_restore

    (warning,) = interrupted_restore()
    assert "loaded the database but did not swap its files in" in warning.msg
    code, _, err = run("restore", str(path), "--force")
    assert code == 2 and "restore --recover" in err

    code, out, _ = run("restore", "--recover")
    assert code == 0 and "the files are now swapped in" in out
    with tarfile.open(path, "r:gz") as opened:
        in_archive = json.loads(opened.extractfile("manifest.json").read())["files"]
    assert snapshot()[1] == {k: v for k, v in archived[1].items() if k in in_archive}
    assert "private/left-from-before.txt" not in snapshot()[1]
    assert backups.restore_leftover() is None
    assert run("verify_audit")[0] == 0


@pytest.mark.django_db
def test_a_restore_killed_while_staging_files_leaves_the_old_state(archive, tmp_path):
    """kill -9 in the file phase: the live folders and database are untouched, the next
    start reports the leftover, and `restore --recover` removes it."""
    for index in range(150):
        factories.TrainingRecordFactory(person=factories.psw(), evidence=evidence(f"c{index}.pdf"))
    big = tmp_path / "big.tar.gz"
    assert run("backup", "--output", str(big))[0] == 0
    private, media = tmp_path / "site" / "private", tmp_path / "site" / "media"
    private.mkdir(parents=True)
    media.mkdir()
    (private / "from-before.txt").write_text("old")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site' / 'db.sqlite3'}",
        "PRIVATE_ROOT": str(private),
        "MEDIA_ROOT": str(media),
    }
    staging = private.with_name("private.restore-staging")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "restore", str(big), "--force"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if staging.exists() and any(staging.rglob("*.pdf")):
            break
        time.sleep(0.002)
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert sorted(p.name for p in private.iterdir()) == ["from-before.txt"]
    assert staging.exists()
    check = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "left staged files; the database and files are still the ones from before" in (
        check.stdout + check.stderr
    )
    recover = subprocess.run(
        [sys.executable, "manage.py", "restore", "--recover"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert recover.returncode == 0, recover.stderr
    assert "the staged files are removed" in recover.stdout
    assert not staging.exists()
    assert sorted(p.name for p in private.iterdir()) == ["from-before.txt"]
    assert connection.vendor  # the test database itself was never touched
