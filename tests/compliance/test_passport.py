from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.certificates.pdf import pdf_text
from training import codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def passport_holder(psw):
    """Jane Smith: one module done with a certificate, one missing, two supervision streams."""
    psw.first_name, psw.last_name = "Jane", "Smith"
    psw.save()
    today = timezone.localdate()
    safeguarding = factories.module("Safeguarding", provider="nhs", renewal_months=36)
    factories.module("Data protection", provider="employer", renewal_months=12)
    record = factories.TrainingRecordFactory(
        person=psw,
        module=safeguarding,
        completed_on=today.replace(day=1),
        certificate_code=codes.new_code(),
    )
    nhs = factories.ArrangementFactory(
        supervisee=psw, stream="nhs", supervisor_name="", starts_on=date(2025, 1, 6)
    )
    nhs.supervisor.first_name, nhs.supervisor.last_name = "Priya", "Shah"
    nhs.supervisor.save()
    factories.SessionFactory(arrangement=nhs, held_on=date(2025, 2, 3), notes="Very private")
    factories.ArrangementFactory(
        supervisee=psw, stream="employer", supervisor=None, supervisor_name="Tom Reed"
    )
    return psw, record, nhs


def test_passport_lists_requirements_codes_and_supervision_without_notes(
    client_for, passport_holder
):
    psw, record, nhs = passport_holder
    response = client_for(psw).get(f"/passport/{psw.username}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "Training passport",
        "Jane Smith",
        "Safeguarding",
        "NHS Valid",
        record.completed_on.strftime("%-d %B %Y"),
        codes.display(record.certificate_code),
        "Data protection",
        "Not recorded",
        "NHS supervision",
        "Priya Shah",
        "3 February 2025",
        "Leeds Mind supervision",
        "Tom Reed",
    ):
        assert expected in text, expected
    assert "Very private" not in text
    assert "Book reflective practice" not in text


def test_passport_is_cached_until_its_content_changes(client_for, passport_holder):
    psw, record, _ = passport_holder
    client = client_for(psw)
    first = client.get(f"/passport/{psw.username}.pdf").content
    assert client.get(f"/passport/{psw.username}.pdf").content == first
    record.status = "rejected"
    record.save()
    assert codes.display(record.certificate_code) not in pdf_text(
        client.get(f"/passport/{psw.username}.pdf").content
    )


def test_their_nhs_supervisor_and_a_manager_can_download_the_passport(
    client_for, passport_holder, manager
):
    psw, _, nhs = passport_holder
    assert client_for(nhs.supervisor).get(f"/passport/{psw.username}.pdf").status_code == 200
    assert client_for(manager).get(f"/passport/{psw.username}.pdf").status_code == 200


@pytest.mark.parametrize("who", ["other_psw", "service_lead", "supervisor"])
def test_others_cannot_download_the_passport(request, client_for, passport_holder, who):
    psw, _, _ = passport_holder
    response = client_for(request.getfixturevalue(who)).get(f"/passport/{psw.username}.pdf")
    assert response.status_code == 404


def test_someone_signed_out_is_sent_to_sign_in_for_a_passport(client, psw):
    response = client.get(f"/passport/{psw.username}.pdf")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_passport_queries_do_not_grow_with_the_persons_records(client_for, passport_holder):
    psw, _, _ = passport_holder
    client = client_for(psw)
    client.get(f"/passport/{psw.username}.pdf")  # the first ever creates the settings row
    with CaptureQueriesContext(connection) as few:
        client.get(f"/passport/{psw.username}.pdf")
    for n in range(6):
        module = factories.module(f"Module {n}", provider="both", renewal_months=12)
        for provider in ("nhs", "employer"):
            factories.TrainingRecordFactory(
                person=psw, module=module, provider=provider, certificate_code=codes.new_code()
            )
    with CaptureQueriesContext(connection) as many:
        client.get(f"/passport/{psw.username}.pdf")
    assert len(many) == len(few)
