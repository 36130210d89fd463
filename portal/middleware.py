"""Site-wide security middleware: the content security policy and the second factor."""

import secrets

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from people import roles

# The site's own pages and the public check page load nothing inline without a nonce.
STRICT_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-src https://www.youtube.com https://www.youtube-nocookie.com https://player.vimeo.com; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Wagtail's admin relies on inline scripts and styles, and previews pages in frames
# of its own origin; video embeds come from the two hosts the module pages allow.
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https://i.ytimg.com https://i.vimeocdn.com; font-src 'self' data:; "
    "frame-src 'self' https://www.youtube.com https://www.youtube-nocookie.com "
    "https://player.vimeo.com; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = ADMIN_POLICY if request.path.startswith("/admin/") else STRICT_POLICY
            response["Content-Security-Policy"] = policy.format(nonce=request.csp_nonce)
        return response


def needs_second_factor(user):
    """Managers and administrators when MFA is required; anyone who set one up."""
    if not user.is_authenticated:
        return False
    privileged = user.is_superuser or roles.has_role(user, roles.MANAGER)
    return (settings.MFA_REQUIRED and privileged) or user_has_device(user)


class SecondFactorMiddleware:
    """Sends a signed-in user who owes a second factor to set one up or to enter it."""

    OPEN_PREFIXES = (
        "/account/two-factor/",
        "/logout/",
        "/admin/logout/",
        "/static/",
        "/healthz",
        "/verify/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.OPEN_PREFIXES)
            and needs_second_factor(user)
        ):
            step = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
            return redirect(f"{reverse(step)}?next={request.get_full_path()}")
        return self.get_response(request)
