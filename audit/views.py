from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.admin.auth import PermissionPolicyChecker

from people.policies import workspace_policy
from people.security_log import log_event

from . import chain
from .exports import csv_lines, xlsx_bytes
from .forms import AuditFilterForm
from .selectors import describe, entries_visible_to, export_rows, filter_entries

PAGE_SIZE = 50


@PermissionPolicyChecker(workspace_policy).require("read_audit_log")
def audit_log(request):
    """The organisation's audit log for managers: filter, page, export."""
    form = AuditFilterForm(request.GET or None)
    entries = entries_visible_to(request.user)
    if form.is_valid():
        entries = filter_entries(
            entries,
            actor=form.cleaned_data["actor"] and form.cleaned_data["actor"].pk,
            person=form.cleaned_data["person"] and form.cleaned_data["person"].pk,
            kind=form.cleaned_data["kind"] and form.cleaned_data["kind"].pk,
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
        )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        log_event("export", request, what="audit log", format=export)
        return _export(entries, request.user, export)
    return _page(request, entries, "audit/log.html", {"form": form, "heading": "Audit log"})


def record_history(request, content_type_id, object_id):
    """Every change to one record, for the people allowed to see its history."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    if content_type.model_class() not in chain.tracked_models():
        raise Http404
    entries = entries_visible_to(request.user).filter(
        content_type=content_type, object_id=str(object_id)
    )
    latest = describe(entries.order_by("-sequence")[:1], request.user)
    if not latest:
        raise Http404
    return _page(
        request,
        entries.order_by("-sequence"),
        "audit/log.html",
        {"heading": f"History of {latest[0].record}", "record": True},
    )


def _page(request, entries, template, context):
    paginator = Paginator(entries.order_by("-history_date", "-pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        template,
        {
            **context,
            "page_obj": page,
            "lines": describe(page.object_list, request.user),
            "query": query.urlencode(),
        },
    )


def _export(entries, viewer, fmt):
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(export_rows(entries, viewer)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.xlsx"'
        return response
    response = StreamingHttpResponse(
        csv_lines(export_rows(entries, viewer)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
