"""Public and personal certificate URLs: check, PDF, passport (fixed points), and a
supervisor's list of their supervisees' certificates."""

from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.check_form, name="check_form"),
    path("verify/<str:code>/", views.check, name="check"),
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="pdf"),
    path(
        "supervising/certificates/",
        views.SuperviseeCertificatesView.as_view(),
        name="supervisees",
    ),
]
