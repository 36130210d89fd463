"""Training in the browser: a PSW records a completion, a manager verifies it, the PSW
takes away the certificate and passport, and anyone can check the certificate."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from training.models import TrainingRecord

from .conftest import look

pytestmark = pytest.mark.e2e

CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def completed_on():
    return timezone.localdate() - timedelta(days=3)


def record_pmva(page, evidence):
    """psw1 opens the PMVA breakaway module from the training pages and records it."""
    page.goto("/training/")
    look(page, "psw-training-modules")
    page.get_by_role("link", name="PMVA breakaway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PMVA breakaway")
    look(page, "psw-module")
    page.get_by_role("link", name="Record my completion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record my completion")
    page.get_by_label("Date you completed it").fill(completed_on().isoformat())
    page.get_by_label("Certificate or evidence").set_input_files(evidence)
    look(page, "psw-record-completion")
    page.get_by_role("button", name="Record my completion").click()


def pdf_text(page, link):
    """Follow a PDF link with the person's own session; the text of the file it gives.

    Chromium shows PDFs served inline rather than downloading them, so the file is
    fetched the way the browser would, with its cookies."""
    response = page.request.get(link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return " ".join(" ".join(pdf_page.extract_text().split()) for pdf_page in reader.pages)


def test_a_psw_reads_a_module_records_a_completion_with_evidence_and_sees_it_pending(
    open_as, a_pdf
):
    page = open_as("psw1")
    record_pmva(page, a_pdf)

    expect(page.locator(".message-success")).to_contain_text("Thank you")
    mine = page.get_by_role("row").filter(has_text=completed_on().strftime("%-d %b %Y"))
    expect(mine).to_contain_text("Waiting for verification")
    look(page, "psw-module-after-recording")
    record = TrainingRecord.objects.get(
        person__username="psw1", module__title="PMVA breakaway", completed_on=completed_on()
    )
    assert record.status == "pending"
    assert record.evidence.read().startswith(b"%PDF-")


def test_the_manager_verifies_it_and_the_psw_downloads_the_certificate_and_passport(open_as, a_pdf):
    psw = open_as("psw1")
    record_pmva(psw, a_pdf)
    expect(psw.locator(".message-success")).to_contain_text("Thank you")

    manager = open_as("manager")
    manager.get_by_role("button", name="Training").click()
    manager.get_by_role("link", name="Waiting for verification").click()
    row = manager.get_by_role("row").filter(has_text="Aisha Khan").filter(has_text="PMVA")
    expect(row).to_be_visible()
    look(manager, "manager-waiting-for-verification")
    row.get_by_role("link", name=re.compile("^Verify")).click()
    expect(manager.get_by_role("heading", level=1)).to_contain_text("Verify")
    look(manager, "manager-verify")
    manager.get_by_role("button", name="Verify").click()
    expect(manager.locator(".messages")).to_contain_text("Verified")

    record = TrainingRecord.objects.get(
        person__username="psw1", module__title="PMVA breakaway", completed_on=completed_on()
    )
    assert record.status == "verified"
    code = record.certificate_code

    psw.goto("/me/training/")
    card = (
        psw.locator("li.card")
        .filter(has_text="PMVA breakaway")
        .filter(has_text=f"Completed {completed_on():%-d %B %Y}")
    )
    expect(card).to_contain_text("Verified")
    shown_code = CODE.search(card.inner_text()).group()
    look(psw, "psw-my-training")

    text = pdf_text(psw, card.get_by_role("link", name=re.compile("^Certificate")))
    assert "Aisha Khan" in text
    assert "PMVA breakaway" in text
    assert shown_code in text
    assert shown_code.replace("-", "") == code.replace("-", "")

    text = pdf_text(psw, psw.get_by_role("link", name="My training passport (PDF)"))
    assert "Aisha Khan" in text
    assert "PMVA breakaway" in text


def test_a_member_of_the_public_checks_a_certificate_from_its_code(open_as):
    record = TrainingRecord.objects.filter(
        person__username="psw1", status="verified", valid_until__isnull=False
    ).exclude(certificate_code="")[0]
    page = open_as(None)
    page.goto("/verify/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    look(page, "public-check-form")
    page.get_by_role("textbox").fill(record.certificate_code.lower().replace("-", ""))
    page.get_by_role("button").filter(has_text=re.compile("Check", re.I)).click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Aisha Khan")
    expect(main).to_contain_text(record.module.title)
    expect(main).to_contain_text("Valid")
    look(page, "public-check-valid")
