"""Everything held about one person, as one ZIP, for a subject access request.

Tables are CSV (cells that look like formulas made inert), files are as stored, and
certificates are the PDFs the person could download themself. Session notes and
actions are included only when the person asks for their own: they are written for
the PSW and their supervisor, and a manager answering a request does not read them.
"""

import io
import zipfile

from certificates import documents
from people import roles
from supervision.models import SupervisionArrangement, SupervisionSession
from training.evidence import stored_kind
from training.models import KnowledgeCheckAttempt, TrainingExemption, TrainingRecord

from .exports import csv_lines
from .models import AuditEntry
from .selectors import export_rows


def subject_access_zip(*, person, requester):
    """The ZIP's bytes: profile, training, exemptions, supervision, evidence,
    certificates and the history of changes to the person's records."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in _tables(person, with_notes=requester.pk == person.pk):
            archive.writestr(name, "".join(csv_lines(rows)))
        history = AuditEntry.objects.filter(person=person)
        archive.writestr("history.csv", "".join(csv_lines(export_rows(history, requester))))
        records = _records(person)
        for record in records.exclude(evidence=""):
            archive.writestr(_evidence_name(record), _read(record.evidence))
        organisation = documents.organisation()
        for record in records.filter(status=TrainingRecord.Status.VERIFIED).exclude(
            certificate_code=None
        ):
            archive.writestr(
                f"certificates/{documents.certificate_filename(record)}",
                documents.certificate_pdf(record, organisation),
            )
    return buffer.getvalue()


def _records(person):
    return TrainingRecord.objects.filter(person=person).select_related("module", "verified_by")


def _tables(person, *, with_notes):
    yield "profile.csv", _profile(person)
    yield "training-records.csv", _training(person)
    yield "exemptions.csv", _exemptions(person)
    yield "supervision-arrangements.csv", _arrangements(person)
    yield "supervision-sessions.csv", _sessions(person, with_notes)
    yield "knowledge-checks.csv", _checks(person)


def _profile(person):
    yield ["username", "first name", "last name", "email", "service", "roles"]
    yield [
        person.username,
        person.first_name,
        person.last_name,
        person.email,
        str(person.service or ""),
        ", ".join(sorted(roles.role_names(person))),
    ]
    yield ["started on", _day(person.started_on), "left on", _day(person.left_on)]


def _training(person):
    yield [
        "module",
        "provider",
        "completed on",
        "valid until",
        "status",
        "reason",
        "notes",
        "verified by",
        "certificate code",
    ]
    for record in _records(person):
        yield [
            record.module.title,
            record.get_provider_display(),
            _day(record.completed_on),
            _day(record.valid_until),
            record.get_status_display(),
            record.status_reason,
            record.notes,
            str(record.verified_by or ""),
            record.certificate_code or "",
        ]


def _exemptions(person):
    yield ["module", "provider", "reason", "starts on", "ends on"]
    for exemption in TrainingExemption.objects.filter(person=person).select_related("module"):
        yield [
            exemption.module.title,
            exemption.get_provider_display(),
            exemption.reason,
            _day(exemption.starts_on),
            _day(exemption.ends_on),
        ]


def _arrangements(person):
    yield ["stream", "supervisor", "every (weeks)", "starts on", "ends on"]
    for arrangement in SupervisionArrangement.objects.filter(supervisee=person).select_related(
        "supervisor"
    ):
        yield [
            arrangement.get_stream_display(),
            arrangement.supervisor_display,
            arrangement.interval_weeks,
            _day(arrangement.starts_on),
            _day(arrangement.ends_on),
        ]


def _sessions(person, with_notes):
    header = ["stream", "held on", "minutes", "format", "status", "topics", "confirmed"]
    private = ["notes", "actions", "i see this differently", "why it was declined"]
    yield header + (private if with_notes else [])
    sessions = SupervisionSession.objects.filter(arrangement__supervisee=person).select_related(
        "arrangement"
    )
    for session in sessions.order_by("held_on", "pk"):
        row = [
            session.arrangement.get_stream_display(),
            _day(session.held_on),
            session.duration_minutes,
            session.get_format_display(),
            session.get_status_display(),
            ", ".join(session.topics),
            "yes" if session.is_confirmed else "no",
        ]
        notes = [session.notes, session.actions, session.supervisee_view, session.decline_reason]
        yield row + (notes if with_notes else [])


def _checks(person):
    """Every knowledge-check attempt: what was asked, what the person chose, the score."""
    yield [
        "module",
        "provider",
        "started",
        "submitted on",
        "score (%)",
        "pass mark (%)",
        "passed",
        "question",
        "choices chosen",
    ]
    attempts = KnowledgeCheckAttempt.objects.filter(person=person).select_related("module")
    for attempt in attempts.order_by("started_at", "pk"):
        answers = attempt.answers or {}
        passed = {True: "yes", False: "no", None: "not submitted"}[attempt.passed]
        for question in attempt.questions:
            choices = question.get("choices", [])
            chosen = answers.get(str(question.get("id")), [])
            chosen = [choices[n] if 0 <= n < len(choices) else str(n) for n in chosen]
            yield [
                attempt.module.title,
                attempt.get_provider_display(),
                f"{attempt.started_at:%Y-%m-%d %H:%M}",
                _day(attempt.submitted_on),
                "" if attempt.score is None else attempt.score,
                attempt.pass_mark,
                passed,
                question.get("text", ""),
                "; ".join(chosen),
            ]


def _evidence_name(record):
    kind = stored_kind(record.evidence)
    extension = kind.extension if kind else "bin"
    return f"evidence/{record.completed_on:%Y-%m-%d}-{record.module.slug}-{record.pk}.{extension}"


def _read(field_file):
    with field_file.open("rb") as stored:
        return stored.read()


def _day(day):
    return day.isoformat() if day else ""
