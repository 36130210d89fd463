from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The front door: who Alongside is for, and where to sign in."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["training.TrainingIndexPage"]
    max_count = 1


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
