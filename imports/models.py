"""An import of records from a spreadsheet, kept as rows until a manager confirms it.

The file is read once into `ImportRow`s (the cells as text, exactly as written), so
the preview, a manager's correction of a refused row and the final import all work
from the same rows, a page at a time, whatever the size of the file. The rows are
the import's working copy, not records: the records they become carry the history.
"""

from django.conf import settings
from django.db import models

from training.storage import private_storage


class Kind(models.TextChoices):
    PEOPLE = "people", "People"
    ARRANGEMENTS = "arrangements", "Supervision arrangements"
    COMPLETIONS = "completions", "Training completions"
    SESSIONS = "sessions", "Supervision sessions"


class Outcome(models.TextChoices):
    NEW = "new", "New"
    UNCHANGED = "unchanged", "Unchanged"
    UPDATED = "updated", "Updated"
    REFUSED = "refused", "Refused"


class RecordImport(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Ready to import"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Could not be read"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_name = models.CharField("file", max_length=200)
    file = models.FileField(storage=private_storage, max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="record_imports"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKING)
    problem = models.TextField(blank=True, help_text="Why the file could not be read.")
    ignored_columns = models.JSONField(default=list, blank=True)
    month_first_row = models.PositiveIntegerField(
        null=True, blank=True, help_text="A row whose date can only be month first, if any."
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.file_name}"

    @property
    def busy(self):
        return self.status in {self.Status.CHECKING, self.Status.IMPORTING}

    @property
    def to_write(self):
        return self.new + self.updated


class ImportRow(models.Model):
    record_import = models.ForeignKey(RecordImport, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(help_text="The row's number in the spreadsheet.")
    values = models.JSONField(default=dict, help_text="The cells, as text, by column.")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    reason = models.TextField(blank=True)
    corrected = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["record_import", "number"], name="one_row_a_number")
        ]
        indexes = [models.Index(fields=["record_import", "outcome", "number"])]

    def __str__(self):
        return f"Row {self.number}"
