"""Names and notes that look like HTML or formulas come back as plain text everywhere."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from certificates import documents
from tests import factories
from tests.certificates.pdf import pdf_text
from training import services as training_services

pytestmark = pytest.mark.django_db

MARKUP = "<b>Bold</b><script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://example.org","click")'


@pytest.fixture
def hostile_psw(service):
    return factories.psw(username="hostile", first_name=MARKUP, last_name=FORMULA, service=service)


@pytest.fixture
def certificate(hostile_psw, manager):
    module = factories.module(title="Safeguarding")
    return training_services.record_create(
        person=hostile_psw,
        module=module,
        provider="nhs",
        completed_on=date(2026, 1, 5),
        notes=MARKUP,
        by=manager,
    )


def test_markup_in_a_name_is_escaped_on_pages(client_for, manager, hostile_psw, certificate):
    response = client_for(manager).get(reverse("compliance_admin:person", args=[hostile_psw.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_markup_in_a_name_is_printed_as_text_on_a_certificate(certificate):
    content = documents.certificate_pdf(certificate, documents.organisation())
    text = pdf_text(content)
    assert "<b>Bold</b>" in text


def test_a_formula_in_a_name_is_inert_in_the_records_export(client_for, manager):
    person = factories.psw(username="formula", first_name=FORMULA, last_name="")
    factories.TrainingRecordFactory(person=person, notes=FORMULA)
    response = client_for(manager).get("/admin/training-records/?export=csv")
    text = b"".join(response).decode()
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row if "HYPERLINK" in cell]
    assert cells and all(cell.startswith("'") for cell in cells)
