"""Friendly error pages with no internals, and every kind of security event logged."""

import json
import logging
from datetime import date

import pytest
from django.urls import path, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import urls as site_urls
from tests import factories
from tests.factories import PASSWORD
from training import services as training_services

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("secret-internal-detail in a stack frame")


urlpatterns = [path("broken/", broken_view)] + site_urls.urlpatterns
handler403 = site_urls.handler403


@pytest.fixture
def events(caplog):
    """The security events logged during the test, as dictionaries."""
    caplog.set_level(logging.INFO, logger="alongside.security")

    def read():
        return [
            json.loads(record.getMessage())
            for record in caplog.records
            if record.name == "alongside.security"
        ]

    return read


def test_a_server_error_shows_the_friendly_page_without_a_traceback(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/broken/")
    text = response.content.decode()
    assert response.status_code == 500
    assert "secret-internal-detail" not in text and "Traceback" not in text
    assert "RuntimeError" not in text
    assert "<html" in text.lower()


def test_a_missing_page_shows_the_friendly_404_page(client):
    response = client.get("/no-such-page-here/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "Traceback" not in text and "urlpatterns" not in text
    assert "<html" in text.lower()


def test_a_login_failure_is_logged(client, psw, events):
    client.post("/login/", {"username": psw.username, "password": "wrong"})
    assert {"event": "login_failed", "username": psw.username}.items() <= events()[-1].items()


def test_a_lockout_is_logged(client, psw, events):
    for _ in range(5):
        client.post("/login/", {"username": psw.username, "password": "wrong"})
    assert "lockout" in [event["event"] for event in events()]


def test_a_refusal_is_logged_and_shows_the_friendly_403_page(client_for, supervisor, events):
    module = factories.module(title="Safeguarding")
    response = client_for(supervisor).get(reverse("training:record", args=[module.pk]))
    assert response.status_code == 403
    assert "Traceback" not in response.content.decode()
    assert {"event": "refused", "user": supervisor.username}.items() <= events()[-1].items()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/training-records/?export=csv",
        "/admin/supervision_sessions/?export=csv",
        "/admin/compliance/matrix/?export=matrix-csv",
        "/admin/audit/?export=csv",
    ],
)
def test_an_export_is_logged(client_for, manager, events, url):
    response = client_for(manager).get(url)
    assert response.status_code == 200
    assert {"event": "export", "user": manager.username}.items() <= events()[-1].items()


def test_a_certificate_check_is_logged_with_its_answer(client, psw, manager, events):
    module = factories.module(title="Safeguarding")
    record = training_services.record_create(
        person=psw, module=module, provider="nhs", completed_on=date(2026, 1, 5), by=manager
    )
    client.get(reverse("certificates:check", args=[record.certificate_code]), follow=True)
    assert {"event": "certificate_check", "code": record.certificate_code}.items() <= (
        events()[-1].items()
    )
    assert events()[-1]["answer"] in {"valid", "expired"}


def test_an_unknown_code_check_is_logged(client, events):
    client.get(reverse("certificates:check", args=["0000-0000-0000"]))
    assert {"event": "certificate_check", "answer": "unknown"}.items() <= events()[-1].items()


def test_turning_on_a_second_factor_is_logged(client, manager, events):
    client.post("/login/", {"username": manager.username, "password": PASSWORD})
    client.get("/account/two-factor/setup/")
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    client.post("/account/two-factor/setup/", {"token": f"{code:06d}"})
    assert "mfa_enabled" in [event["event"] for event in events()]
