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


# The knowledge check: a bank of questions editors keep with the module. Each block
# turns its value into a plain question (`as_question`), the form an attempt keeps.


class AnswerOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Answer")
    correct = blocks.BooleanBlock(required=False, label="This answer is right")

    class Meta:
        icon = "radio-full"
        form_classname = "answer-option"


class ChoiceQuestionBlock(blocks.StructBlock):
    """A question with answers to choose from; subclasses say how many may be right."""

    question = blocks.TextBlock(rows=2)
    answers = blocks.ListBlock(AnswerOptionBlock(), min_num=2)
    feedback = blocks.TextBlock(
        rows=2,
        help_text="Shown after an attempt to someone who got this wrong: explain the right "
        "answer kindly, in a sentence or two.",
    )

    def clean(self, value):
        value = super().clean(value)
        problem = self.answer_problem(sum(1 for answer in value["answers"] if answer["correct"]))
        if problem:
            raise blocks.StructBlockValidationError(non_block_errors=[problem])
        return value

    def as_question(self, value, question_id):
        return {
            "id": question_id,
            "kind": self.kind,
            "text": value["question"],
            "choices": [answer["text"] for answer in value["answers"]],
            "correct": [n for n, answer in enumerate(value["answers"]) if answer["correct"]],
            "feedback": value["feedback"],
        }


class SingleChoiceQuestionBlock(ChoiceQuestionBlock):
    kind = "single"

    def answer_problem(self, right):
        if right != 1:
            return "Tick exactly one answer as right: people can choose only one."

    class Meta:
        icon = "radio-empty"
        label = "Single choice question"


class MultipleChoiceQuestionBlock(ChoiceQuestionBlock):
    kind = "multiple"

    def answer_problem(self, right):
        if right == 0:
            return "Tick at least one answer as right."

    class Meta:
        icon = "tasks"
        label = "Multiple choice question (choose all that apply)"


class TrueFalseQuestionBlock(blocks.StructBlock):
    statement = blocks.TextBlock(rows=2)
    answer = blocks.ChoiceBlock(
        choices=[("true", "True"), ("false", "False")], label="Is the statement true?"
    )
    feedback = blocks.TextBlock(
        rows=2, help_text="Shown after an attempt to someone who got this wrong."
    )

    class Meta:
        icon = "help"
        label = "True or false"

    def as_question(self, value, question_id):
        return {
            "id": question_id,
            "kind": "single",
            "text": value["statement"],
            "choices": ["True", "False"],
            "correct": [0 if value["answer"] == "true" else 1],
            "feedback": value["feedback"],
        }


class KnowledgeCheckBlock(blocks.StreamBlock):
    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()
