"""The supervisor's own pages on the site, under /supervising/.

Their supervisees, soonest due first; logging a session, or one group session for
several of them; a session's page with its notes; confirming, declining and correcting.
A session's page and its sign-off are for its two parties (the supervisee signs off
there too); a group's page for its facilitator and each person who came. Every object is
loaded through a selector of what the user may see, so a guessed id is a 404.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, ListView, TemplateView, View

from people.policies import workspace_policy

from . import selectors, services
from .forms import (
    GroupCorrectionForm,
    GroupSessionForm,
    SessionCorrectionForm,
    SessionDeclineForm,
    SupervisorSessionForm,
)
from .models import SupervisionSession

# Free text written inside the supervisory relationship: not loaded where not shown.
PRIVATE_TEXT = ("notes", "actions", "same_day_reason", "supervisee_view", "decline_reason")
RECENT = 10


class SitePage(LoginRequiredMixin):
    """A page of the site; `action`, when set, is what the workspace policy must allow."""

    action = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.action and not workspace_policy.user_has_permission(request.user, self.action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def today(self):
        return timezone.localdate()


class SupervisorPage(SitePage):
    action = "read_supervisees"


class SuperviseesView(SupervisorPage, TemplateView):
    """Who is overdue and who is due, soonest first; what waits for confirmation; the
    latest sessions."""

    template_name = "supervision/supervising/supervisees.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        waiting = (
            selectors.sessions_awaiting_confirmation_by(user)
            .filter(arrangement__supervisor=user)
            .defer(*PRIVATE_TEXT)
            .select_related("arrangement__supervisee")
            .order_by("held_on", "pk")
        )
        recent = supervised_sessions(user)[:RECENT]
        return super().get_context_data(
            rows=selectors.supervisee_statuses(user, self.today),
            waiting=waiting,
            recent=recent,
            **kwargs,
        )


def supervised_sessions(user):
    """Sessions of the arrangements `user` supervises, newest first, without their text."""
    return (
        selectors.sessions_supervised_by(user)
        .defer(*PRIVATE_TEXT)
        .select_related("arrangement__supervisee")
        .order_by("-held_on", "-pk")
    )


class SessionListView(SupervisorPage, ListView):
    """Every session the supervisor has supervised, newest first, a page at a time."""

    template_name = "supervision/supervising/sessions.html"
    context_object_name = "sessions"
    paginate_by = 25

    def get_queryset(self):
        return supervised_sessions(self.request.user)


class SessionLogView(SupervisorPage, FormView):
    template_name = "supervision/supervising/session_log.html"
    form_class = SupervisorSessionForm

    def get_form_kwargs(self):
        arrangements = selectors.arrangements_supervised_by(self.request.user).filter(
            supervisee__is_active=True
        )
        return {
            **super().get_form_kwargs(),
            "arrangements": arrangements.order_by(
                "supervisee__first_name", "supervisee__last_name", "-starts_on"
            ),
            "today": self.today,
        }

    def get_initial(self):
        return {
            "arrangement": self.request.GET.get("arrangement"),
            "held_on": self.today,
            "duration_minutes": 60,
        }

    def form_valid(self, form):
        try:
            session = services.session_log(
                by=self.request.user, today=self.today, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Session logged. {session.arrangement.supervisee} can now read it and sign it off.",
        )
        return HttpResponseRedirect(reverse("supervision:session", args=[session.pk]))


class GroupLogView(SupervisorPage, FormView):
    template_name = "supervision/supervising/group_log.html"
    form_class = GroupSessionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "supervisor": self.request.user, "today": self.today}

    def get_initial(self):
        return {"held_on": self.today, "duration_minutes": 90, "format": "reflective_practice"}

    def form_valid(self, form):
        try:
            group = services.group_log(
                facilitator=self.request.user, today=self.today, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Group session logged for {group.sessions.count()} people. It counts for each of "
            "them, and each can read it and sign it off.",
        )
        return HttpResponseRedirect(reverse("supervision:group", args=[group.pk]))


class SessionView(SitePage, TemplateView):
    """One session with its notes: for the supervisee and the arrangement's supervisor."""

    template_name = "supervision/supervising/session.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        session = get_object_or_404(
            selectors.sessions_with_notes_visible_to(user).select_related(
                "arrangement__supervisee",
                "arrangement__supervisor",
                "logged_by",
                "confirmed_by",
                "declined_by",
                "group",
            ),
            pk=kwargs["pk"],
        )
        return super().get_context_data(
            session=session,
            topics=[SupervisionSession.Topic(t).label for t in session.topics],
            is_supervisee=session.arrangement.supervisee_id == user.pk,
            can_confirm=selectors.sessions_awaiting_confirmation_by(user)
            .filter(pk=session.pk)
            .exists(),
            can_correct=not session.group_id
            and selectors.sessions_correctable_by(user).filter(pk=session.pk).exists(),
            **kwargs,
        )


class SessionActionView(SitePage, View):
    """A POST that acts on one session found through `sessions(user)`, then goes back."""

    http_method_names = ["post"]

    def post(self, request, pk):
        session = get_object_or_404(self.sessions(request.user).defer(*PRIVATE_TEXT), pk=pk)
        try:
            self.act(session, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.done_message)
        return HttpResponseRedirect(self.back_to(request, session))

    def back_to(self, request, session):
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return target
        return reverse("supervision:session", args=[session.pk])


class SessionConfirmView(SessionActionView):
    done_message = "Session confirmed. It now counts towards the next due date."

    def sessions(self, user):
        return selectors.sessions_awaiting_confirmation_by(user)

    def act(self, session, user):
        services.session_confirm(session=session, by=user)


class SessionSignOffView(SessionActionView):
    done_message = "Thank you: you have signed off this session."

    def sessions(self, user):
        return selectors.sessions_with_notes_visible_to(user).filter(arrangement__supervisee=user)

    def act(self, session, user):
        services.session_acknowledge(
            session=session, by=user, differing_view=self.request.POST.get("differing_view", "")
        )


class SessionFormView(SitePage, FormView):
    """A form about one session found through `sessions(user)`; a guessed id is a 404."""

    template_name = "supervision/supervising/session_change.html"

    @cached_property
    def session(self):
        return get_object_or_404(
            self.sessions(self.request.user)
            .defer(*PRIVATE_TEXT)
            .select_related("arrangement__supervisee", "arrangement__supervisor"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            session=self.session,
            title=self.title,
            intro=self.intro.format(person=self.session.arrangement.supervisee),
            button=self.button,
            back=reverse("supervision:session", args=[self.session.pk]),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.done_message)
        return HttpResponseRedirect(reverse("supervision:session", args=[self.session.pk]))


class SessionCorrectView(SessionFormView):
    form_class = SessionCorrectionForm
    title = "Correct a session"
    intro = (
        "Correct the date, the duration or the format. {person} is emailed the change and "
        "your reason; the history keeps what it said before."
    )
    button = "Correct the session"
    done_message = "Session corrected. The peer support worker has been told."

    def sessions(self, user):
        return selectors.sessions_correctable_by(user).filter(group__isnull=True)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "session": self.session, "today": self.today}

    def act(self, form):
        services.session_correct(
            session=self.session, by=self.request.user, today=self.today, **form.cleaned_data
        )


class SessionDeclineView(SessionFormView):
    form_class = SessionDeclineForm
    title = "Decline a session"
    intro = (
        "Decline a session {person} logged when it did not happen as recorded. It stays on "
        "their record, marked declined, and never counts. They read your reason; nobody "
        "else does."
    )
    button = "Decline the session"
    done_message = "Session declined. The peer support worker can read your reason."

    def sessions(self, user):
        return selectors.sessions_awaiting_confirmation_by(user).filter(
            arrangement__supervisor=user
        )

    def act(self, form):
        services.session_decline(
            session=self.session, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class GroupView(SitePage, TemplateView):
    """A group session: its shared notes and who came, for the facilitator and each
    person who came. The facilitator also sees who has signed off and what each sees
    differently; an attendee sees their own session only."""

    template_name = "supervision/supervising/group.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        group = get_object_or_404(
            selectors.groups_with_notes_visible_to(user).select_related("facilitator"),
            pk=kwargs["pk"],
        )
        sessions = list(
            group.sessions.select_related("arrangement__supervisee").order_by(
                "arrangement__supervisee__first_name", "arrangement__supervisee__last_name"
            )
        )
        is_facilitator = group.facilitator_id == user.pk
        own = next((s for s in sessions if s.arrangement.supervisee_id == user.pk), None)
        shared = own or sessions[0]
        return super().get_context_data(
            group=group,
            sessions=sessions,
            own=own,
            is_facilitator=is_facilitator,
            notes=shared.notes,
            actions=shared.actions,
            topics=[SupervisionSession.Topic(t).label for t in shared.topics],
            **kwargs,
        )


class GroupCorrectView(SupervisorPage, FormView):
    template_name = "supervision/supervising/group_change.html"
    form_class = GroupCorrectionForm

    @cached_property
    def group(self):
        return get_object_or_404(
            selectors.groups_with_notes_visible_to(self.request.user).filter(
                facilitator=self.request.user
            ),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "group": self.group, "today": self.today}

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, **kwargs)

    def form_valid(self, form):
        try:
            services.group_correct(
                group=self.group, by=self.request.user, today=self.today, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, "Group session corrected. Everyone who came has been told.")
        return HttpResponseRedirect(reverse("supervision:group", args=[self.group.pk]))
