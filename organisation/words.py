"""Alongside's vocabulary: every word a person reads for a side or a status.

Pages, exports, PDFs and emails ask this module, never spell a word themselves, so one
PSW reads the same thing on every channel (docs/architecture.md, "Vocabulary"). The
codes are the stored values and `compliance_report`'s machine format; the words are
for people.

A side is who delivers a training requirement (its provider) or who supervises (its
stream): the NHS, or the employing organisation, called by its short name.
"""

from django.db import models

from .current import current_organisation


class Side(models.TextChoices):
    """Who trains or supervises. The labels are placeholders for forms built before
    the organisation is known; `side_name` gives the words people read."""

    NHS = "nhs", "NHS"
    EMPLOYER = "employer", "Employing organisation"


BOTH = "both"  # a module delivered by every side: one requirement per side
BOTH_WORD = "Both"  # what people read where every side is meant (an exemption from both)

SIDES = tuple(Side.values)
# A training module names one side, or both.
MODULE_PROVIDER_CHOICES = [*Side.choices, (BOTH, "Both (one requirement from each side)")]
FIXED_SIDE_NAMES = {Side.NHS: "NHS"}

# Keyed by the codes training/rules.py and supervision/rules.py decide (a test holds
# the two lists together).
STATUS_WORDS = {
    "valid": "Valid",
    "expiring": "Expiring soon",
    "expired": "Expired",
    "pending": "Waiting for verification",
    "missing": "Not recorded",
    "exempt": "Exempt",
    "on_track": "On track",
    "due_soon": "Due soon",
    "overdue": "Overdue",
    "no_arrangement": "No arrangement",
}

# Wagtail admin icon names, so a status is never told by colour alone.
STATUS_ICONS = {
    "valid": "success",
    "expiring": "warning",
    "expired": "error",
    "pending": "time",
    "missing": "circle-xmark",
    "exempt": "minus",
    "on_track": "success",
    "due_soon": "warning",
    "overdue": "error",
    "no_arrangement": "circle-xmark",
}

NOT_REQUIRED = "Not required"

# A session's yes-or-no facts, in words: never a tick or a cross (a tick beside a
# safeguarding concern reads as "all well"). What is not so is left blank.
FLAGGED = "Flagged"
SIGNED_OFF = "Signed off"
NOT_SIGNED_OFF = "Not signed off yet"
CONFIRMED = "Confirmed"
NOT_CONFIRMED = "Waiting for confirmation"
DECLINED = "Declined"


def flag_word(flagged):
    """ "Flagged" for a safeguarding concern, nothing otherwise."""
    return FLAGGED if flagged else ""


def sign_off_word(signed_off):
    return SIGNED_OFF if signed_off else NOT_SIGNED_OFF


def confirmation_word(confirmed):
    return CONFIRMED if confirmed else NOT_CONFIRMED


def declined_word(declined):
    return DECLINED if declined else ""


def side_name(side, organisation=None):
    """ "NHS", or the organisation's short name for the employer's side."""
    if side in FIXED_SIDE_NAMES:
        return FIXED_SIDE_NAMES[side]
    return (organisation or current_organisation()).called


def side_choices(sides=SIDES, organisation=None):
    """(code, name) pairs for a form's choice of side, in people's words."""
    organisation = organisation or current_organisation()
    return [(side, side_name(side, organisation)) for side in sides]


def module_provider_name(provider, organisation=None):
    """A module's provider: one side, or both ("NHS and Leeds Mind")."""
    if provider == BOTH:
        return " and ".join(name for _, name in side_choices(organisation=organisation))
    return side_name(provider, organisation)


def side_or_both_name(side, organisation=None):
    """One side's name, or "Both" where a choice names every side (or none, as an
    exemption from both providers' training does)."""
    if side in (None, "", BOTH):
        return BOTH_WORD
    return side_name(side, organisation)


def supervision_name(stream, organisation=None):
    """ "NHS supervision", "Leeds Mind supervision"."""
    return f"{side_name(stream, organisation)} supervision"


def requirement_name(title, provider, organisation=None):
    """As people say a requirement: "Safeguarding (NHS)", "Safeguarding (Leeds Mind)"."""
    return f"{title} ({side_name(provider, organisation)})"


def status_word(status):
    return STATUS_WORDS[status]


def status_icon(status):
    return STATUS_ICONS[status]
