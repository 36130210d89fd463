"""The import in the staff workspace: upload, watch, preview, correct, confirm."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView, View
from openpyxl import Workbook
from openpyxl.styles import Font
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from people.viewsets import ForbiddenMixin

from . import services
from .forms import RowForm, UploadForm
from .kinds import COLUMNS
from .models import Kind, Outcome, RecordImport
from .selectors import import_policy, imports_visible_to

PER_PAGE = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ManagersOnly(ForbiddenMixin, PermissionCheckedMixin):
    permission_policy = import_policy
    permission_required = "add"


class ImportPage(ManagersOnly, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return []

    def the_import(self):
        return get_object_or_404(
            imports_visible_to(self.request.user).select_related("uploaded_by"),
            pk=self.kwargs["pk"],
        )


class ImportIndexView(ImportPage):
    template_name = "imports/index.html"
    page_title = "Import records"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=form or UploadForm(),
            kinds=[(kind, COLUMNS[kind]) for kind in Kind],
            imports=imports_visible_to(self.request.user)[:20],
        )
        return context

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        record_import = services.import_upload(
            kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user
        )
        return redirect("imports:detail", pk=record_import.pk)


class ImportDetailView(ImportPage):
    """Progress while the file is read, checked or written; then the preview."""

    template_name = "imports/detail.html"
    page_title = "Import"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record_import = self.the_import()
        show = self.request.GET.get("show") or ("refused" if record_import.refused else "all")
        rows = record_import.rows.all()
        if show in Outcome.values:
            rows = rows.filter(outcome=show)
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(
            record_import=record_import,
            columns=COLUMNS[record_import.kind],
            show=show,
            filters=[("all", "All rows", record_import.total)]
            + [(o.value, o.label, getattr(record_import, o.value)) for o in Outcome],
            page=page,
            rows=[
                (row, [row.values.get(c.key, "") for c in COLUMNS[record_import.kind]])
                for row in page
            ],
        )
        return context

    def get_page_subtitle(self):
        return str(self.the_import())


class ConfirmView(ManagersOnly, View):
    def post(self, request, pk):
        record_import = get_object_or_404(imports_visible_to(request.user), pk=pk)
        try:
            services.import_confirm(record_import=record_import, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("imports:detail", pk=pk)


class RowCorrectView(ImportPage):
    template_name = "imports/row.html"
    page_title = "Correct a row"

    def row(self):
        record_import = self.the_import()
        if record_import.status != RecordImport.Status.CHECKED:
            raise Http404
        return get_object_or_404(
            record_import.rows.select_related("record_import__uploaded_by"),
            number=self.kwargs["number"],
            outcome=Outcome.REFUSED,
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        row = self.row()
        context.update(
            row=row,
            form=form or RowForm(kind=row.record_import.kind, initial=row.values),
            back=reverse("imports:detail", args=[row.record_import.pk]),
        )
        return context

    def post(self, request, pk, number):
        row = self.row()
        form = RowForm(request.POST, kind=row.record_import.kind)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        services.row_correct(row=row, values=form.cleaned_data, by=request.user)
        messages.success(request, f"Row {row.number} corrected; the file is checked again.")
        return redirect("imports:detail", pk=pk)


class TemplateDownloadView(ManagersOnly, View):
    """An empty file with the kind's headings: a CSV, or an XLSX with how to fill it in."""

    def get(self, request, kind, extension):
        if kind not in Kind.values or extension not in {"csv", "xlsx"}:
            raise Http404
        columns = COLUMNS[kind]
        if extension == "csv":
            out = io.StringIO()
            csv.writer(out).writerow([c.heading for c in columns])
            body, content_type = out.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8"
        else:
            body, content_type = self.workbook(Kind(kind), columns), XLSX_TYPE
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{kind}-template.{extension}"'
        return response

    @staticmethod
    def workbook(kind, columns):
        book = Workbook()
        sheet = book.active
        sheet.title = kind.label[:31]
        sheet.append([c.heading for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        help_sheet = book.create_sheet("How to fill in")
        help_sheet.append(["Column", "Needed", "What to write"])
        for column in columns:
            help_sheet.append([column.heading, "yes" if column.required else "no", column.explains])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
