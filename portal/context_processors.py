"""What every template may ask of the organisation, named in one place.

Templates read `organisation.name` and `organisation.logo` from here rather than from
the settings model by its app's name, so the settings can move without touching them.
`workspace_url` is where the signed-in person works (portal/doors.py).
"""

from django.utils.functional import SimpleLazyObject

from .doors import landing_url
from .models import OrganisationSettings


def organisation(request):
    return {
        "organisation": SimpleLazyObject(lambda: OrganisationSettings.for_request(request)),
        "workspace_url": SimpleLazyObject(lambda: landing_url(request.user)),
    }
