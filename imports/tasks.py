"""Reading, checking and writing an import, off the request on a worker.

With the default immediate backend these run at once, in the request; with the
database backend a worker runs them and the import's page follows their progress.
"""

from contextlib import contextmanager

from django.utils import timezone
from django_tasks import task

from .models import RecordImport

BROKEN = (
    "Something went wrong while working on this file, and nothing was imported. "
    "Try again; if it happens again, tell your administrator."
)


@contextmanager
def the_import(import_id):
    """The import, marked as failed (in words) if the work stops on an error."""
    record_import = RecordImport.objects.select_related("uploaded_by").get(pk=import_id)
    try:
        yield record_import
    except Exception:
        RecordImport.objects.filter(pk=import_id).update(
            status=RecordImport.Status.FAILED, problem=BROKEN
        )
        raise


# The services enqueue these tasks, so they are imported here when a task runs.
@task()
def read_and_check(import_id):
    from .services import import_check, import_read

    with the_import(import_id) as record_import:
        if import_read(record_import=record_import):
            import_check(record_import=record_import, today=timezone.localdate())


@task()
def check_again(import_id):
    from .services import import_check

    with the_import(import_id) as record_import:
        import_check(record_import=record_import, today=timezone.localdate())


@task()
def write_rows(import_id):
    from .services import import_write

    with the_import(import_id) as record_import:
        import_write(record_import=record_import, today=timezone.localdate())
