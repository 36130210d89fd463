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

    panels = [
        FieldPanel("name"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("signatory_name"), FieldPanel("signatory_role")], heading="Certificates"
        ),
        FieldPanel("compliance_target"),
    ]

    class Meta:
        verbose_name = "organisation"

    def __str__(self):
        return self.name


class RestoredArchive(models.Model):
    """A backup archive restored into this database, written in the restore's own
    transaction.

    The files of a restore are swapped in after the database commits; if the restore
    stops in between, this row is how the next run knows the database already holds
    the archive, so it finishes the swap instead of discarding the staged files.
    """

    archive_id = models.CharField(max_length=36, unique=True)
    archive_created_at = models.DateTimeField()
    restored_at = models.DateTimeField(auto_now_add=True)
    files_in_place = models.BooleanField(default=False)

    def __str__(self):
        return f"backup {self.archive_id} of {self.archive_created_at:%Y-%m-%d %H:%M}"
