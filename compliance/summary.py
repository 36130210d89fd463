"""The organisation summary: % compliant per requirement and per service against the
organisation's target, and supervision counts, from one OrganisationStatus."""

from dataclasses import dataclass

from django.apps import apps
from wagtail.models import Site

from .loader import percent

DEFAULT_TARGET = 95  # the share NHS data-security training asks for


@dataclass(frozen=True)
class Share:
    """`part` of `whole` people, as a percentage, and whether it falls below target."""

    part: int
    whole: int
    target: int

    @property
    def percent(self):
        return percent(self.part, self.whole)

    @property
    def below_target(self):
        return self.whole > 0 and self.percent < self.target


def compliance_target(request=None):
    """The organisation's target (%), a site setting the portal defines."""
    settings_model = apps.get_model("portal", "OrganisationSettings")
    site = (Site.find_for_request(request) if request else None) or Site.objects.filter(
        is_default_site=True
    ).first()
    return settings_model.for_site(site).compliance_target if site else DEFAULT_TARGET


def organisation_summary(status, target):
    people, trained, supervised = status.totals()
    return {
        "on": status.on,
        "as_of": status.as_of,
        "target": target,
        "people": people,
        "trained": Share(trained, people, target),
        "supervised": Share(supervised, people, target),
        "requirements": [
            (requirement, Share(compliant, total, target))
            for requirement, compliant, total in status.requirement_compliance()
        ],
        "services": [
            (name, count, Share(t, count, target), Share(s, count, target))
            for name, count, t, s in status.service_compliance()
        ],
        "streams": status.stream_counts(),
    }
