"""Two-factor sign-in: an authenticator app (TOTP) with one-time recovery codes.

Which roles must use it is one switch per role (`MFA_ROLES`; `MFA_REQUIRED=0` turns
them all off); anyone else may. A password alone never changes a second factor:
adding, replacing or removing a device and making new recovery codes need a session
already verified with a second factor. The one exception is the first device of an
account that must have one, and that goes through a one-time enrolment link mailed to
the account's address (or made by an administrator), good for 24 hours. Every change
is mailed to the account's address and written to the security log.
"""

import hashlib
import secrets
from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from people import roles
from people.models import User
from people.security_log import log_event
from people.services import account_notice_send

RECOVERY_CODES = 10
ENROLMENT_SALT = "alongside.two-factor-enrolment"
ENROLMENT_SESSION_KEY = "two_factor_enrolment"


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def second_factor_required(user):
    """True when one of the user's roles must use a second factor (MFA_ROLES)."""
    if not settings.MFA_REQUIRED or not user.is_authenticated:
        return False
    held = set(roles.role_names(user))
    if user.is_superuser:
        held.add("Administrator")
    return any(settings.MFA_ROLES.get(role, False) for role in held)


def needs_second_factor(user):
    """Users whose role requires a second factor, and anyone who set one up."""
    if not user.is_authenticated:
        return False
    return second_factor_required(user) or user_has_device(user)


# One-time enrolment links ----------------------------------------------------------


def _account_state(user):
    """Changes once a device is confirmed, the password or the address changes: so a
    link works once, and only for the account as it was when the link was made."""
    devices = sorted(
        f"{type(device).__name__}:{device.pk}" for device in devices_for_user(user, confirmed=True)
    )
    value = f"{user.pk}|{user.password}|{user.email}|{','.join(devices)}"
    return salted_hmac(ENROLMENT_SALT, value).hexdigest()


def enrolment_token(user):
    return signing.dumps({"u": user.pk, "s": _account_state(user)}, salt=ENROLMENT_SALT)


def enrolment_url(user):
    return settings.SITE_URL + reverse("two_factor_enrol", args=[enrolment_token(user)])


def enrolment_token_valid(user, token):
    max_age = settings.MFA_ENROLMENT_LINK_AGE
    try:
        payload = signing.loads(token, salt=ENROLMENT_SALT, max_age=max_age)
    except signing.BadSignature:
        return False
    return payload.get("u") == user.pk and constant_time_compare(
        payload.get("s", ""), _account_state(user)
    )


def enrolment_link_send(*, user, request=None, by=None):
    """Mail a first-device enrolment link to the account's own address."""
    made_by = f" by {by.get_username()}" if by is not None and by != user else ""
    account_notice_send(
        user=user,
        what=f"A link to set up two-factor sign-in was made{made_by}",
        detail=(
            "To set up your authenticator app, sign in and open this link. It works "
            f"once, for 24 hours:\n\n{enrolment_url(user)}"
        ),
        event="mfa_enrolment_link",
        request=request,
        made_by=by.get_username() if by is not None else None,
    )


def _may_enrol(request):
    """May this session add or replace a device? Only after a second factor, or with
    an enrolment link when the account has none yet (optional users need no link)."""
    user = request.user
    if user_has_device(user):
        return user.is_verified()
    if not second_factor_required(user):
        return True
    return request.session.get(ENROLMENT_SESSION_KEY) == _account_state(user)


# Views ----------------------------------------------------------------------------


def _next_url(request, default="/admin/"):
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _new_recovery_codes(user):
    device, _ = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _authenticators(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")


@login_required
def overview(request):
    return render(
        request, "portal/two_factor/overview.html", {"devices": _authenticators(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Show a fresh secret as a QR code; confirm it with a first code from the app."""
    user = request.user
    if not _may_enrol(request):
        log_event("mfa_change_refused", request, what="add a device")
        if user_has_device(user):
            messages.info(request, "Enter a code from your app first; then you can add another.")
            return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor_setup')}")
        return render(request, "portal/two_factor/enrolment_needed.html", status=403)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            return _confirm_device(request, device)
        form.add_error(
            "token",
            "That code did not match. Check the time on your phone and enter the newest code.",
        )
    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title="Set-up code")
    context = {"form": form, "qr": qr, "secret": secret, "next": _next_url(request)}
    return render(request, "portal/two_factor/setup.html", context)


def _confirm_device(request, device):
    first = not user_has_device(request.user)
    device.confirmed = True
    device.save()
    request.session.pop(ENROLMENT_SESSION_KEY, None)
    otp_login(request, device)
    codes = _new_recovery_codes(request.user)
    account_notice_send(
        user=request.user,
        what="Two-factor sign-in was turned on" if first else "An authenticator app was added",
        event="mfa_enabled" if first else "mfa_device_added",
        request=request,
    )
    context = {"codes": codes, "next": _next_url(request)}
    return render(request, "portal/two_factor/recovery_codes.html", context)


@login_required
@require_http_methods(["GET"])
def enrol(request, token):
    """A one-time enrolment link: lets this session set up the account's first device."""
    if user_has_device(request.user) or not enrolment_token_valid(request.user, token):
        log_event("mfa_enrolment_link_refused", request)
        return render(request, "portal/two_factor/enrolment_link_invalid.html", status=404)
    request.session[ENROLMENT_SESSION_KEY] = _account_state(request.user)
    log_event("mfa_enrolment_link_used", request)
    return redirect("two_factor_setup")


@login_required
@require_POST
def send_enrolment_link(request):
    """Mail the enrolment link to the account's own address (never shown here)."""
    if user_has_device(request.user):
        return redirect("two_factor")
    if not request.user.email:
        messages.error(request, "Your account has no email address: ask an administrator.")
        return redirect("two_factor_setup")
    key = "mfa-link-sent:" + hashlib.sha256(str(request.user.pk).encode()).hexdigest()[:16]
    if request.session.get(key):
        messages.info(request, "A link has been sent already: please check your email.")
        return redirect("two_factor_setup")
    enrolment_link_send(user=request.user, request=request)
    request.session[key] = True
    messages.success(request, "We have emailed a set-up link to your account's address.")
    return redirect("two_factor_setup")


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            log_event("mfa_verified", request, method=type(device).__name__)
            return redirect(_next_url(request))
        log_event("mfa_failed", request)
        form.add_error(
            "token",
            "That code did not match. Try the newest code from your app, or a recovery code.",
        )
    return render(
        request, "portal/two_factor/verify.html", {"form": form, "next": _next_url(request)}
    )


def _refuse_unverified(request, what):
    log_event("mfa_change_refused", request, what=what)
    messages.info(request, "Enter a code from your app first.")
    return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor')}")


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes replace the old ones; only after a second factor this session."""
    if not request.user.is_verified():
        return _refuse_unverified(request, "new recovery codes")
    codes = _new_recovery_codes(request.user)
    account_notice_send(
        user=request.user,
        what="New recovery codes were made (the old ones no longer work)",
        event="mfa_recovery_codes_replaced",
        request=request,
    )
    messages.success(request, "New recovery codes made. The old ones no longer work.")
    return render(
        request,
        "portal/two_factor/recovery_codes.html",
        {"codes": codes, "next": reverse("two_factor")},
    )


@login_required
@require_POST
def remove_device(request, device_id):
    """Remove one of your own authenticator apps; only after a second factor."""
    device = get_object_or_404(_authenticators(request.user), pk=device_id)
    if not request.user.is_verified():
        return _refuse_unverified(request, "remove a device")
    device.delete()
    if not _authenticators(request.user).exists():
        StaticDevice.objects.filter(user=request.user).delete()
    account_notice_send(
        user=request.user,
        what="An authenticator app was removed",
        event="mfa_device_removed",
        request=request,
    )
    messages.success(request, "The authenticator app was removed.")
    return redirect("two_factor")


# The administrator's side: a link for someone who cannot receive one by email -----


@require_http_methods(["GET", "POST"])
def admin_enrolment_link(request, pk):
    """An administrator makes a first-device link for an account, shown once to them;
    the account's owner is told by email."""
    if not (roles.is_current(request.user) and request.user.is_superuser):
        raise PermissionDenied
    person = get_object_or_404(User, pk=pk, is_active=True)
    if user_has_device(person):
        messages.error(request, f"{person} already has two-factor sign-in set up.")
        return redirect("wagtailusers_users:edit", person.pk)
    if request.method == "GET":
        return render(request, "portal/two_factor/admin_enrolment_link.html", {"person": person})
    account_notice_send(
        user=person,
        what=f"An administrator ({request.user.get_username()}) made a link to set up "
        "two-factor sign-in",
        event="mfa_enrolment_link_made",
        request=request,
    )
    context = {"person": person, "url": enrolment_url(person)}
    return render(request, "portal/two_factor/admin_enrolment_link.html", context)
