"""One PSW reads the same words for a status, a provider and a supervision stream on
every channel: the pages, the CSV and XLSX downloads, the passport PDF and the emails."""

import csv
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from organisation.words import STATUS_WORDS, status_word
from people.models import User
from supervision.models import SupervisionSession
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
    in_csv = csv_cells(b"".join(client.get(MATRIX, {"export": "matrix-csv"}).streaming_content))
    in_xlsx = xlsx_cells(b"".join(client.get(MATRIX, {"export": "matrix-xlsx"}).streaming_content))
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


# The staff workspace's own pages, as a manager finds them in the menu (Wagtail's page,
# image, document and report screens speak for themselves).
WAGTAIL_OWN = ("/admin/api/", "/admin/pages/", "/admin/images/", "/admin/documents/")
WAGTAIL_OWN += ("/admin/reports/", "/admin/sprite/", "/admin/jsi18n/", "/admin/dismissibles/")
WAGTAIL_OWN += ("/admin/block-preview/", "/admin/logout/")


def readable_text(html):
    """What a person reads on a page: no scripts, templates, tags or attribute values."""
    html = re.sub(r"<(script|template)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def workspace_pages(client):
    menu = client.get("/admin/").content.decode()
    urls = sorted(set(re.findall(r"(/admin/[a-z0-9_/-]*/)", menu)))
    return [url for url in urls if not url.startswith(WAGTAIL_OWN)]


def test_every_page_of_the_managers_workspace_has_a_heading_and_speaks_the_vocabulary(client, demo):
    client.force_login(User.objects.get(username="manager"))
    pages = {url: client.get(url) for url in workspace_pages(client)}
    assert len(pages) >= 15, "the manager's menu leads to the workspace's pages"
    for url, response in pages.items():
        assert response.status_code == 200, url
        html = response.content.decode()
        # The page's title in view: a visible h1, or Wagtail's visible title beside its
        # screen-reader h1 (id "header-title").
        assert re.search(r'<h1 class="(?!w-sr-only)|id="header-title"', html), f"no heading: {url}"
        text = readable_text(html)
        for wrong in ("Employer", "Employing organisation", "Concern raised"):
            assert wrong not in text, f"{wrong!r} on {url}"
        # A yes-or-no fact is a word, never a tick with "True" for screen readers.
        assert not re.search(r"\b(True|False)\b", text), f"a tick or cross on {url}"
    matrix = readable_text(pages["/admin/compliance/matrix/"].content.decode())
    for word in ("Leeds Mind", "Expiring soon", "Waiting for verification", "Not recorded"):
        assert word in matrix, word


def test_the_sessions_list_says_flagged_and_signed_off_in_words(client, demo):
    client.force_login(User.objects.get(username="manager"))
    listing = client.get(reverse("supervision_sessions:index"))
    text = readable_text(listing.content.decode())
    assert "Flagged" in text
    assert "Signed off" in text and "Not signed off yet" in text
    flagged_rows = [
        row
        for row in re.findall(r"<tr\b.*?</tr>", listing.content.decode(), re.S)
        if "Flagged" in row
    ]
    assert flagged_rows and not any("icon-check" in row for row in flagged_rows)
    export = client.get(reverse("supervision_sessions:index"), {"export": "csv"})
    content = b"".join(export.streaming_content).decode()
    cells = {cell for row in csv.reader(io.StringIO(content)) for cell in row}
    assert "Flagged" in cells and "True" not in cells and "False" not in cells


def test_a_persons_page_gives_the_flag_and_sign_off_in_words(client, demo):
    client.force_login(User.objects.get(username="manager"))
    flagged = SupervisionSession.objects.filter(safeguarding_concern=True).first()
    person = flagged.arrangement.supervisee
    text = readable_text(
        client.get(reverse("compliance_admin:person", args=[person.pk])).content.decode()
    )
    assert "Flagged" in text
    assert "Signed off" in text or "Not signed off yet" in text
