"""Importing each kind: the preview's verdicts, what confirming writes, and its history."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from imports import services
from imports.models import RecordImport
from people import roles
from people.models import User
from supervision.models import SupervisionArrangement, SupervisionSession
from tests import factories
from training.models import TrainingRecord

from .conftest import verdicts

pytestmark = pytest.mark.django_db
COMPLETION = ["Person", "Module", "Provider", "Completed on", "Certificate file"]


def test_completions_are_imported_verified_by_the_manager_with_codes_and_honest_history(
    upload, confirm, sam, psw, pmva
):
    rows = [COMPLETION, [psw.email, "PMVA breakaway", "NHS", "12/03/2025", "pmva-2025.pdf"]]
    record_import = upload("completions", "completions-2025.csv", rows, sam)
    assert verdicts(record_import) == {2: ("new", "")}
    assert not TrainingRecord.objects.exists()

    record_import = confirm(record_import)

    assert record_import.status == RecordImport.Status.IMPORTED
    record = TrainingRecord.objects.get()
    assert (record.person, record.module, record.provider) == (psw, pmva, "nhs")
    assert record.completed_on == date(2025, 3, 12)
    assert record.status == TrainingRecord.Status.VERIFIED
    assert record.verified_by == sam
    assert len(record.certificate_code) == 12
    assert record.notes == "Certificate file: pmva-2025.pdf"
    history = record.history.get()
    assert history.history_user == sam
    assert history.history_change_reason == "Imported from completions-2025.csv by Sam Lister"


def test_an_imported_completion_verifies_the_same_one_waiting_for_verification(
    upload, confirm, sam, psw, pmva
):
    waiting = factories.TrainingRecordFactory(
        person=psw, module=pmva, completed_on=date(2025, 3, 12), status="pending"
    )
    rows = [COMPLETION[:4], [psw.username, "pmva breakaway", "nhs", "2025-03-12"]]
    record_import = confirm(upload("completions", "c.csv", rows, sam))
    assert record_import.updated == 1
    waiting.refresh_from_db()
    assert waiting.status == TrainingRecord.Status.VERIFIED
    assert waiting.verified_by == sam
    assert waiting.certificate_code


def test_people_are_created_with_their_role_and_service_and_no_usable_password(
    upload, confirm, sam, service
):
    rows = [
        ["First name", "Last name", "Email", "Username", "Role", "Service", "Started on"],
        ["Ada", "Okafor", "ada@example.org", "", "Peer support worker", "cmht 2", "01/09/2024"],
        ["Ben", "Hale", "ben@example.org", "b.hale", "Supervisor", "", ""],
    ]
    record_import = confirm(upload("people", "people.csv", rows, sam))
    assert (record_import.new, record_import.refused) == (2, 0)
    ada = User.objects.get(username="ada")
    assert (ada.first_name, ada.last_name, ada.service, ada.started_on) == (
        "Ada",
        "Okafor",
        service,
        date(2024, 9, 1),
    )
    assert roles.is_psw(ada) and not ada.has_usable_password()
    assert roles.is_supervisor(User.objects.get(username="b.hale"))
    assert {h.history_change_reason for h in ada.history.all()} == {
        "Imported from people.csv by Sam Lister"
    }


def test_a_person_matched_by_email_is_updated_and_blank_cells_change_nothing(
    upload, confirm, sam, psw
):
    rows = [
        ["First name", "Last name", "Email", "Role", "Started on"],
        ["Renamed", psw.last_name, psw.email.upper(), "Peer support worker", ""],
    ]
    record_import = upload("people", "people.csv", rows, sam)
    assert verdicts(record_import) == {2: ("updated", "Changes first name.")}
    confirm(record_import)
    psw.refresh_from_db()
    assert psw.first_name == "Renamed"
    assert psw.started_on == date(2020, 1, 1)


def test_arrangements_start_and_a_later_file_can_end_them(upload, confirm, sam, psw, supervisor):
    heading = ["Person", "Supervision", "Supervisor", "Every (weeks)", "Starts on", "Ends on"]
    rows = [
        heading,
        [psw.username, "NHS", supervisor.email, "6", "06/01/2025", ""],
        [psw.username, "Employer", "Ruth Akers", "", "2025-01-06", ""],
    ]
    confirm(upload("arrangements", "arrangements.csv", rows, sam))
    nhs = SupervisionArrangement.objects.get(stream="nhs")
    assert (nhs.supervisor, nhs.interval_weeks, nhs.ends_on) == (supervisor, 6, None)
    employer = SupervisionArrangement.objects.get(stream="employer")
    assert (employer.supervisor, employer.supervisor_name) == (None, "Ruth Akers")

    rows[1][5] = "30/06/2025"
    record_import = confirm(upload("arrangements", "arrangements.csv", rows, sam))
    assert (record_import.updated, record_import.unchanged) == (1, 1)
    nhs.refresh_from_db()
    assert nhs.ends_on == date(2025, 6, 30)


@pytest.mark.parametrize("cell", ["nobody@example.org", "r.akers", "rakers_2"])
def test_a_supervisor_cell_that_reads_like_an_account_must_match_one(upload, sam, psw, cell):
    rows = [
        ["Person", "Supervision", "Supervisor", "Every (weeks)", "Starts on", "Ends on"],
        [psw.username, "Employer", cell, "", "2025-01-06", ""],
    ]
    record_import = upload("arrangements", "arrangements.csv", rows, sam)
    (row,) = record_import.rows.all()
    assert f"No account has the email or username “{cell}”" in row.reason
    assert not SupervisionArrangement.objects.exists()


def test_sessions_are_imported_confirmed_with_dates_and_formats_only(upload, confirm, sam, psw):
    arrangement = factories.ArrangementFactory(supervisee=psw, starts_on=date(2025, 1, 6))
    rows = [
        ["Person", "Supervision", "Held on", "Duration (minutes)", "Format", "Status", "Notes"],
        [psw.email, "NHS", "03/02/2025", "45", "Group", "", "Talked about a hard week"],
    ]
    record_import = confirm(upload("sessions", "sessions.xlsx.csv", rows, sam))
    assert record_import.ignored_columns == ["Notes"]
    session = SupervisionSession.objects.get()
    assert session.arrangement == arrangement
    assert (session.held_on, session.duration_minutes, session.format, session.status) == (
        date(2025, 2, 3),
        45,
        "group",
        "held",
    )
    assert session.notes == "" and session.confirmed_by == sam and session.is_confirmed
    assert session.history.get().history_user == sam


def future():
    return (timezone.localdate() + timedelta(days=3)).isoformat()


@pytest.mark.parametrize(
    "row, reason",
    [
        (["nobody", "PMVA breakaway", "NHS", "2025-03-12"], "Unknown person"),
        (["psw.one", "Knitting", "NHS", "2025-03-12"], "Unknown module “Knitting”"),
        (["psw.one", "PMVA breakaway", "Employer", "2025-03-12"], "not delivered by that provider"),
        (["psw.one", "PMVA breakaway", "Both", "2025-03-12"], "Unknown provider “Both”"),
        (["psw.one", "PMVA breakaway", "NHS", future], "cannot be in the future"),
        (["psw.one", "PMVA breakaway", "NHS", "12/03/25"], "two-figure year"),
        (["psw.one", "PMVA breakaway", "NHS", "03/13/2025"], "written month first"),
        (["psw.one", "PMVA breakaway", "NHS", "31/02/2025"], "not a real date"),
        (["psw.one", "PMVA breakaway", "NHS", "next Tuesday"], "not a date that can be read"),
        (["psw.one", "PMVA breakaway", "NHS", ""], "Completed on is empty"),
        (["psw.one", "", "", "2025-03-12"], "Module and Provider are empty"),
    ],
)
def test_each_refusal_says_why_in_words(upload, sam, psw, pmva, row, reason):
    row = [cell() if callable(cell) else cell for cell in row]
    record_import = upload("completions", "c.csv", [COMPLETION[:4], row], sam)
    outcome, said = verdicts(record_import)[2]
    assert outcome == "refused"
    assert reason in said
    with pytest.raises(ValidationError):
        services.import_confirm(record_import=record_import, by=sam)
    assert not TrainingRecord.objects.exists()


def test_a_repeated_row_is_a_duplicate_of_the_first(upload, sam, psw, pmva):
    row = [psw.username, "PMVA breakaway", "NHS", "2025-03-12"]
    same_day_other_way = [psw.email, "PMVA breakaway", "NHS", "12/03/2025"]
    record_import = upload("completions", "c.csv", [COMPLETION[:4], row, same_day_other_way], sam)
    assert verdicts(record_import)[3] == ("refused", "Duplicate of row 2.")


def test_a_file_mixing_date_orders_refuses_the_dates_that_read_both_ways(upload, sam, psw, pmva):
    rows = [
        COMPLETION[:4],
        [psw.username, "PMVA breakaway", "NHS", "04/03/2025"],
        [psw.username, "PMVA breakaway", "NHS", "13/03/2025"],
        [psw.username, "PMVA breakaway", "NHS", "2025-03-05"],
        [psw.username, "PMVA breakaway", "NHS", "03/31/2025"],
        [psw.username, "PMVA breakaway", "NHS", "06/06/2025"],
    ]
    found = verdicts(upload("completions", "c.csv", rows, sam))
    assert found[2][0] == "refused" and "ambiguous date: row 5" in found[2][1]
    assert found[3] == ("new", "") and found[4] == ("new", "") and found[6] == ("new", "")
    assert "month first" in found[5][1]


@pytest.mark.parametrize(
    "row, reason",
    [
        (["A", "B", "a@example.org", "", "Manager", "", ""], "Only an administrator"),
        (["A", "B", "a@example.org", "", "Peer support worker", "Mars", ""], "Unknown service"),
        (["A", "B", "a@example.org", "", "Peer support worker", "", ""], "Service is empty"),
        (["A", "B", "not-an-email", "", "Supervisor", "", ""], "is not an email address"),
        (["A", "B", "a@example.org", "a b", "Supervisor", "", ""], "cannot be a username"),
        (["A", "B", "boss@example.org", "the.manager", "Supervisor", "", ""], "is a manager"),
        (["A", "B", "new@example.org", "psw.one", "Supervisor", "", ""], "another email"),
    ],
)
def test_people_refusals_say_why(upload, sam, psw, manager, row, reason):
    manager.email = "boss@example.org"
    manager.save()
    heading = ["First name", "Last name", "Email", "Username", "Role", "Service", "Started on"]
    record_import = upload("people", "p.csv", [heading, row], sam)
    outcome, said = verdicts(record_import)[2]
    assert outcome == "refused" and reason in said


def test_session_refusals_say_why(upload, sam, psw):
    arrangement = factories.ArrangementFactory(supervisee=psw, starts_on=date(2025, 1, 6))
    factories.SessionFactory(arrangement=arrangement, held_on=date(2025, 2, 3), format="group")
    rows = [
        ["Person", "Supervision", "Held on", "Format"],
        [psw.username, "Employer", "2025-02-03", ""],
        [psw.username, "NHS", "2024-12-01", ""],
        [psw.username, "NHS", "2025-02-03", "One-to-one"],
        [psw.username, "NHS", "2025-02-10", "Chat"],
    ]
    found = verdicts(upload("sessions", "s.csv", rows, sam))
    assert "no Leeds Mind supervision arrangement" in found[2][1]
    assert "no NHS supervision arrangement on 1 December 2024" in found[3][1]
    assert "already recorded with another format" in found[4][1]
    assert "Unknown format “Chat”" in found[5][1]


def test_formula_looking_cells_are_kept_as_the_text_written(upload, confirm, sam, service):
    rows = [
        ["First name", "Last name", "Email", "Role", "Service"],
        ['=HYPERLINK("http://x.example","y")', "+Cole", "c@example.org", "Supervisor", ""],
    ]
    confirm(upload("people", "p.csv", rows, sam))
    person = User.objects.get(email="c@example.org")
    assert person.first_name == '=HYPERLINK("http://x.example","y")'
    assert person.last_name == "+Cole"


def test_importing_the_same_file_again_changes_nothing(upload, confirm, sam, psw, pmva):
    arrangement_rows = [
        ["Person", "Supervision", "Supervisor", "Starts on"],
        [psw.username, "NHS", "Ruth Akers", "2025-01-06"],
    ]
    completion_rows = [COMPLETION[:4], [psw.username, "PMVA breakaway", "NHS", "2025-03-12"]]
    confirm(upload("arrangements", "a.csv", arrangement_rows, sam))
    confirm(upload("completions", "c.csv", completion_rows, sam))
    histories = (TrainingRecord.history.count(), SupervisionArrangement.history.count())

    again = [
        upload("arrangements", "a.csv", arrangement_rows, sam),
        upload("completions", "c.csv", completion_rows, sam),
    ]

    assert [(i.unchanged, i.to_write) for i in again] == [(1, 0), (1, 0)]
    for record_import in again:
        with pytest.raises(ValidationError, match="nothing to import"):
            services.import_confirm(record_import=record_import, by=sam)
    assert (TrainingRecord.history.count(), SupervisionArrangement.history.count()) == histories


def test_a_row_that_changed_since_the_preview_rolls_back_every_row(upload, confirm, sam, psw, pmva):
    rows = [
        COMPLETION[:4],
        [psw.username, "PMVA breakaway", "NHS", "2025-03-12"],
        [psw.username, "PMVA breakaway", "NHS", "2025-04-12"],
    ]
    record_import = upload("completions", "c.csv", rows, sam)
    factories.TrainingRecordFactory(person=psw, module=pmva, completed_on=date(2025, 4, 12))

    record_import = confirm(record_import)

    assert record_import.status == RecordImport.Status.CHECKED
    assert "Nothing was imported: row 3 now reads “unchanged”" in record_import.problem
    assert TrainingRecord.objects.count() == 1
    assert verdicts(record_import)[3] == ("unchanged", "")


def test_a_corrected_row_is_checked_again_with_the_whole_file(
    upload, sam, psw, pmva, django_capture_on_commit_callbacks
):
    rows = [COMPLETION[:4], [psw.username, "PMVA breakaway", "NHS", "31/02/2025"]]
    record_import = upload("completions", "c.csv", rows, sam)
    row = record_import.rows.get()
    values = dict(row.values, completed_on="28/02/2025")
    with django_capture_on_commit_callbacks(execute=True):
        services.row_correct(row=row, values=values, by=sam)
    record_import.refresh_from_db()
    assert (record_import.status, record_import.new, record_import.refused) == ("checked", 1, 0)
    assert record_import.rows.get().corrected


def test_only_managers_upload_and_only_the_uploader_confirms(upload, sam, psw, pmva, manager):
    with pytest.raises(PermissionDenied):
        services.import_upload(kind="completions", upload=None, by=psw)
    rows = [COMPLETION[:4], [psw.username, "PMVA breakaway", "NHS", "2025-03-12"]]
    record_import = upload("completions", "c.csv", rows, sam)
    with pytest.raises(PermissionDenied):
        services.import_confirm(record_import=record_import, by=manager)


def test_a_file_that_cannot_be_read_says_why_and_keeps_no_rows(upload, sam):
    record_import = upload("completions", "c.csv", [["Name", "When"], ["a", "b"]], sam)
    assert record_import.status == RecordImport.Status.FAILED
    assert record_import.problem.startswith("Missing columns: Person, Module")
    assert not record_import.rows.exists()
