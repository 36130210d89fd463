"""Reminders in the staff workspace: the log managers read, and each person's choice
of the optional reminders on their Account page (Notifications)."""

from django import forms
from django.db.models import Q
from django.dispatch import receiver
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab
from wagtail.admin.widgets import SwitchInput

from audit.retention import person_anonymising, replace_all
from people.models import User
from people.policies import managers_may, workspace_policy
from people.viewsets import ScopedModelViewSet

from .models import ReminderLog


@receiver(person_anonymising)
def reminder_log_scrub(sender, *, person, replacements, **kwargs):
    """A leaver's reminders lose their words; others' that name them are rewritten."""
    ReminderLog.objects.filter(person=person).update(summary="", error="")
    naming = Q()
    for old, _ in replacements:
        if old:
            naming |= Q(summary__contains=old)
    for entry in ReminderLog.objects.filter(naming):
        entry.summary = replace_all(entry.summary, replacements)
        entry.save(update_fields=["summary"])


def reminder_log_visible_to(user):
    """Managers read the whole log; nobody else reads any of it."""
    if not workspace_policy.user_has_permission(user, "read_reminder_log"):
        return ReminderLog.objects.none()
    return ReminderLog.objects.select_related("person")


class ReminderLogViewSet(ScopedModelViewSet):
    """Who was reminded of what, and when: read-only, kept by `send_reminders`."""

    model = ReminderLog
    scope = staticmethod(reminder_log_visible_to)
    allowed = managers_may("view")
    icon = "mail"
    menu_label = "Reminder log"
    list_display = [
        Column("person", label="Person"),
        Column("summary", label="What"),
        Column("threshold", label="Reminder", accessor="get_threshold_display"),
        Column("status", label="Status", accessor="get_status_display"),
        Column("attempts", label="Attempts"),
        DateColumn("last_tried_at", label="Last tried"),
    ]
    list_filter = ["status", "threshold"]
    search_fields = ["person__first_name", "person__last_name", "person__username", "summary"]
    search_backend_name = None
    inspect_view_fields = [
        "person",
        "summary",
        "threshold",
        "item_key",
        "status",
        "attempts",
        "error",
        "first_tried_at",
        "last_tried_at",
        "sent_at",
    ]
    # Required to build the (refused) add and edit views: only the command writes here.
    form_fields = ["summary"]


reminder_log_viewset = ReminderLogViewSet("reminder-log")


class ReminderPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["optional_reminders"]
        widgets = {"optional_reminders": SwitchInput()}


class ReminderSettingsPanel(BaseSettingsPanel):
    name = "reminders"
    title = "Reminders by email"
    tab = notifications_tab
    order = 200
    form_class = ReminderPreferencesForm


@hooks.register("register_admin_viewset")
def register_reminder_log():
    return reminder_log_viewset


@hooks.register("register_account_settings_panel")
def register_reminder_preferences(request, user, profile):
    return ReminderSettingsPanel(request, user, profile)
