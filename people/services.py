"""What people do to accounts: notices of security changes, names, leaving.

Every change that could hand an account to someone else (a second factor added or
removed, new recovery codes, a new email address) is written to the security log and
mailed to the account's address, so the owner hears of it even when it was not them.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from . import roles
from .models import User
from .security_log import log_event
from .tasks import send_account_mail

# Sent after a person's legal name changed: training re-issues their certificates.
legal_name_changed = Signal()  # arguments: person, by

NOTICE_BODY = """Hello {name},

{what} on your Alongside account ({username}), on {when}.
{detail}
If this was you, there is nothing to do. If it was not, tell your manager or the
Alongside administrator today: someone may know your password.
"""


def account_notice_send(*, user, what, event, request=None, to=None, detail="", **fields):
    """Log a security change and mail it to the account's address (or `to`)."""
    log_event(event, request, account=user.get_username(), **fields)
    address = to or user.email
    if not address:
        return
    when = timezone.localtime().strftime("%d %B %Y at %H:%M")
    body = NOTICE_BODY.format(
        name=user.get_short_name() or user.username,
        what=what,
        username=user.username,
        when=when,
        detail=f"\n{detail}\n" if detail else "",
    )
    send_account_mail.enqueue(to=address, subject=f"Alongside: {what.lower()}", body=body)


def email_change_problems(*, user, email, password):
    """Why an email change cannot go ahead, by field; empty when it can."""
    problems = {}
    if not user.check_password(password or ""):
        problems["current_password"] = "That is not your current password."
    if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        problems["email"] = "Another account uses this address."
    return problems


@transaction.atomic
def account_email_change(*, user, email, password, request=None):
    """A person changes their own address: needs the password; the old address is told."""
    problems = email_change_problems(user=user, email=email, password=password)
    if problems:
        raise ValidationError(problems)
    old = user.email
    user.email = email
    user._change_reason = "Email address changed by its owner"
    user.save(update_fields=["email"])
    if old and old.lower() != email.lower():
        account_notice_send(
            user=user,
            what=f"The email address was changed to {email}",
            event="email_changed",
            request=request,
            to=old,
        )
    return user


def legal_name_problems(*, person, first_name, last_name, reason):
    problems = {}
    if not first_name.strip():
        problems["first_name"] = "Please give the first name as it appears on legal documents."
    if not last_name.strip():
        problems["last_name"] = "Please give the last name as it appears on legal documents."
    if not reason.strip():
        problems["reason"] = "Please say why the name is changing (kept in the history)."
    if (first_name.strip(), last_name.strip()) == (person.first_name, person.last_name):
        problems["last_name"] = "This is the name the person already has."
    return problems


@transaction.atomic
def person_rename(*, person, first_name, last_name, reason, by):
    """A manager changes a person's legal name, saying why; certificates follow."""
    if not roles.is_manager(by):
        raise ValidationError("Only a manager can change a person's legal name.")
    problems = legal_name_problems(
        person=person, first_name=first_name, last_name=last_name, reason=reason
    )
    if problems:
        raise ValidationError(problems)
    person.first_name, person.last_name = first_name.strip(), last_name.strip()
    person._change_reason = f"Legal name changed: {reason.strip()}"
    person.save(update_fields=["first_name", "last_name"])
    legal_name_changed.send(sender=User, person=person, by=by)
    return person


def leavers_close(*, today):
    """Switch off the accounts of people whose leaving date has passed; records stay."""
    closed = []
    for person in User.objects.filter(is_active=True, left_on__lt=today):
        person.is_active = False
        person._change_reason = f"Left on {person.left_on.isoformat()}: account closed"
        person.save(update_fields=["is_active"])
        closed.append(person)
    return closed


# A manager adds the people they look after; managers and administrators are added by
# an administrator (Wagtail's user management), who may give any role.
ROLES_A_MANAGER_ADDS = (roles.PSW, roles.SUPERVISOR, roles.SERVICE_LEAD)


def roles_added_by(user):
    """The roles `user` may give a person they add."""
    if roles.is_current(user) and user.is_superuser:
        return roles.ALL
    if roles.is_manager(user):
        return ROLES_A_MANAGER_ADDS
    return ()


def person_add_problems(*, by, first_name, last_name, email, role, service=None, side=""):
    """Why this person cannot be added, by field; empty when they can."""
    problems = {}
    if role not in roles_added_by(by):
        problems["role"] = (
            "A manager can add peer support workers, supervisors and service leads; "
            "an administrator adds managers."
            if roles.is_manager(by)
            else "Only a manager can add people."
        )
    if not first_name.strip():
        problems["first_name"] = "Please give their first name, as on legal documents."
    if not last_name.strip():
        problems["last_name"] = "Please give their last name, as on legal documents."
    if not email.strip():
        problems["email"] = "Please give their email address: the invitation goes there."
    elif User.objects.filter(email__iexact=email.strip()).exists():
        problems["email"] = "Someone already has an account with this address."
    if role in (roles.PSW, roles.SERVICE_LEAD) and service is None:
        problems["service"] = "Please choose the service they work in."
    if role == roles.SUPERVISOR and not side:
        problems["side"] = "Please say whether they supervise for the NHS or for us."
    return problems


def _free_username(email):
    """The address's own part ("aisha.khan"), numbered when someone has it already."""
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].lower())[:140] or "person"
    name, number = base, 1
    while User.objects.filter(username__iexact=name).exists():
        number += 1
        name = f"{base}{number}"
    return name


@transaction.atomic
def person_add(*, by, first_name, last_name, email, role, service=None, side="", started_on=None):
    """A manager adds a person with one role; they get no password until they choose
    one from their invitation. The history says who added them, and as what."""
    problems = person_add_problems(
        by=by,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        service=service,
        side=side,
    )
    if problems:
        raise ValidationError(problems)
    person = User(
        username=_free_username(email.strip()),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        service=service,
        side=side if role == roles.SUPERVISOR else "",
        started_on=started_on,
    )
    person.set_unusable_password()
    person._change_reason = f"Added as {role.lower()} by {by}"
    person.save()
    person.groups.add(roles.group(role))
    log_event("person_added", None, account=person.username, role=role, by=by.get_username())
    return person


@transaction.atomic
def account_reminders_choose(*, user, optional_reminders):
    """A person chooses whether they get the optional reminders (advance notices and the
    weekly digest); the reminders that something has run out are always sent."""
    if user.optional_reminders == optional_reminders:
        return user
    user.optional_reminders = optional_reminders
    user._change_reason = "Notification choices changed by their owner"
    user.save(update_fields=["optional_reminders"])
    return user
