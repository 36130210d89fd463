"""After `purge_leavers`, the leaver's name is nowhere: not in a full dump of the
database, not in any stored file (PDF text included)."""

import contextlib
import io
from datetime import date

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader
from wagtail.log_actions import log

from compliance.models import ReminderLog
from portal.files import walk
from tests import factories
from training import services

pytestmark = pytest.mark.django_db
TRACES = ("Zebedee", "Quillfeather", "zeb.quill", "zebedee@example.org")


def dump():
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def stored_text():
    """Every stored file's bytes, and the text of every PDF, as one string."""
    texts = []
    for alias in ("default", "private"):
        storage = storages[alias]
        for name in walk(storage):
            with storage.open(name, "rb") as handle:
                data = handle.read()
            texts.append(data.decode("latin-1"))
            if name.endswith(".pdf") and data.startswith(b"%PDF"):
                # An unreadable PDF is still searched as bytes, above.
                with contextlib.suppress(Exception):
                    texts.extend(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "\n".join(texts)


def test_no_trace_of_the_leaver_remains_in_the_database_or_the_files(manager, supervisor):
    leaver = factories.psw(
        username="zeb.quill",
        first_name="Zebedee",
        last_name="Quillfeather",
        email="zebedee@example.org",
        left_on=date(2018, 5, 31),
    )
    module = factories.module(title="Safeguarding", provider="nhs", issues_certificate=True)
    record = services.record_create(
        person=leaver,
        module=module,
        provider="nhs",
        completed_on=date(2018, 1, 5),
        evidence=factories.upload(),
        notes="Zebedee brought the certificate in",
        by=manager,
    )
    log(instance=leaver, action="wagtail.edit", user=manager)
    factories.SessionFactory(
        arrangement=factories.ArrangementFactory(supervisee=leaver, supervisor=supervisor)
    )
    ReminderLog.objects.create(
        person=supervisor,
        item_key="supervision:1:2018-04-01",
        threshold="overdue",
        summary="Zebedee Quillfeather: NHS supervision was due on 1 April 2018 and is overdue.",
        status="sent",
        last_tried_at="2018-04-02T06:15:00Z",
    )
    ReminderLog.objects.create(
        person=leaver,
        item_key="training:1",
        threshold="missing",
        summary="Safeguarding: no completion recorded, Zebedee.",
        status="sent",
        last_tried_at="2018-04-02T06:15:00Z",
    )
    client = Client()
    client.force_login(manager)  # the leaver can no longer sign in; a manager renders both
    assert client.get(f"/certificates/{record.certificate_code}.pdf").status_code == 200
    assert client.get("/passport/zeb.quill.pdf").status_code == 200
    Client().post("/login/", {"username": "zeb.quill", "password": "wrong"})
    assert any(trace in dump() for trace in TRACES)
    assert "Zebedee" in stored_text() or "Quillfeather" in stored_text()

    call_command(
        "purge_leavers", "--older-than", "6", "--today", "2026-11-26", stdout=io.StringIO()
    )

    everything = dump() + stored_text()
    found = [trace for trace in TRACES if trace.lower() in everything.lower()]
    assert found == [], _where(everything, found[0])
    assert ReminderLog.objects.filter(person=supervisor).count() == 1, "counts stay"


def _where(text, word):
    index = text.lower().find(word.lower())
    return text[max(0, index - 300) : index + 100]
