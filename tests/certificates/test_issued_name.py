"""Certificates vouch for the name they were issued to (issue 15, finding 2)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from certificates import documents
from people.services import person_rename
from tests import factories
from training import services
from training.models import CertificateCheck, TrainingRecord

from .pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(psw, manager, safeguarding):
    psw.first_name, psw.last_name = "Jane", "Smith"
    psw.save()
    record = services.record_create(
        person=psw, module=safeguarding, provider="nhs", completed_on=date(2025, 3, 12), by=psw
    )
    return services.record_verify(record=record, by=manager)


def test_verification_stores_the_name_on_the_record(issued):
    assert issued.issued_name == "Jane Smith"


def test_a_holder_who_renames_themself_does_not_change_what_the_check_page_says(client, issued):
    issued.person.first_name, issued.person.last_name = "Grace", "Okafor"
    issued.person.save()
    page = client.get(f"/verify/{issued.certificate_code}/", follow=True).content.decode()
    assert "Jane Smith" in page
    assert "Grace Okafor" not in page
    content = documents.certificate_content(
        TrainingRecord.objects.get(pk=issued.pk), documents.organisation()
    )
    assert content.holder == "Jane Smith"


def test_the_pdf_shows_the_issued_name(client, issued):
    issued.person.first_name = "Grace"
    issued.person.save()
    client.force_login(issued.person)
    response = client.get(f"/certificates/{issued.certificate_code}.pdf")
    assert "Jane Smith" in pdf_text(response.content)


def test_a_legal_name_change_reissues_certificates_and_old_codes_answer_replaced(
    client, issued, manager
):
    old_code = issued.certificate_code
    person_rename(
        person=issued.person,
        first_name="Jane",
        last_name="Okafor",
        reason="Name changed by marriage",
        by=manager,
    )
    issued.refresh_from_db()
    assert issued.certificate_code != old_code
    assert issued.issued_name == "Jane Okafor"
    assert issued.person.history.first().history_change_reason == (
        "Legal name changed: Name changed by marriage"
    )
    old = client.get(f"/verify/{old_code}/", follow=True)
    assert old.status_code == 200
    assert "Replaced" in old.content.decode()
    assert "Jane Smith" not in old.content.decode()
    assert CertificateCheck.objects.filter(code=old_code, answer="replaced").exists()
    new = client.get(f"/verify/{issued.certificate_code}/", follow=True).content.decode()
    assert "Jane Okafor" in new


def test_a_legal_name_change_needs_a_reason_and_a_manager(issued, manager):
    with pytest.raises(ValidationError) as refused:
        person_rename(person=issued.person, first_name="J", last_name="O", reason=" ", by=manager)
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        person_rename(
            person=issued.person, first_name="J", last_name="O", reason="x", by=issued.person
        )
    issued.person.refresh_from_db()
    assert issued.person.last_name == "Smith"


def test_the_manager_changes_a_legal_name_on_its_own_page(client, issued, manager):
    client.force_login(manager)
    url = f"/admin/people/{issued.person.pk}/legal-name/"
    assert (
        client.post(url, {"first_name": "Jane", "last_name": "Okafor", "reason": ""}).status_code
        == 200
    )
    issued.person.refresh_from_db()
    assert issued.person.last_name == "Smith"
    client.post(url, {"first_name": "Jane", "last_name": "Okafor", "reason": "Deed poll"})
    issued.person.refresh_from_db()
    assert issued.person.last_name == "Okafor"


@pytest.mark.parametrize("make", [factories.psw, factories.supervisor, factories.service_lead])
def test_nobody_but_a_manager_opens_the_legal_name_page(client, issued, make):
    client.force_login(make())
    url = f"/admin/people/{issued.person.pk}/legal-name/"
    response = client.post(url, {"first_name": "X", "last_name": "Y", "reason": "mine"})
    assert response.status_code in (302, 403)
    issued.person.refresh_from_db()
    assert issued.person.last_name == "Smith"


def account_post(client, **fields):
    """The whole account page as a browser sends it, with these name and email fields."""
    data = {f"name_email-{key}": value for key, value in fields.items()}
    data.update({"theme-theme": "system", "theme-contrast": "system", "theme-density": "default"})
    return client.post("/admin/account/", data)


def test_the_account_page_changes_only_a_preferred_name(client, issued):
    person = issued.person
    client.force_login(person)
    account_post(
        client, first_name="Grace", last_name="Okafor", preferred_name="Janey", email=person.email
    )
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.preferred_name) == (
        "Jane",
        "Smith",
        "Janey",
    )
    assert str(person) == "Janey"
    assert documents.issued_name(TrainingRecord.objects.get(pk=issued.pk)) == "Jane Smith"


def test_changing_email_needs_the_current_password_and_tells_the_old_address(
    client, psw, mailoutbox
):
    old = psw.email
    client.force_login(psw)
    refused = account_post(client, email="thief@example.net", current_password="wrong")
    assert "not your current password" in refused.content.decode()
    psw.refresh_from_db()
    assert psw.email == old
    account_post(client, email="new@example.org", current_password=factories.PASSWORD)
    psw.refresh_from_db()
    assert psw.email == "new@example.org"
    assert mailoutbox[-1].to == [old]
    assert "new@example.org" in mailoutbox[-1].body
