"""The upload form and the form that corrects one refused row in the preview."""

from django import forms

from .kinds import COLUMNS
from .models import Kind
from .reading import EXTENSIONS

MAX_UPLOAD = 20 * 2**20


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of records", choices=Kind.choices)
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A CSV or XLSX file whose first row holds the template's headings; up to 20 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError("Choose a CSV or XLSX file.")
        if file.size > MAX_UPLOAD:
            raise forms.ValidationError("The file is over 20 MB: split it into parts.")
        return file


class RowForm(forms.Form):
    """One text field per column, filled with the row's cells as read."""

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        for column in COLUMNS[kind]:
            self.fields[column.key] = forms.CharField(
                label=column.heading,
                required=column.required,
                max_length=500,
                help_text=column.explains,
            )
