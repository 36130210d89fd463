from datetime import date

import pytest

from tests import factories
from training import codes

pytestmark = pytest.mark.django_db


def pdf_url(record):
    return f"/certificates/{codes.display(record.certificate_code)}.pdf"


def test_the_holder_downloads_their_certificate(client_for, psw, certificate):
    response = client_for(psw).get(pdf_url(certificate))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert codes.display(certificate.certificate_code) in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]


def test_their_supervisor_and_a_manager_download_it_too(client_for, psw, certificate, manager):
    supervisor = factories.ArrangementFactory(supervisee=psw).supervisor
    assert client_for(supervisor).get(pdf_url(certificate)).status_code == 200
    assert client_for(manager).get(pdf_url(certificate)).status_code == 200


@pytest.mark.parametrize("who", ["other_psw", "service_lead", "supervisor"])
def test_people_without_the_right_cannot_download_a_certificate(
    request, client_for, certificate, who
):
    # The service lead leads the holder's own service; the supervisor supervises someone else.
    user = request.getfixturevalue(who)
    factories.ArrangementFactory(supervisor=request.getfixturevalue("supervisor"))
    response = client_for(user).get(pdf_url(certificate))
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_a_supervisor_whose_arrangement_ended_cannot_download(client_for, psw, certificate):
    ended = factories.ArrangementFactory(supervisee=psw, ends_on=date(2025, 2, 1))
    assert client_for(ended.supervisor).get(pdf_url(certificate)).status_code == 404


def test_someone_signed_out_is_sent_to_sign_in(client, certificate):
    response = client.get(pdf_url(certificate))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_revoked_certificate_cannot_be_downloaded(client_for, psw, certificate):
    certificate.status = "rejected"
    certificate.save()
    response = client_for(psw).get(pdf_url(certificate))
    assert response.status_code == 410
    assert response["Content-Type"].startswith("text/html")
    assert "revoked" in response.content.decode()


def test_an_unknown_or_malformed_code_is_not_found(client_for, psw, certificate):
    assert client_for(psw).get("/certificates/AAAA-BBBB-CCCC.pdf").status_code == 404
    assert client_for(psw).get("/certificates/nonsense.pdf").status_code == 404


def test_lower_case_codes_download_too(client_for, psw, certificate):
    response = client_for(psw).get(f"/certificates/{certificate.certificate_code.lower()}.pdf")
    assert response.status_code == 200
