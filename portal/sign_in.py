"""Signing in at /login/, a forgotten password, and an invitation to set one.

These are Django's own views with the site's templates. Reset and invitation links
are Django's password-reset tokens: each works once (setting a password changes what
the token was made from) and expires after PASSWORD_RESET_TIMEOUT (see settings).
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.generic import RedirectView

from organisation.current import current_organisation
from people.forms import PasswordResetForm, SignInForm
from people.security_log import log_event
from people.tasks import send_account_mail

from .doors import landing_url


class SignInView(auth_views.LoginView):
    """Sign in, then go to a safe `next`, or else to where this person works."""

    authentication_form = SignInForm

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an email address; the project's form limits how often it mails."""

    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class InvitationView(auth_views.PasswordResetConfirmView):
    """A new person's first visit: the link from their invitation lets them choose a
    password. Same token as a reset, so it also works once and expires."""

    template_name = "registration/invitation.html"
    success_url = reverse_lazy("password_reset_complete")


class MovedToSignIn(RedirectView):
    """The staff workspace's old sign-in and reset pages now live on the site."""

    query_string = True
    permanent = False


def invitation_url(person):
    """A link for a new person to choose their first password (works once, 3 days)."""
    uidb64 = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return settings.SITE_URL + reverse("invitation", args=[uidb64, token])


def invitation_send(*, person, by, request=None):
    """Email a new person the link to set their own password; False without an address."""
    if not person.email:
        return False
    organisation = current_organisation(request)
    context = {
        "person": person,
        "by": by,
        "url": invitation_url(person),
        "organisation": organisation,
    }
    send_account_mail.enqueue(
        to=person.email,
        subject="Your Alongside account: choose a password",
        body=render_to_string("registration/invitation_email.txt", context),
    )
    log_event("invitation_sent", request, account=person.get_username())
    return True
