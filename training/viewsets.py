"""The staff workspace's listings: Wagtail viewsets for records and exemptions.

A Wagtail ModelViewSet scopes nothing by itself, and its edit, delete, inspect, history
and usage views each load the object by id. `ScopedViewSet` gives every one of those
views the same `scope(user)` queryset, so a guessed id answers 404; a role policy
decides which actions (and buttons) each role gets.
"""

import django_filters
from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import date_format
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from people import roles
from people.models import Service
from people.security_log import LoggedExportMixin
from people.selectors import Sees, people_visible_to, psws

from . import services
from .forms import ExemptionForm
from .models import TrainingExemption, TrainingModulePage, TrainingRecord
from .selectors import records_visible_to
from .views import ForbiddenMixin


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


class ScopedIndexView(LoggedExportMixin, Scoped, IndexView):
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
