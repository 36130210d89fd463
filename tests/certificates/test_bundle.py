import io
import zipfile
from datetime import date

import pytest

from certificates import documents
from certificates.tasks import build_certificate_bundle
from tests import factories
from training import codes
from training.models import CertificateBundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def service_records(psw, certificate, safeguarding):
    """The holder's service with one current certificate and four that must stay out."""
    expired = factories.TrainingRecordFactory(
        person=psw,
        module=safeguarding,
        completed_on=date(2020, 5, 1),
        certificate_code=codes.new_code(),
    )
    revoked = factories.TrainingRecordFactory(
        person=psw,
        module=safeguarding,
        provider="employer",
        status="rejected",
        certificate_code=codes.new_code(),
    )
    elsewhere = factories.TrainingRecordFactory(
        module=safeguarding, certificate_code=codes.new_code()
    )
    leaver = factories.psw(service=psw.service, left_on=date(2024, 1, 1))
    left = factories.TrainingRecordFactory(
        person=leaver, module=safeguarding, certificate_code=codes.new_code()
    )
    return {"current": [certificate], "out": [expired, revoked, elsewhere, left]}


def start(client, service):
    return client.post("/admin/certificates/bundles/", {"service": service.pk})


def test_a_manager_gets_a_zip_of_the_current_certificates_of_a_service(
    client_for, manager, psw, service_records, django_capture_on_commit_callbacks
):
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, psw.service)
    bundle = CertificateBundle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/certificates/bundles/{bundle.pk}/"
    assert (bundle.status, bundle.done, bundle.total) == ("ready", 1, 1)

    page = client.get(response["Location"])
    assert "Ready." in page.content.decode()
    download = client.get(f"/admin/certificates/bundles/{bundle.pk}/download/")
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert len(names) == 1
    assert names[0].endswith(f"-nhs-{service_records['current'][0].certificate_code}.pdf")
    assert names[0].startswith("jane-smith/safeguarding")
    assert archive.read(names[0]).startswith(b"%PDF")


def test_the_progress_page_refreshes_itself_until_the_zip_is_ready(client_for, manager, psw):
    bundle = CertificateBundle.objects.create(
        service=psw.service, requested_by=manager, as_of=date(2026, 1, 5), total=40, done=10
    )
    html = client_for(manager).get(f"/admin/certificates/bundles/{bundle.pk}/").content.decode()
    assert 'http-equiv="refresh"' in html
    assert "10 of 40 certificates done" in html
    assert '<progress max="40" value="10"' in html


@pytest.mark.parametrize("who", ["psw", "supervisor", "service_lead"])
def test_only_managers_can_build_or_download_a_zip(request, client_for, manager, psw, who):
    bundle = CertificateBundle.objects.create(
        service=psw.service, requested_by=manager, as_of=date(2026, 1, 5)
    )
    client = client_for(request.getfixturevalue(who))
    assert start(client, psw.service).status_code == 404
    assert client.get(f"/admin/certificates/bundles/{bundle.pk}/").status_code == 404
    assert client.get(f"/admin/certificates/bundles/{bundle.pk}/download/").status_code == 404
    assert CertificateBundle.objects.count() == 1


def test_a_zip_that_is_not_ready_cannot_be_downloaded(client_for, manager, psw):
    bundle = CertificateBundle.objects.create(
        service=psw.service, requested_by=manager, as_of=date(2026, 1, 5)
    )
    response = client_for(manager).get(f"/admin/certificates/bundles/{bundle.pk}/download/")
    assert response.status_code == 404


def test_a_zip_that_fails_to_build_says_so(manager, psw, certificate, monkeypatch):
    def broken(record, organisation):
        raise OSError("disk full")

    monkeypatch.setattr(documents, "certificate_pdf", broken)
    bundle = CertificateBundle.objects.create(
        service=psw.service, requested_by=manager, as_of=date(2026, 1, 5)
    )
    with pytest.raises(OSError):
        build_certificate_bundle.call(bundle.pk)
    bundle.refresh_from_db()
    assert bundle.status == "failed"
    assert not bundle.file


@pytest.mark.parametrize("service", ["", "abc", "999999"])
def test_a_bundle_for_no_real_service_is_refused_with_a_message(client_for, manager, service):
    response = client_for(manager).post(
        "/admin/certificates/bundles/", {"service": service}, follow=True
    )
    assert response.status_code == 200
    assert "Choose one of the services" in response.content.decode()
    assert not CertificateBundle.objects.exists()
