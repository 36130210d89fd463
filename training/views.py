"""Training views: the site's record form and evidence download, and the staff
workspace's pages for what people do (the listings are in viewsets.py).

Every object is looked up through a scoping selector, so a record someone may not see
answers 404 whatever its id; roles decide only which actions a view offers.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from organisation import words
from people.policies import workspace_policy
from people.selectors import Sees, people_visible_to, psws
from people.viewsets import ForbiddenMixin

from . import services
from .evidence import stored_kind
from .forms import (
    AttendanceForm,
    CompletionForm,
    CorrectDateForm,
    RejectForm,
    RevokeForm,
    VerifyForm,
)
from .models import TrainingModulePage, TrainingRecord
from .selectors import check_statistics, records_visible_to, requirement_statuses

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
    if not workspace_policy.user_has_permission(request.user, "record_own_training"):
        raise PermissionDenied
    form = CompletionForm(
        request.POST or None,
        request.FILES or None,
        today=timezone.localdate(),
        module=module,
        initial={"provider": request.GET["provider"]} if "provider" in request.GET else None,
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


class WorkspaceAccessMixin(ForbiddenMixin, PermissionCheckedMixin):
    """Refuses (403) anyone the workspace policy does not let take `permission_required`."""

    permission_policy = workspace_policy
    permission_required = "verify_training"


class AdminPageMixin(WagtailAdminTemplateMixin):
    """A workspace page under a visible heading (Wagtail's breadcrumb header keeps its
    heading for screen readers only)."""

    header_icon = "form"

    def get_breadcrumbs_items(self):
        return []


class PendingQueueView(WorkspaceAccessMixin, AdminPageMixin, TemplateView):
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


class RecordDecisionView(WorkspaceAccessMixin, AdminPageMixin, FormView):
    """A confirmation page (GET) and the decision itself (POST only)."""

    template_name = "training/admin/decision.html"
    http_method_names = ["get", "post"]

    @cached_property
    def record(self):
        visible = records_visible_to(self.request.user, Sees.EVIDENCE)
        return get_object_or_404(
            visible.select_related("person__service", "module"), pk=self.kwargs["pk"]
        )

    def get_page_subtitle(self):
        return str(self.record)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=self.record,
            action=self.action,
            cancel_url=self.next_url(self.record),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            record = self.decide(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.done.format(record=record))
        return redirect(self.next_url(record))

    def next_url(self, record):
        return reverse("training_admin:pending")


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

    def get_initial(self):
        return {"expected_status": self.record.status}

    def decide(self, reason, expected_status):
        return services.record_reject(
            record=self.record, by=self.request.user, reason=reason, expected_status=expected_status
        )


class RevokeRecordView(RecordDecisionView):
    """Withdrawing a verified record (and its certificate): its own page, a reason the
    person reads, and back to the record."""

    page_title = "Revoke a verified record"
    action = "Revoke"
    form_class = RevokeForm
    done = "Revoked: {record}. Its certificate now answers “revoked”, and they see your reason."

    def get(self, request, *args, **kwargs):
        return self.unless_verified() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.unless_verified() or super().post(request, *args, **kwargs)

    def unless_verified(self):
        """Back to the record, saying why, when it is not (or no longer) verified."""
        if self.record.status == TrainingRecord.Status.VERIFIED:
            return None
        messages.info(self.request, f"Only a verified record can be revoked: {self.record}.")
        return redirect(self.next_url(self.record))

    def decide(self, reason):
        return services.record_reject(
            record=self.record,
            by=self.request.user,
            reason=reason,
            expected_status=TrainingRecord.Status.VERIFIED,
        )

    def next_url(self, record):
        return reverse("training-records:inspect", args=[record.pk])


class CorrectRecordView(RecordDecisionView):
    page_title = "Correct the completion date"
    action = "Correct the date"
    form_class = CorrectDateForm
    done = "Date corrected: {record}. The old date and your reason are in its history."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "today": timezone.localdate()}

    def get_initial(self):
        return {"completed_on": self.record.completed_on}

    def decide(self, completed_on, reason):
        return services.record_correct(
            record=self.record, by=self.request.user, completed_on=completed_on, reason=reason
        )

    def next_url(self, record):
        return reverse("training-records:inspect", args=[record.pk])


class AttendanceRegisterView(WorkspaceAccessMixin, AdminPageMixin, FormView):
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
        messages.success(self.request, register_confirmation(data, result.created))
        if result.skipped:
            names = ", ".join(str(person) for person in result.skipped)
            messages.warning(
                self.request, f"Already recorded for that date, left as they were: {names}."
            )
        return redirect("training_admin:register")


def register_confirmation(data, created):
    """Who was added, by name: "Verified Safeguarding (NHS) on 2 May 2026 for Aisha
    Khan and Ben Ode." """
    requirement = words.requirement_name(data["module"].title, data["provider"])
    day = date_format(data["completed_on"], "j F Y")
    if not created:
        return f"No new records: everyone ticked already had {requirement} on {day}."
    names = [str(record.person) for record in created]
    people = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"Verified {requirement} on {day} for {people}."


class TeamTrainingView(WorkspaceAccessMixin, AdminPageMixin, TemplateView):
    """Statuses and dates of the PSWs a supervisor, service lead or manager may see:
    never notes or evidence."""

    permission_required = "read_team_training"
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


class CheckStatisticsView(ForbiddenMixin, PermissionCheckedMixin, AdminPageMixin, TemplateView):
    """Per module and per question, how the knowledge checks go: counts, never names."""

    permission_policy = workspace_policy
    permission_required = "read_check_statistics"
    page_title = "Knowledge checks"
    header_icon = "help"
    template_name = "training/admin/check_statistics.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(statistics=check_statistics(), **kwargs)
