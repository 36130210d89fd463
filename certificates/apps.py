from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """Certificates and the training passport: PDFs, the public check page, bulk ZIPs.

    Above training and supervision (it prints both), below compliance (docs/architecture.md,
    Layers). Its models stay in training, where their tables are.
    """

    name = "certificates"
    verbose_name = "Certificates"
