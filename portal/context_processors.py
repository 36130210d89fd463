"""`workspace_url` in every template: where the signed-in person works (portal/doors.py).
The organisation itself comes from organisation.context_processors."""

from django.utils.functional import SimpleLazyObject

from .doors import landing_url


def workspace(request):
    return {"workspace_url": SimpleLazyObject(lambda: landing_url(request.user))}
