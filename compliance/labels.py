"""The words people read for each status, and the date that matters beside it."""

from supervision import rules as supervision_rules
from training import rules as training_rules

STATUS_LABELS = {
    training_rules.VALID: "Valid",
    training_rules.EXPIRING: "Expiring soon",
    training_rules.EXPIRED: "Expired",
    training_rules.PENDING: "Waiting for verification",
    training_rules.MISSING: "Not recorded",
    training_rules.EXEMPT: "Exempt",
    supervision_rules.ON_TRACK: "On track",
    supervision_rules.DUE_SOON: "Due soon",
    supervision_rules.OVERDUE: "Overdue",
    supervision_rules.NO_ARRANGEMENT: "No arrangement",
}


def requirement_date(status):
    """("until" or "completed", day) for a training cell, or None when there is none."""
    if status.valid_until:
        return ("until", status.valid_until)
    if status.last_completed:
        return ("completed", status.last_completed)
    return None


def stream_date(status):
    return ("due", status.due_on) if status.due_on else None


def status_cell(status, dated):
    """What compliance/includes/cell.html shows: the status in words, and its date."""
    return {"status": status, "label": STATUS_LABELS[status], "dated": dated}
