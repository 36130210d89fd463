from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    default = True
    name = "people"
    verbose_name = "People and services"

    def ready(self):
        from . import history  # noqa: F401  (connects the back-dating receiver)


class PeopleUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app, managing people with their service and dates."""

    default = False

    user_viewset = "people.views.PersonViewSet"
