from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock


class LearningOutcomesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="By the end of this module you will be able to")
    outcomes = blocks.ListBlock(blocks.CharBlock(label="Outcome"))

    class Meta:
        icon = "list-ul"
        template = "training/blocks/learning_outcomes.html"


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    url = blocks.URLBlock()
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "link"
        template = "training/blocks/link.html"


class ModuleBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])
    learning_outcomes = LearningOutcomesBlock()
    document = DocumentChooserBlock(template="training/blocks/document.html")
    link = LinkBlock()
    video = EmbedBlock(help_text="A video address (YouTube or Vimeo).")
