from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from .services import entry_seal


@receiver(post_create_historical_record)
def seal_history_row(sender, instance, history_instance, **kwargs):
    if instance._meta.app_label in ("people", "training", "supervision"):
        entry_seal(
            history_row=history_instance,
            instance=instance,
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        )
