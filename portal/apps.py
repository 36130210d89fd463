from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Site"

    def ready(self):
        from . import checks, security_log  # noqa: F401  (registers checks and receivers)
