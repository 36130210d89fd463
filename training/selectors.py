"""What people may see of training, and the bulk status loader over it.

`training_facts` fetches, in a fixed number of queries, what the rules need for any
set of people; `requirement_statuses` applies `rules.py` to those facts. Compliance
feeds the same function with facts rebuilt from the history tables for "as of" views,
so there is one way a status is worked out.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from organisation.words import SIDES
from people.selectors import Sees, people_visible_to

from . import rules
from .models import TrainingExemption, TrainingModulePage, TrainingRecord


@dataclass(frozen=True)
class ModuleFacts(rules.Module):
    title: str = ""
    issues_certificate: bool = True


@dataclass
class TrainingFacts:
    """Plain data for the rules: modules, and records and exemptions by person."""

    modules: list = field(default_factory=list)
    records: dict = field(default_factory=lambda: defaultdict(list))  # (person, module, provider)
    exemptions: dict = field(
        default_factory=lambda: defaultdict(list)
    )  # (person, module, provider)


@dataclass(frozen=True)
class RequirementStatus:
    person_id: int
    module_id: int
    module_title: str
    provider: str
    status: str
    last_completed: date | None
    valid_until: date | None

    @property
    def compliant(self):
        return rules.is_compliant(self.status)


def records_visible_to(user, sees=Sees.STATUS):
    return TrainingRecord.objects.filter(person__in=people_visible_to(user, sees))


def module_facts():
    """Every live module with its services: two queries."""
    pages = TrainingModulePage.objects.live().order_by("path").prefetch_related("services")
    return [
        ModuleFacts(
            id=page.pk,
            provider=page.provider,
            renewal_months=page.renewal_months,
            mandatory=page.mandatory,
            service_ids=frozenset(s.pk for s in page.services.all()),
            title=page.title,
            issues_certificate=page.issues_certificate,
        )
        for page in pages
    ]


def training_facts(person_ids):
    """Current facts for these people, in four queries whatever their number."""
    facts = TrainingFacts(modules=module_facts())
    records = TrainingRecord.objects.filter(person_id__in=person_ids).exclude(
        status=TrainingRecord.Status.REJECTED
    )
    for person_id, module_id, provider, completed_on, valid_until, status in records.values_list(
        "person_id", "module_id", "provider", "completed_on", "valid_until", "status"
    ):
        facts.records[person_id, module_id, provider].append(
            rules.Record(completed_on, valid_until, status)
        )
    exemptions = TrainingExemption.objects.filter(person_id__in=person_ids)
    for person_id, module_id, provider, starts_on, ends_on in exemptions.values_list(
        "person_id", "module_id", "provider", "starts_on", "ends_on"
    ):
        add_exemption(facts, person_id, module_id, provider, rules.Exemption(starts_on, ends_on))
    return facts


def in_date_filter(on, prefix=""):
    """Q on records not expired on `on`: rules.has_expired, asked of the database."""
    return Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": on})


def add_exemption(facts, person_id, module_id, provider, exemption):
    """An exemption with no provider covers both of a module's requirements."""
    for each in (provider,) if provider else SIDES:
        facts.exemptions[person_id, module_id, each].append(exemption)


def requirement_statuses(people, on, facts=None):
    """{person id: [RequirementStatus, …]} for each person's requirements on `on`.

    `people` are objects with `pk` and `service_id` (users, or rows rebuilt from
    history); `facts` defaults to today's tables.
    """
    people = list(people)
    if facts is None:
        facts = training_facts([p.pk for p in people])
    titles = {m.id: m.title for m in facts.modules}
    result = {}
    for person in people:
        statuses = []
        for module_id, provider in rules.requirements_for(person.service_id, facts.modules):
            key = (person.pk, module_id, provider)
            records = facts.records.get(key, [])
            latest = rules.latest_verified(records, on)
            statuses.append(
                RequirementStatus(
                    person_id=person.pk,
                    module_id=module_id,
                    module_title=titles[module_id],
                    provider=provider,
                    status=rules.requirement_status(on, records, facts.exemptions.get(key, [])),
                    last_completed=latest.completed_on if latest else None,
                    valid_until=latest.valid_until if latest else None,
                )
            )
        result[person.pk] = statuses
    return result
