"""The "Supervision" menu group: each role sees the items that are its work."""

from django.templatetags.static import static
from django.urls import include, path, reverse_lazy
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from people.policies import WorkspaceMenuItem

from . import views

workspace_urls = [
    path("log/", views.SessionLogMovedView.as_view(), name="log"),
    path("waiting/", views.AwaitingConfirmationView.as_view(), name="waiting"),
    path("sessions/<int:pk>/", views.SessionMovedView.as_view(), name="session"),
    path("sessions/<int:pk>/confirm/", views.SessionConfirmView.as_view(), name="confirm"),
    path("sessions/<int:pk>/decline/", views.SessionDeclineView.as_view(), name="decline"),
]


def workspace_url(name):
    return reverse_lazy(f"supervision_workspace:{name}")


@hooks.register("register_admin_urls")
def register_workspace_urls():
    return [path("supervision/", include((workspace_urls, "supervision_workspace")))]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [views.ArrangementViewSet(), views.SessionViewSet()]


@hooks.register("register_admin_menu_item")
def register_supervision_menu():
    return SubmenuMenuItem(
        "Supervision",
        Menu(register_hook_name="register_supervision_menu_item"),
        name="supervision",
        icon_name="group",
        order=250,
    )


@hooks.register("register_supervision_menu_item")
def waiting_item():
    return WorkspaceMenuItem(
        "Waiting for confirmation",
        workspace_url("waiting"),
        action="confirm_sessions",
        icon_name="time",
        order=130,
    )


@hooks.register("insert_global_admin_css")
def status_css():
    return format_html('<link rel="stylesheet" href="{}">', static("supervision/workspace.css"))
