import logging
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import Http404, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from people.exports import SpreadsheetSafeExportMixin
from people.security_log import log_event

log = logging.getLogger("alongside.health")


def database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def private_storage_writes():
    """Evidence uploads need to write, read back and delete in private storage."""
    storage = storages["private"]
    name = storage.save(f"healthz/{secrets.token_hex(8)}", ContentFile(b"ok"))
    try:
        with storage.open(name, "rb") as probe:
            if probe.read() != b"ok":
                raise OSError("private storage gave back other bytes")
    finally:
        storage.delete(name)


def task_queue_answers():
    """A queue backend (not the immediate one) must pass its own checks."""
    backend = task_backends["default"]
    if isinstance(backend, ImmediateBackend | DummyBackend):
        return "not configured"
    errors = [message for message in backend.check() if message.is_serious()]
    if errors:
        raise RuntimeError(errors[0].msg)
    return None


CHECKS = {
    "database": database_answers,
    "private storage": private_storage_writes,
    "task queue": task_queue_answers,
}


@require_GET
@never_cache
def healthz(request):
    """200 when every part answers; 503 naming each part that does not (never a
    traceback: a load balancer and a person both read the answer)."""
    parts, failing = {}, []
    for name, check in CHECKS.items():
        try:
            parts[name] = check() or "ok"
        except Exception as error:  # any failure of a part means "not healthy"
            log.warning("health check: %s failed: %s", name, type(error).__name__)
            parts[name] = f"failing ({type(error).__name__})"
            failing.append(name)
    if failing:
        return JsonResponse(
            {"status": "unavailable", "failing": failing, "parts": parts}, status=503
        )
    return JsonResponse({"status": "ok", "parts": parts})


def not_here(request):
    """An address the project switches off: Wagtail's test of its own error page let
    anyone with workspace access raise a server error (and its alert) at will."""
    raise Http404


def permission_denied(request, exception=None):
    """The friendly 403 page, and a "refused" line in the security log."""
    log_event("refused", request)
    return defaults.permission_denied(request, exception)


class SiteHistoryReportView(SpreadsheetSafeExportMixin, LogEntriesView):
    """Wagtail's site history report, with its CSV made as safe as every other export."""


class AgingPagesReportView(SpreadsheetSafeExportMixin, AgingPagesView):
    """Wagtail's aging pages report, with its CSV made as safe as every other export."""
