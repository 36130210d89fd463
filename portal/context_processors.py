"""What every site template knows about the signed-in person (portal/doors.py):

- `workspace_url`: where they work;
- `my_roles`: which of the site's own sets of pages they use ("psw", "supervisor",
  "service_lead"), in that order. base.html shows each set's links from
  `templates/my/nav_<role>.html`.

The organisation itself comes from organisation.context_processors."""

from django.utils.functional import SimpleLazyObject

from .doors import landing_url, site_roles


def workspace(request):
    return {
        "workspace_url": SimpleLazyObject(lambda: landing_url(request.user)),
        "my_roles": SimpleLazyObject(lambda: site_roles(request.user)),
    }
