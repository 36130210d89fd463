from django import forms


class SignOffForm(forms.Form):
    differing_view = forms.CharField(
        label="I see this differently (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="If the record does not match how you remember the session, say so here. "
        "Only you and your supervisor can read it.",
    )


class NotificationsForm(forms.Form):
    optional_reminders = forms.BooleanField(
        label="Send me advance notices and a weekly digest",
        required=False,
        help_text="A notice 60 days before training runs out, and a weekly summary. You "
        "always get an email when training has run out or supervision is overdue.",
    )
