from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from . import rules


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
    compliance after that date and get no reminders.
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
    optional_reminders = models.BooleanField(
        "advance notices and digests",
        default=True,
        help_text="60-day renewal notices and the weekly digest. "
        "Reminders about expired training and overdue supervision are always sent.",
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def in_post_on(self, day):
        return rules.in_post(is_active=self.is_active, left_on=self.left_on, on=day)
