from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Site"

    def ready(self):
        from . import security_log  # noqa: F401  (connects the signal receivers)
