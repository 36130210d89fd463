import re
from datetime import date

import pytest
from wagtail.models import Site

from certificates import documents
from organisation.models import OrganisationSettings
from tests.certificates.pdf import pdf_text
from training import codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Counts real renders of a certificate, still rendering them."""
    calls = []
    real = documents.render_certificate

    def counting(content, organisation):
        calls.append(content)
        return real(content, organisation)

    monkeypatch.setattr(documents, "render_certificate", counting)
    return calls


def download(client, record):
    response = client.get(f"/certificates/{codes.display(record.certificate_code)}.pdf")
    assert response.status_code == 200
    return response.content


def test_a_repeat_download_is_served_from_the_cache(client_for, psw, certificate, renders):
    client = client_for(psw)
    first = download(client, certificate)
    second = download(client, certificate)
    assert len(renders) == 1
    assert first == second


def cached_files():
    storage = documents.private_storage()
    if not storage.exists(documents.CACHE_FOLDER):
        return set()
    return set(storage.listdir(documents.CACHE_FOLDER)[1])


def test_the_cached_pdf_lives_in_private_storage_under_a_content_hash(certificate):
    before = cached_files()
    pdf = documents.certificate_pdf(certificate, documents.organisation())
    (added,) = cached_files() - before
    assert re.fullmatch(r"[0-9a-f]{64}\.pdf", added)
    with documents.private_storage().open(f"{documents.CACHE_FOLDER}/{added}") as stored:
        assert stored.read() == pdf


def test_editing_the_record_renders_it_again(client_for, psw, certificate, renders):
    client = client_for(psw)
    download(client, certificate)
    certificate.completed_on = date(2025, 4, 2)
    certificate.save()
    text = pdf_text(download(client, certificate))
    assert len(renders) == 2
    assert "2 April 2025" in text and "2 April 2028" in text
    assert "12 March 2025" not in text


def test_renaming_the_holder_renders_it_again(client_for, psw, certificate, renders):
    client = client_for(psw)
    download(client, certificate)
    psw.last_name = "Okafor"
    psw.save()
    assert "Jane Okafor" in pdf_text(download(client, certificate))
    assert len(renders) == 2


def test_changing_the_organisation_settings_renders_it_again(client_for, psw, certificate, renders):
    client = client_for(psw)
    download(client, certificate)
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.signatory_name = "Ada Mensah"
    organisation.save()
    assert "Ada Mensah" in pdf_text(download(client, certificate))
    assert len(renders) == 2


def test_rejecting_the_record_stops_the_cached_pdf_being_served(
    client_for, psw, certificate, renders
):
    client = client_for(psw)
    download(client, certificate)
    certificate.status = "rejected"
    certificate.save()
    assert client.get(f"/certificates/{certificate.certificate_code}.pdf").status_code == 410
    assert len(renders) == 1
