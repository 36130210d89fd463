from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The front door: who Alongside is for, and where to sign in."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1


@register_setting(icon="home")
class OrganisationSettings(BaseSiteSetting):
    """The employing charity: named on certificates, emails and supervision streams."""

    name = models.CharField(max_length=120, default="Leeds Mind")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown on certificates and the passport.",
    )
    signatory_name = models.CharField(
        "certificate signatory", max_length=120, blank=True, default="Peer Support Manager"
    )
    signatory_role = models.CharField(max_length=120, blank=True, default="Peer Support Manager")
    compliance_target = models.PositiveSmallIntegerField(
        "compliance target (%)",
        default=95,
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

    panels = [
        FieldPanel("name"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("signatory_name"), FieldPanel("signatory_role")], heading="Certificates"
        ),
        FieldPanel("compliance_target"),
        MultiFieldPanel(
            [FieldPanel("nhs_interval_weeks"), FieldPanel("employer_interval_weeks")],
            heading="Supervision",
        ),
    ]

    class Meta:
        verbose_name = "organisation"

    def __str__(self):
        return self.name
