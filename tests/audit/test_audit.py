import csv
import io
from datetime import date

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from audit.models import AuditEntry
from supervision.models import SupervisionSession
from tests import factories
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db

# Models that hold no personal record of their own, and why they need no history.
WITHOUT_HISTORY = {
    "audit.auditentry": "it is the audit log itself",
    "organisation.organisationsettings": "site settings; changes are logged by Wagtail",
    "training.certificatecheck": "it is itself an append-only log of checks",
    "training.certificatebundle": "a download job, not a record about anyone",
    "compliance.reminderlog": "it is itself a log of the reminders sent",
    "compliance.requirementstate": "derived from records and exemptions, rebuilt at will",
    "compliance.arrangementstate": "derived from arrangements and sessions, rebuilt at will",
    "compliance.monthendcount": "counts derived from the history, rewritten at will",
    "compliance.runlock": "a lease for a running job, not a record about anyone",
    "compliance.countsversion": "a number in the key of kept counts, bumped by every change",
    "portal.restoredarchive": "restore bookkeeping, not a record about anyone",
}


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_every_model_that_holds_records_keeps_history():
    missing = []
    for app in ("people", "portal", "training", "supervision", "compliance", "audit"):
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label_lower
            if (
                issubclass(model, Page)
                or label in WITHOUT_HISTORY
                or label.split(".")[1].startswith("historical")
                or model._meta.auto_created
                or not model._meta.managed
            ):
                continue
            if not hasattr(model, "history"):
                missing.append(label)
    assert missing == []


def test_web_changes_record_the_acting_user(client_for, administrator, psw):
    response = client_for(administrator).post(
        f"/admin/services/edit/{psw.service.pk}/",
        {"name": "CMHT 2 (north)", "kind": "cmht", "trust": "Test NHS Trust"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get(app_label="people", model="service")
    ).latest("history_date")
    assert entry.actor == administrator
    assert entry.history_type == "~"


def test_commands_say_which_command_made_the_change():
    run("seed_demo", "--password", "x-demo-password")
    entry = AuditEntry.objects.filter(person__username="psw1", content_type__model="user").first()
    assert entry.actor_id is None
    assert entry.actor_label == "command seed_demo"


def test_verify_audit_is_clean_and_prints_a_digest(psw):
    factories.TrainingRecordFactory(person=psw)
    code, out, err = run("verify_audit")
    assert code == 0, err
    assert "audit log intact" in out
    assert "log digest: " in out


def test_digest_is_stable_until_something_changes(psw):
    record = factories.TrainingRecordFactory(person=psw)
    digest = run("verify_audit")[1].split("log digest: ")[1]
    assert run("verify_audit")[1].split("log digest: ")[1] == digest
    record.notes = "added later"
    record.save()
    assert run("verify_audit")[1].split("log digest: ")[1] != digest


def test_verify_audit_names_a_history_row_changed_behind_the_applications_back(psw):
    record = factories.TrainingRecordFactory(person=psw)
    row = record.history.first()
    TrainingRecord.history.filter(history_id=row.history_id).update(completed_on=date(2020, 1, 1))
    code, out, err = run("verify_audit")
    assert code == 1
    assert f"training.TrainingRecord {record.pk} history row {row.history_id}: changed" in err


def test_verify_audit_names_a_removed_history_row(psw):
    record = factories.TrainingRecordFactory(person=psw)
    record.notes = "second version"
    record.save()
    first = record.history.last()
    TrainingRecord.history.filter(history_id=first.history_id).delete()
    code, _, err = run("verify_audit")
    assert code == 1
    assert f"history row {first.history_id}: removed" in err


def test_verify_audit_names_a_row_inserted_outside_the_application(psw):
    record = factories.TrainingRecordFactory(person=psw)
    forged = record.history.first()
    forged.history_id = None
    forged.status_reason = "forged"
    TrainingRecord.history.model.objects.bulk_create([forged])
    code, _, err = run("verify_audit")
    assert code == 1
    assert "inserted outside the application" in err


def test_deleting_a_record_keeps_its_history(psw):
    record = factories.TrainingRecordFactory(person=psw, status="rejected")
    pk = record.pk
    record.delete()
    assert TrainingRecord.history.filter(id=pk).count() == 2
    assert AuditEntry.objects.filter(object_id=str(pk), history_type="-").exists()
    assert run("verify_audit")[0] == 0


def session_for(psw, supervisor):
    arrangement = factories.ArrangementFactory(supervisee=psw, supervisor=supervisor)
    session = factories.SessionFactory(arrangement=arrangement, notes="Private words")
    session.notes = "Private words, revised"
    session.save()
    return session


def test_manager_sees_that_notes_changed_but_not_what_they_say(
    client_for, manager, psw, supervisor
):
    session_for(psw, supervisor)
    content = client_for(manager).get("/admin/audit/").content.decode()
    assert "Private words" not in content
    assert "changed — not shown" in content


def test_manager_export_masks_notes_and_is_a_valid_csv(client_for, manager, psw, supervisor):
    session_for(psw, supervisor)
    response = client_for(manager).get("/admin/audit/?export=csv")
    body = b"".join(response.streaming_content).decode()
    assert "Private words" not in body
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["when", "who", "kind", "record", "person", "action", "reason", "changes"]


def test_psws_own_history_tells_of_their_sessions_without_repeating_the_notes(
    client_for, psw, supervisor
):
    session_for(psw, supervisor)
    content = client_for(psw).get("/me/changes/").content.decode()
    assert "logged your NHS supervision session" in content
    assert "Private words" not in content


def test_psw_cannot_open_the_organisation_audit_log(client_for, psw):
    assert client_for(psw).get("/admin/audit/").status_code in (302, 403)


def test_psw_cannot_open_another_persons_record_history(client_for, psw, other_psw):
    record = factories.TrainingRecordFactory(person=other_psw)
    content_type = ContentType.objects.get_for_model(TrainingRecord)
    url = f"/admin/audit/record/{content_type.pk}/{record.pk}/"
    assert client_for(psw).get(url).status_code == 404


def test_service_lead_and_supervisor_have_no_audit_history_of_others(
    client_for, service_lead, supervisor, psw
):
    record = factories.TrainingRecordFactory(person=psw)
    factories.ArrangementFactory(supervisee=psw, supervisor=supervisor)
    url = f"/admin/audit/record/{ContentType.objects.get_for_model(TrainingRecord).pk}/{record.pk}/"
    assert client_for(service_lead).get(url).status_code == 404
    assert client_for(supervisor).get(url).status_code == 404


def test_a_back_dated_edit_shows_the_old_and_the_new_date(client_for, manager, psw):
    record = factories.TrainingRecordFactory(person=psw, completed_on=date(2025, 3, 12))
    record.completed_on = date(2024, 11, 2)
    record._change_reason = "Certificate shows the earlier date"
    record.save()
    content_type = ContentType.objects.get_for_model(TrainingRecord)
    content = (
        client_for(manager)
        .get(f"/admin/audit/record/{content_type.pk}/{record.pk}/")
        .content.decode()
    )
    assert "12 March 2025 → 2 November 2024" in content
    assert "Certificate shows the earlier date" in content


def test_audit_log_filters_by_person_and_kind(client_for, manager, psw, other_psw):
    factories.TrainingRecordFactory(person=psw)
    factories.TrainingRecordFactory(person=other_psw)
    client = client_for(manager)
    response = client.get(f"/admin/audit/?person={psw.pk}")
    assert {line.entry.person_id for line in response.context["lines"]} == {psw.pk}
    kind = ContentType.objects.get_for_model(TrainingRecord).pk
    response = client.get(f"/admin/audit/?kind={kind}")
    assert {line.entry.content_type_id for line in response.context["lines"]} == {kind}


def test_audit_log_page_query_count_does_not_grow(client_for, manager):
    client = client_for(manager)
    factories.TrainingRecordFactory()
    client.get("/admin/audit/")
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/audit/")
    for _ in range(15):
        factories.TrainingRecordFactory()
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/audit/")
    assert len(many) == len(few)


def test_audit_report_prints_a_period_as_csv(psw):
    factories.TrainingRecordFactory(person=psw)
    code, out, _ = run("audit_report", "--since", "2020-01-01")
    assert code == 0
    assert out.splitlines()[0] == "when,who,kind,record,person,action,reason,changes"
    assert "Training record" in out


def test_audit_report_refuses_a_malformed_date():
    code, _, _ = run("audit_report", "--since", "yesterday")
    assert code == 2


def test_history_rows_are_not_editable_in_any_admin_screen(client_for, administrator):
    from wagtail.admin.viewsets import viewsets

    registered = [getattr(v, "model", None) for v in viewsets.viewsets]
    models = [m for m in registered if isinstance(m, type)]
    assert models, "the admin registers model viewsets"
    assert not any(m.__name__.startswith("Historical") for m in models)
    assert SupervisionSession.history.model not in models


def test_the_log_names_records_by_person_and_module_and_formats_values(client_for, manager):
    aisha = factories.psw(first_name="Aisha", last_name="Khan")
    data_protection = factories.module("Data protection", provider="both", renewal_months=12)
    record = factories.TrainingRecordFactory(
        person=aisha,
        module=data_protection,
        provider="nhs",
        completed_on=date(2026, 5, 2),
        evidence="evidence/2026/05/0f3a9c-certificate.pdf",
    )
    content_type = ContentType.objects.get_for_model(TrainingRecord)
    page = client_for(manager).get(f"/admin/audit/record/{content_type.pk}/{record.pk}/")
    content = page.content.decode()
    assert "<h1" in content and "History of Aisha Khan — Data protection (NHS)" in content
    log = client_for(manager).get("/admin/audit/").content.decode()
    assert "Aisha Khan — Data protection (NHS)" in log
    assert "2 May 2026" in content and "2026-05-02" not in content
    assert "0f3a9c-certificate.pdf" in content and "evidence/2026/05/" not in content
    assert f"Training record {record.pk}" not in content


def test_an_exemption_from_both_providers_reads_both_in_its_history(client_for, manager, psw):
    exemption = factories.TrainingExemptionFactory(person=psw, provider=None)
    assert str(exemption).endswith("(Both)")
    content_type = ContentType.objects.get_for_model(exemption)
    content = (
        client_for(manager)
        .get(f"/admin/audit/record/{content_type.pk}/{exemption.pk}/")
        .content.decode()
    )
    assert f"History of {psw} — exempt from {exemption.module.title} (Both)" in content
    assert "<dt>provider</dt><dd>— → Both</dd>" in content


def test_session_topics_read_as_words(client_for, manager):
    session = factories.SessionFactory(topics=["caseload", "sharing_lived_experience"])
    content_type = ContentType.objects.get_for_model(SupervisionSession)
    content = (
        client_for(manager)
        .get(f"/admin/audit/record/{content_type.pk}/{session.pk}/")
        .content.decode()
    )
    assert "Caseload, Sharing lived experience" in content
    assert "sharing_lived_experience" not in content


def test_a_knowledge_check_attempt_shows_how_many_questions_not_their_text(client_for, manager):
    from training.models import KnowledgeCheckAttempt

    attempt = KnowledgeCheckAttempt.objects.create(
        person=factories.psw(),
        module=factories.checked_module(),
        provider="employer",
        questions=factories.check_questions(5),
        pass_mark=80,
    )
    content_type = ContentType.objects.get_for_model(attempt)
    content = (
        client_for(manager)
        .get(f"/admin/audit/record/{content_type.pk}/{attempt.pk}/")
        .content.decode()
    )
    assert "— → 5 items" in content
    assert "knowledge check" in content and "{&#x27;" not in content
