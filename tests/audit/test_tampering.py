"""Someone with the database but not AUDIT_KEY edits it with plain SQL: verify_audit
names each kind of tampering, and a checkpoint catches a chain cut short."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from audit import chain
from audit.models import AuditEntry
from audit.services import chain_reseal
from tests import factories
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db

History = TrainingRecord.history.model


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def record(psw, manager):
    record = factories.TrainingRecordFactory(person=psw, status="pending")
    record.notes = "second version"
    record._history_user = manager
    record._change_reason = "Notes added"
    record.save()
    assert run("verify_audit")[0] == 0
    return record


def newest(record):
    row = History.objects.filter(id=record.pk).order_by("-history_id").first()
    entries = AuditEntry.objects.filter(content_type__model="trainingrecord")
    return row, entries.get(history_id=row.history_id, object_id=str(record.pk))


def test_deleting_the_newest_history_row_and_its_entry_is_caught_as_trimmed(record, tmp_path):
    checkpoint = tmp_path / "checkpoint.json"
    assert run("verify_audit", "--checkpoint", str(checkpoint))[0] == 0
    row, entry = newest(record)
    sql(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entry.pk])
    sql(f"DELETE FROM {History._meta.db_table} WHERE history_id = %s", [row.history_id])

    code, _, err = run("verify_audit", "--since-checkpoint", str(checkpoint))
    assert code == 1
    assert (
        f"training.TrainingRecord:{record.pk}: trimmed (the checkpoint saw 2 entries; 1 remain)"
        in err
    )
    # Even without the checkpoint, the live row no longer matches what history says.
    code, _, err = run("verify_audit")
    assert code == 1
    assert f"training.TrainingRecord {record.pk}: live row differs" in err


def test_a_link_forged_with_the_projects_own_hash_function_is_caught(record):
    row, entry = newest(record)
    forged_row = History.objects.get(history_id=row.history_id)
    forged_row.history_id = None
    forged_row.status = "verified"
    forged_row.history_change_reason = "Verified"
    forged_row.save()
    forged = AuditEntry(
        content_type=entry.content_type,
        history_id=forged_row.history_id,
        object_id=entry.object_id,
        sequence=entry.sequence + 1,
        history_type="~",
        history_date=forged_row.history_date,
        actor_id=forged_row.history_user_id,
        reason="Verified",
        previous_hash=entry.hash,
        key_id=entry.key_id,
    )
    # The forger has the code but not the key: they guess one.
    forged.hash = chain.link_hash(entry.hash, forged_row, forged, "a-guessed-key")
    forged.save()
    sql(
        f"UPDATE {TrainingRecord._meta.db_table} SET status = 'verified' WHERE id = %s",
        [record.pk],
    )

    code, _, err = run("verify_audit")
    assert code == 1
    assert (
        f"training.TrainingRecord {record.pk} history row {forged_row.history_id}: "
        "changed or forged (its seal does not verify with the audit key)"
    ) in err
    assert "live row differs" not in err, "the forger kept the live row in step"


def test_changing_an_entrys_actor_or_reason_is_caught(record, administrator):
    row, entry = newest(record)
    sql(
        f"UPDATE {AuditEntry._meta.db_table} SET actor_id = %s, reason = %s WHERE id = %s",
        [administrator.pk, "Routine tidy-up", entry.pk],
    )
    code, _, err = run("verify_audit")
    assert code == 1
    assert f"history row {row.history_id}: actor changed" in err

    sql(
        f"UPDATE {AuditEntry._meta.db_table} SET actor_id = %s WHERE id = %s",
        [row.history_user_id, entry.pk],
    )
    code, _, err = run("verify_audit")
    assert f"history row {row.history_id}: reason changed" in err

    # Changing the history row the same way leaves the words in agreement, not the seal.
    sql(
        f"UPDATE {History._meta.db_table} SET history_change_reason = %s WHERE history_id = %s",
        ["Routine tidy-up", row.history_id],
    )
    code, _, err = run("verify_audit")
    assert code == 1
    assert f"history row {row.history_id}: changed or forged" in err


def test_a_live_row_changed_without_a_history_row_is_caught(record):
    sql(
        f"UPDATE {TrainingRecord._meta.db_table} SET completed_on = %s WHERE id = %s",
        ["2019-01-01", record.pk],
    )
    code, _, err = run("verify_audit")
    assert code == 1
    assert (
        f"training.TrainingRecord {record.pk}: live row differs from its newest history row "
        "(completed_on)"
    ) in err


def test_a_live_row_deleted_in_the_database_is_caught(record):
    sql(f"DELETE FROM {TrainingRecord._meta.db_table} WHERE id = %s", [record.pk])
    code, _, err = run("verify_audit")
    assert code == 1
    assert f"training.TrainingRecord {record.pk}: live row removed without a history row" in err


def test_a_checkpoint_of_an_untouched_log_agrees_and_later_changes_extend_it(record, tmp_path):
    checkpoint = tmp_path / "checkpoint.json"
    run("verify_audit", "--checkpoint", str(checkpoint))
    record.notes = "third version"
    record.save()
    code, out, err = run("verify_audit", "--since-checkpoint", str(checkpoint))
    assert code == 0, err
    assert "compared with the checkpoint of" in out


def test_a_rewritten_chain_is_caught_against_the_checkpoint(record, tmp_path):
    checkpoint = tmp_path / "checkpoint.json"
    run("verify_audit", "--checkpoint", str(checkpoint))
    # Someone with the key rewrites the whole chain: seals verify, the checkpoint does not.
    sql(f"UPDATE {History._meta.db_table} SET notes = 'rewritten' WHERE id = %s", [record.pk])
    sql(
        f"UPDATE {TrainingRecord._meta.db_table} SET notes = 'rewritten' WHERE id = %s", [record.pk]
    )

    chain_reseal(model=TrainingRecord, object_ids=[record.pk])
    assert run("verify_audit")[0] == 0
    code, _, err = run("verify_audit", "--since-checkpoint", str(checkpoint))
    assert code == 1
    assert "rewritten since the checkpoint" in err


def test_an_altered_checkpoint_is_refused_in_one_line(record, tmp_path):
    checkpoint = tmp_path / "checkpoint.json"
    run("verify_audit", "--checkpoint", str(checkpoint))
    data = json.loads(checkpoint.read_text())
    data["heads"] = {name: [1, seal] for name, (_, seal) in data["heads"].items()}
    checkpoint.write_text(json.dumps(data))
    code, out, err = run("verify_audit", "--since-checkpoint", str(checkpoint))
    assert code == 2
    assert err.strip().splitlines() == [
        f"verify_audit: error: {checkpoint}: the checkpoint's signature does not match: "
        "it was altered"
    ]


@pytest.mark.parametrize(
    "content, message",
    [("not json", "this is not an audit checkpoint"), ('{"format": 1}', "not an audit checkpoint")],
)
def test_a_file_that_is_no_checkpoint_is_refused(tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_text(content)
    code, _, err = run("verify_audit", "--since-checkpoint", str(path))
    assert code == 2 and message in err and "Traceback" not in err


def test_a_seal_made_with_a_rotated_key_verifies_while_that_key_is_listed(record, settings):
    old = settings.AUDIT_KEY
    settings.AUDIT_KEY = "a-new-audit-key-after-rotation-0123456789"
    code, _, err = run("verify_audit")
    assert code == 1 and "sealed with an unknown key" in err
    settings.AUDIT_PREVIOUS_KEYS = [old]
    assert run("verify_audit")[0] == 0
