from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from people import roles

from . import admin_urls
from .panels import panels_for
from .reminder_hooks import reminder_log_viewset
from .selectors import can_see_matrix


class OrganisationMenuItem(MenuItem):
    """Shown to managers, and to service leads for their service."""

    def is_shown(self, request):
        return can_see_matrix(request.user)


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_manager(request.user)


@hooks.register("register_admin_urls")
def register_compliance_urls():
    return [path("compliance/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_compliance_menu():
    menu = Menu(
        items=[
            OrganisationMenuItem(
                "Organisation matrix", reverse_lazy("compliance_admin:matrix"), icon_name="table"
            ),
            OrganisationMenuItem(
                "Summary", reverse_lazy("compliance_admin:summary"), icon_name="list-ul"
            ),
            OrganisationMenuItem(
                "Trends", reverse_lazy("compliance_admin:trends"), icon_name="history"
            ),
            ManagerMenuItem("Reminder log", reminder_log_viewset.menu_url, icon_name="mail"),
        ]
    )
    return SubmenuMenuItem("Compliance", menu, icon_name="tasks", order=250)


@hooks.register("construct_homepage_panels")
def add_compliance_panels(request, panels):
    panels.extend(panels_for(request))
