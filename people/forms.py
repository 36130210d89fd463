from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm

PERSON_FIELDS = ("service", "started_on", "left_on", "optional_reminders")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, refusing an id no database column could hold: SQLite raises
    OverflowError (not ValueError) for ids past 2**63, which Django lets through."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class PersonCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PERSON_FIELDS)
        widgets = {
            **UserCreationForm.Meta.widgets,
            "started_on": DATE_WIDGET,
            "left_on": DATE_WIDGET,
        }


class PersonEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PERSON_FIELDS)
        widgets = {**UserEditForm.Meta.widgets, "started_on": DATE_WIDGET, "left_on": DATE_WIDGET}

    def clean(self):
        cleaned = super().clean()
        started, left = cleaned.get("started_on"), cleaned.get("left_on")
        if started and left and left < started:
            self.add_error("left_on", "A person cannot leave before they started.")
        return cleaned
