from wagtail import hooks

from .views import ServiceViewSet


@hooks.register("register_admin_viewset")
def register_service_viewset():
    return ServiceViewSet("services")
