"""The small findings of issue 15 (finding 5), each replayed."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from wagtail.documents.models import Document
from wagtail.log_actions import log
from wagtail.models import Page

from tests import factories

pytestmark = pytest.mark.django_db


def csv_of(response):
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    return body.decode()


def test_a_formula_typed_as_a_name_is_inert_in_the_site_history_export(client, administrator):
    editor = factories.manager(username="editor", first_name="=HYPERLINK(1)", last_name="x")
    log(instance=Page.objects.get(depth=2), action="wagtail.edit", user=editor)
    client.force_login(administrator)
    body = csv_of(client.get("/admin/reports/site-history/?export=csv"))
    assert "'=HYPERLINK(1)" in body
    assert ",=HYPERLINK" not in body and "\n=HYPERLINK" not in body


def test_a_formula_typed_as_a_name_is_inert_in_the_aging_pages_export(client, administrator):
    editor = factories.administrator(username="@SUM(1)", first_name="@SUM(1)", last_name="x")
    page = Page.objects.get(depth=2).specific
    page.save_revision(user=editor).publish(user=editor)
    client.force_login(administrator)
    body = csv_of(client.get("/admin/reports/aging-pages/?export=csv"))
    assert "'@SUM(1)" in body


def test_documents_are_served_only_to_signed_in_people(client, psw):
    document = Document.objects.create(title="Handout", file=ContentFile(b"hello", name="h.txt"))
    url = f"/documents/{document.pk}/h.txt"
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    client.force_login(psw)
    assert client.get(url).status_code == 200


def test_password_reset_is_limited_per_account_and_sent_as_a_task(
    client, psw, mailoutbox, settings
):
    from django.core.cache import cache

    cache.clear()
    for _ in range(5):
        client.post("/admin/password_reset/", {"email": psw.email})
    assert len(mailoutbox) == 3
    assert isinstance(mailoutbox[0], EmailMultiAlternatives)
    assert mailoutbox[0].to == [psw.email]


def test_password_reset_is_limited_per_client_address(client, mailoutbox):
    from django.core.cache import cache

    cache.clear()
    people = [factories.psw(username=f"reset{n}") for n in range(7)]
    for person in people:
        client.post("/admin/password_reset/", {"email": person.email})
    assert len(mailoutbox) == 5


def test_a_password_reset_sends_its_mail_through_the_task_backend(client, psw, monkeypatch):
    from people import forms

    sent = []

    class Queue:
        @staticmethod
        def enqueue(**mail):
            sent.append(mail)

    monkeypatch.setattr(forms, "send_account_mail", Queue)
    from django.core.cache import cache

    cache.clear()
    client.post("/admin/password_reset/", {"email": psw.email})
    assert sent and sent[0]["to"] == psw.email


def test_an_oversized_request_is_refused_before_its_body_is_read(client, psw, settings):
    client.force_login(psw)
    response = client.generic(
        "POST",
        "/training/record/1/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413
    text = response.content.decode()
    assert "at most 11 MB" in text and "up to 10 MB" in text


def test_the_same_day_reason_is_masked_for_a_manager_in_the_audit_log(
    client, manager, psw, supervisor
):
    arrangement = factories.ArrangementFactory(supervisee=psw, supervisor=supervisor)
    factories.SessionFactory(arrangement=arrangement, held_on=date(2025, 2, 3))
    factories.SessionFactory(
        arrangement=arrangement, held_on=date(2025, 2, 3), same_day_reason="Crisis after a death"
    )
    client.force_login(manager)
    assert "Crisis after a death" not in client.get("/admin/audit/").content.decode()
    export = csv_of(client.get("/admin/audit/?export=csv"))
    assert "Crisis after a death" not in export
    client.force_login(supervisor)
    assert client.get("/admin/audit/").status_code in (200, 302, 403)


def test_pages_for_a_signed_in_person_are_private_to_caches(client, psw):
    client.force_login(psw)
    for url in ("/", "/admin/", "/training/"):
        assert "private" in client.get(url).get("Cache-Control", ""), url


def test_anonymous_pages_are_not_marked_private(client):
    assert "private" not in client.get("/verify/").get("Cache-Control", "")
