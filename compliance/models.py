from django.conf import settings
from django.db import models
from django.db.models import Q


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
        DUE_BY = "due_by", "Due by a date (induction)"
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


class RequirementState(models.Model):
    """The dates that decide one training requirement's status for one person.

    Kept, not recomputed (docs/architecture.md, "Statuses are kept"): written in the
    same transaction as the record or exemption it follows, so the status on any day
    from the latest completion on is a comparison of these dates with that day, made
    in SQL (`compliance.states`). Whether the requirement applies (the person's
    service, the module's rules, being in post) is read live, so a person's move or a
    module's new services need no rewrite. A row exists only where the person has a
    live record, an exemption or an induction period; no row reads as missing.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(
        "training.TrainingModulePage", on_delete=models.CASCADE, related_name="+"
    )
    provider = models.CharField(max_length=10)
    last_completed = models.DateField(null=True, help_text="The latest verified completion.")
    valid_until = models.DateField(null=True, help_text="Its valid until; empty: never expires.")
    pending = models.BooleanField(
        default=False, help_text="A pending record newer than the latest verified one."
    )
    exempt_from = models.DateField(null=True)
    exempt_until = models.DateField(null=True, help_text="Empty with exempt_from: open-ended.")
    exemption_gaps = models.BooleanField(
        default=False,
        help_text="Exemptions with gaps between them: the days are read from the exemptions.",
    )
    due_on = models.DateField(
        null=True, help_text="The last day of its induction period; empty: none."
    )

    class Meta:
        # Rows are read by person (this constraint's index), each person's few at a
        # time, never by module: an index by module lets PostgreSQL, before it has
        # statistics on a freshly filled table, scan every person's rows for each person.
        constraints = [
            models.UniqueConstraint(
                fields=["person", "module", "provider"], name="one_state_per_requirement"
            )
        ]
        # The matrix's filters by a status few rows have (expired, expiring, waiting
        # for verification, due by) start from the rows that can have it.
        indexes = [
            models.Index(fields=["valid_until"], name="state_valid_until"),
            models.Index(fields=["person"], condition=Q(pending=True), name="state_pending"),
            models.Index(fields=["due_on"], condition=Q(due_on__isnull=False), name="state_due_on"),
        ]

    def __str__(self):
        return f"{self.person_id}: {self.module_id} ({self.provider})"


class ArrangementState(models.Model):
    """The dates that decide a supervision arrangement's status: when it runs and when
    its next session is due. The stream's status on a day is that of its latest started
    arrangement in force then (supervision/rules.py), chosen in SQL."""

    arrangement = models.OneToOneField(
        "supervision.SupervisionArrangement", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stream = models.CharField(max_length=10)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True)
    last_held_on = models.DateField(null=True)
    next_due = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["person", "stream", "starts_on"]),
            models.Index(fields=["stream", "next_due"]),
        ]

    def __str__(self):
        return f"{self.person_id} {self.stream} due {self.next_due}"


class MonthEndCount(models.Model):
    """How many people were compliant with one item in one service at one month's end,
    as recorded then: what the trends page draws. `item` is a requirement key
    (`<module id>-<provider>`), a stream (`s-nhs`), or `trained` / `supervised` for
    people compliant with everything of that kind."""

    month_end = models.DateField()
    service = models.ForeignKey(
        "people.Service", null=True, on_delete=models.CASCADE, related_name="+"
    )
    item = models.CharField(max_length=40)
    people = models.PositiveIntegerField()
    compliant = models.PositiveIntegerField()

    class Meta:
        # A month is written whole (its rows replaced together), so no constraint
        # across a nullable service is needed.
        indexes = [models.Index(fields=["month_end", "item"])]

    def __str__(self):
        return f"{self.month_end} {self.service_id} {self.item}: {self.compliant}/{self.people}"


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


class CountsVersion(models.Model):
    """How many times what one part of today's kept counts is made of has changed: part
    of the key the counts are kept under (`compliance.counts`).

    `part` is `people:<bucket>` for the organisation's counts of the people whose id
    falls in that bucket, `service:<id>` for a service's figures, or `organisation`,
    whose `n` is a random number drawn afresh whenever every status is rebuilt (a
    module's rules, the settings, a restore), so counts kept before a restore are never
    taken for the restored ones. A part is bumped in the same transaction as the change,
    so no one reads the new facts under the old number.
    """

    part = models.CharField(max_length=40, unique=True)
    n = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.part}: {self.n}"
