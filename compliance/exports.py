"""Compliance as spreadsheets: the long table (one row per person and item) and the
matrix (one row per person).

Two audiences. `compliance_report` writes the long table in codes (`nhs`, `due_soon`,
ISO dates): a machine format other tools read, with fixed columns. Downloads from the
matrix page are for people: the vocabulary's words, real dates, and a header saying
what the file covers (people.exports). Both go through the same writers and so the
same spreadsheet safety.
"""

from organisation.words import NOT_REQUIRED, side_name, status_word, supervision_name

LONG_COLUMNS = [
    "username",
    "name",
    "service",
    "kind",
    "item",
    "provider",
    "status",
    "last_completed",
    "due_on",
]
LONG_HEADINGS = [
    "Username",
    "Name",
    "Service",
    "Kind",
    "Item",
    "Provider",
    "Status",
    "Last completed",
    "Due on",
]


class Codes:
    """How `compliance_report` writes a cell: the stored codes."""

    kinds = {"training": "training", "supervision": "supervision"}

    @staticmethod
    def side(code):
        return code

    @staticmethod
    def status(code):
        return code


class Words(Codes):
    """How a download for people writes a cell: the vocabulary's words."""

    kinds = {"training": "Training", "supervision": "Supervision"}
    side = staticmethod(side_name)
    status = staticmethod(status_word)


def long_rows(status, say=Codes):
    """One row per person and item, in LONG_COLUMNS order."""
    # What names an item is the same on every person's row: said once per chunk.
    requirements = [
        ((r.module_id, r.provider), [say.kinds["training"], r.title, say.side(r.provider)])
        for r in status.requirements
    ]
    streams = [
        (stream, [say.kinds["supervision"], supervision_name(stream), say.side(stream)])
        for stream in status.streams
    ]
    for each in status.people:
        person = each.person
        start = [person.username, person.name, person.service_name]
        for key, item in requirements:
            found = each.requirements.get(key)
            if found is None:
                continue
            yield start + item + [say.status(found.status), found.last_completed, found.due_on]
        for stream, item in streams:
            found = each.streams[stream]
            yield start + item + [say.status(found.status), found.last_held_on, found.due_on]


def matrix_header(status):
    header = ["Username", "Name", "Service"]
    labels = [r.label for r in status.requirements] + [supervision_name(s) for s in status.streams]
    for label in labels:
        header += [label, f"{label} due on"]
    return header


def matrix_rows(status):
    """One row per person: status and due date of each requirement, then each stream."""
    for each in status.people:
        person = each.person
        row = [person.username, person.name, person.service_name]
        for requirement in status.requirements:
            found = each.requirements.get((requirement.module_id, requirement.provider))
            row += [status_word(found.status), found.due_on] if found else [NOT_REQUIRED, None]
        for stream in status.streams:
            row += [status_word(each.streams[stream].status), each.streams[stream].due_on]
        yield row
