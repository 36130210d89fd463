"""The import in the staff workspace: managers only, their own imports only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from imports.models import RecordImport
from tests import factories
from training.models import TrainingRecord

from .conftest import csv_file

pytestmark = pytest.mark.django_db
ROWS = [["Person", "Module", "Provider", "Completed on"], ["psw.one", "PMVA breakaway", "NHS", "x"]]


@pytest.fixture
def an_import(upload, sam, psw, pmva):
    return upload("completions", "c.csv", ROWS, sam)


def urls(record_import):
    pk = record_import.pk
    return [
        "/admin/imports/",
        f"/admin/imports/{pk}/",
        f"/admin/imports/{pk}/rows/2/",
        "/admin/imports/templates/completions.csv",
    ]


@pytest.mark.parametrize("role", ["psw", "supervisor", "service_lead"])
def test_nobody_but_a_manager_may_open_any_import_page(client_for, an_import, role, request):
    client = client_for(request.getfixturevalue(role))
    for url in urls(an_import):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(f"/admin/imports/{an_import.pk}/confirm/").status_code in (302, 403)
    response = client.post(
        "/admin/imports/", {"kind": "completions", "file": csv_file("c.csv", ROWS)}
    )
    assert response.status_code in (302, 403)
    assert RecordImport.objects.count() == 1


def test_a_stranger_cannot_open_or_confirm_another_managers_import(client_for, an_import, manager):
    client = client_for(manager)
    for url in urls(an_import)[1:3]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/admin/imports/{an_import.pk}/confirm/").status_code == 404
    assert "c.csv" not in client.get("/admin/imports/").text


def test_the_menu_offers_import_to_managers_only(client_for, sam, psw):
    assert "Import records" in client_for(sam).get("/admin/").text
    assert "/admin/imports/" not in client_for(psw).get("/admin/", follow=True).text


def test_a_manager_uploads_corrects_and_imports_through_the_pages(
    client_for, sam, psw, pmva, django_capture_on_commit_callbacks
):
    client = client_for(sam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/imports/", {"kind": "completions", "file": csv_file("c.csv", ROWS)}
        )
    record_import = RecordImport.objects.get()
    assert response.url == f"/admin/imports/{record_import.pk}/"
    preview = client.get(response.url).text
    assert "Refused" in preview and "is not a date that can be read" in preview
    assert "Correct row 2" in preview

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/imports/{record_import.pk}/rows/2/",
            {
                "person": "psw.one",
                "module": "PMVA breakaway",
                "provider": "NHS",
                "completed_on": "12/03/2025",
            },
        )
    assert "Import 1 row" in client.get(response.url).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/imports/{record_import.pk}/confirm/")
    assert "Imported" in client.get(response.url).text
    assert TrainingRecord.objects.get().verified_by == sam


def test_a_bad_upload_is_refused_next_to_the_field_and_keeps_nothing(client_for, sam):
    response = client_for(sam).post(
        "/admin/imports/",
        {"kind": "completions", "file": csv_file("records.pdf", [["x"]])},
    )
    assert response.status_code == 400
    assert "Choose a CSV or XLSX file." in response.text
    assert not RecordImport.objects.exists()


def test_each_template_has_the_kinds_headings_in_plain_words(client_for, sam):
    client = client_for(sam)
    text = client.get("/admin/imports/templates/sessions.csv").content.decode("utf-8-sig")
    assert text.strip() == "Person,Supervision,Held on,Duration (minutes),Format,Status"
    book = load_workbook(io.BytesIO(client.get("/admin/imports/templates/people.xlsx").content))
    headings = [cell.value for cell in book.worksheets[0][1]]
    assert headings[:3] == ["First name", "Last name", "Email"]
    assert book.sheetnames[1] == "How to fill in"


def test_an_xlsx_date_cell_and_a_formula_are_read_as_written(upload, sam, psw, pmva):
    book = Workbook()
    sheet = book.active
    sheet.append(["Person", "Module", "Provider", "Completed on", "Certificate file"])
    sheet.append(["psw.one", "PMVA breakaway", "NHS", factories.date(2025, 3, 4), "=A1&B1"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "c.xlsx"
    record_import = upload("completions", "c.xlsx", SimpleUploadedFile("c.xlsx", out.read()), sam)
    row = record_import.rows.get()
    assert row.outcome == "new"
    assert row.values["completed_on"] == "2025-03-04"
    assert row.values["certificate_file"] == "=A1&B1"
