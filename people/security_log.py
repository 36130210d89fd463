"""Security events as structured log lines (one JSON object each).

Sign-in failures, lockouts, refusals, exports, certificate checks and two-factor
changes are written to the `alongside.security` logger, so an operator can ship them
to wherever the organisation keeps its logs. It lives here, at the bottom of the apps,
so every app can write to it without importing the site.
"""

import ipaddress
import json
import logging

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("alongside.security")


def client_address(request):
    """The address of the person at the other end: one answer for the whole site.

    Lockout (django-axes), rate limits and this log all ask here. Without trusted
    proxies it is the connection's address; `X-Forwarded-For` is believed only as far
    as `TRUSTED_PROXIES` says: a count of proxies in front of the site, or a list of
    their addresses or networks (then a hop is skipped only when it is one of them, so
    a forged header from anyone else changes nothing).
    """
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXIES
    if not trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [hop.strip() for hop in forwarded.split(",") if hop.strip()] + [remote]
    if isinstance(trusted, int):
        hops = chain[-(trusted + 1) :]
        candidates = list(reversed(hops))
        for position, hop in enumerate(candidates):
            if _address(hop) is None:
                return candidates[position - 1] if position else remote
        return hops[0]
    networks = [ipaddress.ip_network(item, strict=False) for item in trusted]
    seen = remote
    for hop in reversed(chain):
        address = _address(hop)
        if address is None:
            return seen
        if not any(address in network for network in networks):
            return hop
        seen = hop
    return seen


def _address(text):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def log_event(event, request=None, **fields):
    user = getattr(request, "user", None)
    record = {
        "event": event,
        "at": timezone.now().isoformat(timespec="seconds"),
        "user": user.get_username() if user is not None and user.is_authenticated else None,
        "address": client_address(request),
        "path": request.path if request is not None else None,
        **fields,
    }
    logger.info(json.dumps(record, default=str, sort_keys=True))


class LoggedExportMixin:
    """For Wagtail index views: every spreadsheet export is a security event."""

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            log_event(
                "export",
                self.request,
                what=str(self.model._meta.verbose_name_plural),
                format=self.request.GET.get("export"),
            )
        return super().render_to_response(context, **response_kwargs)
