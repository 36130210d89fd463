from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from organisation import words

from . import rules


class SupervisionArrangement(models.Model):
    """Who supervises a PSW in one stream, how often, from when to when.

    Changing supervisor ends one arrangement and starts another, so the past stays
    attributed to the person who really supervised.
    """

    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervision_arrangements",
    )
    stream = models.CharField(max_length=10, choices=words.Side.choices)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervisee_arrangements",
        help_text="Leave empty when the supervisor has no account here; give their name.",
    )
    supervisor_name = models.CharField(max_length=160, blank=True)
    interval_weeks = models.PositiveSmallIntegerField("every (weeks)", default=4)
    starts_on = models.DateField("starts on")
    ends_on = models.DateField("ends on", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["supervisee", "stream", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="arrangement_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(interval_weeks__gte=rules.SHORTEST_INTERVAL_WEEKS)
                & models.Q(interval_weeks__lte=rules.LONGEST_INTERVAL_WEEKS),
                name="arrangement_interval_1_to_52_weeks",
            ),
        ]

    def __str__(self):
        return f"{self.supervisee} — {words.supervision_name(self.stream)}"

    def get_stream_display(self):
        return words.side_name(self.stream)

    @property
    def supervisor_display(self):
        if self.supervisor_id:
            return str(self.supervisor)
        return self.supervisor_name or "Not named"


class SupervisionSession(models.Model):
    """One supervision session. Notes and actions are for the PSW and supervisor only."""

    class Format(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "One-to-one"
        GROUP = "group", "Group"
        REFLECTIVE_PRACTICE = "reflective_practice", "Reflective practice"
        CONSULTATION = "consultation", "Consultation"

    class Status(models.TextChoices):
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"

    class Topic(models.TextChoices):
        CASELOAD = "caseload", "Caseload"
        WELLBEING = "wellbeing", "Wellbeing"
        BOUNDARIES = "boundaries", "Boundaries"
        LIVED_EXPERIENCE = "sharing_lived_experience", "Sharing lived experience"
        SAFEGUARDING = "safeguarding", "Safeguarding"
        TRAINING = "training_and_development", "Training and development"
        TEAM = "team_and_culture", "Team and culture"

    GROUP_FORMATS = (Format.GROUP, Format.REFLECTIVE_PRACTICE)

    arrangement = models.ForeignKey(
        SupervisionArrangement, on_delete=models.PROTECT, related_name="sessions"
    )
    group = models.ForeignKey(
        "SupervisionGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        help_text="The group session this attendee's session is part of.",
    )
    held_on = models.DateField("held on")
    duration_minutes = models.PositiveSmallIntegerField("duration (minutes)", default=60)
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.ONE_TO_ONE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.HELD)
    topics = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    wellbeing_checked = models.BooleanField(default=False)
    safeguarding_concern = models.BooleanField(default=False)
    same_day_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why there is a second session on the same day.",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    supervisee_view = models.TextField(
        "I see this differently",
        blank=True,
        help_text="The supervisee's own view, added when signing off. Only the two of you "
        "can read it.",
    )
    corrected_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.CharField(
        "why it was corrected",
        max_length=200,
        blank=True,
        help_text="Managers can read this: say what was wrong, not what was said.",
    )
    # A declined session is kept, with who declined it and why, and never counts
    # (`rules.counts`); the reason is for the PSW and the supervisor only.
    declined_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.TextField("why it was declined", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["arrangement", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5) & models.Q(duration_minutes__lte=480),
                name="session_duration_5_to_480_minutes",
            ),
            # A double-submitted log form must not make two sessions; a real second
            # session that day carries its reason, and so is let through. A declined
            # session does not hold its day: the PSW may log the real one.
            models.UniqueConstraint(
                fields=["arrangement", "held_on"],
                condition=models.Q(same_day_reason="", declined_at__isnull=True),
                name="one_undeclined_session_a_day_without_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.arrangement}, {self.held_on:%-d %B %Y}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    @property
    def is_declined(self):
        return self.declined_at is not None


class SupervisionGroup(models.Model):
    """One group or reflective-practice session a supervisor facilitated for several of
    the people they supervise in one stream.

    Each attendee has a session of their own linked here, so each attendee's stream
    counts it, each signs it off for themself and only their own "I see this
    differently" sits on it. The shared notes are written once and kept on every
    attendee's session: each attendee reads them where they read their own sessions,
    and the confidentiality of a session (its two parties) covers them unchanged.
    """

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facilitated_groups"
    )
    stream = models.CharField(max_length=10, choices=words.Side.choices)
    held_on = models.DateField("held on")
    duration_minutes = models.PositiveSmallIntegerField("duration (minutes)")
    format = models.CharField(
        max_length=20,
        choices=[
            (value, label)
            for value, label in SupervisionSession.Format.choices
            if value in SupervisionSession.GROUP_FORMATS
        ],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.get_format_display()} on {self.held_on:%d %b %Y}"

    def get_stream_display(self):
        return words.side_name(self.stream)
