"""Security events as structured log lines (one JSON object each).

Sign-in failures, lockouts, refusals, exports, certificate checks and two-factor
changes are written to the `alongside.security` logger, so an operator can ship them
to wherever the organisation keeps its logs. It lives here, at the bottom of the apps,
so every app can write to it without importing the site.
"""

import json
import logging

from django.utils import timezone

logger = logging.getLogger("alongside.security")


def client_address(request):
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


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
