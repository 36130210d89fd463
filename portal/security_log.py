"""Security events as structured log lines (one JSON object each).

Sign-in failures, lockouts, refusals, exports, certificate checks and two-factor
changes are written to the `alongside.security` logger, so an operator can ship them
to wherever the organisation keeps its logs.
"""

import json
import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
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


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    log_event("login_failed", request, username=credentials.get("username", ""))


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    log_event("login", request, username=user.get_username())


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    log_event("lockout", request, username=username)
