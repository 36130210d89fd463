"""Site-wide security middleware: the content security policy and the second factor."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django_otp import user_has_device

from people.security_log import log_event
from training.evidence import MAX_BYTES

from .doors import landing_url, site_version, uses_staff_workspace
from .two_factor import needs_second_factor

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


class RequestSizeMiddleware:
    """Refuses a request whose declared body is over MAX_REQUEST_BYTES before anything
    reads it, with a page that says so (a chunked body is cut off by the proxy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            response = render(
                request,
                "413.html",
                {"limit": limit, "evidence_limit": MAX_BYTES // (1024 * 1024)},
                status=413,
            )
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class LeaverMiddleware:
    """Ends the session of anyone whose leaving date has passed, on their next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.has_left(timezone.localdate()):
            log_event("leaver_session_ended", request)
            logout(request)
            messages.error(request, LEFT_MESSAGE)
            return redirect("login")
        return self.get_response(request)


LEFT_MESSAGE = (
    "Your Alongside account closed when you left the organisation. "
    "If you think this is a mistake, please contact your former manager."
)


class PrivateCacheMiddleware:
    """Pages for a signed-in person name them: no shared cache may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response


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


class WorkspaceDoorMiddleware:
    """The staff workspace is for managers, administrators and page editors. Anyone
    else who opens one of its pages is sent to their own pages on the site:

    - a workspace page with a site version of its own (the account page, My training,
      a supervisee's place) sends them to that page before its view runs;
    - any other page, one the view refuses (the refusal is still logged) or one it
      would show them (the site history report, a chooser opened by hand), sends them
      to where they land.

    A 404 stays a 404 (a stranger's id is not found, whoever asks). Downloads (ZIP,
    CSV, PDF), form posts and the workspace's background requests are answered by the
    view as they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not (
            request.path.startswith("/admin/")
            and user.is_authenticated
            and not uses_staff_workspace(user)
        ):
            return self.get_response(request)
        home = reverse("wagtailadmin_home")
        if request.path == home:
            return redirect(landing_url(user))
        moved = site_version(user, request.path) if request.method == "GET" else None
        if moved:
            return redirect(moved)
        response = self.get_response(request)
        if request.method != "GET" or _is_background(request):
            return response
        refused = response.status_code == 403 or (
            response.status_code == 302 and response.get("Location") == home
        )
        if refused or _is_a_page(response):
            return redirect(landing_url(user))
        return response


def _is_a_page(response):
    """A workspace page drawn for the browser (not a file, an icon sprite or a script)."""
    return (
        response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and not response.has_header("Content-Disposition")
    )


def _is_background(request):
    return request.headers.get("x-requested-with") == "XMLHttpRequest"
