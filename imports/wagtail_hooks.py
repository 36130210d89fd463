"""The import in the staff workspace, at /admin/imports/, for managers."""

from django.urls import include, path, reverse
from wagtail import hooks

from people.policies import WorkspaceMenuItem

from . import services, views
from .selectors import import_policy

urls = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="detail"),
    path("<int:pk>/confirm/", views.ConfirmView.as_view(), name="confirm"),
    path("<int:pk>/rows/<int:number>/", views.RowCorrectView.as_view(), name="row"),
    path(
        "templates/<str:kind>.<str:extension>",
        views.TemplateDownloadView.as_view(),
        name="template",
    ),
]


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("imports/", include((urls, "imports")))]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return WorkspaceMenuItem(
        "Import records",
        reverse("imports:index"),
        policy=import_policy,
        action="add",
        icon_name="upload",
        order=280,
    )


@hooks.register("register_log_actions")
def register_import_log_actions(actions):
    actions.register_action(services.IMPORT_ACTION, "Import records from a file", "Imported")
