"""The compliance workspace inside the Wagtail admin, at /admin/compliance/."""

from django.urls import path

from . import views

app_name = "compliance_admin"
urlpatterns = [
    path("matrix/", views.MatrixView.as_view(), name="matrix"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("trends/", views.TrendsView.as_view(), name="trends"),
    path("people/<int:pk>/", views.PersonView.as_view(), name="person"),
]
