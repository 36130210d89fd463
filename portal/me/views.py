"""The PSW's own pages. Each reads through a scoping selector narrowed to the person
signed in, so another person's record id answers 404, and acts through a service."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone

from audit.sentences import own_history
from compliance.loader import Person, statuses_today
from people import roles
from people.forms import PreferredNameEmailForm
from people.services import account_notice_send, account_reminders_choose
from supervision import services as supervision_services
from supervision.forms import SessionForm
from supervision.selectors import arrangements_loggable_by, sessions_with_notes_visible_to
from training import rules as training_rules
from training import services as training_services
from training.selectors import own_records

from ..doors import landing_url, site_roles
from .forms import NotificationsForm, SignOffForm
from .today import today_for

SESSIONS_PER_PAGE = 10
CHANGES_PER_PAGE = 30


def psw_page(view):
    """Signed-in peer support workers only; anyone else is sent to their own pages."""

    @wraps(view)
    @login_required
    def checked(request, *args, **kwargs):
        if not roles.is_psw(request.user):
            return redirect(landing_url(request.user))
        return view(request, *args, **kwargs)

    return checked


def site_page(view):
    """Signed-in people who use the site's pages (a PSW, supervisor or service lead);
    managers and administrators are sent to the workspace."""

    @wraps(view)
    @login_required
    def checked(request, *args, **kwargs):
        if not site_roles(request.user):
            return redirect(landing_url(request.user))
        return view(request, *args, **kwargs)

    return checked


def own_sessions(user):
    return sessions_with_notes_visible_to(user).filter(arrangement__supervisee=user)


def page_of(request, items, per_page):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


@psw_page
def today(request):
    on = timezone.localdate()
    return render(
        request,
        "me/today.html",
        {"today": on, "page": today_for(request.user, on, request), "here": "today"},
    )


# My training -------------------------------------------------------------------------


@psw_page
def training(request):
    records = (
        own_records(request.user)
        .select_related("module")
        .annotate(check_count=Count("certificate_checks"))
        .annotate(last_checked=Max("certificate_checks__checked_at"))
        .order_by("-completed_on", "-pk")
    )
    return render(
        request,
        "me/training.html",
        {
            "records": records,
            "expiring_days": training_rules.EXPIRING_WINDOW.days,
            "here": "training",
        },
    )


@psw_page
def withdraw(request, pk):
    """A confirmation page (GET), and the withdrawal itself (POST)."""
    record = get_object_or_404(own_records(request.user).select_related("module"), pk=pk)
    if request.method == "POST":
        try:
            training_services.record_withdraw(record=record, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"You have withdrawn your {record.module.title} completion. "
                "You can record it again whenever you are ready.",
            )
        return redirect("me:training")
    return render(request, "me/withdraw.html", {"record": record, "here": "training"})


# My supervision ----------------------------------------------------------------------


@psw_page
def supervision(request):
    user = request.user
    status = statuses_today([Person.of(user)], timezone.localdate()).people[0]
    sessions = (
        own_sessions(user).select_related("arrangement__supervisor").order_by("-held_on", "-pk")
    )
    return render(
        request,
        "me/supervision.html",
        {
            "streams": status.streams.values(),
            "page_obj": page_of(request, sessions, SESSIONS_PER_PAGE),
            "here": "supervision",
        },
    )


@psw_page
def session(request, pk):
    """One session with its notes, and the person's sign-off."""
    user = request.user
    found = get_object_or_404(
        own_sessions(user).select_related(
            "arrangement__supervisor", "logged_by", "confirmed_by", "declined_by"
        ),
        pk=pk,
    )
    form = SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            supervision_services.session_acknowledge(
                session=found, by=user, differing_view=form.cleaned_data["differing_view"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Thank you: you have signed off this session.")
        return redirect("me:session", pk=found.pk)
    return render(
        request,
        "me/session.html",
        {
            "session": found,
            "topics": [found.Topic(t).label for t in found.topics if t in found.Topic.values],
            "form": form,
            "can_sign_off": found.acknowledged_at is None and not found.is_declined,
            "here": "supervision",
        },
    )


@psw_page
def log_session(request):
    """A session the person logs themself, to be confirmed by their supervisor."""
    user, on = request.user, timezone.localdate()
    form = SessionForm(
        request.POST or None,
        arrangements=arrangements_loggable_by(user).filter(supervisee=user),
        today=on,
        initial={"held_on": on, "duration_minutes": 60},
    )
    if request.method == "POST" and form.is_valid():
        try:
            logged = supervision_services.session_log(by=user, today=on, **form.service_arguments())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Session logged. It counts once {logged.arrangement.supervisor_display} "
                "(or a manager, if they have no account here) confirms it.",
            )
            return redirect("me:session", pk=logged.pk)
    return render(request, "me/log_session.html", {"form": form, "here": "supervision"})


# What changed ------------------------------------------------------------------------


@psw_page
def changes(request):
    return render(
        request,
        "me/changes.html",
        {
            "page_obj": page_of(request, own_history(request.user), CHANGES_PER_PAGE),
            "here": "changes",
        },
    )


# Account -----------------------------------------------------------------------------


@site_page
def account(request):
    user = request.user
    details = PreferredNameEmailForm(
        request.POST if "details" in request.POST else None, instance=user, request=request
    )
    notifications = NotificationsForm(
        request.POST if "notifications" in request.POST else None,
        initial={"optional_reminders": user.optional_reminders},
    )
    if "details" in request.POST and details.is_valid():
        details.save()
        messages.success(request, "Your details are saved.")
        return redirect("me:account")
    if "notifications" in request.POST and notifications.is_valid():
        account_reminders_choose(
            user=user, optional_reminders=notifications.cleaned_data["optional_reminders"]
        )
        messages.success(request, "Your notification choices are saved.")
        return redirect("me:account")
    return render(
        request,
        "me/account.html",
        {"details": details, "notifications": notifications, "here": "account"},
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, in the site's look; the account's address is told."""

    template_name = "me/password.html"
    success_url = reverse_lazy("me:account")
    extra_context = {"here": "account"}

    def form_valid(self, form):
        response = super().form_valid(form)
        account_notice_send(
            user=self.request.user,
            what="The password was changed",
            event="password_changed",
            request=self.request,
        )
        messages.success(self.request, "Your password is changed.")
        return response


password = site_page(PasswordChangeView.as_view())
