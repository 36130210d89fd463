import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import services
from imports.models import RecordImport
from tests import factories


@pytest.fixture
def sam():
    return factories.manager(username="sam.lister", first_name="Sam", last_name="Lister")


@pytest.fixture
def pmva():
    return factories.module("PMVA breakaway", provider="nhs", renewal_months=12)


@pytest.fixture
def safeguarding():
    return factories.module("Safeguarding", provider="both", renewal_months=36)


def csv_file(name, rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"))


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """upload(kind, name, rows or file, by) -> the import, read and checked by its task."""

    def run(kind, name, rows, by):
        file = rows if hasattr(rows, "read") else csv_file(name, rows)
        with django_capture_on_commit_callbacks(execute=True):
            record_import = services.import_upload(kind=kind, upload=file, by=by)
        return RecordImport.objects.get(pk=record_import.pk)

    return run


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """confirm(import) -> the import after its task wrote the rows."""

    def run(record_import):
        with django_capture_on_commit_callbacks(execute=True):
            services.import_confirm(record_import=record_import, by=record_import.uploaded_by)
        return RecordImport.objects.get(pk=record_import.pk)

    return run


def verdicts(record_import):
    return {row.number: (row.outcome, row.reason) for row in record_import.rows.all()}
