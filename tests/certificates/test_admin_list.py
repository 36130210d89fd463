import pytest
from django.urls import reverse

from certificates.views import certificates_visible_to
from portal.doors import landing_url
from tests import factories
from training import codes
from training.models import CertificateCheck

pytestmark = pytest.mark.django_db


def test_the_holder_sees_how_often_their_certificate_was_checked(
    client, client_for, psw, certificate
):
    """A PSW's certificates are on My training (the workspace's list sends them there)."""
    for _ in range(3):
        client.get(f"/verify/{codes.display(certificate.certificate_code)}/")
    assert CertificateCheck.objects.filter(record=certificate).count() == 3
    response = client_for(psw).get("/admin/certificates/", follow=True)
    assert response.redirect_chain == [("/me/training/", 302)]
    html = response.content.decode()
    assert "Safeguarding" in html
    assert "Checked 3 times" in html
    assert reverse("certificates:pdf", args=[certificate.certificate_code]) in html
    assert f"/passport/{psw.username}.pdf" in html


def test_a_psw_sees_only_their_own_certificates(client_for, other_psw, certificate):
    html = client_for(other_psw).get("/admin/certificates/", follow=True).content.decode()
    assert codes.display(certificate.certificate_code) not in html
    assert "You have not recorded any training yet" in html
    assert not certificates_visible_to(other_psw).exists()


def test_a_manager_sees_everyones_certificates_and_can_build_a_zip(
    client_for, manager, certificate
):
    other = factories.TrainingRecordFactory(certificate_code=codes.new_code())
    html = client_for(manager).get("/admin/certificates/").content.decode()
    assert codes.display(certificate.certificate_code) in html
    assert codes.display(other.certificate_code) in html
    assert "Build the ZIP" in html


def test_a_service_lead_sees_no_certificates_and_no_zip_form(client_for, service_lead, certificate):
    response = client_for(service_lead).get("/admin/certificates/", follow=True)
    assert response.redirect_chain == [(landing_url(service_lead), 302)]
    html = response.content.decode()
    assert codes.display(certificate.certificate_code) not in html
    assert "Build the ZIP" not in html


def test_a_manager_finds_a_certificate_by_its_code_typed_any_way(client_for, manager, certificate):
    other = factories.TrainingRecordFactory(certificate_code=codes.new_code())
    typed = certificate.certificate_code.lower()
    html = client_for(manager).get("/admin/certificates/", {"q": typed}).content.decode()
    assert codes.display(certificate.certificate_code) in html
    assert codes.display(other.certificate_code) not in html


def test_searching_by_someone_elses_code_shows_a_psw_nothing_of_it(
    client_for, other_psw, certificate
):
    response = client_for(other_psw).get(
        "/admin/certificates/", {"q": certificate.certificate_code}, follow=True
    )
    assert response.redirect_chain == [("/me/training/", 302)]
    assert codes.display(certificate.certificate_code) not in response.content.decode()
