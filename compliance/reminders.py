"""Reminders: what is due for whom on a day, and the one email each person gets.

Everything here reads statuses from the one status engine (`loader.statuses_today`,
which applies the training and supervision rules); a reminder is a status seen
through a threshold. `ReminderLog` remembers each (person, item, threshold) sent, so
a reminder goes once however often the command runs, and a failed send is retried.

Emails carry dates, statuses and links, never notes, actions, evidence or what a
safeguarding concern was about; a PSW's email names nobody but them.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from email.utils import formataddr, parseaddr
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

from organisation.current import current_organisation
from organisation.words import side_name, supervision_name
from people import roles
from people.models import User
from people.selectors import Sees, confirms_for_absent_supervisors, psws
from supervision import rules as supervision_rules
from supervision.models import SupervisionSession
from supervision.selectors import new_safeguarding_flags
from training import rules as training_rules
from training.models import TrainingRecord
from training.selectors import module_facts, records_visible_to

from . import states
from .loader import (
    STREAMS,
    organisation_counts,
    people_in_post,
    reads_kept_statuses,
    statuses_today,
)
from .models import ReminderLog
from .summary import compliance_target, organisation_summary

log = logging.getLogger("alongside.reminders")

Threshold = ReminderLog.Threshold
OPTIONAL = frozenset({Threshold.EXPIRING_60, Threshold.DIGEST})
NOTICES = ((7, Threshold.EXPIRING_7), (30, Threshold.EXPIRING_30), (60, Threshold.EXPIRING_60))
DIGEST_WEEKDAY = 0  # Monday
CHUNK = 500  # people whose statuses load together
LISTED_PENDING = 20  # the digest lists this many completions waiting, then counts the rest
# A claim older than this is taken to be from a run that died before recording its
# send; the next run sends that reminder again. An email handed to the mail server in
# the instant before such a death can therefore go twice, once this has passed.
CLAIM_TIMEOUT = timedelta(minutes=30)
RUN_LEASE = timedelta(minutes=2)  # renewed after every email

SECTIONS = {
    "training": "Your training",
    "supervision": "Your supervision",
    "acknowledge": "Sessions waiting for your sign-off",
    "supervisees": "People you supervise",
    "confirm": "Sessions waiting for your confirmation",
    "digest": "This week's summary",
}


@dataclass(frozen=True, slots=True)
class Reminder:
    """One thing one person is told: a line to read, a link, and for the digest, details
    as (text, link) pairs."""

    section: str
    item_key: str
    threshold: str
    text: str
    link: str = ""
    details: tuple = ()

    @property
    def optional(self):
        return self.threshold in OPTIONAL

    def detail_groups(self):
        """[(link, [text])]: neighbouring details that share a link, for the plain text
        email to give each link once."""
        groups = []
        for text, link in self.details:
            if groups and groups[-1][0] == link:
                groups[-1][1].append(text)
            else:
                groups.append((link, [text]))
        return groups


@dataclass
class Email:
    recipient: User
    reminders: list

    @property
    def subject(self):
        count = len(self.reminders)
        return f"Alongside: {count} thing{'s need' if count > 1 else ' needs'} your attention"

    def sections(self):
        """[(heading, [Reminder])] in the order of SECTIONS."""
        return [
            (heading, [r for r in self.reminders if r.section == name])
            for name, heading in SECTIONS.items()
            if any(r.section == name for r in self.reminders)
        ]


@dataclass
class Plan:
    """Who gets an email this run, and how many people had nothing new to be told."""

    emails: list = field(default_factory=list)
    skipped: int = 0


def site_link(url_name, *args, query=""):
    """A page's full address. A run makes tens of thousands of links to a handful of
    pages, so each page's address is reversed once (`page_path`); a page of one object
    (a session) is reversed with a stand-in id, which the object's own replaces."""
    if len(args) > 1 or (args and type(args[0]) is not int):
        return settings.SITE_URL + reverse(url_name, args=args) + query
    path = page_path(
        url_name,
        bool(args),
        settings.ROOT_URLCONF,
        get_urlconf(),
        get_script_prefix(),
    )
    if args:
        path = path.replace(str(ANY_ID), str(args[0]))
    return settings.SITE_URL + path + query


ANY_ID = 987654321987  # stands for an object's id in a cached address


@lru_cache(maxsize=64)
def page_path(url_name, with_id, root_urlconf, urlconf, script_prefix):
    """The path of a named page, once for each URL configuration and script prefix."""
    return reverse(url_name, args=[ANY_ID] if with_id else [])


def day(value):
    """ "3 May 2026", in the active language: a few hundred distinct days in a run of
    tens of thousands of reminders, each written once."""
    return day_in(value, get_language())


@lru_cache(maxsize=4096)
def day_in(value, language):
    return date_format(value, "j F Y")


# What is due ------------------------------------------------------------------------


def is_digest_day(today):
    return today.weekday() == DIGEST_WEEKDAY


def receives_reminders(person, today):
    """Active people in post (a leaver's last day included) with an email address."""
    return person.in_post_on(today) and bool(person.email)


def notice_threshold(status, today):
    """The threshold a training requirement has reached on `today`, or None."""
    if status.status == training_rules.EXPIRED:
        return Threshold.EXPIRED
    if status.status == training_rules.MISSING:
        return Threshold.MISSING
    if status.status == training_rules.DUE_BY:
        return Threshold.DUE_BY
    if status.status not in (training_rules.VALID, training_rules.EXPIRING):
        return None
    if status.valid_until is None:
        return None
    days = (status.valid_until - today).days
    return next((threshold for limit, threshold in NOTICES if 0 <= days <= limit), None)


def training_reminder(status, threshold, today, organisation):
    provider = side_name(status.provider)
    name = f"{status.module_title} ({provider})"
    if threshold == Threshold.MISSING:
        text = (
            f"{name}: there is no completion recorded yet. If you have done it, record it; "
            f"if not, ask your manager about the next course."
        )
    elif threshold == Threshold.DUE_BY:
        text = (
            f"{name}: please complete it by {day(status.induction_due_on)}, within your "
            f"induction period, and record it when you have done it. Ask your manager "
            f"about the next course."
        )
    elif threshold == Threshold.EXPIRED:
        text = (
            f"{name}: ran out on {day(status.valid_until)}. Please book a refresher and "
            f"record it when you have done it."
        )
    else:
        days = (status.valid_until - today).days
        when = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
        text = f"{name}: runs out on {day(status.valid_until)}, {when}."
    valid_until = status.due_on.isoformat() if status.due_on else "none"
    return Reminder(
        "training",
        f"training:{status.module_id}:{status.provider}:{valid_until}",
        threshold,
        text,
        site_link("me:training"),
    )


def stream_threshold(status):
    return {
        supervision_rules.DUE_SOON: Threshold.DUE_SOON,
        supervision_rules.OVERDUE: Threshold.OVERDUE,
    }.get(status.status)


def stream_text(status, organisation):
    item = supervision_name(status.stream)
    if status.status == supervision_rules.OVERDUE:
        return f"{item} was due on {day(status.due_on)} and is overdue."
    return f"{item} is due by {day(status.due_on)}."


def stream_key(status):
    return f"supervision:{status.arrangement_id}:{status.due_on.isoformat()}"


def psw_reminders(person_status, today, organisation):
    """A PSW's own training and supervision, by the thresholds they have reached."""
    found = []
    for status in person_status.requirements.values():
        threshold = notice_threshold(status, today)
        if threshold:
            found.append(training_reminder(status, threshold, today, organisation))
    for status in person_status.streams.values():
        threshold = stream_threshold(status)
        if threshold:
            text = stream_text(status, organisation)
            if threshold == Threshold.OVERDUE:
                text += " Please arrange a session with your supervisor."
            link = site_link("me:supervision")
            found.append(Reminder("supervision", stream_key(status), threshold, text, link))
    return found


def supervisor_reminders(person_status, organisation):
    """{supervisor id: [Reminder]} for this PSW's streams due or overdue with them."""
    found = {}
    for status in person_status.streams.values():
        threshold = stream_threshold(status)
        if threshold and status.supervisor_id:
            text = f"{person_status.person.name}: {stream_text(status, organisation)}"
            link = site_link("supervision:supervisees")
            reminder = Reminder("supervisees", stream_key(status), threshold, text, link)
            found.setdefault(status.supervisor_id, []).append(reminder)
    return found


def acknowledgement_reminders(person_ids, organisation):
    """{PSW id: [Reminder]} for sessions recorded about them that they have not signed
    off. `person_ids` may be a list or a query of ids."""
    found = {}
    waiting = SupervisionSession.objects.filter(
        arrangement__supervisee_id__in=person_ids,
        acknowledged_at__isnull=True,
        declined_at__isnull=True,
    ).order_by("held_on", "pk")
    for pk, person_id, stream, held_on in waiting.values_list(
        "pk", "arrangement__supervisee_id", "arrangement__stream", "held_on"
    ):
        text = (
            f"{supervision_name(stream)} session held on {day(held_on)}: please read "
            f"the record and sign it off."
        )
        link = site_link("me:session", pk)
        found.setdefault(person_id, []).append(
            Reminder("acknowledge", f"ack:{pk}", Threshold.ACKNOWLEDGE, text, link)
        )
    return found


def confirmation_reminder(pk, first, last, username, stream, held_on, *, own):
    """`own`: the confirmer supervises the session, and confirms on its page; a manager,
    who may not read it, confirms on the workspace's list."""
    name = " ".join(filter(None, [first, last])) or username
    text = f"{name} logged a session held on {day(held_on)} ({supervision_name(stream)})."
    if own:
        link = site_link("supervision:session", pk)
    else:
        link = site_link("supervision_workspace:waiting")
    return Reminder("confirm", f"confirm:{pk}", Threshold.CONFIRM, text, link)


CONFIRMATION_FIELDS = (
    "pk",
    "arrangement__supervisee__first_name",
    "arrangement__supervisee__last_name",
    "arrangement__supervisee__username",
    "arrangement__stream",
    "held_on",
)


def confirmations_due(organisation):
    """{confirmer id: [Reminder]}: the sessions waiting for each supervisor and manager,
    from one query of all the sessions waiting rather than one per confirmer. Who
    confirms what is `sessions_awaiting_confirmation_by`'s rule (a test holds the two
    together): the arrangement's supervisor, or, where it has none with an account
    here, any manager."""
    confirmers = User.objects.filter(
        groups__name__in=[roles.SUPERVISOR, roles.MANAGER], is_active=True
    ).distinct()
    by_supervisor = defaultdict(list)
    waiting = SupervisionSession.objects.filter(
        confirmed_at__isnull=True, declined_at__isnull=True
    ).order_by("held_on", "pk")
    for supervisor_id, *row in waiting.values_list(
        "arrangement__supervisor_id", *CONFIRMATION_FIELDS
    ):
        by_supervisor[supervisor_id].append(row)
    absent = by_supervisor.get(None, [])
    found = {}
    for confirmer in confirmers:
        rows = [(row, True) for row in by_supervisor.get(confirmer.pk, [])]
        # Whether they confirm for absent supervisors is a question about each
        # confirmer's roles: asked only when some session has no supervisor here.
        if absent and confirms_for_absent_supervisors(confirmer):
            rows += [(row, False) for row in absent]
            rows.sort(key=lambda pair: (pair[0][-1], pair[0][0]))
        if rows:
            found[confirmer.pk] = [confirmation_reminder(*row, own=own) for row, own in rows]
    return found


def digest_key(today):
    year, week, _ = today.isocalendar()
    return f"digest:{year}-W{week:02d}"


def last_digest_at(manager, today):
    """When this manager's last digest went, or the start of the week before `today`."""
    sent = ReminderLog.objects.filter(
        person=manager, threshold=Threshold.DIGEST, status=ReminderLog.Status.SENT
    ).aggregate(last=Max("sent_at"))["last"]
    start = datetime.combine(today - timedelta(days=7), time.min)
    return sent or timezone.make_aware(start, timezone.get_default_timezone())


def organisation_lines(summary, organisation):
    """The summary as (text, link) pairs: totals, then requirements below target."""
    link = site_link("compliance_admin:summary")
    target, people = summary["target"], summary["people"]
    lines = [
        (
            f"{share.part} of {people} peer support workers fully {what} "
            f"({share.percent if share.percent is not None else 0}%; the target is {target}%).",
            link,
        )
        for what, share in (("trained", summary["trained"]), ("supervised", summary["supervised"]))
    ]
    for requirement, share in summary["requirements"]:
        if share.below_target:
            lines.append(
                (
                    f"Below target: {requirement.title} "
                    f"({side_name(requirement.provider)}), {share.percent}%.",
                    link,
                )
            )
    return lines


def digest_reminder(manager, today, summary, organisation):
    """The weekly digest: the organisation summary, the verification queue, and new
    safeguarding flags by date alone."""
    lines = organisation_lines(summary, organisation)
    pending = (
        records_visible_to(manager, Sees.EVIDENCE)
        .filter(status=TrainingRecord.Status.PENDING)
        .select_related("person", "module")
        .order_by("created_at")
    )
    count = pending.count()
    queue = site_link("training_admin:pending")
    lines.append(
        (f"{count} completion{'s' if count != 1 else ''} waiting for verification.", queue)
    )
    for record in pending[:LISTED_PENDING]:
        provider = side_name(record.provider)
        lines.append(
            (
                f"{record.person}: {record.module.title} ({provider}), "
                f"completed {day(record.completed_on)}.",
                queue,
            )
        )
    if count > LISTED_PENDING:
        lines.append((f"and {count - LISTED_PENDING} more.", queue))
    flags = site_link("supervision_sessions:index", query="?safeguarding_concern=true")
    for held_on in (
        new_safeguarding_flags(manager, last_digest_at(manager, today))
        .order_by("held_on")
        .values_list("held_on", flat=True)
    ):
        lines.append(
            (f"A safeguarding concern was flagged in a session held on {day(held_on)}.", flags)
        )
    monday = today - timedelta(days=today.weekday())
    return Reminder(
        "digest",
        digest_key(today),
        Threshold.DIGEST,
        f"Weekly summary for {organisation}, week beginning {day(monday)}.",
        site_link("compliance_admin:summary"),
        tuple(lines),
    )


def reminders_due(today, *, digest=False, organisation=None):
    """{person id: [Reminder]}: everything the records call for on `today`, sent or not.

    For today (or later) the status tables say in one query who has anything to be
    told about their training or supervision; only those people's statuses are read
    and put through the thresholds, a chunk at a time. For a day in the past the
    tables cannot say (`loader.reads_kept_statuses`), and everyone's are read."""
    organisation = organisation or current_organisation().name
    due = defaultdict(list)
    in_post = psws(today).values("pk")
    noticed = people_in_post(User.objects.all(), today)
    if reads_kept_statuses(today):
        noticed = noticed.filter(may_need_notice(today))
    for people in chunks(list(noticed)):
        for person_status in statuses_today(people, today).people:
            due[person_status.person.pk] += psw_reminders(person_status, today, organisation)
            for supervisor_id, found in supervisor_reminders(person_status, organisation).items():
                due[supervisor_id] += found
    for person_id, found in acknowledgement_reminders(in_post, organisation).items():
        due[person_id] += found
    for confirmer_id, found in confirmations_due(organisation).items():
        due[confirmer_id] += found
    if digest:
        managers = User.objects.filter(groups__name=roles.MANAGER, is_active=True).distinct()
        status = organisation_counts(User.objects.all(), today, whole=True)
        summary = organisation_summary(status, compliance_target())
        for manager in managers:
            due[manager.pk].append(digest_reminder(manager, today, summary, organisation))
    return {pk: found for pk, found in due.items() if found}


def may_need_notice(today):
    """Q on User: people whose training or supervision may call for a reminder on
    `today` (`notice_threshold`, `stream_threshold`): a requirement expired, missing,
    due by the end of its induction period or running out within the longest notice,
    or a stream due soon or overdue. A superset: the thresholds decide."""
    required = states.requirements_of(module_facts())
    streams = list(STREAMS)
    condition = Q(pk__in=[])
    for status in (training_rules.EXPIRED, training_rules.MISSING, training_rules.DUE_BY):
        condition |= states.with_any_requirement_status(required, status, today)
    condition |= states.with_any_requirement_running_out(required, today, NOTICES[-1][0])
    for status in (supervision_rules.DUE_SOON, supervision_rules.OVERDUE):
        condition |= states.with_any_stream_status(streams, status, today)
    return condition


def chunks(items):
    """`items` CHUNK at a time: within every database's limit on a query's parameters."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def reminders_plan(today, *, digest=False):
    """The emails to send on `today`: each person's reminders not yet sent, minus the
    optional ones for people who turned those off. Nothing is sent or recorded."""
    due = reminders_due(today, digest=digest)
    sent = already_sent(due)
    plan = Plan()
    recipients = [p for ids in chunks(list(due)) for p in User.objects.filter(pk__in=ids)]
    for person in sorted(recipients, key=lambda p: p.username):
        new = [
            r
            for r in due[person.pk]
            if (person.pk, r.item_key, r.threshold) not in sent
            and (person.optional_reminders or not r.optional)
        ]
        if new and receives_reminders(person, today):
            plan.emails.append(Email(person, new))
        else:
            plan.skipped += 1
    return plan


def already_sent(due):
    """{(person id, item key, threshold)} of these reminders sent before."""
    sent = set()
    for person_ids in chunks(list(due)):
        keys = {r.item_key for pk in person_ids for r in due[pk]}
        rows = ReminderLog.objects.filter(
            person_id__in=person_ids, item_key__in=keys, status=ReminderLog.Status.SENT
        )
        sent.update(rows.values_list("person_id", "item_key", "threshold"))
    return sent


# Sending ----------------------------------------------------------------------------


def sender(organisation):
    """`Leeds Mind (Alongside) <address>`: the organisation's name, the site's address."""
    return formataddr((f"{organisation} (Alongside)", parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def reminder_message(email, organisation):
    context = {
        "person": email.recipient,
        "organisation": organisation,
        "sections": email.sections(),
        "site_url": settings.SITE_URL,
        "preferences_link": site_link(
            "wagtailadmin_account" if roles.is_manager(email.recipient) else "me:account"
        ),
    }
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=render_to_string("compliance/email/reminders.txt", context),
        from_email=sender(organisation),
        to=[email.recipient.email],
    )
    message.attach_alternative(
        render_to_string("compliance/email/reminders.html", context), "text/html"
    )
    return message


def reminders_claim(*, person, reminders, now=None):
    """Claim these reminders for this run (status "sending", committed at once); returns
    those claimed. A reminder sent, or claimed by a run less than CLAIM_TIMEOUT ago, is
    not claimed again: the database, not this process, decides who sends it.

    Three statements for all of a person's reminders: new ones are inserted (a row
    another run inserted first is left alone), failed or abandoned ones are taken over,
    and the rows this run now holds are those stamped with its moment."""
    now = now or timezone.now()
    claimable = Q(status=ReminderLog.Status.FAILED) | Q(
        status=ReminderLog.Status.SENDING, last_tried_at__lt=now - CLAIM_TIMEOUT
    )
    keys = [r.item_key for r in reminders]
    with transaction.atomic():
        ReminderLog.objects.bulk_create(
            [
                ReminderLog(
                    person=person,
                    item_key=r.item_key,
                    threshold=r.threshold,
                    summary=r.text[:300],
                    status=ReminderLog.Status.SENDING,
                    last_tried_at=now,
                )
                for r in reminders
            ],
            ignore_conflicts=True,
        )
        ReminderLog.objects.filter(claimable, person=person, item_key__in=keys).update(
            status=ReminderLog.Status.SENDING, last_tried_at=now
        )
        held = set(
            ReminderLog.objects.filter(
                person=person,
                item_key__in=keys,
                status=ReminderLog.Status.SENDING,
                last_tried_at=now,
            ).values_list("item_key", "threshold")
        )
    return [r for r in reminders if (r.item_key, r.threshold) in held]


def reminders_send(plan, *, lease=None):
    """Send each email of `plan`, with only the reminders this run could claim; a failure
    is logged and recorded, and the rest go on. `lease` (a run lock) is renewed after each
    email, and sending stops if another run took it over.

    Returns (sent, failed), counted in emails.
    """
    organisation = current_organisation().name
    sent = failed = 0
    for email in plan.emails:
        if lease:
            lease.renew()
        claimed = reminders_claim(person=email.recipient, reminders=email.reminders)
        if not claimed:
            continue
        email = Email(email.recipient, claimed)
        try:
            reminder_message(email, organisation).send()
        except Exception as error:  # any failure: SMTP, socket, refused address, template
            log.warning(
                "reminder email to %s failed: %s", email.recipient.username, type(error).__name__
            )
            reminders_record(person=email.recipient, reminders=email.reminders, error=error)
            failed += 1
        else:
            reminders_record(person=email.recipient, reminders=email.reminders)
            sent += 1
    return sent, failed


def reminders_record(*, person, reminders, error=None):
    """Log each reminder as sent, or as failed (to retry next run) with the reason."""
    now = timezone.now()
    status = ReminderLog.Status.FAILED if error else ReminderLog.Status.SENT
    reason = f"{type(error).__name__}: {error}"[:300] if error else ""
    with transaction.atomic():
        for reminder in reminders:
            entry, _ = ReminderLog.objects.get_or_create(
                person=person,
                item_key=reminder.item_key,
                threshold=reminder.threshold,
                defaults={"summary": reminder.text[:300], "status": status, "last_tried_at": now},
            )
            entry.summary = reminder.text[:300]
            entry.status = status
            entry.attempts += 1
            entry.error = reason
            entry.last_tried_at = now
            entry.sent_at = None if error else now
            entry.save()
