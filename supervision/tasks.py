"""Work done after a request: telling managers about a safeguarding concern, and a PSW
about a correction to one of their sessions."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from people import roles
from people.models import User

from .models import SupervisionSession


@task()
def notify_managers_of_safeguarding_concern(session_id):
    """Email every manager that a concern was flagged: the date and a link, nothing more.

    What was said stays between the PSW and their supervisor; the manager follows the
    link to see which session, and speaks to the supervisor.
    """
    held_on = SupervisionSession.objects.values_list("held_on", flat=True).get(pk=session_id)
    managers = User.objects.filter(groups__name=roles.MANAGER, is_active=True).exclude(email="")
    link = settings.SITE_URL + reverse("supervision_sessions:index") + "?safeguarding_concern=true"
    send_mail(
        subject="Safeguarding concern flagged in supervision",
        message=(
            f"A safeguarding concern was flagged in a supervision session held on "
            f"{held_on:%-d %B %Y}.\n\n"
            f"Alongside does not send what was discussed. See the session and speak to the "
            f"supervisor:\n{link}\n"
        ),
        from_email=None,
        recipient_list=sorted(managers.values_list("email", flat=True)),
    )


@task()
def notify_supervisee_of_correction(session_id):
    """Email the PSW that their supervisor corrected a session: what it now says and why."""
    session = SupervisionSession.objects.select_related(
        "arrangement__supervisee", "arrangement__supervisor"
    ).get(pk=session_id)
    person = session.arrangement.supervisee
    if not person.email:
        return
    # The PSW's own page of the session, on the site (portal/me).
    link = settings.SITE_URL + reverse("me:session", args=[session.pk])
    send_mail(
        subject="A supervision session was corrected",
        message=(
            f"{session.arrangement.supervisor_display} corrected one of your supervision "
            f"sessions. It now reads: {session.held_on:%-d %B %Y}, "
            f"{session.duration_minutes} minutes, {session.get_format_display()}.\n\n"
            f"Why: {session.correction_reason}\n\nSee the session:\n{link}\n"
        ),
        from_email=None,
        recipient_list=[person.email],
    )
