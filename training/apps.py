from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self):
        # Certificates register their own admin hooks, beside the training viewsets.
        from . import certificate_hooks  # noqa: F401
