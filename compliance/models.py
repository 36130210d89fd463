from django.conf import settings
from django.db import models


class ReminderLog(models.Model):
    """One reminder to one person about one item at one threshold: who, what, when.

    The database holds each (person, item, threshold) once, so a reminder already sent
    is never sent again, however often the command runs. A run claims a row ("sending")
    in its own committed transaction before the email goes, so a second run at the same
    moment finds it taken; a run that dies mid-send leaves the claim, which the next run
    takes over only once it is older than `reminders.CLAIM_TIMEOUT`. A failed send keeps
    its row with the status "failed" and is tried again on the next run.
    """

    class Threshold(models.TextChoices):
        EXPIRING_60 = "expiring_60", "Expires within 60 days"
        EXPIRING_30 = "expiring_30", "Expires within 30 days"
        EXPIRING_7 = "expiring_7", "Expires within 7 days"
        EXPIRED = "expired", "Expired"
        MISSING = "missing", "Not recorded"
        DUE_SOON = "due_soon", "Supervision due soon"
        OVERDUE = "overdue", "Supervision overdue"
        ACKNOWLEDGE = "acknowledge", "Session to sign off"
        CONFIRM = "confirm", "Session to confirm"
        DIGEST = "digest", "Weekly digest"

    class Status(models.TextChoices):
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, to retry"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    item_key = models.CharField(max_length=120)
    threshold = models.CharField(max_length=20, choices=Threshold.choices)
    summary = models.CharField("what it said", max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    first_tried_at = models.DateTimeField(auto_now_add=True)
    last_tried_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_tried_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "item_key", "threshold"], name="reminder_once_per_threshold"
            )
        ]

    def __str__(self):
        return f"{self.get_threshold_display()} for {self.person}: {self.summary}"


class RunLock(models.Model):
    """A lease that lets one run of a job work at a time, on any host.

    Taken and renewed by a conditional update (only when free or expired), which every
    database makes atomic; a run that dies holds it only until `expires_at`.
    """

    name = models.CharField(max_length=60, unique=True)
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} (held until {self.expires_at:%Y-%m-%d %H:%M:%S})"
