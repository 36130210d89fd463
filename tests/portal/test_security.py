import json
import logging
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_five_failures_lock_the_account_from_that_address_with_a_clear_message(client, psw):
    for _ in range(4):
        response = sign_in(client, psw.username, "wrong")
        assert response.status_code == 200
    response = sign_in(client, psw.username, "wrong")
    assert response.status_code == 429
    assert "paused sign-in for this account here for 15 minutes" in response.content.decode()
    # Even the right password is refused while locked.
    assert sign_in(client, psw.username, PASSWORD).status_code == 429


def test_a_lockout_for_one_person_does_not_lock_another(client, psw, other_psw):
    for _ in range(5):
        sign_in(client, psw.username, "wrong")
    assert sign_in(client, other_psw.username, PASSWORD).status_code == 302


def test_failed_sign_in_is_written_to_the_security_log(client, psw, caplog):
    with caplog.at_level(logging.INFO, logger="alongside.security"):
        sign_in(client, psw.username, "wrong")
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "alongside.security"]
    assert {"event": "login_failed", "username": psw.username}.items() <= events[0].items()


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED = True


def test_manager_without_a_second_factor_is_sent_to_set_one_up(mfa_required, client, manager):
    assert sign_in(client, manager.username, PASSWORD).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/setup/")


def test_psw_is_not_forced_to_use_a_second_factor(mfa_required, client, psw):
    sign_in(client, psw.username, PASSWORD)
    assert client.get("/me/training/").status_code == 200


def test_mfa_can_be_switched_off_for_the_demo(client, manager, settings):
    settings.MFA_REQUIRED = False
    sign_in(client, manager.username, PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_manager_sets_up_an_authenticator_and_gets_recovery_codes(
    mfa_required, client, manager, mailoutbox
):
    sign_in(client, manager.username, PASSWORD)
    client.post("/account/two-factor/send-link/")
    link = re.search(r"http://[^/]+(/account/two-factor/enrol/\S+/)", mailoutbox[-1].body)[1]
    assert client.get(link).status_code == 302
    page = client.get("/account/two-factor/setup/?next=/admin/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=manager, confirmed=False)

    wrong = client.post("/account/two-factor/setup/", {"token": "000000", "next": "/admin/"})
    assert "did not match" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # a failed code makes the device wait before the next try

    done = client.post(
        "/account/two-factor/setup/", {"token": current_code(device), "next": "/admin/"}
    )
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_next_sign_in_asks_for_the_code_and_accepts_a_recovery_code_once(
    mfa_required, client, manager
):
    device = TOTPDevice.objects.create(user=manager, name="app", confirmed=True)
    recovery = StaticDevice.objects.create(user=manager, name="recovery")
    recovery.token_set.create(token="abcd1234")
    sign_in(client, manager.username, PASSWORD)
    response = client.get("/admin/")
    assert response["Location"].startswith("/account/two-factor/verify/")

    assert (
        "did not match"
        in client.post("/account/two-factor/verify/", {"token": "999999"}).content.decode()
    )
    recovery.throttle_reset()
    assert client.post("/account/two-factor/verify/", {"token": "abcd1234"}).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert not recovery.token_set.exists()
    assert device.confirmed


def test_verify_accepts_the_app_code(mfa_required, client, manager):
    device = TOTPDevice.objects.create(user=manager, name="app", confirmed=True)
    sign_in(client, manager.username, PASSWORD)
    response = client.post(
        "/account/two-factor/verify/", {"token": current_code(device), "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_verify_never_redirects_off_site(mfa_required, client, manager):
    device = TOTPDevice.objects.create(user=manager, name="app", confirmed=True)
    sign_in(client, manager.username, PASSWORD)
    response = client.post(
        "/account/two-factor/verify/",
        {"token": current_code(device), "next": "https://evil.example"},
    )
    assert response["Location"] == "/admin/"


def test_site_pages_have_a_strict_policy_with_a_nonce(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_admin_has_an_explicit_relaxed_policy(client_for, psw):
    policy = client_for(psw).get("/admin/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "object-src 'none'" in policy


def test_headers_deny_framing_and_sniffing(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_sessions_end_after_eight_idle_hours(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_password_change_ends_other_sessions(client, psw):
    sign_in(client, psw.username, PASSWORD)
    assert client.get("/me/training/").status_code == 200
    psw.set_password("a-brand-new-password-9")
    psw.save()
    assert client.get("/me/training/")["Location"].startswith("/login/")
