"""The organisation summary: % compliant per requirement and per service against the
organisation's target, and supervision counts, from one OrganisationStatus."""

from dataclasses import dataclass

from organisation.current import current_organisation

from .loader import percent


@dataclass(frozen=True)
class Share:
    """`part` of `whole` people, as a percentage, and whether it falls below target."""

    part: int
    whole: int
    target: int
    due_by: int = 0  # of `part`, people inside the induction period: not yet done

    @property
    def percent(self):
        return percent(self.part, self.whole)

    @property
    def below_target(self):
        return self.whole > 0 and self.percent < self.target


def compliance_target(request=None):
    """The organisation's target (%), one of its settings."""
    return current_organisation(request).compliance_target


def organisation_summary(status, target):
    people, trained, supervised = status.totals()
    due_by = status.due_by_counts()
    return {
        "on": status.on,
        "as_of": status.as_of,
        "target": target,
        "people": people,
        "trained": Share(trained, people, target),
        "supervised": Share(supervised, people, target),
        "requirements": [
            (
                requirement,
                Share(
                    compliant,
                    total,
                    target,
                    due_by.get((requirement.module_id, requirement.provider), 0),
                ),
            )
            for requirement, compliant, total in status.requirement_compliance()
        ],
        "services": [
            (name, count, Share(t, count, target), Share(s, count, target))
            for name, count, t, s in status.service_compliance()
        ],
        "streams": status.stream_counts(),
    }
