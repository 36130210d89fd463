"""A supervisor's list of their supervisees' certificates and passports on the site
(/supervising/certificates/): only the people they supervise today."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from training import codes

pytestmark = pytest.mark.django_db

PAGE = reverse("certificates:supervisees")


def pdf_url(record):
    return reverse("certificates:pdf", args=[record.certificate_code])


@pytest.fixture
def strangers(other_psw, safeguarding):
    return factories.TrainingRecordFactory(
        person=other_psw,
        module=safeguarding,
        completed_on=date(2025, 3, 12),
        certificate_code=codes.new_code(),
    )


def test_the_supervisor_lists_their_supervisees_certificates_and_passports(
    psw, other_psw, certificate, strangers, supervisor, client_for
):
    factories.ArrangementFactory(supervisee=psw, supervisor=supervisor)
    page = client_for(supervisor).get(PAGE).content.decode()
    assert "Jane Smith" in page
    assert pdf_url(certificate) in page
    assert codes.display(certificate.certificate_code) in page
    assert reverse("passport", args=[psw.username]) in page
    assert other_psw.get_full_name() not in page
    assert pdf_url(strangers) not in page
    assert reverse("passport", args=[other_psw.username]) not in page
    assert client_for(supervisor).get(pdf_url(certificate)).status_code == 200


def test_a_revoked_certificate_is_not_listed(psw, certificate, supervisor, client_for):
    factories.ArrangementFactory(supervisee=psw, supervisor=supervisor)
    certificate.status = "rejected"
    certificate.save()
    assert pdf_url(certificate) not in client_for(supervisor).get(PAGE).content.decode()


def test_once_the_arrangement_ends_the_certificates_go(psw, certificate, supervisor, client_for):
    today = timezone.localdate()
    factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, ends_on=today - timedelta(days=1)
    )
    client = client_for(supervisor)
    assert pdf_url(certificate) not in client.get(PAGE).content.decode()
    assert client.get(pdf_url(certificate)).status_code == 404


def test_a_strangers_certificate_and_passport_are_not_found(
    psw, other_psw, strangers, supervisor, client_for
):
    factories.ArrangementFactory(supervisee=psw, supervisor=supervisor)
    client = client_for(supervisor)
    assert client.get(pdf_url(strangers)).status_code == 404
    assert client.get(reverse("passport", args=[other_psw.username])).status_code == 404


@pytest.mark.parametrize("who", ["psw", "service_lead", "manager"])
def test_people_who_do_not_supervise_are_refused(who, client_for, request):
    assert client_for(request.getfixturevalue(who)).get(PAGE).status_code == 403


def test_the_page_takes_the_same_queries_for_3_and_20_supervisees(
    supervisor, safeguarding, client_for
):
    client = client_for(supervisor)

    def add(count):
        for _ in range(count):
            person = factories.psw()
            factories.ArrangementFactory(supervisee=person, supervisor=supervisor)
            factories.TrainingRecordFactory(
                person=person, module=safeguarding, certificate_code=codes.new_code()
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    add(3)
    queries()  # fills the site and organisation-settings caches
    few = queries()
    add(17)
    assert queries() == few
