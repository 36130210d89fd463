"""No orphans: a refused twin's evidence is removed at once, and `clean_files` finds
(and with --delete removes) what crashes leave behind."""

import io
import os
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal.files import orphan_files, referenced_files, walk
from tests import factories
from tests.security.test_races import at_once, concurrent
from training import services
from training.models import TrainingRecord


def evidence_files():
    return {name for name in walk(storages["private"]) if name.startswith("evidence/")}


def make_old(name, alias="private"):
    path = storages[alias].path(name)
    old = time.time() - 2 * 3600
    os.utime(path, (old, old))


@pytest.mark.django_db
def test_a_twin_refused_by_the_database_leaves_no_evidence_file(monkeypatch, psw):
    module = factories.module(title="Boundaries", provider="nhs")
    before = evidence_files()

    def twin():
        return services.record_create(
            person=psw,
            module=module,
            provider="nhs",
            completed_on=date(2026, 1, 5),
            evidence=factories.upload(),
            by=psw,
        )

    record = twin()
    monkeypatch.setattr(services, "_live_record_exists", lambda **kwargs: False)
    with pytest.raises(ValidationError):
        twin()
    assert evidence_files() - before == {record.evidence.name}


@concurrent
def test_twenty_double_submitted_completions_with_evidence_leave_no_orphans():
    psw = factories.psw(username="psw.twins")
    module = factories.module(title="Boundaries", provider="nhs", evidence_required=False)
    before = evidence_files()

    def post(day):
        client = Client()
        client.force_login(psw)
        return client.post(
            reverse("training:record", args=[module.pk]),
            {
                "module": module.pk,
                "provider": "nhs",
                "completed_on": f"2026-01-{day:02d}",
                "evidence": factories.upload(),
            },
        )

    for day in range(1, 21):
        at_once(lambda day=day: post(day), lambda day=day: post(day))
    records = TrainingRecord.objects.filter(person=psw)
    assert records.count() == 20
    assert evidence_files() - before == {r.evidence.name for r in records}


@pytest.mark.django_db
def test_clean_files_lists_orphans_and_deletes_them_only_when_asked(psw):
    record = factories.TrainingRecordFactory(person=psw, evidence=factories.upload())
    orphan = storages["private"].save("evidence/left-by-a-crash.pdf", ContentFile(b"%PDF-1.4"))
    young = storages["private"].save("evidence/being-uploaded.pdf", ContentFile(b"%PDF-1.4"))
    cached = storages["private"].save("certificates/cache/abc.pdf", ContentFile(b"%PDF-1.4"))
    for name in (record.evidence.name, orphan, cached):
        make_old(name)

    out = io.StringIO()
    call_command("clean_files", stdout=out)
    assert f"private/{orphan}" in out.getvalue()
    assert "Dry run" in out.getvalue()
    for name in (record.evidence.name, orphan, young, cached):
        assert storages["private"].exists(name)
    assert record.evidence.name in referenced_files()["private"]

    call_command("clean_files", "--delete", stdout=io.StringIO())
    assert not storages["private"].exists(orphan)
    for name in (record.evidence.name, young, cached):
        assert storages["private"].exists(name)
    assert [o for o in orphan_files() if o.name == orphan] == []


@pytest.mark.django_db
def test_clean_files_keeps_evidence_an_older_version_of_a_record_still_names(psw):
    record = factories.TrainingRecordFactory(person=psw, evidence=factories.upload())
    first = record.evidence.name
    record.evidence = factories.upload("second.pdf")
    record.save()
    make_old(first)
    call_command("clean_files", "--delete", stdout=io.StringIO())
    assert storages["private"].exists(first)
