from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self):
        from people.services import legal_name_changed

        legal_name_changed.connect(_reissue_certificates, dispatch_uid="training-reissue")


def _reissue_certificates(sender, person, by, **kwargs):
    """A person's certificates carry their legal name: a new name means new certificates."""
    from .services import certificates_reissue

    certificates_reissue(person=person, by=by)
