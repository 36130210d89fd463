"""The compliance workspace: the organisation matrix, a person's record, summary, trends."""

import tempfile
from dataclasses import replace
from functools import cache
from itertools import islice

from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from organisation.current import current_organisation
from organisation.words import side_name, status_icon, status_word, supervision_name
from people import roles
from people.exports import About, csv_lines, write_xlsx
from people.policies import workspace_policy
from people.security_log import log_event
from people.selectors import (
    Sees,
    can_see_person,
    placements_on,
    services_visible_to,
)
from supervision.selectors import safeguarding_flags_visible_to, sessions_visible_to
from training.models import TrainingExemption
from training.selectors import module_facts, records_visible_to

from . import exports, states, trends
from .charts import trend_chart
from .forms import AsOfForm, MatrixFilterForm
from .labels import requirement_date, status_cell, stream_date
from .loader import (
    STREAMS,
    Person,
    StatusSource,
    organisation_counts,
    requirement_columns_today,
    statuses_today,
)
from .selectors import compliance_scope, sees_whole_organisation
from .summary import compliance_target, organisation_summary

PER_PAGE = 50
EXPORT_CHUNK = 500
EXPORTS = {
    "matrix-csv": ("matrix", "csv"),
    "matrix-xlsx": ("matrix", "xlsx"),
    "long-csv": ("long", "csv"),
    "long-xlsx": ("long", "xlsx"),
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ComplianceView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    @property
    def today(self):
        return timezone.localdate()


class OrganisationViewMixin(PermissionCheckedMixin):
    """Matrix, summary and trends: managers (a service lead's are on the site)."""

    permission_policy = workspace_policy
    permission_required = "read_organisation"


# The matrix -------------------------------------------------------------------------


def item_choices(requirements):
    return [(f"m-{r.key}", r.label) for r in requirements] + [
        (f"s-{stream}", supervision_name(stream)) for stream in STREAMS
    ]


def narrowed(status, item):
    """`status` with only the chosen requirement or stream as columns."""
    if not item:
        return status
    if item.startswith("s-"):
        return replace(status, requirements=[], streams=[item[2:]])
    return replace(
        status, requirements=[r for r in status.requirements if f"m-{r.key}" == item], streams=[]
    )


def cell_statuses(person_status, status):
    """The statuses in the columns of `status` (already narrowed) for one person."""
    found = [
        person_status.requirements[r.module_id, r.provider].status
        for r in status.requirements
        if (r.module_id, r.provider) in person_status.requirements
    ]
    return found + [person_status.streams[s].status for s in status.streams]


class MatrixView(OrganisationViewMixin, ComplianceView):
    page_title = "Organisation matrix"
    template_name = "compliance/matrix.html"

    def get(self, request, *args, **kwargs):
        self.requirements = requirement_columns_today()
        self.form = MatrixFilterForm(
            request.GET or None,
            today=self.today,
            services=services_visible_to(request.user),
            items=item_choices(self.requirements),
        )
        self.as_of = self.form.value("as_of")
        self.source = StatusSource(
            compliance_scope(request.user), self.as_of or self.today, as_of=bool(self.as_of)
        )
        export = EXPORTS.get(request.GET.get("export"))
        if export:
            return self.export(*export)
        return super().get(request, *args, **kwargs)

    def filtered_people(self):
        """The people to list, filtered by status in the database when the status
        tables can answer (today); otherwise `matching` filters their statuses."""
        service = self.form.value("service")
        by_service = self.form.value("sort") == "service"
        people = self.source.people(service.pk if service else None, by_service)
        wanted = self.form.value("status")
        if wanted and self.source.reads_kept_statuses:
            people = people.filter(self.status_condition(wanted))
        return people

    def status_condition(self, wanted):
        item = self.form.value("item") or ""
        required = states.requirements_of(module_facts())
        streams = list(STREAMS)
        if item.startswith("s-"):
            required, streams = [], [item[2:]]
        elif item:
            required = [(m, p) for m, p in required if f"m-{m.id}-{p}" == item]
            streams = []
        return states.with_status(wanted, self.source.on, required, streams)

    def statuses(self, people):
        return narrowed(self.source.statuses(people), self.form.value("item"))

    def matching(self, status):
        wanted = self.form.value("status")
        if not wanted:
            return status
        return replace(
            status, people=[p for p in status.people if wanted in cell_statuses(p, status)]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = self.filtered_people()
        page_number = self.request.GET.get("page") or 1
        if self.form.value("status") and not self.source.reads_kept_statuses:
            status = self.matching(self.statuses(list(people)))
            page = Paginator(status.people, PER_PAGE).get_page(page_number)
            status = replace(status, people=list(page.object_list))
        else:
            if self.source.reads_kept_statuses:  # chosen once, not to count and to page
                people = people.read_once()
            page = Paginator(people, PER_PAGE).get_page(page_number)
            status = self.statuses(list(page.object_list))
        placed = placements_on([p.person.pk for p in status.people], self.source.on)
        context.update(
            form=self.form,
            page=page,
            status=status,
            rows=[self.row(p, status, placed.get(p.person.pk, ())) for p in status.people],
            columns=self.columns(status),
            as_of=self.as_of,
            on=self.source.on,
            query=self.query_without("page", "export"),
            exports=[(key, label) for key, label in EXPORT_LABELS],
        )
        return context

    def columns(self, status):
        return [r.label for r in status.requirements] + [
            supervision_name(s) for s in status.streams
        ]

    def row(self, person_status, status, placements=()):
        """A person's cells as ready markup: a page is 50 people by 15 or so columns,
        too many for a template include each. `placements`: theirs in force that day."""
        cells = []
        for r in status.requirements:
            found = person_status.requirements.get((r.module_id, r.provider))
            cells.append(
                cell_html(found.status, requirement_date(found)) if found else NOT_REQUIRED
            )
        for s in status.streams:
            found = person_status.streams[s]
            cells.append(cell_html(found.status, stream_date(found)))
        return {"person": person_status.person, "cells": cells, "placements": placements}

    def query_without(self, *names):
        query = self.request.GET.copy()
        for name in names:
            query.pop(name, None)
        return query.urlencode()

    def chunks(self):
        """The matching people's statuses, a few hundred people at a time, so an export
        holds one chunk in memory however large the organisation."""
        people = self.filtered_people()
        if not self.source.as_of:
            people = people.stream()
            while chunk := list(islice(people, EXPORT_CHUNK)):
                yield self.matching(self.statuses(chunk))
            return
        # As recorded, the history is read once for everyone (see loader.recorded_facts).
        yield self.matching(self.statuses(list(people)))

    def export(self, layout, file_format):
        if layout == "long":
            header = exports.LONG_HEADINGS
            rows = (row for s in self.chunks() for row in exports.long_rows(s, exports.Words))
        else:
            header = exports.matrix_header(self.statuses([]))
            rows = (row for s in self.chunks() for row in exports.matrix_rows(s))
        about = self.about(EXPORT_TITLES[layout])
        when = f"as-recorded-{self.as_of}" if self.as_of else str(self.source.on)
        filename = f"compliance-{layout}-{when}.{file_format}"
        if file_format == "csv":
            response = StreamingHttpResponse(
                csv_lines(header, rows, about), content_type="text/csv; charset=utf-8"
            )
        else:
            # Write-only rows, spooled to disk past 4 MB; FileResponse closes it.
            buffer = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115
            write_xlsx(buffer, header, rows, title=about.title, about=about)
            buffer.seek(0)
            response = FileResponse(buffer, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        log_event("export", self.request, what=f"compliance {layout}", format=file_format)
        return response

    def about(self, title):
        """What a download covers: the filter, and the day its statuses are on."""
        form = self.form
        chosen = [
            ("Service", form.value("service")),
            ("Requirement", dict(form.fields["item"].choices).get(form.value("item"))),
            ("Status", form.value("status") and status_word(form.value("status"))),
        ]
        shown = ", ".join(f"{label}: {value}" for label, value in chosen if value)
        day = date_words(self.source.on)
        return About.of(
            title,
            organisation=current_organisation(self.request).name,
            made_by=self.request.user,
            lines=[
                ("Filter", shown or "Everyone you may see"),
                ("As recorded at the end of", day) if self.as_of else ("Statuses on", day),
            ],
        )


EXPORT_TITLES = {"matrix": "Compliance matrix", "long": "Compliance, one row per item"}
EXPORT_LABELS = [
    ("matrix-csv", "Matrix (CSV)"),
    ("matrix-xlsx", "Matrix (Excel)"),
    ("long-csv", "Report, one row per item (CSV)"),
    ("long-xlsx", "Report, one row per item (Excel)"),
]


NOT_REQUIRED = mark_safe('<span class="cdate">Not required</span>')  # noqa: S308


def cell_html(status, dated):
    """The markup of compliance/includes/cell.html, for the matrix's many cells.

    Nothing here is typed by a person: status codes and labels are fixed, dates ours.
    """
    html = status_icon_html(status) + (
        f'<span class="cstatus cstatus-{status}">{status_word(status)}</span>'
    )
    if dated:
        word, day = dated
        html += f'<span class="cdate">{" ".join(filter(None, [word, day_label(day)]))}</span>'
    return mark_safe(html)  # noqa: S308


@cache
def status_icon_html(status):
    """The vocabulary's icon for a status, drawn by Wagtail's icon template (once)."""
    context = {"name": status_icon(status), "classname": "cstatus-icon"}
    return render_to_string("wagtailadmin/shared/icon.html", context)


def date_words(day):
    return f"{day.day} {day.strftime('%B %Y')}"


def day_label(day):
    return f"{day.day} {day.strftime('%b %Y')}"


# One person -------------------------------------------------------------------------


class PersonView(PermissionCheckedMixin, ComplianceView):
    """A person's whole record, as far as the viewer may see it: statuses, records,
    exemptions, supervision streams and session details (never notes). A service lead
    reads their service's people on the site instead (compliance/service_views.py)."""

    permission_policy = workspace_policy
    permission_required = "read_person_record"
    template_name = "compliance/person.html"

    def get(self, request, *args, pk, **kwargs):
        # The record is a peer support worker's: other accounts have no page here.
        people = compliance_scope(request.user).filter(groups__name=roles.PSW)
        self.person = get_object_or_404(people.select_related("service"), pk=pk)
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.person)

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if workspace_policy.user_has_permission(self.request.user, "read_organisation"):
            items.append(
                {"url": reverse("compliance_admin:matrix"), "label": "Organisation matrix"}
            )
        return items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, person = self.request.user, self.person
        status = statuses_today([Person.of(person)], self.today).people[0]
        sessions = (
            sessions_visible_to(user)
            .filter(arrangement__supervisee=person)
            .select_related("arrangement")
            .order_by("-held_on", "-pk")
        )
        # Flags only on the sessions whose flag this viewer may see; the column is left
        # out altogether for a viewer who may see none (a service lead).
        flags = dict(
            safeguarding_flags_visible_to(user)
            .filter(arrangement__supervisee=person)
            .values_list("pk", "safeguarding_concern")
        )
        context.update(
            person=person,
            today=self.today,
            placements=placements_on([person.pk], self.today).get(person.pk, []),
            requirements=[
                (r, status_cell(r.status, requirement_date(r)))
                for r in status.requirements.values()
            ],
            streams=[
                (s, side_name(s.stream), status_cell(s.status, stream_date(s)))
                for s in status.streams.values()
            ],
            records=records_visible_to(user)
            .filter(person=person)
            .select_related("module")
            .order_by("-completed_on", "-pk"),
            exemptions=TrainingExemption.objects.filter(person=person).select_related("module"),
            sessions=[(s, flags.get(s.pk)) for s in sessions],
            sees_flags=bool(flags),
            sees_evidence=can_see_person(user, person, Sees.EVIDENCE),
            sees_reasons=can_see_person(user, person, Sees.REASONS),
        )
        return context


# Summary and trends -----------------------------------------------------------------


class SummaryView(OrganisationViewMixin, ComplianceView):
    page_title = "Compliance summary"
    template_name = "compliance/summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AsOfForm(self.request.GET or None, today=self.today)
        as_of = form.value("as_of")
        user = self.request.user
        status = organisation_counts(
            compliance_scope(user),
            as_of or self.today,
            as_of=bool(as_of),
            whole=sees_whole_organisation(user),
        )
        context.update(
            form=form,
            as_of=as_of,
            summary=organisation_summary(status, compliance_target(self.request)),
        )
        return context


class TrendsView(OrganisationViewMixin, ComplianceView):
    page_title = "Compliance trends"
    template_name = "compliance/trends.html"
    months = 12

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        months = trends.monthly_compliance(
            compliance_scope(user), self.months, self.today, whole=sees_whole_organisation(user)
        )
        context.update(months=months, chart=trend_chart(months))
        return context
