from django.urls import path

from . import views

app_name = "me"
urlpatterns = [
    path("", views.today, name="today"),
    path("training/", views.training, name="training"),
    path("training/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/log/", views.log_session, name="log_session"),
    path("supervision/<int:pk>/", views.session, name="session"),
    path("changes/", views.changes, name="changes"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password, name="password"),
]
