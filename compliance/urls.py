"""A service lead's pages and a supervisor's training page on the site (the staff
workspace's are in admin_urls)."""

from django.urls import path

from . import service_views, supervising_views

app_name = "compliance"
urlpatterns = [
    path("service/", service_views.ServiceView.as_view(), name="service"),
    path("service/people/", service_views.ServicePeopleView.as_view(), name="service_people"),
    path(
        "service/people/<int:pk>/",
        service_views.ServicePersonView.as_view(),
        name="service_person",
    ),
    path(
        "supervising/training/",
        supervising_views.SuperviseeTrainingView.as_view(),
        name="supervisee_training",
    ),
]
