"""Two-factor changes cannot be made with a password alone (issue 15, finding 1)."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import two_factor
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.MFA_REQUIRED = True


def code_for(key_hex):
    device = TOTPDevice(key=key_hex)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user):
    assert (
        client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    )


@pytest.fixture
def enrolled_manager(manager):
    device = TOTPDevice.objects.create(user=manager, name="app", confirmed=True)
    recovery = StaticDevice.objects.create(user=manager, name="recovery")
    recovery.token_set.create(token="keepme01")
    return manager, device


def test_the_bypass_sequence_ends_without_access_and_without_a_new_device(
    client, enrolled_manager, mailoutbox
):
    manager, _ = enrolled_manager
    sign_in(client, manager)
    setup = client.get("/account/two-factor/setup/")
    assert setup.status_code == 302
    assert setup["Location"].startswith("/account/two-factor/verify/")
    assert not TOTPDevice.objects.filter(user=manager, confirmed=False).exists()

    attacker_key = "3132333435363738393031323334353637383930"
    client.post("/account/two-factor/setup/", {"token": code_for(attacker_key)})
    assert TOTPDevice.objects.filter(user=manager).count() == 1
    assert client.get("/admin/audit/").status_code == 302
    assert client.get("/admin/")["Location"].startswith("/account/two-factor/verify/")
    assert StaticDevice.objects.get(user=manager).token_set.filter(token="keepme01").exists()
    assert client.post("/account/two-factor/recovery-codes/").status_code == 302
    assert StaticDevice.objects.get(user=manager).token_set.filter(token="keepme01").exists()


def test_a_privileged_account_without_a_device_is_not_enrolled_by_its_password(client, manager):
    sign_in(client, manager)
    page = client.get("/account/two-factor/setup/")
    assert page.status_code == 403
    assert "<svg" not in page.content.decode()
    assert not TOTPDevice.objects.filter(user=manager).exists()
    client.post("/account/two-factor/setup/", {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=manager).exists()


def test_the_enrolment_link_goes_to_the_accounts_own_address_and_works_once(
    client, manager, mailoutbox
):
    sign_in(client, manager)
    client.post("/account/two-factor/send-link/")
    assert mailoutbox[-1].to == [manager.email]
    link = re.search(r"http://[^/]+(/account/two-factor/enrol/\S+/)", mailoutbox[-1].body)[1]
    assert client.get(link).status_code == 302
    client.get("/account/two-factor/setup/")
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    client.post("/account/two-factor/setup/", {"token": code_for(device.key)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(link).status_code == 404


def test_an_enrolment_link_for_someone_else_or_out_of_date_is_refused(client, manager, settings):
    other = factories.manager(username="other.manager")
    sign_in(client, manager)
    assert (
        client.get(f"/account/two-factor/enrol/{two_factor.enrolment_token(other)}/").status_code
        == 404
    )
    settings.MFA_ENROLMENT_LINK_AGE = timedelta(seconds=-1)
    assert (
        client.get(f"/account/two-factor/enrol/{two_factor.enrolment_token(manager)}/").status_code
        == 404
    )
    forged = signing.dumps({"u": manager.pk, "s": "x"}, salt="something-else")
    settings.MFA_ENROLMENT_LINK_AGE = timedelta(hours=24)
    assert client.get(f"/account/two-factor/enrol/{forged}/").status_code == 404
    assert client.get("/account/two-factor/setup/").status_code == 403


def test_a_verified_session_adds_a_second_device_and_the_owner_is_emailed(
    client, enrolled_manager, mailoutbox, caplog
):
    manager, device = enrolled_manager
    sign_in(client, manager)
    client.post("/account/two-factor/verify/", {"token": code_for(device.key)})
    assert client.get("/account/two-factor/setup/").status_code == 200
    new = TOTPDevice.objects.get(user=manager, confirmed=False)
    client.post("/account/two-factor/setup/", {"token": code_for(new.key)})
    assert TOTPDevice.objects.filter(user=manager, confirmed=True).count() == 2
    assert "An authenticator app was added" in mailoutbox[-1].body
    assert any("mfa_device_added" in record.getMessage() for record in caplog.records)


def test_removing_a_device_needs_a_verified_session_and_only_ones_own(
    client, enrolled_manager, mailoutbox
):
    manager, device = enrolled_manager
    someone = factories.supervisor(username="someone")
    theirs = TOTPDevice.objects.create(user=someone, name="app", confirmed=True)
    sign_in(client, manager)
    client.post(f"/account/two-factor/devices/{device.pk}/remove/")
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    client.post("/account/two-factor/verify/", {"token": code_for(device.key)})
    assert client.post(f"/account/two-factor/devices/{theirs.pk}/remove/").status_code == 404
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()
    client.post(f"/account/two-factor/devices/{device.pk}/remove/")
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert "An authenticator app was removed" in mailoutbox[-1].body


def test_new_recovery_codes_after_verifying_are_emailed(client, enrolled_manager, mailoutbox):
    manager, device = enrolled_manager
    sign_in(client, manager)
    client.post("/account/two-factor/verify/", {"token": code_for(device.key)})
    assert client.post("/account/two-factor/recovery-codes/").status_code == 200
    assert not StaticDevice.objects.get(user=manager).token_set.filter(token="keepme01").exists()
    assert mailoutbox[-1].to == [manager.email]


@pytest.mark.parametrize(
    ("make", "required"),
    [
        (factories.manager, True),
        (factories.supervisor, True),
        (factories.administrator, True),
        (factories.service_lead, False),
        (factories.psw, False),
    ],
)
def test_which_roles_must_use_a_second_factor_by_default(make, required):
    assert two_factor.second_factor_required(make()) is required


def test_each_role_has_its_own_switch_and_mfa_required_off_switches_all(settings, supervisor):
    settings.MFA_ROLES = {**settings.MFA_ROLES, "Supervisor": False, "Service lead": True}
    assert not two_factor.second_factor_required(supervisor)
    assert two_factor.second_factor_required(factories.service_lead())
    settings.MFA_REQUIRED = False
    assert not two_factor.second_factor_required(factories.manager())


def test_a_supervisor_is_asked_for_a_second_factor(client, supervisor):
    sign_in(client, supervisor)
    assert client.get("/admin/")["Location"].startswith("/account/two-factor/setup/")


def test_an_administrator_makes_a_link_and_the_owner_is_told(
    client, administrator, manager, mailoutbox
):
    TOTPDevice.objects.create(user=administrator, name="app", confirmed=True)
    client.force_login(administrator)
    session = client.session
    device = TOTPDevice.objects.get(user=administrator)
    session["otp_device_id"] = device.persistent_id
    session.save()
    response = client.post(f"/admin/people/{manager.pk}/two-factor-link/")
    assert response.status_code == 200
    token = re.search(r"/account/two-factor/enrol/([^/\s<]+)/", response.content.decode())[1]
    assert two_factor.enrolment_token_valid(manager, token)
    assert mailoutbox[-1].to == [manager.email]
    assert "administrator" in mailoutbox[-1].body


def test_a_manager_cannot_make_an_enrolment_link(client, manager, psw, settings, mailoutbox):
    settings.MFA_REQUIRED = False
    client.force_login(manager)
    refused = client.post(f"/admin/people/{psw.pk}/two-factor-link/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's refusal
    assert not mailoutbox
