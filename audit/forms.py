from django import forms
from django.contrib.contenttypes.models import ContentType

from people.models import User

from . import chain

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        queryset=User.objects.all(), required=False, label="Changed by", empty_label="Anyone"
    )
    person = forms.ModelChoiceField(
        queryset=User.objects.all(),
        required=False,
        label="Person affected",
        empty_label="Anyone",
    )
    kind = forms.ModelChoiceField(
        queryset=ContentType.objects.none(),
        required=False,
        label="Kind of record",
        empty_label="Every kind",
    )
    since = forms.DateField(required=False, label="From", widget=DATE)
    until = forms.DateField(required=False, label="To", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        models = chain.tracked_models()
        self.fields["kind"].queryset = ContentType.objects.filter(
            pk__in=[ContentType.objects.get_for_model(m).pk for m in models]
        )
        self.fields["kind"].label_from_instance = lambda ct: str(
            ct.model_class()._meta.verbose_name
        ).capitalize()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["until"] < cleaned["since"]:
            self.add_error("until", "The end date is before the start date.")
        return cleaned
