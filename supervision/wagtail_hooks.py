"""The "Supervision" menu group: each role sees the items that are its work."""

from django.templatetags.static import static
from django.urls import include, path, reverse_lazy
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from people import roles

from . import views

workspace_urls = [
    path("mine/", views.MySupervisionView.as_view(), name="mine"),
    path("supervisees/", views.MySuperviseesView.as_view(), name="supervisees"),
    path("log/", views.SessionLogView.as_view(), name="log"),
    path("waiting/", views.AwaitingConfirmationView.as_view(), name="waiting"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session"),
    path(
        "sessions/<int:pk>/acknowledge/",
        views.SessionAcknowledgeView.as_view(),
        name="acknowledge",
    ),
    path("sessions/<int:pk>/confirm/", views.SessionConfirmView.as_view(), name="confirm"),
    path("sessions/<int:pk>/correct/", views.SessionCorrectView.as_view(), name="correct"),
    path("sessions/<int:pk>/decline/", views.SessionDeclineView.as_view(), name="decline"),
]


class RoleMenuItem(MenuItem):
    def __init__(self, label, url_name, *, shown_to, **kwargs):
        super().__init__(label, reverse_lazy(f"supervision_workspace:{url_name}"), **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return any(check(request.user) for check in self.shown_to)


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
def my_supervision_item():
    return RoleMenuItem(
        "My supervision", "mine", shown_to=[roles.is_psw], icon_name="user", order=100
    )


@hooks.register("register_supervision_menu_item")
def my_supervisees_item():
    return RoleMenuItem(
        "My supervisees",
        "supervisees",
        shown_to=[roles.is_supervisor],
        icon_name="group",
        order=110,
    )


@hooks.register("register_supervision_menu_item")
def log_session_item():
    return RoleMenuItem(
        "Log a session",
        "log",
        shown_to=[roles.is_psw, roles.is_supervisor],
        icon_name="plus",
        order=120,
    )


@hooks.register("register_supervision_menu_item")
def waiting_item():
    return RoleMenuItem(
        "Waiting for confirmation",
        "waiting",
        shown_to=[roles.is_supervisor, roles.is_manager],
        icon_name="time",
        order=130,
    )


@hooks.register("insert_global_admin_css")
def status_css():
    return format_html('<link rel="stylesheet" href="{}">', static("supervision/workspace.css"))
