"""The subject access download: a manager's for anyone, a person's for themself."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from people.security_log import log_event
from people.selectors import Sees, people_visible_to

from .subject_access import subject_access_zip


def subject_access_export(request, pk):
    # Whoever may read a person's audit history may have everything: managers, and
    # the person themself. Anyone else is told the person is not there.
    person = get_object_or_404(people_visible_to(request.user, Sees.HISTORY), pk=pk)
    log_event("export", request, what="subject access", person=person.username)
    response = HttpResponse(
        subject_access_zip(person=person, requester=request.user),
        content_type="application/zip",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="everything-held-about-{person.username}-{stamp}.zip"'
    )
    return response
