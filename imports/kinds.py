"""The four kinds of import and their columns, with headings in the managers' words.

A heading matches whatever its case, spacing or punctuation ("Completed on",
"completed_on", "COMPLETED ON"). Columns not listed here are left out and named in the
preview: a sessions sheet with a Notes column imports its dates, never its notes.
"""

import re
from dataclasses import dataclass

from .models import Kind


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    required: bool
    explains: str
    is_date: bool = False


# Either code or either name: the NHS, or the organisation (its short name).
SIDE_HELP = "NHS, or the organisation's short name (or: nhs, employer)."

PERSON = Column("person", "Person", True, "Their email address or username here.")
STREAM = Column("stream", "Supervision", True, SIDE_HELP)

COLUMNS = {
    Kind.PEOPLE: [
        Column("first_name", "First name", True, "Legal first name."),
        Column("last_name", "Last name", True, "Legal last name."),
        Column("email", "Email", True, "Work email; how the person is matched next time."),
        Column(
            "username",
            "Username",
            False,
            "Optional; the part of the email before @ when left empty.",
        ),
        Column(
            "role",
            "Role",
            True,
            "Peer support worker, Supervisor or Service lead (an administrator makes managers).",
        ),
        Column("service", "Service", False, "The NHS service they are placed in, by its name."),
        Column("started_on", "Started on", False, "31/12/2025 or 2025-12-31.", is_date=True),
    ],
    Kind.ARRANGEMENTS: [
        PERSON,
        STREAM,
        Column(
            "supervisor",
            "Supervisor",
            True,
            "The supervisor's email or username; or their name if they have no account.",
        ),
        Column(
            "interval_weeks",
            "Every (weeks)",
            False,
            "How often, in weeks; the organisation's default for the stream if empty.",
        ),
        Column("starts_on", "Starts on", True, "31/12/2025 or 2025-12-31.", is_date=True),
        Column("ends_on", "Ends on", False, "Empty while it continues.", is_date=True),
    ],
    Kind.COMPLETIONS: [
        PERSON,
        Column("module", "Module", True, "The module's title, as on its page."),
        Column("provider", "Provider", True, f"Who delivered it: {SIDE_HELP}"),
        Column("completed_on", "Completed on", True, "31/12/2025 or 2025-12-31.", is_date=True),
        Column(
            "certificate_file",
            "Certificate file",
            False,
            "Optional: the name of the certificate's file, kept with the record.",
        ),
    ],
    Kind.SESSIONS: [
        PERSON,
        STREAM,
        Column("held_on", "Held on", True, "31/12/2025 or 2025-12-31.", is_date=True),
        Column("duration_minutes", "Duration (minutes)", False, "60 if empty."),
        Column(
            "format",
            "Format",
            False,
            "One-to-one, Group, Reflective practice or Consultation; one-to-one if empty.",
        ),
        Column("status", "Status", False, "Held, Cancelled or Did not attend; held if empty."),
    ],
}


def squeeze(text):
    """A heading or word reduced to letters and digits, for forgiving comparison."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def column_for(kind, heading):
    wanted = squeeze(heading)
    for column in COLUMNS[kind]:
        if wanted in {squeeze(column.heading), squeeze(column.key)}:
            return column
    return None


def date_keys(kind):
    return [column.key for column in COLUMNS[kind] if column.is_date]
