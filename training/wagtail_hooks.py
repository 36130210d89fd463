"""The training side of the staff workspace: one "Training" menu, each item shown to
the roles that use it."""

from django.templatetags.static import static
from django.urls import include, path, reverse_lazy
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from people.policies import WorkspaceMenuItem

from . import services, views, viewsets

record_viewset = viewsets.TrainingRecordViewSet("training-records")
exemption_viewset = viewsets.TrainingExemptionViewSet("training-exemptions")
attempt_viewset = viewsets.KnowledgeCheckAttemptViewSet("check-attempts")

admin_urlpatterns = [
    path("pending/", views.PendingQueueView.as_view(), name="pending"),
    path("records/<int:pk>/verify/", views.VerifyRecordView.as_view(), name="verify"),
    path("records/<int:pk>/reject/", views.RejectRecordView.as_view(), name="reject"),
    path("records/<int:pk>/revoke/", views.RevokeRecordView.as_view(), name="revoke"),
    path("records/<int:pk>/correct/", views.CorrectRecordView.as_view(), name="correct"),
    path("register/", views.AttendanceRegisterView.as_view(), name="register"),
    path("team/", views.TeamTrainingView.as_view(), name="team"),
    path("checks/", views.CheckStatisticsView.as_view(), name="check_statistics"),
]


def training_menu_items():
    return [
        WorkspaceMenuItem(
            "Waiting for verification",
            reverse_lazy("training_admin:pending"),
            action="verify_training",
            icon_name="tasks",
            order=200,
        ),
        WorkspaceMenuItem(
            "All records",
            record_viewset.menu_url,
            action="verify_training",
            icon_name="list-ul",
            order=300,
        ),
        WorkspaceMenuItem(
            "Attendance register",
            reverse_lazy("training_admin:register"),
            action="verify_training",
            icon_name="group",
            order=400,
        ),
        WorkspaceMenuItem(
            "Exemptions",
            exemption_viewset.menu_url,
            action="verify_training",
            icon_name="pick",
            order=500,
        ),
        WorkspaceMenuItem(
            "Team training",
            reverse_lazy("training_admin:team"),
            action="read_team_training",
            icon_name="user",
            order=600,
        ),
        WorkspaceMenuItem(
            "Check attempts",
            attempt_viewset.menu_url,
            action="verify_training",
            icon_name="help",
            order=650,
        ),
        WorkspaceMenuItem(
            "Knowledge checks",
            reverse_lazy("training_admin:check_statistics"),
            action="read_check_statistics",
            icon_name="help",
            order=700,
        ),
    ]


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return [record_viewset, exemption_viewset, attempt_viewset]


@hooks.register("register_admin_urls")
def register_training_urls():
    return [path("training/", include((admin_urlpatterns, "training_admin")))]


@hooks.register("register_admin_menu_item")
def register_training_menu():
    return SubmenuMenuItem(
        "Training", Menu(items=training_menu_items()), icon_name="doc-full", order=250
    )


@hooks.register("insert_global_admin_css")
def training_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("training/admin.css"))


@hooks.register("register_log_actions")
def register_training_log_actions(actions):
    actions.register_action(services.VERIFY_ACTION, "Verify a completion", "Verified")
    actions.register_action(services.REJECT_ACTION, "Reject a completion", "Rejected")
    actions.register_action(
        services.WITHDRAW_ACTION, "Withdraw a completion", "Withdrawn by the person"
    )
    actions.register_action(services.CORRECT_ACTION, "Correct a completion date", "Date corrected")
    actions.register_action(
        services.REISSUE_ACTION, "Re-issue a certificate under a new name", "Certificate re-issued"
    )
