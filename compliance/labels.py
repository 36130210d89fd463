"""A status cell: the status in the vocabulary's words, and the date that matters."""

from organisation.words import status_icon, status_word


def requirement_date(status):
    """("until" or "completed", day) for a training cell, or None when there is none;
    for one due by a date, ("", day): the word "Due by" already leads to it."""
    if status.induction_due_on:
        return ("", status.induction_due_on)
    if status.valid_until:
        return ("until", status.valid_until)
    if status.last_completed:
        return ("completed", status.last_completed)
    return None


def stream_date(status):
    return ("due", status.due_on) if status.due_on else None


def status_cell(status, dated):
    """What compliance/includes/cell.html shows: the status in words, and its date."""
    return {
        "status": status,
        "label": status_word(status),
        "icon": status_icon(status),
        "dated": dated,
    }
