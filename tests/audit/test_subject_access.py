"""The subject access ZIP: what is in it, and who may have it."""

import csv
import io
import json
import logging
import random
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from training import services as training_services

pytestmark = pytest.mark.django_db

NOTES = "We talked about what helps on a hard day."


@pytest.fixture
def held(psw, manager, supervisor):
    module = factories.module(title="Safeguarding")
    record = training_services.record_create(
        person=psw,
        module=module,
        provider="nhs",
        completed_on=date(2026, 1, 5),
        evidence=factories.upload(),
        notes='=HYPERLINK("http://example.org")',
        by=psw,
    )
    training_services.record_verify(record=record, by=manager)
    arrangement = factories.ArrangementFactory(supervisee=psw, supervisor=supervisor)
    factories.SessionFactory(arrangement=arrangement, notes=NOTES)
    return record


def download(client, person):
    response = client.get(reverse("audit_subject_access", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response)))


def test_a_manager_downloads_everything_held_about_a_person_without_session_notes(
    client_for, psw, manager, held
):
    archive = download(client_for(manager), psw)
    names = set(archive.namelist())
    assert {
        "profile.csv",
        "training-records.csv",
        "exemptions.csv",
        "supervision-arrangements.csv",
        "supervision-sessions.csv",
        "history.csv",
    } <= names
    assert any(name.startswith("evidence/") and name.endswith(".pdf") for name in names)
    held.refresh_from_db()
    certificate = [name for name in names if name.startswith("certificates/")]
    assert len(certificate) == 1
    assert archive.read(certificate[0]).startswith(b"%PDF")
    assert psw.username in archive.read("profile.csv").decode()
    assert "Safeguarding" in archive.read("training-records.csv").decode()
    assert held.certificate_code in archive.read("training-records.csv").decode()
    sessions = archive.read("supervision-sessions.csv").decode()
    assert NOTES not in sessions and "notes" not in sessions.splitlines()[0]
    history = archive.read("history.csv").decode().splitlines()
    assert history[0].startswith("when,who,kind") and len(history) > 1


def test_formula_looking_notes_come_back_inert_in_the_export(client_for, psw, manager, held):
    archive = download(client_for(manager), psw)
    assert "'=HYPERLINK" in archive.read("training-records.csv").decode()


def test_a_psw_downloads_their_own_with_their_session_notes(client_for, psw, held):
    sessions = download(client_for(psw), psw).read("supervision-sessions.csv").decode()
    assert NOTES in sessions


@pytest.mark.parametrize("viewer", ["other_psw", "supervisor", "service_lead"])
def test_nobody_else_can_download_a_persons_data(request, client_for, psw, held, viewer):
    client = client_for(request.getfixturevalue(viewer))
    assert client.get(reverse("audit_subject_access", args=[psw.pk])).status_code == 404


def test_the_download_is_written_to_the_security_log(client_for, psw, manager, held, caplog):
    with caplog.at_level(logging.INFO, logger="alongside.security"):
        download(client_for(manager), psw)
    events = [json.loads(record.getMessage()) for record in caplog.records]
    assert {"event": "export", "what": "subject access", "person": psw.username}.items() <= (
        events[-1].items()
    )


def test_the_person_page_links_to_the_download_for_a_manager(client_for, psw, manager, held):
    response = client_for(manager).get(reverse("compliance_admin:person", args=[psw.pk]))
    assert reverse("audit_subject_access", args=[psw.pk]).encode() in response.content


def test_knowledge_check_attempts_are_in_the_download_with_the_answers_chosen(
    client_for, psw, manager, held
):
    module = factories.checked_module(questions=3, check_question_count=3)
    attempt = training_services.attempt_start(
        person=psw, module=module, today=date(2026, 11, 30), by=psw, rng=random.Random(1)
    )
    answers = factories.wrong_answers(attempt, 1)
    training_services.attempt_submit(
        attempt=attempt, answers=answers, by=psw, today=date(2026, 11, 30)
    )
    rows = archive_rows(download(client_for(manager), psw), "knowledge-checks.csv")
    assert rows[0][:3] == ["module", "provider", "started"]
    asked = rows[1:]
    assert len(asked) == 3
    assert {row[0] for row in asked} == {module.title}
    first = attempt.questions[0]
    chosen = answers[first["id"]]
    assert asked[0][7] == first["text"]
    assert asked[0][8] == "; ".join(first["choices"][n] for n in chosen)


def archive_rows(archive, name):
    return list(csv.reader(io.StringIO(archive.read(name).decode())))
