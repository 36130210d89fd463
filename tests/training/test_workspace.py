"""The staff workspace and the catalogue, as each role uses them."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.doors import sent_home
from training.models import TrainingExemption, TrainingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def safeguarding():
    return factories.module("Safeguarding", provider="both", renewal_months=36)


def test_the_catalogue_shows_a_psw_their_own_status_on_each_module(client_for, psw, safeguarding):
    factories.TrainingRecordFactory(
        person=psw, module=safeguarding, provider="nhs", completed_on=timezone.localdate()
    )
    response = client_for(psw).get("/training/")
    assert response.status_code == 200
    assert b"Renew every 36 months" in response.content
    assert b"status-valid" in response.content and b"status-missing" in response.content


def test_the_catalogue_needs_signing_in(client, safeguarding):
    assert client.get("/training/").status_code == 302


def test_a_psw_records_a_completion_from_the_module_page(client_for, psw, safeguarding):
    client = client_for(psw)
    url = reverse("training:record", args=[safeguarding.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "provider": "employer",
            "completed_on": "2026-01-10",
            "evidence": factories.upload("photo.png", factories.PNG_BYTES, "image/png"),
        },
    )
    assert response.status_code == 302
    record = TrainingRecord.objects.get()
    assert (record.person, record.provider, record.status) == (psw, "employer", "pending")


def test_the_record_form_keeps_the_refusal_next_to_the_field(client_for, psw, safeguarding):
    response = client_for(psw).post(
        reverse("training:record", args=[safeguarding.pk]),
        {
            "provider": "nhs",
            "completed_on": "2026-01-10",
            "evidence": factories.upload("cert.pdf", b"MZ\x90\x00", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    assert not TrainingRecord.objects.exists()


def test_the_queue_lists_pending_records_and_a_manager_rejects_with_a_reason(
    client_for, manager, psw, safeguarding
):
    record = factories.TrainingRecordFactory(person=psw, module=safeguarding, status="pending")
    client = client_for(manager)
    assert record.module.title.encode() in client.get(reverse("training_admin:pending")).content
    url = reverse("training_admin:reject", args=[record.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    record.refresh_from_db()
    assert record.status == "pending"
    client.post(
        url, {"reason": "The certificate is for another course.", "expected_status": "pending"}
    )
    record.refresh_from_db()
    assert record.status == "rejected"
    assert record.history.first().history_user == manager
    assert not client.get(reverse("training_admin:pending")).context["records"]


def test_verifying_only_answers_post_with_a_csrf_token(manager, psw, safeguarding):
    from django.test import Client

    record = factories.TrainingRecordFactory(person=psw, module=safeguarding, status="pending")
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(reverse("training_admin:verify", args=[record.pk]), {})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == "pending"


def test_verifying_twice_through_the_page_says_why_and_changes_nothing(
    client_for, manager, psw, safeguarding
):
    record = factories.TrainingRecordFactory(
        person=psw, module=safeguarding, status="verified", certificate_code="ABCDEFGHJKMN"
    )
    response = client_for(manager).post(reverse("training_admin:verify", args=[record.pk]), {})
    assert response.status_code == 200
    assert b"only a record waiting for verification can be verified" in response.content
    record.refresh_from_db()
    assert record.certificate_code == "ABCDEFGHJKMN"


def test_a_manager_takes_an_attendance_register(client_for, manager, safeguarding):
    attendees = [
        factories.psw(first_name=first, last_name="Khan") for first in ("Aisha", "Bilal", "Cara")
    ]
    leaver = factories.psw(left_on=date(2020, 6, 1))
    client = client_for(manager)
    form = client.get(reverse("training_admin:register")).context["form"]
    assert leaver not in form.fields["attendees"].queryset
    response = client.post(
        reverse("training_admin:register"),
        {
            "module": safeguarding.pk,
            "provider": "nhs",
            "completed_on": "2026-02-03",
            "attendees": [p.pk for p in attendees],
        },
        follow=True,
    )
    assert (
        "Verified Safeguarding (NHS) on 3 February 2026 for Aisha Khan, Bilal Khan and Cara Khan."
        in response.content.decode()
    )
    records = TrainingRecord.objects.all()
    assert {r.person for r in records} == set(attendees)
    assert {r.status for r in records} == {"verified"}
    assert {r.history.first().history_user for r in records} == {manager}


def test_an_attendance_register_refuses_a_provider_the_module_lacks(client_for, manager):
    module = factories.module("Speech and language", provider="nhs", renewal_months=None)
    response = client_for(manager).post(
        reverse("training_admin:register"),
        {
            "module": module.pk,
            "provider": "employer",
            "completed_on": "2026-02-03",
            "attendees": [factories.psw().pk],
        },
    )
    assert "provider" in response.context["form"].errors
    assert not TrainingRecord.objects.exists()


def test_a_manager_grants_an_exemption_in_the_workspace(client_for, manager, psw, safeguarding):
    client = client_for(manager)
    assert client.get(reverse("training-exemptions:add")).status_code == 200
    response = client.post(
        reverse("training-exemptions:add"),
        {
            "person": psw.pk,
            "module": safeguarding.pk,
            "provider": "",
            "reason": "Phased return after illness",
            "starts_on": "2026-01-01",
            "ends_on": "2026-03-31",
        },
    )
    assert response.status_code == 302
    exemption = TrainingExemption.objects.get()
    assert exemption.granted_by == manager
    assert exemption.history.first().history_user == manager
    assert b"Phased return" in client.get(reverse("training-exemptions:index")).content


def test_an_exemption_cannot_end_before_it_starts(client_for, manager, psw, safeguarding):
    response = client_for(manager).post(
        reverse("training-exemptions:add"),
        {
            "person": psw.pk,
            "module": safeguarding.pk,
            "provider": "nhs",
            "reason": "Leave",
            "starts_on": "2026-04-01",
            "ends_on": "2026-03-31",
        },
    )
    assert response.status_code == 200
    assert not TrainingExemption.objects.exists()


def test_psws_cannot_grant_exemptions(client_for, psw, safeguarding):
    response = client_for(psw).get(reverse("training-exemptions:add"))
    assert sent_home(response, psw)


def test_all_records_filter_by_service_and_status_and_search_by_name(
    client_for, manager, safeguarding
):
    here = factories.psw(first_name="Aisha", last_name="Khan")
    there = factories.psw(first_name="Tom", last_name="Whitaker")
    mine = factories.TrainingRecordFactory(person=here, module=safeguarding, status="pending")
    factories.TrainingRecordFactory(person=there, module=safeguarding)
    client = client_for(manager)
    url = reverse("training-records:index")

    def listed(**params):
        return [r.pk for r in client.get(url, params).context["object_list"]]

    assert len(listed()) == 2
    assert listed(service=here.service_id) == [mine.pk]
    assert listed(status="pending") == [mine.pk]
    assert listed(person=here.pk) == [mine.pk]
    assert listed(q="khan") == [mine.pk]


def test_the_records_export_escapes_formulas(client_for, manager, safeguarding):
    person = factories.psw(first_name="=HYPERLINK(1)", last_name="X")
    factories.TrainingRecordFactory(person=person, module=safeguarding)
    response = client_for(manager).get(reverse("training-records:index"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    assert "Username" in content.splitlines()[0]
    assert "'=HYPERLINK(1) X" in content


def test_a_psw_sees_their_own_training_with_statuses_and_codes(client_for, psw, safeguarding):
    factories.TrainingRecordFactory(
        person=psw,
        module=safeguarding,
        completed_on=timezone.localdate(),
        certificate_code="ABCDEFGHJKMN",
        notes="My own note",
    )
    assert b"ABCD-EFGH-JKMN" in client_for(psw).get(reverse("me:training")).content
    today = client_for(psw).get(reverse("me:today")).content
    assert b"status-valid" in today and b"status-missing" in today


def test_the_training_menu_shows_each_role_its_items(client_for, psw, manager):
    assert b"My training" in client_for(psw).get("/admin/", follow=True).content
    assert b"Waiting for verification" not in client_for(psw).get("/admin/", follow=True).content
    assert b"Waiting for verification" in client_for(manager).get("/admin/").content


def test_a_manager_revokes_a_verified_record_on_its_own_form_and_returns_to_it(
    client_for, manager, psw, safeguarding
):
    record = factories.TrainingRecordFactory(
        person=psw, module=safeguarding, status="verified", certificate_code="ABCDEFGHJKMN"
    )
    client = client_for(manager)
    record_page = reverse("training-records:inspect", args=[record.pk])
    revoke = reverse("training_admin:revoke", args=[record.pk])
    page = client.get(record_page).content.decode()
    assert f'href="{revoke}"' in page and "Revoke (reject)" not in page
    form = client.get(revoke).content.decode()
    assert "Revoke a verified record" in form and "Why is it being revoked?" in form
    assert f'href="{record_page}"' in form  # Cancel goes back to the record
    response = client.post(revoke, {"reason": "Not accredited."})
    assert response.status_code == 302 and response["Location"] == record_page
    record.refresh_from_db()
    assert (record.status, record.certificate_code) == ("rejected", "ABCDEFGHJKMN")
    assert record.status_reason == "Not accredited."
    assert record.history.first().history_change_reason == "Revoked: Not accredited."


def test_revoking_needs_a_reason_and_changes_nothing_without_one(
    client_for, manager, psw, safeguarding
):
    record = factories.TrainingRecordFactory(person=psw, module=safeguarding, status="verified")
    response = client_for(manager).post(
        reverse("training_admin:revoke", args=[record.pk]), {"reason": "  "}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    record.refresh_from_db()
    assert record.status == "verified"


def test_a_pending_record_is_not_revoked_but_sent_back_to_its_page(
    client_for, manager, psw, safeguarding
):
    record = factories.TrainingRecordFactory(person=psw, module=safeguarding, status="pending")
    response = client_for(manager).post(
        reverse("training_admin:revoke", args=[record.pk]), {"reason": "No."}
    )
    assert response["Location"] == reverse("training-records:inspect", args=[record.pk])
    record.refresh_from_db()
    assert record.status == "pending"


def test_a_psw_cannot_revoke_and_a_stranger_id_is_not_found(
    client_for, psw, other_psw, manager, safeguarding
):
    record = factories.TrainingRecordFactory(person=psw, module=safeguarding, status="verified")
    url = reverse("training_admin:revoke", args=[record.pk])
    assert client_for(psw).post(url, {"reason": "mine"}).status_code == 403
    assert (
        client_for(manager)
        .get(reverse("training_admin:revoke", args=[record.pk + 999]))
        .status_code
        == 404
    )
    record.refresh_from_db()
    assert record.status == "verified"


def test_the_record_history_in_the_workspace_shows_who_verified(
    client_for, manager, psw, safeguarding
):
    from training import services

    record = services.record_create(
        person=psw, module=safeguarding, provider="nhs", completed_on=date(2026, 1, 5), by=psw
    )
    services.record_verify(record=record, by=manager)
    response = client_for(manager).get(reverse("training-records:history", args=[record.pk]))
    assert response.status_code == 200
    assert b"Verified" in response.content
    assert str(manager).encode() in response.content


def test_the_records_export_also_comes_as_a_spreadsheet(client_for, manager, safeguarding):
    factories.TrainingRecordFactory(module=safeguarding)
    response = client_for(manager).get(reverse("training-records:index"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


@pytest.mark.parametrize("url_name", ["training_admin:team", "training_admin:pending"])
def test_workspace_pages_take_the_same_queries_however_many_people(
    client_for, manager, safeguarding, url_name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(manager)

    def queries_with(people):
        for _ in range(people):
            factories.TrainingRecordFactory(
                person=factories.psw(), module=safeguarding, status="pending"
            )
        client.get(reverse(url_name))  # warm the session and caches
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse(url_name)).status_code == 200
        return len(context.captured_queries)

    assert queries_with(2) == queries_with(6)


def test_changing_an_exemption_needs_a_reason_kept_in_its_history(
    client_for, manager, psw, safeguarding
):
    exemption = factories.TrainingExemptionFactory(
        person=psw, module=safeguarding, reason="Phased return", starts_on=date(2025, 1, 1)
    )
    client = client_for(manager)
    url = reverse("training-exemptions:edit", args=[exemption.pk])
    page = client.get(url).content.decode()
    assert 'name="change_reason"' in page
    fields = {
        "person": psw.pk,
        "module": safeguarding.pk,
        "provider": "",
        "reason": "Phased return",
        "starts_on": "2025-01-01",
        "ends_on": "2025-06-30",
    }
    refused = client.post(url, fields)
    assert refused.status_code == 200
    exemption.refresh_from_db()
    assert exemption.ends_on is None
    assert client.post(url, {**fields, "change_reason": "Returned to work"}).status_code == 302
    exemption.refresh_from_db()
    assert exemption.ends_on == date(2025, 6, 30)
    assert exemption.history.first().history_change_reason == (
        "Exemption changed: Returned to work"
    )
    assert exemption.history.first().history_user == manager


def test_my_training_links_each_certificate_and_the_passport(client_for, psw, safeguarding):
    factories.TrainingRecordFactory(
        person=psw, module=safeguarding, certificate_code="ABCDEFGHJKMN"
    )
    content = client_for(psw).get(reverse("me:training")).content.decode()
    assert 'href="/certificates/ABCDEFGHJKMN.pdf"' in content
    assert f'href="/passport/{psw.username}.pdf"' in content


def test_the_register_names_who_was_added_and_who_already_had_it(client_for, manager, safeguarding):
    had_it = factories.psw(first_name="Dev", last_name="Rao")
    factories.TrainingRecordFactory(
        person=had_it, module=safeguarding, provider="nhs", completed_on=date(2026, 2, 3)
    )
    newcomer = factories.psw(first_name="Eve", last_name="Lund")
    response = client_for(manager).post(
        reverse("training_admin:register"),
        {
            "module": safeguarding.pk,
            "provider": "nhs",
            "completed_on": "2026-02-03",
            "attendees": [had_it.pk, newcomer.pk],
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Verified Safeguarding (NHS) on 3 February 2026 for Eve Lund." in content
    assert "left as they were: Dev Rao." in content


@pytest.mark.parametrize("name", ["pending", "register"])
def test_workspace_pages_have_a_visible_heading(client_for, manager, name):
    content = client_for(manager).get(reverse(f"training_admin:{name}")).content.decode()
    assert '<h1 class="w-header__title"' in content


def test_an_exemption_from_both_providers_says_both(client_for, manager, psw, safeguarding):
    client = client_for(manager)
    form = client.get(reverse("training-exemptions:add")).context["form"]
    assert form.fields["provider"].choices[0] == ("", "Both")
    assert "Employing organisation" not in dict(form.fields["provider"].choices).values()
    factories.TrainingExemptionFactory(person=psw, module=safeguarding, provider=None)
    listing = client.get(reverse("training-exemptions:index")).content.decode()
    assert re.search(r"<td[^>]*>\s*Both\s*</td>", listing)
