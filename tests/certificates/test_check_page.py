from datetime import date

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from certificates import views as certificate_views
from certificates.views import CHECKS_PER_MINUTE
from tests import factories
from training import codes
from training.models import CertificateCheck

pytestmark = pytest.mark.django_db


def check_url(code):
    return f"/verify/{codes.display(code)}/"


def test_anyone_without_an_account_sees_a_valid_certificate(client, certificate):
    response = client.get(check_url(certificate.certificate_code))
    assert response.status_code == 200
    html = response.content.decode()
    assert "status-valid" in html and "Valid" in html
    for expected in ("Jane Smith", "Safeguarding", "NHS", "12 March 2025", "12 March 2028"):
        assert expected in html


def test_check_page_shows_no_service_or_notes(client, certificate):
    certificate.notes = "Did the course online during night shifts"
    certificate.save()
    html = client.get(check_url(certificate.certificate_code)).content.decode()
    assert "night shifts" not in html
    assert certificate.person.service.name not in html


def test_a_certificate_past_its_valid_until_date_reads_expired(client, psw, safeguarding):
    record = factories.TrainingRecordFactory(
        person=psw,
        module=safeguarding,
        completed_on=date(2020, 1, 10),
        certificate_code=codes.new_code(),
    )
    response = client.get(check_url(record.certificate_code))
    assert response.status_code == 200
    assert "status-expired" in response.content.decode()
    assert "10 January 2023" in response.content.decode()


def test_a_rejected_record_reads_revoked_from_that_moment(client, certificate):
    assert "status-valid" in client.get(check_url(certificate.certificate_code)).content.decode()
    certificate.status = "rejected"
    certificate.status_reason = "Wrong course"
    certificate.save()
    html = client.get(check_url(certificate.certificate_code)).content.decode()
    assert "status-revoked" in html and "Revoked" in html
    assert "Wrong course" not in html


def test_a_revoked_certificate_says_when_it_was_revoked_not_until_when_it_was_valid(
    client, certificate, manager
):
    from training import services

    services.record_reject(record=certificate, by=manager, reason="Wrong course")
    today = timezone.localdate()
    html = client.get(check_url(certificate.certificate_code)).content.decode()
    assert "<dt>Revoked on</dt>" in html
    assert f"withdrew this certificate on {date_format(today, 'j F Y')}" in html
    assert "Valid until" not in html and "12 March 2028" not in html


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("7k3l-0q1x-2d4r", "L read as 1"),
        ("7K31-OQ1X-2D4R", "O read as 0"),
        ("7K3I-OQLX-2D4R", "I read as 1, O read as 0, L read as 1"),
    ],
)
def test_a_typed_look_alike_letter_is_said_to_have_been_read_as_a_digit(
    client, psw, safeguarding, typed, read_as
):
    factories.TrainingRecordFactory(
        person=psw, module=safeguarding, status="verified", certificate_code="7K310Q1X2D4R"
    )
    response = client.get("/verify/", {"code": typed}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/verify/7K31-0Q1X-2D4R/")
    assert "status-valid" in html
    assert f"we read what you typed as 7K31-0Q1X-2D4R ({read_as})" in html


def test_a_code_typed_without_look_alikes_gets_no_note(client, certificate):
    typed = codes.display(certificate.certificate_code).lower()
    html = client.get("/verify/", {"code": typed}, follow=True).content.decode()
    assert "read as" not in html


def test_an_unknown_code_with_a_look_alike_says_how_it_was_read(client):
    html = client.get("/verify/", {"code": "AAAA-BBBB-CCCL"}, follow=True).content.decode()
    assert "No certificate has this code" in html
    assert "L read as 1" in html


def test_an_unknown_code_says_so_with_a_form_to_try_again(client, certificate):
    response = client.get("/verify/AAAA-BBBB-CCCC/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "No certificate has this code" in html
    assert 'name="code"' in html and "Try again" in html
    assert "Jane Smith" not in html


def test_a_code_of_the_wrong_shape_is_unknown_too(client):
    response = client.get("/verify/not-a-code/")
    assert response.status_code == 404
    assert CertificateCheck.objects.get().answer == "unknown"


@pytest.mark.parametrize("mangle", [str.lower, lambda c: c, lambda c: c[:6] + "-" + c[6:]])
def test_case_and_dashes_are_ignored(client, certificate, mangle):
    response = client.get(f"/verify/{mangle(certificate.certificate_code)}/", follow=True)
    assert response.redirect_chain[-1][0] == check_url(certificate.certificate_code)
    assert "status-valid" in response.content.decode()


def test_the_check_form_has_a_labelled_field_and_needs_no_account(client):
    response = client.get("/verify/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_code">Certificate code</label>' in html
    assert 'id="id_code"' in html


def test_the_form_sends_a_typed_code_to_its_check_page(client, certificate):
    typed = codes.display(certificate.certificate_code).lower()
    response = client.get("/verify/", {"code": f"  {typed} "})
    assert response.status_code == 302
    assert response["Location"] == check_url(certificate.certificate_code)


def test_the_form_explains_a_malformed_code_next_to_the_field(client):
    response = client.get("/verify/", {"code": "12345"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That is not a certificate code" in html
    assert 'value="12345"' in html
    assert not CertificateCheck.objects.exists()


def test_each_check_is_logged_with_the_answer_given(client, certificate):
    client.get(check_url(certificate.certificate_code))
    client.get("/verify/AAAA-BBBB-CCCC/")
    certificate.status = "rejected"
    certificate.save()
    client.get(check_url(certificate.certificate_code))
    logged = list(CertificateCheck.objects.order_by("pk").values_list("code", "record", "answer"))
    assert logged == [
        (certificate.certificate_code, certificate.pk, "valid"),
        ("AAAABBBBCCCC", None, "unknown"),
        (certificate.certificate_code, certificate.pk, "revoked"),
    ]


def test_too_many_checks_from_one_address_are_refused_for_a_while(client, certificate, monkeypatch):
    monkeypatch.setattr(certificate_views, "current_minute", lambda: 29_000_000)
    url = check_url(certificate.certificate_code)
    for _ in range(CHECKS_PER_MINUTE):
        assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    assert "wait a minute" in response.content.decode()
    assert CertificateCheck.objects.count() == CHECKS_PER_MINUTE
    other_address = client.get(url, REMOTE_ADDR="192.0.2.7")
    assert other_address.status_code == 200
    monkeypatch.setattr(certificate_views, "current_minute", lambda: 29_000_001)
    assert client.get(url).status_code == 200


def test_check_page_is_never_cached(client, certificate):
    response = client.get(check_url(certificate.certificate_code))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
