"""Every refusal of docs/architecture.md, Who sees what, for training records and evidence."""

from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from tests.doors import refused, sent_home
from training.models import TrainingRecord
from training.viewsets import TrainingRecordViewSet

pytestmark = pytest.mark.django_db

NOTE = "Struggled with the role-play part; talked it through with my supervisor."


@pytest.fixture
def record(psw):
    module = factories.module("PMVA breakaway", provider="nhs", renewal_months=12)
    record = factories.TrainingRecordFactory(
        person=psw,
        module=module,
        status="pending",
        notes=NOTE,
        evidence=factories.upload(),
        completed_on=date(2026, 1, 5),
    )
    return record


@pytest.fixture
def supervising(psw, supervisor):
    factories.ArrangementFactory(supervisee=psw, supervisor=supervisor)
    return supervisor


def evidence_url(record):
    return reverse("training:evidence", args=[record.pk])


@pytest.mark.parametrize("who", ["other_psw", "supervising", "service_lead"])
def test_evidence_is_not_found_for_anyone_but_the_person_and_managers(
    request, client_for, record, who
):
    response = client_for(request.getfixturevalue(who)).get(evidence_url(record))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["psw", "manager", "administrator"])
def test_evidence_is_served_to_the_person_and_managers(request, client_for, record, who):
    response = client_for(request.getfixturevalue(who)).get(evidence_url(record))
    assert response.status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in_for_evidence(client, record):
    response = client.get(evidence_url(record))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_record_without_evidence_has_no_evidence_to_serve(client_for, psw):
    record = factories.TrainingRecordFactory(person=psw)
    assert client_for(psw).get(evidence_url(record)).status_code == 404


RECORD_VIEWS = ["inspect", "history", "edit", "delete", "usage"]


@pytest.mark.parametrize("view", RECORD_VIEWS)
@pytest.mark.parametrize("who", ["other_psw", "supervising", "service_lead"])
def test_admin_record_views_refuse_other_peoples_records(request, client_for, record, who, view):
    viewer = request.getfixturevalue(who)
    response = client_for(viewer).get(reverse(f"training-records:{view}", args=[record.pk]))
    assert refused(response, viewer)
    assert NOTE.encode() not in response.content


@pytest.mark.parametrize("view", ["inspect", "history"])
def test_another_psw_guessing_a_record_id_gets_not_found(client_for, other_psw, record, view):
    response = client_for(other_psw).get(reverse(f"training-records:{view}", args=[record.pk]))
    assert response.status_code == 404


def test_the_records_listing_shows_a_psw_only_their_own(client_for, record, other_psw):
    """The workspace's listing sends a PSW to My training; both list their own only."""
    own = factories.TrainingRecordFactory(person=other_psw, module=record.module)
    client = client_for(other_psw)
    response = client.get(reverse("training-records:index"), follow=True)
    assert response.redirect_chain == [(reverse("me:training"), 302)]
    assert [r.pk for r in response.context["records"]] == [own.pk]
    assert [r.pk for r in TrainingRecordViewSet.scope(other_psw)] == [own.pk]


@pytest.mark.parametrize("view", ["edit", "delete"])
def test_records_are_never_edited_or_deleted_through_the_listing(
    client_for, psw, manager, record, view
):
    for user in (psw, manager):
        url = reverse(f"training-records:{view}", args=[record.pk])
        assert client_for(user).post(url, {"notes": "changed"}).status_code == 403
    record.refresh_from_db()
    assert record.notes == NOTE


def test_a_manager_inspects_any_record(client_for, manager, record):
    response = client_for(manager).get(reverse("training-records:inspect", args=[record.pk]))
    assert response.status_code == 200
    assert NOTE.encode() in response.content


def test_a_psw_opening_their_own_record_in_the_workspace_reads_it_on_my_training(
    client_for, psw, record
):
    response = client_for(psw).get(reverse("training-records:inspect", args=[record.pk]))
    assert response["Location"] == reverse("me:training") + f"#record-{record.pk}"
    page = client_for(psw).get(response["Location"]).content.decode()
    assert f'id="record-{record.pk}"' in page and "Verify" not in page


@pytest.mark.parametrize("action", ["verify", "reject"])
@pytest.mark.parametrize("who", ["psw", "other_psw", "supervising", "service_lead"])
def test_only_managers_decide_on_records(request, client_for, record, who, action):
    viewer = request.getfixturevalue(who)
    client = client_for(viewer)
    url = reverse(f"training_admin:{action}", args=[record.pk])
    assert sent_home(client.get(url), viewer)
    assert client.post(url, {"reason": "Looks fine"}).status_code == 403
    record.refresh_from_db()
    assert record.status == "pending"


def test_a_manager_deciding_on_an_unknown_record_gets_not_found(client_for, manager):
    url = reverse("training_admin:verify", args=[999999])
    assert client_for(manager).get(url).status_code == 404


@pytest.mark.parametrize(
    "name", ["pending", "register", "training-exemptions:index", "training-records:index"]
)
@pytest.mark.parametrize("who", ["supervising", "service_lead"])
def test_manager_pages_refuse_supervisors_and_service_leads(request, client_for, record, name, who):
    url = reverse(name if ":" in name else f"training_admin:{name}")
    viewer = request.getfixturevalue(who)
    assert sent_home(client_for(viewer).get(url), viewer)


def test_anonymous_visitors_are_sent_to_sign_in_for_the_workspace(client):
    response = client.get(reverse("me:training"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_supervisor_sees_statuses_of_supervisees_only_and_no_notes(
    client_for, supervising, record, other_psw
):
    # The workspace's Team training sends a supervisor to the site's page.
    response = client_for(supervising).get(reverse("training_admin:team"), follow=True)
    assert response.redirect_chain == [(reverse("compliance:supervisee_training"), 302)]
    people = [person.pk for person, _ in response.context["people"]]
    assert people == [record.person.pk]
    assert NOTE.encode() not in response.content
    assert b"status-pending" in response.content


def test_a_service_lead_reads_their_service_on_its_own_pages_not_team_training(
    client_for, service_lead
):
    response = client_for(service_lead).get(reverse("training_admin:team"))
    assert sent_home(response, service_lead)
    assert response["Location"] == reverse("compliance:service")


def test_a_psw_has_no_team_view(client_for, psw):
    assert sent_home(client_for(psw).get(reverse("training_admin:team")), psw)


def test_only_psws_record_completions_on_the_site(client_for, manager):
    module = factories.module("Safeguarding")
    assert client_for(manager).get(reverse("training:record", args=[module.pk])).status_code == 403
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize("view", ["edit", "inspect", "history", "delete", "usage"])
@pytest.mark.parametrize("who", ["psw", "supervising", "service_lead"])
def test_exemptions_are_for_managers_only(request, client_for, psw, who, view):
    exemption = factories.TrainingExemptionFactory(person=psw, reason="Long-term sick leave")
    viewer = request.getfixturevalue(who)
    response = client_for(viewer).get(reverse(f"training-exemptions:{view}", args=[exemption.pk]))
    assert refused(response, viewer)
    assert b"Long-term sick leave" not in response.content


def test_a_manager_edits_an_exemption_but_never_deletes_it(client_for, manager, psw):
    exemption = factories.TrainingExemptionFactory(person=psw, provider="nhs")
    client = client_for(manager)
    url = reverse("training-exemptions:edit", args=[exemption.pk])
    response = client.post(
        url,
        {
            "person": psw.pk,
            "module": exemption.module.pk,
            "provider": "nhs",
            "reason": "Back from leave in June",
            "starts_on": "2025-01-01",
            "ends_on": "2025-06-30",
            "change_reason": "Came back early",
        },
    )
    assert response.status_code == 302
    exemption.refresh_from_db()
    assert exemption.ends_on == date(2025, 6, 30)
    assert exemption.history.first().history_user == manager
    delete = client.post(reverse("training-exemptions:delete", args=[exemption.pk]))
    assert delete.status_code == 403
    assert exemption.__class__.objects.filter(pk=exemption.pk).exists()
