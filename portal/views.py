from django.db import connection
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from people.exports import SpreadsheetSafeExportMixin
from people.security_log import log_event


@require_GET
@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    """The friendly 403 page, and a "refused" line in the security log."""
    log_event("refused", request)
    return defaults.permission_denied(request, exception)


class SiteHistoryReportView(SpreadsheetSafeExportMixin, LogEntriesView):
    """Wagtail's site history report, with its CSV made as safe as every other export."""


class AgingPagesReportView(SpreadsheetSafeExportMixin, AgingPagesView):
    """Wagtail's aging pages report, with its CSV made as safe as every other export."""
