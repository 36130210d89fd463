from django.urls import path, reverse
from wagtail import hooks

from people.policies import WorkspaceMenuItem

from . import subject_access_views, views


@hooks.register("register_admin_urls")
def audit_urls():
    return [
        path("audit/", views.audit_log, name="audit_log"),
        path(
            "audit/record/<int:content_type_id>/<str:object_id>/",
            views.record_history,
            name="audit_record_history",
        ),
        path(
            "audit/people/<int:pk>/everything/",
            subject_access_views.subject_access_export,
            name="audit_subject_access",
        ),
    ]


@hooks.register("register_admin_menu_item")
def audit_log_menu_item():
    return WorkspaceMenuItem(
        "Audit log", reverse("audit_log"), action="read_audit_log", icon_name="history", order=900
    )
