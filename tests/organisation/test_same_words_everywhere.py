"""One PSW reads the same words for a status, a provider and a supervision stream on
every channel: the pages, the CSV and XLSX downloads, the passport PDF and the emails."""

import csv
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from organisation.words import STATUS_WORDS, status_word
from people.models import User
from tests.certificates.pdf import pdf_text

pytestmark = pytest.mark.django_db
MATRIX = reverse("compliance_admin:matrix")
STREAMS = {"NHS supervision", "Leeds Mind supervision"}
PSWS = ["psw1", "psw2", "psw3", "psw4", "psw5"]


@pytest.fixture
def demo():
    call_command("seed_demo", "--password", "demo-pass-123", stdout=io.StringIO())
    report = io.StringIO()
    call_command("compliance_report", stdout=report)
    codes = {row["status"] for row in csv.DictReader(io.StringIO(report.getvalue()))}
    return {status_word(code) for code in codes}


def csv_cells(content):
    lines = list(csv.reader(io.StringIO(content.decode())))
    table = lines[lines.index([]) + 1 :]
    return {cell for row in table for cell in row}


def xlsx_cells(content):
    sheet = load_workbook(io.BytesIO(content)).worksheets[-1]
    return {cell for row in sheet.iter_rows(values_only=True) for cell in row}


def test_every_status_and_stream_reads_the_same_on_every_channel(client, demo):
    assert len(demo) >= 8, "the demo shows (nearly) every status"
    client.force_login(User.objects.get(username="manager"))
    page = client.get(MATRIX).content.decode()
    in_csv = csv_cells(client.get(MATRIX, {"export": "matrix-csv"}).content)
    in_xlsx = xlsx_cells(client.get(MATRIX, {"export": "matrix-xlsx"}).content)
    in_pdfs = " ".join(
        pdf_text(client.get(reverse("passport", args=[name])).content) for name in PSWS
    )
    every_word = set(STATUS_WORDS.values())
    assert in_csv & every_word == demo
    assert in_xlsx & every_word == demo
    for word in demo | STREAMS:
        assert word in page, word
        assert word in in_pdfs, word
    assert STREAMS.issubset(in_csv) and STREAMS.issubset(in_xlsx)


def test_emails_name_providers_and_streams_as_the_pages_do(demo, mailoutbox):
    call_command("send_reminders", stdout=io.StringIO())
    bodies = " ".join(message.body for message in mail.outbox)
    assert "(NHS)" in bodies and "(Leeds Mind)" in bodies
    assert any(stream in bodies for stream in STREAMS)
    assert "Employer" not in bodies and "employer" not in bodies
