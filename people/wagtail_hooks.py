from django.urls import path, reverse
from wagtail import hooks

from .policies import WorkspaceMenuItem
from .views import AddPersonView, LegalNameView, ServiceViewSet


@hooks.register("register_admin_urls")
def register_legal_name_url():
    return [
        path("people/<int:pk>/legal-name/", LegalNameView.as_view(), name="people_legal_name"),
        path("people/add/", AddPersonView.as_view(), name="people_add"),
    ]


@hooks.register("register_admin_menu_item")
def add_person_menu_item():
    return WorkspaceMenuItem(
        "Add a person", reverse("people_add"), action="add_people", icon_name="user", order=850
    )


@hooks.register("register_admin_viewset")
def register_service_viewset():
    return ServiceViewSet("services")
