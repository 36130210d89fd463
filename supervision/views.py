"""The supervision workspace in the Wagtail admin.

Managers get two viewsets (arrangements; all sessions, metadata only) and "Waiting
for confirmation" for supervisors without an account here. PSWs and supervisors work on
the site (portal/me, supervising.py): the workspace's old addresses for logging a
session and reading one send them there. Every object is loaded through a selector of
what the user may see, so a guessed id is a 404.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from organisation.words import (
    confirmation_word,
    declined_word,
    flag_word,
    side_choices,
    sign_off_word,
)
from people import roles
from people.exports import SpreadsheetSafeExportMixin
from people.models import Service, User
from people.policies import managers_may, workspace_policy
from people.viewsets import ScopedModelViewSet

from . import selectors, services
from .forms import (
    ArrangementEndForm,
    ArrangementForm,
    SessionDeclineForm,
)
from .models import SupervisionArrangement, SupervisionSession

# Free text written inside the supervisory relationship: only its two parties read it.
METADATA_ONLY = ("notes", "actions", "same_day_reason", "supervisee_view", "decline_reason")


class ManagerViewSet(ScopedModelViewSet):
    """A managers' listing in the Supervision menu, with no inspect view."""

    inspect_view_enabled = False
    menu_hook = "register_supervision_menu_item"
    allowed = managers_may("view")


# Managers: arrangements ---------------------------------------------------------------


class ArrangementFilterSet(WagtailFilterSet):
    stream = django_filters.ChoiceFilter(choices=side_choices, label="Stream")
    service = django_filters.ModelChoiceFilter(
        field_name="supervisee__service", queryset=Service.objects.all(), label="Service"
    )
    supervisor = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(groups__name=roles.SUPERVISOR), label="Supervisor"
    )
    current = django_filters.BooleanFilter(
        field_name="ends_on", lookup_expr="isnull", label="Still in force"
    )

    class Meta:
        model = SupervisionArrangement
        fields = ["stream", "service", "supervisor", "current"]


class ArrangementCreateView(generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        for field in ("supervisee", "stream"):
            if self.request.GET.get(field):
                initial[field] = self.request.GET[field]
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        return services.arrangement_start(
            supervisee=data["supervisee"],
            stream=data["stream"],
            supervisor=data["supervisor"],
            supervisor_name=data["supervisor_name"],
            interval_weeks=data["interval_weeks"],
            starts_on=data["starts_on"],
            by=self.request.user,
        )

    def get_success_message(self, instance):
        starts = f"{instance.starts_on:%-d %B %Y}"
        return f"{instance} with {instance.supervisor_display} starts on {starts}."


class ArrangementEndView(generic.EditView):
    page_title = "End arrangement"

    def save_instance(self):
        return services.arrangement_end(
            arrangement=self.object,
            ends_on=self.form.cleaned_data["ends_on"],
            by=self.request.user,
            reason=self.form.cleaned_data["reason"],
        )

    def get_success_message(self):
        return f"{self.object} ends on {self.object.ends_on:%-d %B %Y}."


class DayColumn(Column):
    """A date as people write it ("3 March 2026"), not as a time since."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(value, "j F Y") if value else None


class StatusColumn(Column):
    """A stream's status in text, with its colour and symbol."""

    cell_template_name = "supervision/includes/status_cell.html"


class ArrangementIndexView(generic.IndexView):
    """Each arrangement in force shows when the next session is due, and its status.

    Open arrangements offer "End" and "Change supervisor" (an end and a new start).
    """

    def get_table(self, object_list):
        # Statuses for the whole page at once, from the rules, not one query per row.
        object_list = list(object_list)
        people = {arrangement.supervisee for arrangement in object_list}
        statuses = selectors.stream_statuses(people, timezone.localdate())
        current = {s.arrangement_id: s for rows in statuses.values() for s in rows}
        for arrangement in object_list:
            arrangement.current_status = current.get(arrangement.pk)
        return super().get_table(object_list)

    def get_list_more_buttons(self, instance):
        if instance.ends_on is not None:
            return []
        change = reverse("supervision_arrangements:add")
        return [
            MenuItem("End", url=self.get_edit_url(instance), icon_name="minus", priority=10),
            MenuItem(
                "Change supervisor",
                url=f"{change}?supervisee={instance.supervisee_id}&stream={instance.stream}",
                icon_name="user",
                priority=20,
            ),
        ]


class ArrangementViewSet(ManagerViewSet):
    model = SupervisionArrangement
    name = "supervision_arrangements"
    icon = "group"
    menu_label = "Arrangements"
    menu_order = 300
    allowed = managers_may("view", "add", "change")
    index_view_class = ArrangementIndexView
    add_view_class = ArrangementCreateView
    edit_view_class = ArrangementEndView
    list_display = [
        "supervisee",
        Column("stream", label="Stream", accessor="get_stream_display"),
        Column("supervisor", label="Supervisor", accessor="supervisor_display"),
        Column("interval_weeks", label="Every (weeks)"),
        DayColumn("starts_on", label="Starts"),
        DayColumn("ends_on", label="Ends"),
        DayColumn("due_on", label="Next due", accessor="current_status.due_on"),
        StatusColumn("status", label="Status", accessor="current_status"),
    ]
    filterset_class = ArrangementFilterSet
    search_fields = ["supervisee__first_name", "supervisee__last_name", "supervisor_name"]

    def scope(self, user):
        return selectors.arrangements_visible_to(user).select_related("supervisee", "supervisor")

    def get_form_class(self, for_update=False):
        return ArrangementEndForm if for_update else ArrangementForm


# Managers: all sessions, metadata only ------------------------------------------------


class SessionFilterSet(WagtailFilterSet):
    stream = django_filters.ChoiceFilter(
        field_name="arrangement__stream", choices=side_choices, label="Stream"
    )
    service = django_filters.ModelChoiceFilter(
        field_name="arrangement__supervisee__service",
        queryset=Service.objects.all(),
        label="Service",
    )
    supervisor = django_filters.ModelChoiceFilter(
        field_name="arrangement__supervisor",
        queryset=User.objects.filter(groups__name=roles.SUPERVISOR),
        label="Supervisor",
    )
    status = django_filters.ChoiceFilter(choices=SupervisionSession.Status.choices, label="Status")
    confirmed = django_filters.BooleanFilter(
        field_name="confirmed_at", lookup_expr="isnull", exclude=True, label="Confirmed"
    )
    safeguarding_concern = django_filters.BooleanFilter(label="Safeguarding concern flagged")
    held_on = django_filters.DateFromToRangeFilter(
        label="Held between",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = SupervisionSession
        fields = ["stream", "service", "supervisor", "status", "confirmed", "safeguarding_concern"]


class SessionIndexView(SpreadsheetSafeExportMixin, generic.IndexView):
    """Dates, format, status and the flag; the notes are never loaded here."""

    # Downloads say the flag in words, as the page does ("Flagged" or nothing).
    custom_field_preprocess = {
        "safeguarding_concern": {"csv": flag_word, "xlsx": flag_word},
    }

    def get_list_more_buttons(self, instance):
        return []

    def get_edit_url(self, instance):
        return None


class SessionViewSet(ManagerViewSet):
    model = SupervisionSession
    name = "supervision_sessions"
    icon = "date"
    menu_label = "All sessions"
    menu_order = 400
    index_view_class = SessionIndexView
    # Nobody adds or edits here (the policy allows only "view"): sessions are logged
    # and confirmed in the workspace, through the services.
    form_fields = []
    list_display = [
        DayColumn("held_on", label="Held on"),
        Column("person", label="Peer support worker", accessor="arrangement.supervisee"),
        Column("stream", label="Stream", accessor="arrangement.get_stream_display"),
        Column("supervisor", label="Supervisor", accessor="arrangement.supervisor_display"),
        Column("format", label="Format", accessor="get_format_display"),
        Column("status", label="Status", accessor="get_status_display"),
        # In words, never ticks: a tick beside a safeguarding concern reads as "all well".
        Column(
            "confirmed", label="Confirmed", accessor=lambda s: confirmation_word(s.is_confirmed)
        ),
        Column(
            "signed_off", label="Signed off", accessor=lambda s: sign_off_word(s.acknowledged_at)
        ),
        Column("declined", label="Declined", accessor=lambda s: declined_word(s.is_declined)),
        Column(
            "flagged", label="Safeguarding", accessor=lambda s: flag_word(s.safeguarding_concern)
        ),
    ]
    list_export = [
        "held_on",
        "arrangement.supervisee",
        "arrangement.supervisee.service",
        "arrangement.get_stream_display",
        "arrangement.supervisor_display",
        "duration_minutes",
        "get_format_display",
        "get_status_display",
        "confirmed_at",
        "acknowledged_at",
        "declined_at",
        "corrected_at",
        "safeguarding_concern",
    ]
    export_headings = {
        "held_on": "Held on",
        "arrangement.supervisee": "Peer support worker",
        "arrangement.supervisee.service": "Service",
        "arrangement.get_stream_display": "Stream",
        "arrangement.supervisor_display": "Supervisor",
        "duration_minutes": "Minutes",
        "get_format_display": "Format",
        "get_status_display": "Status",
        "confirmed_at": "Confirmed at",
        "acknowledged_at": "Signed off at",
        "declined_at": "Declined at",
        "corrected_at": "Corrected at",
        "safeguarding_concern": "Safeguarding concern",
    }
    export_filename = "supervision-sessions"
    filterset_class = SessionFilterSet

    def scope(self, user):
        return (
            selectors.sessions_visible_to(user)
            .filter(pk__in=selectors.safeguarding_flags_visible_to(user).values("pk"))
            .defer(*METADATA_ONLY)
            .select_related("arrangement__supervisee__service", "arrangement__supervisor")
        )


# PSWs and supervisors work on the site ------------------------------------------------


class WorkspaceAccessMixin(PermissionCheckedMixin):
    """Refuses (403) anyone the workspace policy does not let take `permission_required`."""

    permission_policy = workspace_policy


class WorkspaceView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "group"

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_breadcrumbs_items(self):
        return []


class SessionLogMovedView(View):
    """Logging a session is on the site: a PSW's own form under /me/, a supervisor's
    under /supervising/ (which keeps the arrangement asked for). Managers log nothing."""

    def get(self, request):
        user = request.user
        if roles.is_psw(user):
            return redirect("me:log_session")
        if roles.is_supervisor(user):
            query = request.GET.urlencode()
            return redirect(reverse("supervision:log") + (f"?{query}" if query else ""))
        raise PermissionDenied


class SessionMovedView(View):
    """A session's page with its notes is on the site, for its two parties: the
    supervisee's own page under /me/, the supervisor's under /supervising/. Anyone else
    (managers too: they never read notes) finds nothing."""

    def get(self, request, pk):
        user = request.user
        session = get_object_or_404(
            selectors.sessions_with_notes_visible_to(user)
            .defer(*METADATA_ONLY)
            .select_related("arrangement"),
            pk=pk,
        )
        if session.arrangement.supervisee_id == user.pk:
            return redirect("me:session", pk=session.pk)
        return redirect("supervision:session", pk=session.pk)


class SessionActionView(View):
    """A POST that acts on one session found through `sessions(user)`, then goes back."""

    http_method_names = ["post"]

    def sessions(self, user):
        raise NotImplementedError

    def act(self, session, user):
        raise NotImplementedError

    def post(self, request, pk):
        session = get_object_or_404(self.sessions(request.user).defer(*METADATA_ONLY), pk=pk)
        try:
            self.act(session, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.done_message)
        return HttpResponseRedirect(
            get_valid_next_url_from_request(request) or reverse("supervision_workspace:waiting")
        )


class SessionConfirmView(SessionActionView):
    done_message = "Session confirmed. It now counts towards the next due date."

    def sessions(self, user):
        return selectors.sessions_awaiting_confirmation_by(user)

    def act(self, session, user):
        services.session_confirm(session=session, by=user)


class AwaitingConfirmationView(WorkspaceAccessMixin, WorkspaceView):
    """Sessions a PSW logged that this user may confirm (metadata only): the managers'
    list, for supervisors with no account here. A supervisor's own are on the site."""

    permission_required = "confirm_sessions"
    page_title = "Waiting for confirmation"
    template_name = "supervision/awaiting_confirmation.html"

    def get(self, request, *args, **kwargs):
        if not roles.is_manager(request.user):
            return redirect("supervision:supervisees")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        sessions = (
            selectors.sessions_awaiting_confirmation_by(user)
            .defer(*METADATA_ONLY)
            .select_related("arrangement__supervisee", "logged_by")
            .order_by("held_on")
        )
        readable = set(
            selectors.sessions_with_notes_visible_to(user)
            .filter(pk__in=[s.pk for s in sessions])
            .values_list("pk", flat=True)
        )
        rows = [(session, session.pk in readable) for session in sessions]
        return super().get_context_data(rows=rows, **kwargs)


class SessionDeclineView(WagtailAdminTemplateMixin, FormView):
    """A manager (where the supervisor has no account) declines a session the PSW
    logged, saying why; a supervisor who opens it is sent to the site's own form. A
    guessed id is a 404."""

    page_title = "Decline a session"
    header_icon = "date"
    template_name = "supervision/session_change_form.html"
    form_class = SessionDeclineForm
    intro = (
        "Decline a session the peer support worker logged when it did not happen as "
        "recorded. It stays on their record, marked declined, and never counts. They read "
        "your reason; nobody else does."
    )

    def get_breadcrumbs_items(self):
        return []

    @cached_property
    def session(self):
        return get_object_or_404(
            selectors.sessions_awaiting_confirmation_by(self.request.user)
            .defer(*METADATA_ONLY)
            .select_related("arrangement__supervisee", "arrangement__supervisor"),
            pk=self.kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        if not roles.is_manager(request.user):
            return redirect("supervision:decline", pk=self.session.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, intro=self.intro, **kwargs)

    def form_valid(self, form):
        try:
            services.session_decline(
                session=self.session, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, "Session declined. The peer support worker can read your reason."
        )
        return HttpResponseRedirect(reverse("supervision_workspace:waiting"))
