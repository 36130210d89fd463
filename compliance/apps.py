from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Compliance"

    def ready(self):
        from . import (
            reminder_hooks,  # noqa: F401  (the reminder log and preferences)
            state_hooks,  # noqa: F401  (the status tables follow the facts)
        )

        post_migrate.connect(keep_indexes, sender=self)


def keep_indexes(using, **kwargs):
    """Recreate compliance's indexes a SQLite table rebuild may have dropped."""
    from django.db import connections

    from .indexes import ensure_indexes

    ensure_indexes(connections[using])
