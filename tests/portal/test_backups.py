import contextlib
import hashlib
import io

import pytest
from django.apps import apps
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from portal.files import referenced_files, walk
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def snapshot():
    counts = {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m._meta.label != "portal.RestoredArchive"  # a restore's own bookkeeping
        and m._meta.app_label
        in {
            "people",
            "training",
            "supervision",
            "audit",
            "auth",
            "wagtailcore",
            "portal",
            "otp_totp",
        }
    }
    files = {}
    for alias in ("default", "private"):
        storage = storages[alias]
        try:
            names = list(walk(storage))
        except FileNotFoundError:
            names = []
        for name in names:
            with storage.open(name, "rb") as handle:
                files[f"{alias}/{name}"] = hashlib.sha256(handle.read()).hexdigest()
    return counts, files


def run(*args):
    """(exit status, stdout, stderr) of a command; argument errors included in stderr."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            call_command(*args, stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()


@pytest.mark.wipes_database
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_wipe_restore_brings_back_every_row_history_and_file(tmp_path):
    run("seed_demo", "--password", "backup-demo-pass")
    person = factories.psw(username="with.evidence")
    factories.TrainingRecordFactory(
        person=person,
        status="pending",
        evidence=SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf"),
    )
    before = snapshot()
    referenced = referenced_files()
    archive = tmp_path / "alongside.tar.gz"
    assert run("backup", "--output", str(archive))[0] == 0

    call_command("flush", interactive=False, verbosity=0)
    for name in list(walk(storages["private"])):
        storages["private"].delete(name)
    assert snapshot() != before

    code, out, err = run("restore", str(archive))
    assert code == 0, err
    after = snapshot()
    assert {k: (before[0][k], v) for k, v in after[0].items() if before[0][k] != v} == {}
    # Every file a row names comes back (files no row names, left by other tests, do not).
    named = {f"{alias}/{name}" for alias, names in referenced.items() for name in names}
    assert after[1] == {key: sha for key, sha in before[1].items() if key in named}
    assert named, "the backup held the evidence file"
    code, out, err = run("verify_audit")
    assert code == 0, err
    assert "audit log intact" in out


@pytest.mark.django_db
def test_restore_refuses_to_overwrite_a_database_that_is_not_empty(tmp_path, psw):
    archive = tmp_path / "a.tar.gz"
    run("backup", "--output", str(archive))
    code, _, err = run("restore", str(archive))
    assert code == 2
    assert "not empty" in err
    assert "--force" in err


@pytest.mark.django_db
def test_restore_of_a_missing_archive_says_so(tmp_path):
    code, _, err = run("restore", str(tmp_path / "nope.tar.gz"), "--force")
    assert code == 2
    assert err.startswith("restore: error:")
    assert "no such file" in err
