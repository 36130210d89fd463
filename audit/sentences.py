"""A person's own history, told in sentences: "Sam Carter verified your Data protection
(NHS) on 2 May".

Built from the audit log's entries and the history rows behind them. What was written
inside a supervisory relationship (notes, actions, the supervisee's view, a decline's
reason) is never told here (docs/architecture.md, Who sees what: "own records, notes
masked"); nor is signing in, which saves the account without changing anything a
person typed.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from organisation.words import requirement_name, supervision_name
from people.models import Service, User
from supervision.models import SupervisionArrangement
from training.models import TrainingModulePage

from .selectors import entries_visible_to

# The account details a person reads about themself, in their words.
ACCOUNT_FIELDS = {
    "first_name": "first name",
    "last_name": "last name",
    "preferred_name": "preferred name",
    "email": "email address",
    "service": "service",
    "started_on": "start date",
    "left_on": "leaving date",
    "optional_reminders": "advance notices and digests",
    "is_active": "account",
}


@dataclass
class Sentence:
    when: datetime
    text: str
    detail: str = ""


def day_words(day, today=None):
    """ "2 May", or "2 May 2025" in another year."""
    today = today or timezone.localdate()
    return f"{day:%-d %B}" if day.year == today.year else f"{day:%-d %B %Y}"


def own_history(person):
    """Every change to `person`'s own records, newest first, as sentences for them.

    A fixed number of queries (one per kind of record, and one per kind of name),
    however long the history.
    """
    entries = list(
        entries_visible_to(person).filter(person=person).order_by("history_date", "sequence")
    )
    story = Story(person, entries)
    told = [story.tell(entry) for entry in entries]
    return [sentence for sentence in reversed(told) if sentence is not None]


class Story:
    """The rows and names behind a person's entries, loaded once."""

    def __init__(self, person, entries):
        self.person = person
        self.today = timezone.localdate()
        self.rows = {}
        self.before = {}
        chains = defaultdict(list)
        for entry in entries:
            chains[entry.content_type_id, entry.object_id].append(entry)
        by_type = defaultdict(set)
        for entry in entries:
            by_type[entry.content_type_id].add(entry.history_id)
        for type_id, ids in by_type.items():
            model = ContentType.objects.get_for_id(type_id).model_class()
            if model is not None and hasattr(model, "history"):
                for row in model.history.model.objects.filter(history_id__in=ids):
                    self.rows[type_id, row.history_id] = row
        for chain in chains.values():
            for earlier, later in zip(chain, chain[1:], strict=False):
                self.before[later.pk] = self.rows.get((earlier.content_type_id, earlier.history_id))
        self.names = Names(self.rows.values(), entries)

    def tell(self, entry):
        row = self.rows.get((entry.content_type_id, entry.history_id))
        if row is None:
            return None
        teller = getattr(self, f"tell_{row.instance_type._meta.model_name}", None)
        if teller is None:
            return None
        when = timezone.localtime(entry.history_date)
        self.day_of_change = when.date()
        said = teller(entry, row, self.before.get(entry.pk))
        if said is None:
            return None
        text, detail = said if isinstance(said, tuple) else (said, "")
        return Sentence(when, f"{text} on {day_words(when.date(), self.today)}.", detail)

    def who(self, entry):
        if entry.actor_id == self.person.pk:
            return "You"
        if entry.actor_id:
            return self.names.person(entry.actor_id)
        return entry.actor_label or "Alongside"

    def day(self, value):
        return day_words(value, self.today)

    # Training -------------------------------------------------------------------

    def tell_trainingrecord(self, entry, row, before):
        who, what = self.who(entry), self.names.requirement(row.module_id, row.provider)
        if entry.history_type == "+":
            verified = " as verified" if row.status == "verified" else ""
            return f"{who} recorded your {what}, completed {self.day(row.completed_on)},{verified}"
        if before is None:
            return f"{who} changed your {what}"
        if row.status != before.status:
            if row.status == "verified":
                return f"{who} verified your {what}"
            if row.withdrawn_at:
                return f"{who} withdrew your {what}, completed {self.day(row.completed_on)}"
            if row.status == "rejected":
                done = "revoked" if before.status == "verified" else "rejected"
                return f"{who} {done} your {what}", row.status_reason
        if row.completed_on != before.completed_on:
            return (
                f"{who} corrected the date of your {what} from {self.day(before.completed_on)} "
                f"to {self.day(row.completed_on)}",
                entry.reason,
            )
        if row.certificate_code != before.certificate_code:
            return f"{who} re-issued your {what} certificate under your name as it is now"
        return None

    def tell_trainingexemption(self, entry, row, before):
        who = self.who(entry)
        what = (
            self.names.requirement(row.module_id, row.provider)
            if row.provider
            else self.names.module(row.module_id)
        )
        until = f" until {self.day(row.ends_on)}" if row.ends_on else ""
        if entry.history_type == "+":
            return (
                f"{who} exempted you from {what} from {self.day(row.starts_on)}{until}",
                row.reason,
            )
        if entry.history_type == "-":
            return f"{who} removed your exemption from {what}"
        return (
            f"{who} changed your exemption from {what}: now from {self.day(row.starts_on)}{until}"
        )

    def tell_knowledgecheckattempt(self, entry, row, before):
        module = self.names.module(row.module_id)
        if entry.history_type == "+":
            return f"You started the {module} knowledge check"
        if row.submitted_at and (before is None or not before.submitted_at):
            outcome = "passed" if row.passed else "not passed this time"
            return f"You handed in the {module} knowledge check: {row.score} right, {outcome}"
        return None

    # Supervision ----------------------------------------------------------------

    def tell_supervisionarrangement(self, entry, row, before):
        who, stream = self.who(entry), supervision_name(row.stream)
        supervisor = (
            self.names.person(row.supervisor_id) if row.supervisor_id else row.supervisor_name
        )
        with_whom = f" with {supervisor}" if supervisor else ""
        if entry.history_type == "+":
            weeks = row.interval_weeks
            every = "every week" if weeks == 1 else f"every {weeks} weeks"
            return f"{who} set up your {stream}{with_whom}, {every}, from {self.day(row.starts_on)}"
        if row.ends_on and (before is None or before.ends_on != row.ends_on):
            return f"{who} ended your {stream}{with_whom} on {self.day(row.ends_on)}", entry.reason
        return None

    def tell_supervisionsession(self, entry, row, before):
        who = self.who(entry)
        stream = self.names.stream(row.arrangement_id)
        session = f"{stream} session"
        if row.held_on != self.day_of_change:  # "on <the day of the change>" follows
            session += f" of {self.day(row.held_on)}"
        if entry.history_type == "+":
            return f"{who} logged your {session}"
        if before is None:
            return None
        if row.declined_at and not before.declined_at:
            return f"{who} declined your {session}"
        if row.confirmed_at and not before.confirmed_at:
            return f"{who} confirmed your {session}"
        if row.acknowledged_at and not before.acknowledged_at:
            return f"{who} signed off your {session}"
        if row.corrected_at != before.corrected_at:
            was = f"{stream} session of {self.day(before.held_on)}"
            return f"{who} corrected your {was}", row.correction_reason
        return None

    # The account ----------------------------------------------------------------

    def tell_user(self, entry, row, before):
        who = self.who(entry)
        if entry.history_type == "+":
            return f"{who} opened your account" if who != "You" else "Your account was opened"
        if before is None:
            return None
        changes = [self.account_change(name, row, before) for name in ACCOUNT_FIELDS]
        changes = [change for change in changes if change]
        if not changes:
            return None  # signing in, or a change to nothing a person reads
        return f"{who} changed your " + "; ".join(changes)

    def account_change(self, name, row, before):
        label = ACCOUNT_FIELDS[name]
        old, new = self.account_value(before, name), self.account_value(row, name)
        if old == new:
            return ""
        if name == "optional_reminders":
            return f"{label} to {'on' if new == 'yes' else 'off'}"
        if name == "is_active":
            return f"{label} to {'open' if new == 'yes' else 'closed'}"
        if not old:
            return f"{label} to {new}"
        if not new:
            return f"{label} (was {old}) to none"
        return f"{label} from {old} to {new}"

    def account_value(self, row, name):
        if name == "service":
            return self.names.service(row.service_id) if row.service_id else ""
        value = getattr(row, name)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if hasattr(value, "strftime"):
            return self.day(value)
        return value or ""


class Names:
    """People, modules, services and streams named on a person's rows: one query each."""

    def __init__(self, rows, entries):
        wanted = defaultdict(set)
        for entry in entries:
            if entry.actor_id:
                wanted["people"].add(entry.actor_id)
        for row in rows:
            for attname, kind in (
                ("module_id", "modules"),
                ("supervisor_id", "people"),
                ("service_id", "services"),
                ("arrangement_id", "arrangements"),
            ):
                value = getattr(row, attname, None)
                if value is not None:
                    wanted[kind].add(value)
        self.people = {u.pk: str(u) for u in User.objects.filter(pk__in=wanted["people"])}
        self.modules = dict(
            TrainingModulePage.objects.filter(pk__in=wanted["modules"]).values_list("pk", "title")
        )
        self.services = dict(
            Service.objects.filter(pk__in=wanted["services"]).values_list("pk", "name")
        )
        self.streams = dict(
            SupervisionArrangement.objects.filter(pk__in=wanted["arrangements"]).values_list(
                "pk", "stream"
            )
        )

    def person(self, pk):
        return self.people.get(pk, "Someone who has left")

    def module(self, pk):
        return self.modules.get(pk, "a module no longer offered")

    def requirement(self, module_id, provider):
        return requirement_name(self.module(module_id), provider)

    def service(self, pk):
        return self.services.get(pk, "a service no longer listed")

    def stream(self, arrangement_id):
        stream = self.streams.get(arrangement_id)
        return supervision_name(stream) if stream else "supervision"
