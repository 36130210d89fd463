import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from people.models import User
from supervision.models import SupervisionSession
from tests import factories
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()


@pytest.fixture
def leaver():
    person = factories.psw(
        username="long.gone", first_name="Morag", last_name="Leaving", left_on=date(2018, 5, 31)
    )
    factories.TrainingRecordFactory(
        person=person,
        notes="Did the course with Morag's old team",
        evidence=SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
    )
    session = factories.SessionFactory(
        arrangement=factories.ArrangementFactory(supervisee=person), notes="Morag talked about home"
    )
    session.actions = "Follow up"
    session.save()
    return person


def test_dry_run_says_who_would_be_anonymised_and_changes_nothing(leaver, psw):
    code, out, _ = run("purge_leavers", "--older-than", "6", "--dry-run", "--today", "2026-11-26")
    assert code == 0
    assert "Would anonymise long.gone (Morag Leaving), left 2018-05-31" in out
    assert psw.username not in out
    assert User.objects.get(pk=leaver.pk).first_name == "Morag"


def test_purge_removes_personal_details_everywhere_but_keeps_counts_and_chain(leaver):
    counts = (
        TrainingRecord.objects.count(),
        SupervisionSession.objects.count(),
        User.history.filter(id=leaver.pk).count(),
    )
    code, out, _ = run("purge_leavers", "--older-than", "6", "--today", "2026-11-26")
    assert code == 0
    person = User.objects.get(pk=leaver.pk)
    assert person.username == f"former-{leaver.pk}"
    assert not person.is_active and not person.has_usable_password()
    assert not User.history.filter(id=leaver.pk, first_name="Morag").exists()
    assert not TrainingRecord.history.filter(person_id=leaver.pk).exclude(notes="").exists()
    assert not SupervisionSession.history.filter(notes__contains="Morag").exists()
    record = TrainingRecord.objects.get(person=person)
    assert not record.evidence
    assert (TrainingRecord.objects.count(), SupervisionSession.objects.count()) == counts[:2]
    assert User.history.filter(id=leaver.pk).count() == counts[2] + 1
    assert run("verify_audit")[0] == 0
    again = run("purge_leavers", "--older-than", "6", "--dry-run", "--today", "2026-11-26")
    assert again[1].strip() == "Would anonymise 0 person(s)."


def test_people_in_post_or_recent_leavers_are_kept(leaver, psw):
    recent = factories.psw(username="recent", left_on=date(2024, 1, 1))
    run("purge_leavers", "--older-than", "6", "--today", "2026-11-26")
    assert User.objects.get(pk=recent.pk).username == "recent"
    assert User.objects.get(pk=psw.pk).username == psw.username


@pytest.mark.parametrize("years", ["0", "six", "-1"])
def test_purge_refuses_a_bad_period_with_one_line(years):
    code, _, _ = run("purge_leavers", "--older-than", years)
    assert code == 2
