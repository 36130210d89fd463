import pytest

from tests import factories
from training import codes
from training.models import CertificateCheck

pytestmark = pytest.mark.django_db


def test_the_holder_sees_how_often_their_certificate_was_checked(
    client, client_for, psw, certificate
):
    for _ in range(3):
        client.get(f"/verify/{codes.display(certificate.certificate_code)}/")
    assert CertificateCheck.objects.filter(record=certificate).count() == 3
    html = client_for(psw).get("/admin/certificates/").content.decode()
    assert "Safeguarding" in html
    assert "3 times" in html
    assert f"/certificates/{codes.display(certificate.certificate_code)}.pdf" in html
    assert f"/passport/{psw.username}.pdf" in html


def test_a_psw_sees_only_their_own_certificates(client_for, other_psw, certificate):
    html = client_for(other_psw).get("/admin/certificates/").content.decode()
    assert codes.display(certificate.certificate_code) not in html
    assert "There are no certificates here yet" in html


def test_a_manager_sees_everyones_certificates_and_can_build_a_zip(
    client_for, manager, certificate
):
    other = factories.TrainingRecordFactory(certificate_code=codes.new_code())
    html = client_for(manager).get("/admin/certificates/").content.decode()
    assert codes.display(certificate.certificate_code) in html
    assert codes.display(other.certificate_code) in html
    assert "Build the ZIP" in html


def test_a_service_lead_sees_no_certificates_and_no_zip_form(client_for, service_lead, certificate):
    html = client_for(service_lead).get("/admin/certificates/").content.decode()
    assert codes.display(certificate.certificate_code) not in html
    assert "Build the ZIP" not in html


def test_a_manager_finds_a_certificate_by_its_code_typed_any_way(client_for, manager, certificate):
    other = factories.TrainingRecordFactory(certificate_code=codes.new_code())
    typed = certificate.certificate_code.lower()
    html = client_for(manager).get("/admin/certificates/", {"q": typed}).content.decode()
    assert codes.display(certificate.certificate_code) in html
    assert codes.display(other.certificate_code) not in html


def test_searching_stays_within_what_a_psw_may_see(client_for, other_psw, certificate):
    html = (
        client_for(other_psw)
        .get("/admin/certificates/", {"q": certificate.certificate_code})
        .content.decode()
    )
    assert codes.display(certificate.certificate_code) not in html
    assert "No certificate matches" in html
