from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("training/record/<int:module_id>/", views.record_completion, name="record"),
    path("evidence/<int:record_id>/", views.evidence, name="evidence"),
]
