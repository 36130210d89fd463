"""Two-factor sign-in: an authenticator app (TOTP) with one-time recovery codes.

Required for managers and administrators unless MFA_REQUIRED is off; open to anyone.
"""

import secrets
from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.security_log import log_event

RECOVERY_CODES = 10


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


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


@login_required
def overview(request):
    devices = [d for d in devices_for_user(request.user) if isinstance(d, TOTPDevice)]
    return render(request, "portal/two_factor/overview.html", {"devices": devices})


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Show a fresh secret as a QR code; confirm it with a first code from the app."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            codes = _new_recovery_codes(request.user)
            log_event("mfa_enabled", request)
            return render(
                request,
                "portal/two_factor/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "token",
            "That code did not match. Check the time on your phone and enter the newest code.",
        )
    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title="Set-up code")
    return render(
        request,
        "portal/two_factor/setup.html",
        {"form": form, "qr": qr, "secret": secret, "next": _next_url(request)},
    )


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


@login_required
@require_http_methods(["POST"])
def recovery_codes(request):
    """New recovery codes replace the old ones; only after a second factor this session."""
    if not request.user.is_verified():
        return redirect("two_factor_verify")
    codes = _new_recovery_codes(request.user)
    log_event("mfa_recovery_codes_replaced", request)
    messages.success(request, "New recovery codes made. The old ones no longer work.")
    return render(
        request,
        "portal/two_factor/recovery_codes.html",
        {"codes": codes, "next": "/account/two-factor/"},
    )
