"""The employing organisation, as a Wagtail site setting.

It sits on the ground floor because every other app speaks of it: certificates carry
its name and signatory, one supervision stream and one training provider are called by
its short name, dashboards measure against its compliance target (see
docs/architecture.md, "Layers").
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

DEFAULT_NAME = "Your organisation"
DEFAULT_SIGNATORY = "Peer Support Manager"
# The share of compliant people NHS data-security training asks for.
DEFAULT_COMPLIANCE_TARGET = 95
# Days a new starter has to complete a requirement before it counts as not recorded;
# a module may set its own (docs/architecture.md, "Induction periods").
DEFAULT_INDUCTION_DAYS = 90
MAX_INDUCTION_DAYS = 730


@register_setting(icon="home")
class OrganisationSettings(BaseSiteSetting):
    """The employing charity: named on certificates, emails and supervision streams."""

    name = models.CharField(max_length=120, default=DEFAULT_NAME)
    short_name = models.CharField(
        max_length=40,
        blank=True,
        help_text=(
            "How people say the organisation's name in a phrase such as "
            "'Leeds Mind supervision'. Empty: the full name."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown on certificates and the passport.",
    )
    signatory_name = models.CharField(
        "certificate signatory", max_length=120, blank=True, default=DEFAULT_SIGNATORY
    )
    signatory_role = models.CharField(max_length=120, blank=True, default=DEFAULT_SIGNATORY)
    compliance_target = models.PositiveSmallIntegerField(
        "compliance target (%)",
        default=DEFAULT_COMPLIANCE_TARGET,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Modules and services below this share of compliant people are highlighted.",
    )
    nhs_interval_weeks = models.PositiveSmallIntegerField(
        "NHS supervision every (weeks)",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="What a new NHS arrangement offers as its interval.",
    )
    employer_interval_weeks = models.PositiveSmallIntegerField(
        "employer supervision every (weeks)",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="What a new arrangement with the organisation's own supervisor offers.",
    )

    induction_days = models.PositiveSmallIntegerField(
        "induction period (days)",
        null=True,
        blank=True,
        default=DEFAULT_INDUCTION_DAYS,
        validators=[MaxValueValidator(MAX_INDUCTION_DAYS)],
        help_text="Days a new starter, or someone newly placed in a service, has to "
        "complete each requirement; until then it shows as due by that date. A module "
        "may set its own. Empty: due from the first day.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("signatory_name"), FieldPanel("signatory_role")], heading="Certificates"
        ),
        FieldPanel("compliance_target"),
        MultiFieldPanel(
            [FieldPanel("nhs_interval_weeks"), FieldPanel("employer_interval_weeks")],
            heading="Supervision",
        ),
        FieldPanel("induction_days"),
    ]

    class Meta:
        verbose_name = "organisation"

    def __str__(self):
        return self.name

    @property
    def called(self):
        """The name in running text: the short name, or the full name without one."""
        return self.short_name or self.name
