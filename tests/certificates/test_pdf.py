import io
from datetime import date

import pytest
from pypdf import PdfReader
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from certificates import documents
from organisation.models import OrganisationSettings
from tests import factories
from tests.certificates.pdf import page_count, pdf_text
from training import codes

pytestmark = pytest.mark.django_db


def test_certificate_pdf_holds_name_module_provider_dates_and_code(client_for, psw, certificate):
    response = client_for(psw).get(
        f"/certificates/{codes.display(certificate.certificate_code)}.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "Jane Smith",
        "Safeguarding",
        "NHS",
        "12 March 2025",
        "12 March 2028",
        codes.display(certificate.certificate_code),
        "Leeds Mind",
    ):
        assert expected in text


def test_certificate_pdf_is_a4_landscape(client_for, psw, certificate):
    response = client_for(psw).get(f"/certificates/{certificate.certificate_code}.pdf")
    assert page_count(response.content) == 1
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)


def test_employer_training_is_credited_to_the_organisation_by_name(client_for, psw, safeguarding):
    record = factories.TrainingRecordFactory(
        person=psw, module=safeguarding, provider="employer", certificate_code=codes.new_code()
    )
    response = client_for(psw).get(f"/certificates/{record.certificate_code}.pdf")
    assert "training provided by Leeds Mind" in pdf_text(response.content)


def test_a_module_that_never_expires_says_so(client_for, psw):
    module = factories.module("Sharing lived experience", provider="nhs", renewal_months=None)
    record = factories.TrainingRecordFactory(
        person=psw, module=module, certificate_code=codes.new_code()
    )
    response = client_for(psw).get(f"/certificates/{record.certificate_code}.pdf")
    assert "Does not expire" in pdf_text(response.content)


def test_qr_code_encodes_the_check_url(certificate, settings):
    settings.SITE_URL = "https://alongside.example.org"
    organisation = documents.organisation()
    content = documents.certificate_content(certificate, organisation)
    url = f"https://alongside.example.org/verify/{codes.display(certificate.certificate_code)}/"
    assert content.check_url == url
    html = documents.certificate_html(content)
    assert documents.qr_svg(url) in html
    assert documents.qr_svg(url + "x") not in html


def test_text_people_typed_is_escaped_in_the_certificate(certificate):
    certificate.person.first_name = '<img src="file:///etc/passwd">'
    organisation = documents.organisation()
    html = documents.certificate_html(documents.certificate_content(certificate, organisation))
    assert "file:///etc/passwd" in html
    assert "<img src=" not in html
    assert "&lt;img" in html


def test_dates_are_written_out_in_full(certificate):
    certificate.completed_on = date(2025, 1, 31)
    certificate.save()
    html = documents.certificate_html(
        documents.certificate_content(certificate, documents.organisation())
    )
    assert "31 January 2025" in html
    assert "31 January 2028" in html


def test_the_organisations_logo_is_embedded_from_storage(client_for, psw, certificate):
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.logo = Image.objects.create(
        title="Logo", file=get_test_image_file(colour="blue", size=(300, 100))
    )
    organisation.save()
    response = client_for(psw).get(f"/certificates/{certificate.certificate_code}.pdf")
    assert page_count(response.content) == 1
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert len(page.images) == 1


def test_every_font_in_the_pdf_is_a_dejavu_font(client_for, psw, certificate):
    response = client_for(psw).get(f"/certificates/{certificate.certificate_code}.pdf")
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    fonts = {font.get_object()["/BaseFont"] for font in page["/Resources"]["/Font"].values()}
    assert fonts
    assert all("DejaVu" in name for name in fonts), fonts
