from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEntry(models.Model):
    """One line of the audit log, sealed into a hash chain per record.

    One entry is written beside every history row (django-simple-history) of every
    tracked model. It indexes the log for the filters managers use (actor, person
    affected, kind, date) without a union over the history tables, and it holds the
    chain: `hash` covers the history row's content and the previous entry's hash for
    the same record, so a history row changed, removed or inserted behind the
    application's back is found by `verify_audit`.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    history_id = models.BigIntegerField()
    object_id = models.CharField(max_length=64)
    sequence = models.PositiveIntegerField(help_text="Position in this record's chain.")
    history_type = models.CharField(max_length=1)
    history_date = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=120, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        help_text="Whose record this is.",
    )
    reason = models.TextField(blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    key_id = models.CharField(
        max_length=12, blank=True, help_text="Which AUDIT_KEY sealed this entry (its short name)."
    )

    class Meta:
        ordering = ["-history_date", "-pk"]
        verbose_name_plural = "audit entries"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "history_id"], name="one_entry_per_history_row"
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "sequence"], name="one_link_per_position"
            ),
        ]
        indexes = [
            models.Index(fields=["actor", "history_date"]),
            models.Index(fields=["person", "history_date"]),
            models.Index(fields=["content_type", "history_date"]),
            models.Index(fields=["content_type", "object_id", "sequence"]),
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id} #{self.sequence}"
