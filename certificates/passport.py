"""The training passport: one PDF of everything a PSW can show a new host team.

It lists the person's current requirements with their statuses, the check code of
each completed item that has a certificate, and their supervision arrangements
(stream, supervisor, last session, next due) without any session notes. It lives in
compliance because it composes training and supervision.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from organisation.words import side_name, status_phrase, status_word, supervision_name
from people.selectors import Sees, people_visible_to
from supervision.selectors import stream_statuses
from training import codes
from training.models import TrainingRecord
from training.selectors import requirement_statuses

from . import documents
from .views import pdf_response

STYLESHEET = "certificates/passport.css"


@dataclass(frozen=True)
class PassportTraining:
    module: str
    provider: str
    status: str
    status_words: str
    completed_on: date | None
    valid_until: date | None
    code: str


@dataclass(frozen=True)
class PassportSupervision:
    stream: str
    status: str
    status_words: str
    supervisor: str
    last_held_on: date | None
    due_on: date | None


def certificate_codes(person):
    """{(module id, provider, completed on): displayed code} of verified records."""
    records = TrainingRecord.objects.filter(
        person=person, status=TrainingRecord.Status.VERIFIED, certificate_code__isnull=False
    ).values_list("module_id", "provider", "completed_on", "certificate_code")
    return {(m, p, c): codes.display(code) for m, p, c, code in records}


def training_rows(person, today, organisation):
    found = certificate_codes(person)
    return [
        PassportTraining(
            module=item.module_title,
            provider=side_name(item.provider),
            status=item.status,
            status_words=status_phrase(item.status, item.induction_due_on),
            completed_on=item.last_completed,
            valid_until=item.valid_until,
            code=found.get((item.module_id, item.provider, item.last_completed), ""),
        )
        for item in requirement_statuses([person], today)[person.pk]
    ]


def supervision_rows(person, today, organisation):
    return [
        PassportSupervision(
            stream=supervision_name(item.stream),
            status=item.status,
            status_words=status_word(item.status),
            supervisor=item.supervisor_name,
            last_held_on=item.last_held_on,
            due_on=item.due_on,
        )
        for item in stream_statuses([person], today)[person.pk]
    ]


def passport_html(person, today, organisation, logo_uri=""):
    return render_to_string(
        "certificates/passport.html",
        {
            "person": person,
            "holder": documents.holder_name(person),
            "today": today,
            "organisation": organisation,
            "logo_uri": logo_uri,
            "training": training_rows(person, today, organisation),
            "supervision": supervision_rows(person, today, organisation),
            "check_url": f"{settings.SITE_URL}/verify/",
        },
    )


def passport_pdf_bytes(person, today, organisation):
    """The passport's PDF, cached under a hash of its HTML: same content, same file."""
    logo_uri, embedded = organisation.logo_data
    html = passport_html(person, today, organisation, logo_uri)
    key = documents.content_key(
        "passport",
        documents.TEMPLATE_VERSION,
        documents.stylesheet_digest(STYLESHEET),
        html,
    )
    return documents.cached_pdf(key, lambda: documents.render_pdf(html, STYLESHEET, embedded))


@require_GET
@login_required
def passport_pdf(request, username):
    """/passport/<username>.pdf for the person, their supervisors and managers."""
    person = get_object_or_404(
        people_visible_to(request.user, Sees.CERTIFICATES).select_related("service"),
        username=username,
    )
    organisation = documents.organisation()
    pdf = passport_pdf_bytes(person, timezone.localdate(), organisation)
    return pdf_response(pdf, f"training-passport-{person.username}.pdf")
