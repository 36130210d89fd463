from django import forms
from django.core.exceptions import ValidationError

from organisation.words import status_word
from people.models import Service
from supervision import rules as supervision_rules
from training import rules as training_rules

SORTS = [("name", "Name"), ("service", "Service, then name")]


class AsOfForm(forms.Form):
    """A day in the past to show "as recorded at the end of"; empty means now."""

    as_of = forms.DateField(
        label="As recorded at the end of",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for today. A past day shows what had been recorded by "
        "the end of it; module rules are as they are today.",
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day and day > self.today:
            raise ValidationError("Choose today or a day in the past.")
        return day

    def value(self, name, default=None):
        """A field's cleaned value, or `default` when it is empty or was not valid."""
        if not self.is_bound or (not self.is_valid() and name in self.errors):
            return default
        return self.cleaned_data.get(name) or default


class MatrixFilterForm(AsOfForm):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(), required=False, empty_label="All services"
    )
    item = forms.ChoiceField(label="Requirement", required=False)
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status")]
        + [
            (status, status_word(status))
            for status in training_rules.STATUSES + supervision_rules.STATUSES
        ],
    )
    sort = forms.ChoiceField(label="Sort by", choices=SORTS, required=False)

    field_order = ["service", "item", "status", "sort", "as_of"]

    def __init__(self, *args, services, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["item"].choices = [("", "All requirements")] + items
