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

from organisation.current import current_organisation
from organisation.words import SIDES
from people.rules import services_on
from people.selectors import Sees, people_visible_to, placement_facts

from . import check_rules, rules
from .models import KnowledgeCheckAttempt, TrainingExemption, TrainingModulePage, TrainingRecord


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
    placements: dict = field(default_factory=dict)  # person -> [people.rules.Placement]


@dataclass(frozen=True)
class RequirementStatus:
    person_id: int
    module_id: int
    module_title: str
    provider: str
    status: str
    last_completed: date | None
    valid_until: date | None
    induction_due_on: date | None = None  # the end of its induction period, if any

    @property
    def compliant(self):
        return rules.is_compliant(self.status)

    @property
    def due_on(self):
        """When it is next due: the end of its induction period while due by then,
        otherwise its valid until (`compliance_report`'s due_on)."""
        return self.induction_due_on or self.valid_until


def records_visible_to(user, sees=Sees.STATUS):
    return TrainingRecord.objects.filter(person__in=people_visible_to(user, sees))


def own_records(user):
    """A person's own records, notes and evidence included (nothing once they have left)."""
    return records_visible_to(user, Sees.EVIDENCE).filter(person=user)


def attempts_visible_to(user):
    """Knowledge-check attempts: the person's own, and everyone's for managers.

    The same reach as evidence (DESIGN.md section 5): how someone did in a check is
    theirs and their manager's, never a supervisor's or a service lead's.
    """
    return KnowledgeCheckAttempt.objects.filter(person__in=people_visible_to(user, Sees.EVIDENCE))


@dataclass(frozen=True)
class CheckStatistics:
    """A module's check in figures, for improving the questions: no names."""

    module: TrainingModulePage
    figures: check_rules.ModuleFigures
    questions: list  # (question text, QuestionFigures), most often wrong first


def check_statistics():
    """Every module with a knowledge check, with its figures: two queries."""
    live = TrainingModulePage.objects.live().order_by("path")
    modules = [module for module in live if module.has_knowledge_check]
    submitted = KnowledgeCheckAttempt.objects.filter(
        module__in=modules, submitted_at__isnull=False
    ).order_by("submitted_at", "pk")
    rows = defaultdict(list)
    for row in submitted.values("module_id", "person_id", "passed", "questions", "answers"):
        rows[row["module_id"]].append(row)
    return [_module_statistics(module, rows[module.pk]) for module in modules]


def _module_statistics(module, rows):
    figures = check_rules.question_figures((r["questions"], r["answers"]) for r in rows)
    texts = {q["id"]: q["text"] for r in rows for q in r["questions"]}
    texts.update({q["id"]: q["text"] for q in module.check_question_bank()})
    ranked = sorted(figures.values(), key=lambda f: (-f.wrong_percent, -f.asked, f.id))
    return CheckStatistics(
        module=module,
        figures=check_rules.module_figures((r["person_id"], r["passed"]) for r in rows),
        questions=[(texts[f.id], f) for f in ranked],
    )


def module_facts():
    """Every live module with its services and induction period: two queries (and the
    organisation's settings, once per request)."""
    pages = TrainingModulePage.objects.live().order_by("path").prefetch_related("services")
    default_induction = current_organisation().induction_days
    return [
        ModuleFacts(
            id=page.pk,
            provider=page.provider,
            renewal_months=page.renewal_months,
            mandatory=page.mandatory,
            service_ids=frozenset(s.pk for s in page.services.all()),
            induction_days=(
                default_induction if page.induction_days is None else page.induction_days
            ),
            title=page.title,
            issues_certificate=page.issues_certificate,
        )
        for page in pages
    ]


def training_facts(person_ids):
    """Current facts for these people, in five queries whatever their number."""
    facts = TrainingFacts(modules=module_facts(), placements=placement_facts(person_ids))
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

    `people` are objects with `pk`, `service_id` and `started_on` (users, or rows
    rebuilt from history); `facts` defaults to today's tables.
    """
    people = list(people)
    if facts is None:
        facts = training_facts([p.pk for p in people])
    return {person.pk: person_requirement_statuses(person, on, facts) for person in people}


def person_requirement_statuses(person, on, facts):
    """One person's RequirementStatus list on `on`: the modules of every service they
    work in that day, each with its induction period."""
    placements = facts.placements.get(person.pk, ())
    services = services_on(service_id=person.service_id, placements=placements, on=on)
    statuses = []
    for module in facts.modules:
        if not rules.applies_in(module, services):
            continue
        due_on = rules.induction_due_on(
            module,
            service_id=person.service_id,
            started_on=person.started_on,
            placements=placements,
        )
        for provider in rules.providers_of(module.provider):
            key = (person.pk, module.id, provider)
            records = facts.records.get(key, [])
            latest = rules.latest_verified(records, on)
            status = rules.requirement_status(on, records, facts.exemptions.get(key, []), due_on)
            statuses.append(
                RequirementStatus(
                    person_id=person.pk,
                    module_id=module.id,
                    module_title=module.title,
                    provider=provider,
                    status=status,
                    last_completed=latest.completed_on if latest else None,
                    valid_until=latest.valid_until if latest else None,
                    induction_due_on=due_on if status == rules.DUE_BY else None,
                )
            )
    return statuses
