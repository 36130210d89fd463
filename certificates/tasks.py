"""Background work for training: the ZIP of a service's current certificates.

Runs on the configured django-tasks backend: at once, inside the request, with the
default immediate backend; on a worker with the database backend, where the progress
page shows the count going up.
"""

import secrets
import tempfile
import zipfile

from django.core.files import File
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import task

from people.selectors import in_post_filter
from training.models import CertificateBundle

from . import documents

# Write progress this often: often enough to watch, rarely enough not to slow the work.
PROGRESS_EVERY = 10


def bundle_records(bundle):
    """Current certificates of people placed in the bundle's service and in post then."""
    as_of = bundle.as_of
    return (
        documents.current_certificates(as_of)
        .filter(in_post_filter(as_of, "person__"), person__service=bundle.service)
        .order_by("person__last_name", "person__first_name", "module__title", "provider")
    )


def entry_name(record):
    person = slugify(documents.holder_name(record.person)) or record.person.username
    module = slugify(record.module.title)
    return f"{person}/{module}-{record.provider}-{record.certificate_code}.pdf"


@task()
def build_certificate_bundle(bundle_id):
    bundle = CertificateBundle.objects.select_related("service").get(pk=bundle_id)
    records = list(bundle_records(bundle))
    bundle.status, bundle.total, bundle.done = CertificateBundle.Status.RUNNING, len(records), 0
    bundle.save(update_fields=["status", "total", "done"])
    try:
        organisation = documents.organisation()
        with tempfile.TemporaryFile() as buffer:
            # PDFs are compressed already: storing them is as small and much faster.
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
                for done, record in enumerate(records, start=1):
                    archive.writestr(
                        entry_name(record), documents.certificate_pdf(record, organisation)
                    )
                    if done % PROGRESS_EVERY == 0:
                        bundle.done = done
                        bundle.save(update_fields=["done"])
            buffer.seek(0)
            name = f"certificates/bundles/{bundle.pk}-{secrets.token_hex(8)}.zip"
            bundle.file.save(name, File(buffer), save=False)
    except Exception:
        bundle.status = CertificateBundle.Status.FAILED
        bundle.finished_at = timezone.now()
        bundle.save(update_fields=["status", "finished_at"])
        raise
    bundle.status, bundle.done = CertificateBundle.Status.READY, len(records)
    bundle.finished_at = timezone.now()
    bundle.save(update_fields=["status", "done", "file", "finished_at"])
    return bundle.done
