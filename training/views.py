"""Training views: the site's record form and evidence download, and the staff
workspace in the Wagtail admin (viewsets for listings, small views for actions).

Every object is looked up through a scoping selector, so a record someone may not see
answers 404 whatever its id; roles decide only which actions a view offers.
"""

import django_filters
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views.defaults import permission_denied
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.base import BasePermissionPolicy

from people import roles
from people.models import Service
from people.selectors import Sees, people_visible_to, psws

from . import services
from .evidence import stored_kind
from .forms import AttendanceForm, CompletionForm, ExemptionForm, RejectForm, VerifyForm
from .models import TrainingExemption, TrainingModulePage, TrainingRecord
from .selectors import records_visible_to, requirement_statuses

PENDING_MESSAGE = (
    "Thank you. Your completion of {module} is recorded and is waiting for a manager to verify it."
)


def record_from_form(request, form):
    """The PSW's own completion from a valid CompletionForm; None (errors on the form)
    when the service refuses it."""
    data = form.cleaned_data
    try:
        record = services.record_create(
            person=request.user,
            module=data["module"],
            provider=data["provider"],
            completed_on=data["completed_on"],
            evidence=data.get("evidence"),
            notes=data.get("notes", ""),
            by=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, PENDING_MESSAGE.format(module=record.module.title))
    return record


# The site: the record form behind "Record my completion", and evidence files.


@login_required
def record_completion(request, module_id):
    module = get_object_or_404(TrainingModulePage.objects.live(), pk=module_id)
    if not roles.is_psw(request.user):
        raise PermissionDenied
    form = CompletionForm(
        request.POST or None, request.FILES or None, today=timezone.localdate(), module=module
    )
    if request.method == "POST" and form.is_valid() and record_from_form(request, form):
        return redirect(module.url)
    return render(request, "training/record_form.html", {"form": form, "module": module})


@login_required
def evidence(request, record_id):
    """An evidence file, as a download, to the person and managers only (404 to others)."""
    visible = records_visible_to(request.user, Sees.EVIDENCE).exclude(evidence="")
    record = get_object_or_404(visible, pk=record_id)
    kind = stored_kind(record.evidence)
    if kind is None:
        raise Http404("This evidence file cannot be read.")
    response = FileResponse(
        record.evidence.open("rb"),
        as_attachment=True,
        filename=f"evidence-{record.pk}.{kind.extension}",
        content_type=kind.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# The staff workspace: small views for what people do.


def is_team_reader(user):
    return roles.is_manager(user) or roles.is_supervisor(user) or roles.is_service_lead(user)


class ForbiddenMixin:
    """Answers a refusal with 403, where the admin would redirect to its dashboard with
    a message: a refused request must look refused to people and to tests alike."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exception:
            return permission_denied(request, exception)


class RoleRequiredMixin(ForbiddenMixin):
    """Refuses (403) anyone whose role does not call for the view."""

    role_check = staticmethod(roles.is_manager)

    def dispatch(self, request, *args, **kwargs):
        if not self.role_check(request.user):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


class AdminPageMixin(WagtailAdminTemplateMixin):
    header_icon = "form"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class MyTrainingView(RoleRequiredMixin, AdminPageMixin, TemplateView):
    role_check = staticmethod(roles.is_psw)
    page_title = "My training"
    header_icon = "success"
    template_name = "training/admin/my_training.html"

    def get_header_buttons(self):
        url = reverse("training_admin:record")
        return [HeaderButton("Record a completion", url=url, icon_name="plus")]

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        records = records_visible_to(user, Sees.EVIDENCE).filter(person=user)
        return super().get_context_data(
            statuses=requirement_statuses([user], today)[user.pk],
            records=records.select_related("module"),
            today=today,
            **kwargs,
        )


class RecordCompletionView(RoleRequiredMixin, AdminPageMixin, FormView):
    role_check = staticmethod(roles.is_psw)
    page_title = "Record a completion"
    template_name = "training/admin/form.html"
    form_class = CompletionForm
    extra_context = {"submit_label": "Record my completion"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "today": timezone.localdate()}

    def form_valid(self, form):
        if record_from_form(self.request, form) is None:
            return self.form_invalid(form)
        return redirect("training_admin:mine")


class PendingQueueView(RoleRequiredMixin, AdminPageMixin, TemplateView):
    page_title = "Waiting for verification"
    header_icon = "tasks"
    template_name = "training/admin/pending.html"

    def get_context_data(self, **kwargs):
        pending = records_visible_to(self.request.user, Sees.EVIDENCE).filter(
            status=TrainingRecord.Status.PENDING
        )
        return super().get_context_data(
            records=pending.select_related("person__service", "module").order_by("created_at"),
            **kwargs,
        )


class RecordDecisionView(RoleRequiredMixin, AdminPageMixin, FormView):
    """A confirmation page (GET) and the decision itself (POST only)."""

    template_name = "training/admin/decision.html"
    http_method_names = ["get", "post"]

    @cached_property
    def record(self):
        visible = records_visible_to(self.request.user, Sees.EVIDENCE)
        return get_object_or_404(
            visible.select_related("person__service", "module"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, action=self.action, **kwargs)

    def form_valid(self, form):
        try:
            record = self.decide(form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.done.format(record=record))
        return redirect("training_admin:pending")


class VerifyRecordView(RecordDecisionView):
    page_title = "Verify a completion"
    action = "Verify"
    form_class = VerifyForm
    done = "Verified: {record}."

    def decide(self, reason):
        return services.record_verify(record=self.record, by=self.request.user, reason=reason)


class RejectRecordView(RecordDecisionView):
    page_title = "Reject a completion"
    action = "Reject"
    form_class = RejectForm
    done = "Rejected: {record}. The reason is shown to them."

    def decide(self, reason):
        return services.record_reject(record=self.record, by=self.request.user, reason=reason)


class AttendanceRegisterView(RoleRequiredMixin, AdminPageMixin, FormView):
    page_title = "Attendance register"
    header_icon = "group"
    template_name = "training/admin/form.html"
    form_class = AttendanceForm
    extra_context = {"submit_label": "Record the attendance"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "today": timezone.localdate()}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = services.attendance_register(
                module=data["module"],
                provider=data["provider"],
                completed_on=data["completed_on"],
                attendees=data["attendees"],
                by=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{len(result.created)} verified record(s) added for {data['module'].title}.",
        )
        if result.skipped:
            names = ", ".join(str(person) for person in result.skipped)
            messages.warning(
                self.request, f"Already recorded for that date, left as they were: {names}."
            )
        return redirect("training_admin:register")


class TeamTrainingView(RoleRequiredMixin, AdminPageMixin, TemplateView):
    """Statuses and dates of the PSWs a supervisor, service lead or manager may see:
    never notes or evidence."""

    role_check = staticmethod(is_team_reader)
    page_title = "Team training"
    header_icon = "group"
    template_name = "training/admin/team.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        people = (
            psws(today)
            .filter(pk__in=people_visible_to(self.request.user, Sees.STATUS, today).values("pk"))
            .exclude(pk=self.request.user.pk)
            .select_related("service")
            .order_by("first_name", "last_name")
        )
        statuses = requirement_statuses(people, today)
        return super().get_context_data(
            team=[(person, statuses[person.pk]) for person in people], today=today, **kwargs
        )


# The staff workspace: viewsets for the listings, scoped like everything else.


class RolePermissionPolicy(BasePermissionPolicy):
    """Which actions a role may take on a model; the scoping selector decides the rows."""

    def __init__(self, model, allowed):
        super().__init__(model)
        self.allowed = allowed  # {action: role check}

    def user_has_permission(self, user, action):
        check = self.allowed.get(action)
        return bool(check and check(user))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def psw_or_manager(user):
    return roles.is_psw(user) or roles.is_manager(user)


class Scoped(ForbiddenMixin):
    """`scope(user)` gives the rows a user may see; every view looks objects up in it."""

    scope = None

    def scoped_queryset(self):
        return self.scope(self.request.user)


class ScopedIndexView(Scoped, IndexView):
    def get_base_queryset(self):
        return self.scoped_queryset()


class ScopedCreateView(Scoped, CreateView):
    pass


class ScopedEditView(Scoped, EditView):
    def get_queryset(self):
        return self.scoped_queryset()


class ScopedDeleteView(Scoped, DeleteView):
    def get_queryset(self):
        return self.scoped_queryset()


class ScopedInspectView(Scoped, InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.scoped_queryset(), pk=unquote(str(self.pk)))


class ScopedHistoryView(Scoped, HistoryView):
    any_permission_required = ["view"]

    def get_base_object_queryset(self):
        return self.scoped_queryset()


class ScopedUsageView(Scoped, UsageView):
    def get_base_object_queryset(self):
        return self.scoped_queryset()


class ScopedViewSet(ModelViewSet):
    """A ModelViewSet whose every view (index, edit, delete, inspect, history, usage)
    finds objects only through `scope`, with no copy view."""

    scope = None
    allowed = {}
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView

    @property
    def permission_policy(self):
        return RolePermissionPolicy(self.model, self.allowed)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(scope=type(self).scope, **kwargs)


def records_with_evidence_rights(user):
    """Records, notes and evidence included: the person's own, or everyone's for managers."""
    return records_visible_to(user, Sees.EVIDENCE).select_related(
        "person__service", "module", "verified_by"
    )


class StatusColumn(Column):
    """A record's status in words and colour."""

    cell_template_name = "training/admin/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(status=instance.status, label=instance.get_status_display())
        return context


class DayColumn(Column):
    """A date as a day ("4 Mar 2026"): Wagtail's DateColumn shows times ago."""

    def __init__(self, name, *, blank="—", **kwargs):
        super().__init__(name, **kwargs)
        self.blank = blank

    def get_value(self, instance):
        day = super().get_value(instance)
        return date_format(day, "j M Y") if day else self.blank


def linked(name, label, url_name):
    return TitleColumn(name, label=label, get_url=lambda obj: reverse(url_name, args=[obj.pk]))


class RecordFilterSet(WagtailFilterSet):
    service = django_filters.ModelChoiceFilter(
        field_name="person__service", queryset=Service.objects.all(), label="Service"
    )
    module = django_filters.ModelChoiceFilter(
        queryset=TrainingModulePage.objects.order_by("path"), label="Module"
    )

    class Meta:
        model = TrainingRecord
        fields = ["person", "service", "module", "provider", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["person"].queryset = psws().filter(
                pk__in=people_visible_to(request.user, Sees.EVIDENCE).values("pk")
            )


def escape_formula(value):
    """Text a spreadsheet would run as a formula is kept as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class RecordIndexView(ScopedIndexView):
    def write_csv_row(self, writer, row_dict):
        return writer.writerow({field: escape_formula(value) for field, value in row_dict.items()})


class RecordInspectView(ScopedInspectView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(can_decide=roles.is_manager(self.request.user), **kwargs)


class TrainingRecordViewSet(ScopedViewSet):
    """Every record a manager may see (a PSW reaching it sees only their own)."""

    model = TrainingRecord
    scope = staticmethod(records_with_evidence_rights)
    allowed = {"view": psw_or_manager}
    index_view_class = RecordIndexView
    inspect_view_class = RecordInspectView
    icon = "list-ul"
    menu_label = "All records"
    list_display = [
        linked("person", "Person", "training-records:inspect"),
        Column("module", label="Module", accessor="module.title"),
        Column("provider", label="Provider", accessor="get_provider_display"),
        DayColumn("completed_on", label="Completed on"),
        DayColumn("valid_until", label="Valid until", blank="Does not expire"),
        StatusColumn("status", label="Status"),
    ]
    filterset_class = RecordFilterSet
    search_fields = ["person__first_name", "person__last_name", "person__username"]
    search_backend_name = None
    list_export = [
        "person.username",
        "person",
        "person.service",
        "module.title",
        "provider",
        "completed_on",
        "valid_until",
        "status",
        "certificate_code",
    ]
    export_headings = {
        "person.username": "Username",
        "person": "Name",
        "person.service": "Service",
        "module.title": "Module",
    }
    export_filename = "training-records"
    inspect_view_fields = [
        "person",
        "module",
        "provider",
        "completed_on",
        "valid_until",
        "status",
        "status_reason",
        "verified_by",
        "verified_at",
        "certificate_code",
        "notes",
        "created_by",
        "created_at",
    ]
    inspect_template_name = "training/admin/record_inspect.html"
    # Required to build the (refused) add and edit views: records change only through
    # the verify and reject actions.
    form_fields = ["notes"]


def exemptions_with_reasons(user):
    return TrainingExemption.objects.filter(
        person__in=people_visible_to(user, Sees.EVIDENCE)
    ).select_related("person", "module", "granted_by")


class ExemptionCreateView(ScopedCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.exemption_grant(
            person=data["person"],
            module=data["module"],
            provider=data["provider"],
            reason=data["reason"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            by=self.request.user,
        )


class TrainingExemptionViewSet(ScopedViewSet):
    model = TrainingExemption
    scope = staticmethod(exemptions_with_reasons)
    allowed = dict.fromkeys(("view", "add", "change"), roles.is_manager)
    add_view_class = ExemptionCreateView
    icon = "pick"
    menu_label = "Exemptions"
    list_display = [
        linked("person", "Person", "training-exemptions:edit"),
        Column("module", label="Module", accessor="module.title"),
        Column("provider", label="Provider", accessor="get_provider_display"),
        DayColumn("starts_on", label="Starts on"),
        DayColumn("ends_on", label="Ends on", blank="Open-ended"),
        "reason",
    ]
    list_filter = ["module", "provider"]
    search_fields = ["person__first_name", "person__last_name", "person__username"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return ExemptionForm
