from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from people.policies import WorkspaceMenuItem

from . import admin_urls
from .panels import panels_for
from .reminder_hooks import reminder_log_viewset


@hooks.register("register_admin_urls")
def register_compliance_urls():
    return [path("compliance/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_compliance_menu():
    menu = Menu(
        items=[
            WorkspaceMenuItem(
                "Organisation matrix",
                reverse_lazy("compliance_admin:matrix"),
                action="read_organisation",
                icon_name="table",
            ),
            WorkspaceMenuItem(
                "Summary",
                reverse_lazy("compliance_admin:summary"),
                action="read_organisation",
                icon_name="list-ul",
            ),
            WorkspaceMenuItem(
                "Trends",
                reverse_lazy("compliance_admin:trends"),
                action="read_organisation",
                icon_name="history",
            ),
            WorkspaceMenuItem(
                "Reminder log",
                reminder_log_viewset.menu_url,
                action="read_reminder_log",
                icon_name="mail",
            ),
        ]
    )
    return SubmenuMenuItem("Compliance", menu, icon_name="tasks", order=250)


@hooks.register("construct_homepage_panels")
def add_compliance_panels(request, panels):
    panels.extend(panels_for(request))
