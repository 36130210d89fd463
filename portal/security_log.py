"""Sign-in events for the security log (`people.security_log`)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from people.security_log import log_event


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    log_event("login_failed", request, username=credentials.get("username", ""))


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    log_event("login", request, username=user.get_username())


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    log_event("lockout", request, username=username)
