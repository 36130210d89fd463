from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from organisation.words import Side

from . import rules
from .history import RecordHistory


class Service(models.Model):
    """An NHS service that hosts peer support workers."""

    class Kind(models.TextChoices):
        RECOVERY_CENTRE = "recovery_centre", "Recovery centre"
        CMHT = "cmht", "Community mental health team"
        INPATIENT = "inpatient", "Inpatient unit"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    trust = models.CharField("NHS trust", max_length=160, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """Everyone who signs in: PSWs, supervisors, managers, service leads, administrators.

    Leavers keep their account and records (set `left_on`); they drop out of
    compliance after that date, get no reminders, and from the next day can neither
    sign in nor use a session they already had (`has_left`). First and last name are
    the legal name printed on certificates; only a manager changes them, with a
    reason. `preferred_name` is the person's own choice, shown inside the app.
    """

    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text="The NHS service a peer support worker is placed in, or a service lead leads.",
    )
    started_on = models.DateField("started on", null=True, blank=True)
    left_on = models.DateField(
        "left on", null=True, blank=True, help_text="Leave empty while the person is in post."
    )
    preferred_name = models.CharField(
        "preferred name",
        max_length=150,
        blank=True,
        help_text="What to call you inside Alongside. Certificates carry your legal name.",
    )
    side = models.CharField(
        "belongs to",
        max_length=10,
        choices=Side.choices,  # the vocabulary's sides: a stream names its supervisor's side
        blank=True,
        help_text="For supervisors: the NHS, or the employing organisation. An NHS "
        "arrangement needs an NHS supervisor; an employer arrangement one of the employer's.",
    )
    organisation_unit = models.CharField(
        "trust or team",
        max_length=160,
        blank=True,
        help_text="For example: the NHS trust and team, or the employer's team.",
    )
    optional_reminders = models.BooleanField(
        "advance notices and digests",
        default=True,
        help_text="60-day renewal notices and the weekly digest. "
        "Reminders about expired training and overdue supervision are always sent.",
    )

    # Sign-ins and new passwords are bookkeeping: RecordHistory writes no row for them.
    history = RecordHistory(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.preferred_name or self.get_full_name() or self.username

    def get_short_name(self):
        return self.preferred_name or self.first_name

    def legal_name(self):
        """The name on certificates: first and last name, as a manager recorded them."""
        return self.get_full_name() or self.username

    def has_left(self, day):
        """True from the day after `left_on`: from then on the account opens nothing."""
        return rules.has_left(left_on=self.left_on, on=day)

    def in_post_on(self, day):
        return rules.in_post(is_active=self.is_active, left_on=self.left_on, on=day)
