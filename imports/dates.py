"""Dates as spreadsheets hold them: accepted only when they can mean one day.

ISO (2025-03-04), day/month/year as UK charities write it (04/03/2025, 4 March 2025)
and real spreadsheet date cells (read as ISO) are unambiguous. A date written month
first (12/31/2025) is refused; and once a file shows month-first dates, a slashed date
that reads both ways (03/04/2025) is refused as ambiguous rather than guessed.
"""

import re
from datetime import date, datetime

ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")
IN_WORDS = ("%d %B %Y", "%d %b %Y")
HOW = "Write it as 31/12/2025 or 2025-12-31."


class DateProblem(ValueError):
    pass


def looks_month_first(text):
    """True when a slashed date can only be month/day/year (its middle part is over 12)."""
    match = SLASHED.match(text.strip())
    return bool(match) and int(match[2]) > 12 and int(match[1]) <= 12


def parse(text, *, month_first_row=None):
    """The date `text` means, or DateProblem saying why it cannot be read as one."""
    text = text.strip()
    if match := ISO.match(text):
        return _real(int(match[1]), int(match[2]), int(match[3]), text)
    if match := SLASHED.match(text):
        return _slashed(text, match, month_first_row)
    for pattern in IN_WORDS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise DateProblem(f"“{text}” is not a date that can be read. {HOW}")


def _slashed(text, match, month_first_row):
    day, month, year = int(match[1]), int(match[2]), match[3]
    if len(year) == 2:
        raise DateProblem(f"“{text}” has a two-figure year, which is ambiguous. {HOW}")
    if looks_month_first(text):
        raise DateProblem(f"“{text}” is written month first; dates here are day/month/year. {HOW}")
    if month_first_row is not None and day <= 12 and day != month:
        raise DateProblem(
            f"“{text}” is an ambiguous date: row {month_first_row} of this file writes dates "
            f"month first, so it could be either. {HOW}"
        )
    return _real(int(year), month, day, text)


def _real(year, month, day, text):
    try:
        return date(year, month, day)
    except ValueError:
        raise DateProblem(f"“{text}” is not a real date. {HOW}") from None
