from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm
from wagtail.users.forms import UserCreationForm, UserEditForm

from organisation.words import side_choices

from .models import Service, User
from .rate_limits import current_window, over_limit
from .security_log import client_address, log_event
from .services import (
    account_email_change,
    email_change_problems,
    legal_name_problems,
    person_add_problems,
    roles_added_by,
)
from .tasks import send_account_mail

PERSON_FIELDS = (
    "service",
    "started_on",
    "left_on",
    "side",
    "organisation_unit",
    "optional_reminders",
)
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
    """A new account. Left without a password, the person is emailed an invitation to
    choose their own (portal/wagtail_hooks.py)."""

    password_required = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password1" in self.fields:
            self.fields["password1"].help_text = (
                "Leave both password fields empty to email the person a link to choose "
                "their own (it works once, for three days)."
            )

    def save(self, commit=True):
        person = super().save(commit=False)
        if not self.cleaned_data.get("password1"):
            person.set_unusable_password()
        if commit:
            person.save()
            self.save_m2m()
        return person

    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PERSON_FIELDS)
        widgets = {
            **UserCreationForm.Meta.widgets,
            "started_on": DATE_WIDGET,
            "left_on": DATE_WIDGET,
        }


class PersonEditForm(UserEditForm):
    """Administrators edit an account here; the legal name is changed on its own page,
    with a reason, because certificates are re-issued under it."""

    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PERSON_FIELDS)
        widgets = {**UserEditForm.Meta.widgets, "started_on": DATE_WIDGET, "left_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = "Change the legal name with “Change legal name”."

    def clean(self):
        cleaned = super().clean()
        started, left = cleaned.get("started_on"), cleaned.get("left_on")
        if started and left and left < started:
            self.add_error("left_on", "A person cannot leave before they started.")
        return cleaned


class SignInForm(AuthenticationForm):
    """Sign-in that refuses, in plain words, a person whose leaving date has passed."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        refuse_leaver(user, self.request)


LEFT_MESSAGE = (
    "Your Alongside account closed when you left on {left_on:%-d %B %Y}. "
    "If you think this is a mistake, please contact your former manager."
)


def refuse_leaver(user, request=None):
    if user.has_left(timezone.localdate()):
        log_event("login_refused_leaver", request, username=user.get_username())
        raise forms.ValidationError(LEFT_MESSAGE.format(left_on=user.left_on), code="left")


class PreferredNameEmailForm(forms.ModelForm):
    """The account page's own details: a preferred name, and the email address (which
    needs the current password, and tells the old address). The legal name is changed
    by a manager, since certificates carry it."""

    email = forms.EmailField(label="Email")
    current_password = forms.CharField(
        label="Current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Needed only to change your email address.",
    )

    class Meta:
        model = User
        fields = ["preferred_name"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["email"].initial = self.instance.email

    def email_changed(self):
        return self.cleaned_data.get("email", "").lower() != (self.instance.email or "").lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email") and self.email_changed():
            problems = email_change_problems(
                user=self.instance, email=cleaned["email"], password=cleaned["current_password"]
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=commit)
        if self.email_changed():
            account_email_change(
                user=user,
                email=self.cleaned_data["email"],
                password=self.cleaned_data["current_password"],
                request=self.request,
            )
        return user


class LegalNameForm(forms.Form):
    """A manager's change of a person's legal name, with the reason kept in history."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: name changed by deed poll. Kept in the history.",
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["first_name"].initial = person.first_name
        self.fields["last_name"].initial = person.last_name

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            problems = legal_name_problems(person=self.person, **cleaned)
            for field, message in problems.items():
                self.add_error(field, message)
        return cleaned


RESETS_PER_ADDRESS_PER_HOUR = 5
RESETS_PER_ACCOUNT_PER_HOUR = 3


class PasswordResetForm(WagtailPasswordResetForm):
    """Password reset, limited per client address and per account, mailed in the
    background. Over a limit nothing is sent; the page reads the same either way, so it
    tells nobody whether an address has an account."""

    def save(self, *args, request=None, **kwargs):
        window = current_window(3600)
        address = client_address(request)
        if over_limit(
            "password-reset-address",
            address,
            limit=RESETS_PER_ADDRESS_PER_HOUR,
            window=window,
            seconds=3600,
        ):
            log_event("password_reset_limited", request, limit="address")
            return
        self._request = request
        return super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        if over_limit(
            "password-reset-account",
            user.pk,
            limit=RESETS_PER_ACCOUNT_PER_HOUR,
            window=current_window(3600),
            seconds=3600,
        ):
            log_event("password_reset_limited", self._request, limit="account")
            return
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html_body = (
            render_to_string(html_email_template_name, context) if html_email_template_name else ""
        )
        log_event("password_reset_sent", self._request, account=user.get_username())
        send_account_mail.enqueue(to=to_email, subject=subject, body=body, html_body=html_body)


class PersonInvitationForm(forms.Form):
    """A manager adds a person, who is emailed a link to choose their own password."""

    first_name = forms.CharField(
        label="First name",
        max_length=150,
        help_text="As on legal documents: certificates carry it.",
    )
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Email address", help_text="The invitation is sent here.")
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)
    service = ModelChoiceField(
        queryset=Service.objects.all(),
        required=False,
        label="Service",
        help_text="For a peer support worker, the service they are placed in; for a "
        "service lead, the service they lead.",
    )
    side = forms.ChoiceField(
        label="Supervises for",
        required=False,
        widget=forms.RadioSelect,
        help_text="For supervisors only.",
    )
    started_on = forms.DateField(label="Started on", required=False, widget=DATE_WIDGET)

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        self.fields["role"].choices = [(role, role) for role in roles_added_by(by)]
        self.fields["side"].choices = side_choices()

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            fields = ("first_name", "last_name", "email", "role", "service", "side")
            problems = person_add_problems(by=self.by, **{name: cleaned[name] for name in fields})
            for field, message in problems.items():
                self.add_error(field, message)
        return cleaned
