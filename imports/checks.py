"""Each row's verdict: new, unchanged, updated or refused (with the reason in words).

A checker reads one kind of row against the database and against the rows before it
in the same file (a repeated row is a duplicate of the first). It reuses the `*_problems`
functions of training and supervision, so an import refuses what the forms refuse in
the same words. A verdict that writes carries its `write`, which calls the same
services as the workspace; nothing is written while checking.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q

from organisation.words import side_choices, supervision_name
from people import roles
from people.models import Service, User
from supervision import selectors as supervision_selectors
from supervision import services as supervision_services
from supervision.models import SupervisionArrangement, SupervisionSession
from training import services as training_services
from training.models import TrainingModulePage, TrainingRecord

from . import dates
from .kinds import COLUMNS, squeeze
from .models import Kind, Outcome

IMPORTABLE_ROLES = {
    squeeze(role): role for role in (roles.PSW, roles.SUPERVISOR, roles.SERVICE_LEAD)
}
NEEDS_A_SERVICE = {roles.PSW, roles.SERVICE_LEAD}
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


class Refused(Exception):
    """A row that cannot be imported; the message says why, in words."""


@dataclass
class Verdict:
    outcome: str
    reason: str = ""
    write: Callable | None = None


def checker_for(kind, **context):
    return CHECKERS[kind](**context)


class Checker:
    kind = None

    def __init__(self, *, by, file_name, today, month_first_row=None):
        self.by = by
        self.today = today
        self.month_first_row = month_first_row
        by_name = (by.get_full_name() or by.username) if by else "the command line"
        self.why = f"Imported from {file_name} by {by_name}"
        self.seen = {}
        self._people = {}

    def check(self, number, values):
        self.row_number = number
        try:
            self.require(values)
            key, verdict = self.judge(values)
        except Refused as refusal:
            return Verdict(Outcome.REFUSED, str(refusal))
        first = self.seen.setdefault(key, number)
        if first != number:
            return Verdict(Outcome.REFUSED, f"Duplicate of row {first}.")
        return verdict

    def require(self, values):
        empty = [c.heading for c in COLUMNS[self.kind] if c.required and not values.get(c.key)]
        if empty:
            raise Refused(f"{' and '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty.")

    # What each cell means ------------------------------------------------------------

    def person(self, text):
        """The account whose email or username is `text` (either, whatever its case)."""
        wanted = text.strip().lower()
        if wanted not in self._people:
            self._people[wanted] = list(
                User.objects.filter(Q(email__iexact=wanted) | Q(username__iexact=wanted))[:2]
            )
        found = self._people[wanted]
        if not found:
            raise Refused(f"Unknown person: nobody has the email or username “{text}”.")
        if len(found) > 1:
            raise Refused(f"“{text}” matches more than one person; use their username.")
        return found[0]

    def date(self, values, key, *, required=True):
        text = values.get(key, "")
        if not text and not required:
            return None
        try:
            return dates.parse(text, month_first_row=self.month_first_row)
        except dates.DateProblem as problem:
            heading = next(c.heading for c in COLUMNS[self.kind] if c.key == key)
            raise Refused(f"{heading}: {problem}") from None

    def number(self, values, key, default, heading):
        text = values.get(key, "")
        if not text:
            return default
        try:
            return int(text)
        except ValueError:
            raise Refused(f"{heading} “{text}” is not a whole number.") from None

    def choice(self, text, choices, what):
        """The value of `choices` whose label or value is `text`, read forgivingly."""
        for value, label in choices:
            if squeeze(text) in {squeeze(value), squeeze(label)}:
                return value
        known = ", ".join(label for _, label in choices)
        raise Refused(f"Unknown {what} “{text}”: choose {known}.")

    @staticmethod
    def first_problem(problems):
        if problems:
            raise Refused(next(iter(problems.values())))


class PeopleChecker(Checker):
    kind = Kind.PEOPLE

    def __init__(self, **context):
        super().__init__(**context)
        self.usernames = {}

    def judge(self, values):
        email = self.email(values["email"])
        username = self.username(values.get("username", "") or email.split("@")[0])
        role = self.role(values["role"])
        wanted = {
            "first_name": values["first_name"],
            "last_name": values["last_name"],
            "email": email,
            "service": self.service(values.get("service", "")),
            "started_on": self.date(values, "started_on", required=False),
        }
        person = self.match(email, username)
        key = (email.lower(),)
        if person is None:
            self.username_once(username)
            if wanted["service"] is None and role in NEEDS_A_SERVICE:
                raise Refused(f"Service is empty; a {role.lower()} works in a service.")
            return key, Verdict(Outcome.NEW, write=lambda: self.create(username, role, wanted))
        changes = {
            name: value
            for name, value in wanted.items()
            if name != "email" and value not in (None, "") and getattr(person, name) != value
        }
        role_missing = not person.groups.filter(name=role).exists()
        if not changes and not role_missing:
            return key, Verdict(Outcome.UNCHANGED)
        said = [name.replace("_", " ") for name in changes] + (["role"] if role_missing else [])
        return key, Verdict(
            Outcome.UPDATED,
            reason="Changes " + ", ".join(said) + ".",
            write=lambda: self.update(person, role if role_missing else None, changes),
        )

    @staticmethod
    def email(text):
        try:
            validate_email(text.strip())
        except ValidationError:
            raise Refused(f"“{text}” is not an email address.") from None
        return text.strip()

    @staticmethod
    def username(text):
        if not USERNAME.match(text.strip()):
            raise Refused(f"“{text}” cannot be a username: letters, digits and @ . + - _ only.")
        return text.strip()

    def username_once(self, username):
        first = self.usernames.setdefault(username.lower(), self.row_number)
        if first != self.row_number:
            raise Refused(f"The username {username} is also given to the person on row {first}.")

    def role(self, text):
        role = IMPORTABLE_ROLES.get(squeeze(text))
        if role is None:
            if squeeze(text) in {squeeze(roles.MANAGER), "administrator", "admin"}:
                raise Refused(f"Only an administrator can make someone a {text.lower()}.")
            raise Refused(
                f"Unknown role “{text}”: choose Peer support worker, Supervisor or Service lead."
            )
        return role

    def service(self, text):
        if not text:
            return None
        service = Service.objects.filter(name__iexact=text.strip()).first()
        if service is None:
            known = ", ".join(Service.objects.values_list("name", flat=True))
            raise Refused(f"Unknown service “{text}” (the services are: {known}).")
        return service

    def match(self, email, username):
        by_email = User.objects.filter(email__iexact=email).first()
        by_username = User.objects.filter(username__iexact=username).first()
        if by_email and by_username and by_email.pk != by_username.pk:
            raise Refused(
                f"The email belongs to {by_email.username} but the username {username} to "
                "someone else."
            )
        person = by_email or by_username
        if person is None:
            return None
        if person.is_superuser or person.groups.filter(name=roles.MANAGER).exists():
            raise Refused(
                f"{person.username} is a manager or administrator: an administrator changes "
                "their account in Users."
            )
        if person.email.lower() != email.lower():
            raise Refused(
                f"The username {person.username} belongs to someone with another email "
                "address; an administrator changes email addresses in Users."
            )
        return person

    def create(self, username, role, wanted):
        person = User(username=username, **wanted)
        person.set_unusable_password()
        self.save(person)
        person.groups.add(Group.objects.get(name=role))
        return person

    def update(self, person, role, changes):
        for name, value in changes.items():
            setattr(person, name, value)
        self.save(person)
        if role:
            person.groups.add(Group.objects.get(name=role))
        return person

    def save(self, person):
        person._history_user = self.by
        person._change_reason = self.why
        person.save()


class ArrangementChecker(Checker):
    kind = Kind.ARRANGEMENTS

    def __init__(self, **context):
        super().__init__(**context)
        self.latest_start = {}
        self.default_intervals = supervision_selectors.default_interval_weeks()

    def judge(self, values):
        person = self.person(values["person"])
        stream = self.choice(values["stream"], side_choices(), "supervision")
        starts_on = self.date(values, "starts_on")
        ends_on = self.date(values, "ends_on", required=False)
        supervisor, name = self.supervisor(values["supervisor"])
        interval = self.number(
            values, "interval_weeks", self.default_intervals[stream], "Every (weeks)"
        )
        key = (person.pk, stream, starts_on)
        existing = SupervisionArrangement.objects.filter(
            supervisee=person, stream=stream, starts_on=starts_on
        ).first()
        if existing:
            return key, self.compare(existing, supervisor, name, interval, ends_on)
        self.in_date_order(person, stream, starts_on, values)
        self.first_problem(
            supervision_services.arrangement_problems(
                supervisee=person,
                stream=stream,
                supervisor=supervisor,
                supervisor_name=name,
                interval_weeks=interval,
                starts_on=starts_on,
            )
        )
        if ends_on and ends_on < starts_on:
            raise Refused("An arrangement cannot end before it starts.")
        return key, Verdict(
            Outcome.NEW,
            write=lambda: self.create(
                person, stream, supervisor, name, interval, starts_on, ends_on
            ),
        )

    def supervisor(self, text):
        """An account when the cell names one by email or username, else a name.

        A cell that reads like an email or a username ("j.smith", "jo_2") but matches
        no account is refused rather than kept as an external supervisor's name: a
        mistyped username would otherwise leave the supervisor without their
        supervisee's sessions, silently."""
        try:
            return self.person(text), ""
        except Refused:
            text = text.strip()
            if "@" in text or (" " not in text and re.search(r"[._\d]", text)):
                raise Refused(
                    f"No account has the email or username “{text}”. Check the spelling, "
                    "or give the full name of a supervisor who has no account here."
                ) from None
            return None, text

    def in_date_order(self, person, stream, starts_on, values):
        earlier = self.latest_start.get((person.pk, stream))
        if earlier and earlier[0] >= starts_on:
            raise Refused(
                f"Row {earlier[1]} starts a later arrangement for this person and supervision; "
                "list each person's arrangements in date order."
            )
        self.latest_start[(person.pk, stream)] = (starts_on, self.row_number)

    def compare(self, existing, supervisor, name, interval, ends_on):
        same_supervisor = (
            existing.supervisor_id == supervisor.pk
            if supervisor
            else existing.supervisor_id is None and existing.supervisor_name == name
        )
        if not same_supervisor or existing.interval_weeks != interval:
            raise Refused(
                "An arrangement starting that day is recorded with another supervisor or "
                f"interval ({existing.supervisor_display}, every {existing.interval_weeks} "
                "weeks). Change it in the workspace."
            )
        if ends_on == existing.ends_on or ends_on is None:
            return Verdict(Outcome.UNCHANGED)
        if existing.ends_on is not None:
            raise Refused(
                f"This arrangement is recorded as ending on {existing.ends_on:%-d %B %Y}."
            )
        self.first_problem(
            supervision_services.arrangement_end_problems(arrangement=existing, ends_on=ends_on)
        )
        return Verdict(
            Outcome.UPDATED,
            reason=f"Ends on {ends_on:%-d %B %Y}.",
            write=lambda: supervision_services.arrangement_end(
                arrangement=existing, ends_on=ends_on, by=self.by, reason=self.why
            ),
        )

    def create(self, person, stream, supervisor, name, interval, starts_on, ends_on):
        arrangement = supervision_services.arrangement_start(
            supervisee=person,
            stream=stream,
            supervisor=supervisor,
            supervisor_name=name,
            interval_weeks=interval,
            starts_on=starts_on,
            by=self.by,
            why=self.why,
        )
        if ends_on:
            supervision_services.arrangement_end(
                arrangement=arrangement, ends_on=ends_on, by=self.by, reason=self.why
            )
        return arrangement


class CompletionChecker(Checker):
    kind = Kind.COMPLETIONS

    def __init__(self, **context):
        super().__init__(**context)
        self.modules = {
            squeeze(module.title): module for module in TrainingModulePage.objects.live()
        }
        self._recorded = {}

    def judge(self, values):
        person = self.person(values["person"])
        module = self.module(values["module"])
        provider = self.choice(values["provider"], side_choices(), "provider")
        completed_on = self.date(values, "completed_on")
        self.first_problem(
            training_services.completion_problems(
                module=module, provider=provider, completed_on=completed_on, today=self.today
            )
        )
        key = (person.pk, module.pk, provider, completed_on)
        existing = self.recorded(person).get(key[1:])
        if existing is None:
            note = values.get("certificate_file", "")
            return key, Verdict(
                Outcome.NEW,
                write=lambda: training_services.record_create(
                    person=person,
                    module=module,
                    provider=provider,
                    completed_on=completed_on,
                    notes=f"Certificate file: {note}" if note else "",
                    by=self.by,
                    why=self.why,
                    today=self.today,
                ),
            )
        pk, status = existing
        if status == TrainingRecord.Status.VERIFIED:
            return key, Verdict(Outcome.UNCHANGED)
        return key, Verdict(
            Outcome.UPDATED,
            reason="Recorded already and waiting for verification: the import verifies it.",
            write=lambda: training_services.record_verify(
                record=TrainingRecord.objects.get(pk=pk), by=self.by, reason=self.why
            ),
        )

    def recorded(self, person):
        """{(module, provider, completed on): (pk, status)} of the person's live records,
        read once per person: a file lists many completions of few people."""
        if person.pk not in self._recorded:
            live = TrainingRecord.objects.filter(person=person).exclude(
                status=TrainingRecord.Status.REJECTED
            )
            self._recorded[person.pk] = {
                (module_id, provider, completed_on): (pk, status)
                for pk, module_id, provider, completed_on, status in live.values_list(
                    "pk", "module_id", "provider", "completed_on", "status"
                )
            }
        return self._recorded[person.pk]

    def module(self, text):
        module = self.modules.get(squeeze(text))
        if module is None:
            raise Refused(f"Unknown module “{text}”: use the title on its page.")
        return module


class SessionChecker(Checker):
    kind = Kind.SESSIONS

    def judge(self, values):
        person = self.person(values["person"])
        stream = self.choice(values["stream"], side_choices(), "supervision")
        held_on = self.date(values, "held_on")
        fields = {
            "held_on": held_on,
            "duration_minutes": self.number(values, "duration_minutes", 60, "Duration (minutes)"),
            "format": self.choice(
                values.get("format") or "one_to_one", SupervisionSession.Format.choices, "format"
            ),
            "status": self.choice(
                values.get("status") or "held", SupervisionSession.Status.choices, "status"
            ),
        }
        arrangement = self.arrangement(person, stream, held_on)
        key = (arrangement.pk, held_on)
        existing = arrangement.sessions.filter(held_on=held_on).first()
        if existing:
            return key, self.compare(existing, fields)
        self.first_problem(
            supervision_services.session_problems(
                arrangement=arrangement,
                topics=[],
                same_day_reason="",
                today=self.today,
                **fields,
            )
        )
        return key, Verdict(
            Outcome.NEW,
            write=lambda: supervision_services.session_record_confirmed(
                arrangement=arrangement, by=self.by, why=self.why, today=self.today, **fields
            ),
        )

    def arrangement(self, person, stream, held_on):
        arrangement = (
            SupervisionArrangement.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=held_on),
                supervisee=person,
                stream=stream,
                starts_on__lte=held_on,
            )
            .order_by("-starts_on")
            .first()
        )
        if arrangement is None:
            raise Refused(
                f"{person} had no {supervision_name(stream)} arrangement on {held_on:%-d %B %Y}; "
                "import the arrangement first."
            )
        return arrangement

    @staticmethod
    def compare(existing, fields):
        differs = [
            name.replace("_", " ")
            for name, value in fields.items()
            if getattr(existing, name) != value
        ]
        if differs:
            raise Refused(
                "A session on that day is already recorded with another "
                + " and ".join(differs)
                + "."
            )
        return Verdict(Outcome.UNCHANGED)


CHECKERS = {
    Kind.PEOPLE: PeopleChecker,
    Kind.ARRANGEMENTS: ArrangementChecker,
    Kind.COMPLETIONS: CompletionChecker,
    Kind.SESSIONS: SessionChecker,
}
