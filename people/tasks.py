"""Background mail for accounts: notices of security changes, password reset links.

Sent on the configured django-tasks backend, so a slow mail server never holds up the
request (and a reset request takes as long whether or not the address is known).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_account_mail(*, to, subject, body, html_body=""):
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
