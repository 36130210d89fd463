from django.urls import path

from . import supervising

app_name = "supervision"
urlpatterns = [
    path("supervising/", supervising.SuperviseesView.as_view(), name="supervisees"),
    path("supervising/log/", supervising.SessionLogView.as_view(), name="log"),
    path("supervising/group/", supervising.GroupLogView.as_view(), name="log_group"),
    path("supervising/sessions/", supervising.SessionListView.as_view(), name="sessions"),
    path("supervising/sessions/<int:pk>/", supervising.SessionView.as_view(), name="session"),
    path(
        "supervising/sessions/<int:pk>/confirm/",
        supervising.SessionConfirmView.as_view(),
        name="confirm",
    ),
    path(
        "supervising/sessions/<int:pk>/decline/",
        supervising.SessionDeclineView.as_view(),
        name="decline",
    ),
    path(
        "supervising/sessions/<int:pk>/correct/",
        supervising.SessionCorrectView.as_view(),
        name="correct",
    ),
    path(
        "supervising/sessions/<int:pk>/sign-off/",
        supervising.SessionSignOffView.as_view(),
        name="sign_off",
    ),
    path("supervising/groups/<int:pk>/", supervising.GroupView.as_view(), name="group"),
    path(
        "supervising/groups/<int:pk>/correct/",
        supervising.GroupCorrectView.as_view(),
        name="correct_group",
    ),
]
