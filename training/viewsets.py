"""The staff workspace's listings: Wagtail viewsets for records and exemptions.

Both are `people.viewsets.ScopedModelViewSet`s: every view they build finds its rows
through `scope(user)`, so a guessed id answers 404.
"""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.formats import date_format
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, IndexView, InspectView

from organisation.words import BOTH_WORD, side_choices
from people import roles
from people.exports import SpreadsheetSafeExportMixin
from people.models import Service
from people.policies import any_of, managers_may, workspace_policy
from people.selectors import Sees, people_visible_to, psws
from people.viewsets import ScopedModelViewSet

from . import services
from .forms import ExemptionChangeForm, ExemptionForm
from .models import KnowledgeCheckAttempt, TrainingExemption, TrainingModulePage, TrainingRecord
from .selectors import attempts_visible_to, records_visible_to

psw_or_manager = any_of(roles.is_psw, roles.is_manager)


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
    provider = django_filters.ChoiceFilter(choices=side_choices, label="Provider")
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


class RecordIndexView(SpreadsheetSafeExportMixin, IndexView):
    pass


class RecordInspectView(InspectView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_decide=workspace_policy.user_has_permission(self.request.user, "verify_training"),
            content_type_id=ContentType.objects.get_for_model(TrainingRecord).pk,
            **kwargs,
        )


class TrainingRecordViewSet(ScopedModelViewSet):
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


class ExemptionFilterSet(WagtailFilterSet):
    module = django_filters.ModelChoiceFilter(
        queryset=TrainingModulePage.objects.order_by("path"), label="Module"
    )
    # An exemption naming no provider covers both.
    provider = django_filters.ChoiceFilter(
        choices=side_choices, null_label=BOTH_WORD, label="Provider"
    )

    class Meta:
        model = TrainingExemption
        fields = ["module", "provider"]


def exemptions_with_reasons(user):
    return TrainingExemption.objects.filter(
        person__in=people_visible_to(user, Sees.EVIDENCE)
    ).select_related("person", "module", "granted_by")


class ExemptionCreateView(CreateView):
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


class TrainingExemptionViewSet(ScopedModelViewSet):
    model = TrainingExemption
    scope = staticmethod(exemptions_with_reasons)
    allowed = managers_may("view", "add", "change")
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
    filterset_class = ExemptionFilterSet
    search_fields = ["person__first_name", "person__last_name", "person__username"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return ExemptionChangeForm if for_update else ExemptionForm


def attempts_with_people(user):
    return attempts_visible_to(user).select_related("person", "module", "record")


class AttemptResultColumn(Column):
    """Handed in or not, and passed or not, in words."""

    def get_value(self, instance):
        if instance.submitted_at is None:
            return "Not handed in yet"
        return (
            f"{'Passed' if instance.passed else 'Not passed'}, {instance.score}/{instance.out_of}"
        )


class AttemptInspectView(InspectView):
    def get_context_data(self, **kwargs):
        attempt = self.object
        return super().get_context_data(
            result_url=attempt.module.check_url("check_attempt", attempt.pk), **kwargs
        )


class KnowledgeCheckAttemptViewSet(ScopedModelViewSet):
    """Every attempt, for managers: who took which check, when, and how it went."""

    model = KnowledgeCheckAttempt
    scope = staticmethod(attempts_with_people)
    allowed = managers_may("view")
    inspect_view_class = AttemptInspectView
    icon = "help"
    menu_label = "Check attempts"
    list_display = [
        linked("person", "Person", "check-attempts:inspect"),
        Column("module", label="Module", accessor="module.title"),
        DayColumn("submitted_on", label="Handed in", blank="Not yet"),
        AttemptResultColumn("passed", label="Result"),
    ]
    list_filter = ["module", "passed"]
    search_fields = ["person__first_name", "person__last_name", "person__username"]
    search_backend_name = None
    inspect_view_fields = [
        "person",
        "module",
        "provider",
        "started_at",
        "submitted_at",
        "score",
        "pass_mark",
        "passed",
        "record",
    ]
    inspect_template_name = "training/admin/attempt_inspect.html"
    # Required to build the (refused) add and edit views: attempts change only by
    # being handed in on the module page.
    form_fields = ["passed"]
