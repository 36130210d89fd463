from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Compliance"

    def ready(self):
        from . import (
            reminder_hooks,  # noqa: F401  (the reminder log and preferences)
            state_hooks,  # noqa: F401  (the status tables follow the facts)
        )
