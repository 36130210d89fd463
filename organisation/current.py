"""The organisation's settings for code that has no request: exports, emails, PDFs.

One query per request at most: the value is kept until the next request starts or the
settings are saved, so a long export or a reminder run asks the database once.
"""

from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

from .models import OrganisationSettings

_current = []


def current_organisation(request=None):
    """The settings of the request's site, else of the default site (unsaved defaults
    when there is no site at all)."""
    if request is not None:
        return OrganisationSettings.for_request(request)
    if not _current:
        site = Site.objects.filter(is_default_site=True).first()
        _current.append(OrganisationSettings.for_site(site) if site else OrganisationSettings())
    return _current[0]


def forget_organisation(**kwargs):
    _current.clear()


request_started.connect(forget_organisation, dispatch_uid="organisation-request")
post_save.connect(forget_organisation, sender=OrganisationSettings, dispatch_uid="org-save")
post_delete.connect(forget_organisation, sender=OrganisationSettings, dispatch_uid="org-del")
