from django.urls import path
from wagtail import hooks

from .views import LegalNameView, PlacementViewSet, ServiceViewSet


@hooks.register("register_admin_urls")
def register_legal_name_url():
    return [path("people/<int:pk>/legal-name/", LegalNameView.as_view(), name="people_legal_name")]


@hooks.register("register_admin_viewset")
def register_service_viewset():
    return ServiceViewSet("services")


@hooks.register("register_admin_viewset")
def register_placement_viewset():
    return PlacementViewSet("placements")
