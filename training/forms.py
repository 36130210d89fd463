"""Forms for recording, verifying and registering training: labels in plain words,
and every refusal next to the field it is about."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from organisation import words
from organisation.words import side_choices
from people.forms import ModelChoiceField
from people.models import User
from people.selectors import psws

from . import check_rules
from .evidence import MAX_BYTES, check_evidence
from .models import TrainingExemption, TrainingModulePage, TrainingRecord
from .services import IN_THE_FUTURE

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EVIDENCE_HELP = (
    f"Your certificate or other evidence: a PDF, PNG or JPEG, up to {MAX_BYTES // 2**20} MB."
)


def live_modules():
    return TrainingModulePage.objects.live().order_by("path")


class NotInFutureMixin:
    """Completion dates are things that have happened: none after `today`."""

    def clean_completed_on(self):
        completed_on = self.cleaned_data["completed_on"]
        if completed_on > self.today:
            raise ValidationError(IN_THE_FUTURE)
        return completed_on


class ProviderMixin:
    def check_provider(self, module, provider):
        if module and provider and provider not in module.providers():
            self.add_error("provider", f"{module.title} is not delivered by that provider.")


class CompletionForm(NotInFutureMixin, ProviderMixin, forms.Form):
    """A PSW records a completion: of one module (from its page), or any (in the admin)."""

    module = ModelChoiceField(queryset=live_modules(), label="Training module")
    provider = forms.ChoiceField(
        label="Who delivered the training?", choices=side_choices, widget=forms.RadioSelect
    )
    completed_on = forms.DateField(label="Date you completed it", widget=DATE_WIDGET)
    evidence = forms.FileField(
        label="Certificate or evidence", required=False, help_text=EVIDENCE_HELP
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything the manager should know, such as the course name or where you did it.",
    )

    def __init__(self, *args, today, module=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["module"].queryset = live_modules()
        self.module = module
        if module is not None:
            del self.fields["module"]
            self.fields["provider"].choices = side_choices(module.providers())
            if len(module.providers()) == 1:
                self.fields["provider"].initial = module.providers()[0]
                self.fields["provider"].widget = forms.HiddenInput()
            self.fields["evidence"].required = module.evidence_required

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence:
            check_evidence(evidence)
        return evidence

    def clean(self):
        cleaned = super().clean()
        module = self.module or cleaned.get("module")
        self.check_provider(module, cleaned.get("provider"))
        needs_evidence = module is not None and module.evidence_required
        if needs_evidence and not cleaned.get("evidence") and "evidence" not in self.errors:
            self.add_error("evidence", f"{module.title} needs a certificate or other evidence.")
        cleaned["module"] = module
        return cleaned


class VerifyForm(forms.Form):
    reason = forms.CharField(
        label="Note for the record (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why is it being rejected?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person sees this, so say what they can do next.",
    )
    # The status the manager saw on the page: a reject meant for a pending record must
    # not revoke one that someone verified while the page was open.
    expected_status = forms.ChoiceField(
        choices=TrainingRecord.Status.choices, widget=forms.HiddenInput
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why is it being revoked?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person sees this, and anyone checking the certificate is told it "
        "was revoked.",
    )


class CorrectDateForm(NotInFutureMixin, forms.Form):
    """A manager's correction of a completion date; the reason goes into the history."""

    completed_on = forms.DateField(label="Correct completion date", widget=DATE_WIDGET)
    reason = forms.CharField(
        label="Why is the date being changed?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the record's history, for example 'certificate shows 2 November'.",
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today


class AttendanceForm(NotInFutureMixin, ProviderMixin, forms.Form):
    """One session, many attendees: every PSW in post can be ticked."""

    module = ModelChoiceField(queryset=live_modules(), label="Training module")
    provider = forms.ChoiceField(label="Delivered by", choices=side_choices)
    completed_on = forms.DateField(label="Date of the session", widget=DATE_WIDGET)
    attendees = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label="Who attended?",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["module"].queryset = live_modules()
        self.fields["attendees"].queryset = psws(today).select_related("service")
        self.fields["attendees"].label_from_instance = lambda person: (
            f"{person} ({person.service})" if person.service else str(person)
        )

    def clean(self):
        cleaned = super().clean()
        self.check_provider(cleaned.get("module"), cleaned.get("provider"))
        return cleaned


class ExemptionForm(ProviderMixin, WagtailAdminModelForm):
    """A manager exempts a PSW from a requirement, for a reason and a while."""

    class Meta:
        model = TrainingExemption
        fields = ["person", "module", "provider", "reason", "starts_on", "ends_on"]
        labels = {"person": "Peer support worker", "module": "Training module"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = psws()
        self.fields["module"].queryset = live_modules()
        self.fields["reason"].help_text = "The person can see this reason."
        self.fields["provider"].choices = [("", words.BOTH_WORD), *side_choices()]
        self.fields["provider"].help_text = "Both: exempt from the training of every provider."

    def clean(self):
        cleaned = super().clean()
        self.check_provider(cleaned.get("module"), cleaned.get("provider"))
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "An exemption cannot end before it starts.")
        return cleaned


class ExemptionChangeForm(ExemptionForm):
    """Changing an exemption after it was granted: the history keeps why."""

    change_reason = forms.CharField(
        label="Why is this exemption changing?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the exemption's history.",
    )

    def save(self, commit=True):
        self.instance._change_reason = f"Exemption changed: {self.cleaned_data['change_reason']}"
        return super().save(commit=commit)


class AttemptForm(forms.Form):
    """The questions of one knowledge-check attempt, as the person is asked them.

    Choices are offered by number only: nothing on the form says which is right.
    """

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            choices = [(str(n), text) for n, text in enumerate(question["choices"])]
            if question["kind"] == "multiple":
                field = forms.MultipleChoiceField(
                    widget=forms.CheckboxSelectMultiple, help_text="Choose all that apply."
                )
            else:
                field = forms.ChoiceField(widget=forms.RadioSelect)
            # Emptiness is judged in clean(), by the rule the service applies too.
            field.required = False
            field.choices = choices
            field.label = f"{number}. {question['text']}"
            self.fields[self.field_name(question)] = field

    @staticmethod
    def field_name(question):
        return f"q-{question['id']}"

    def clean(self):
        cleaned = super().clean()
        problems = check_rules.answer_problems(self.questions, self.answers())
        for question in self.questions:
            if question["id"] in problems:
                self.add_error(self.field_name(question), problems[question["id"]])
        return cleaned

    def answers(self):
        """{question id: [choice numbers]} from the cleaned data."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.field_name(question)) or []
            chosen = value if isinstance(value, list) else [value]
            answers[question["id"]] = [int(each) for each in chosen]
        return answers
