"""Placements: a PSW's dated work in another service. Who the lead of that service sees,
how managers add and end them in the workspace, and what the history keeps."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from people.models import Placement
from people.selectors import Sees, people_visible_to
from people.services import placement_change, placement_start
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


@pytest.fixture
def ward():
    return factories.ServiceFactory(name="Inpatient unit 1", kind="inpatient")


@pytest.fixture
def ward_lead(ward):
    return factories.service_lead(username="ward.lead", service=ward)


def place(person, service, starts_on, ends_on=None, by=None):
    return placement_start(
        person=person,
        service=service,
        starts_on=starts_on,
        ends_on=ends_on,
        description="In-reach",
        by=by or factories.manager(),
    )


def visible(user, sees=Sees.STATUS, today=TODAY):
    return set(people_visible_to(user, sees, today=today))


@pytest.mark.parametrize(
    ("starts", "ends", "seen"),
    [
        (TODAY, None, True),  # starting today
        (TODAY + timedelta(days=1), None, False),  # starting tomorrow
        (TODAY - timedelta(days=30), TODAY, True),  # its last day
        (TODAY - timedelta(days=30), TODAY - timedelta(days=1), False),  # ended yesterday
    ],
)
def test_the_lead_of_a_service_sees_the_psws_placed_in_it_while_placed(
    psw, ward, ward_lead, starts, ends, seen
):
    place(psw, ward, starts, ends)
    assert (psw in visible(ward_lead)) is seen
    assert (psw in visible(ward_lead, Sees.SESSIONS)) is seen


def test_a_placed_psw_stays_with_their_home_service_lead(psw, ward, service_lead):
    place(psw, ward, TODAY - timedelta(days=10))
    assert psw in visible(service_lead)


def test_the_lead_of_another_service_sees_nothing_of_a_placed_psw(psw, ward, ward_lead):
    place(psw, ward, TODAY - timedelta(days=10))
    elsewhere = factories.service_lead(username="elsewhere.lead")
    assert psw not in visible(elsewhere)
    assert psw not in visible(elsewhere, Sees.SESSIONS)


def test_a_placement_shows_the_ward_lead_statuses_but_no_evidence_notes_or_certificates(
    psw, ward, ward_lead
):
    place(psw, ward, TODAY - timedelta(days=10))
    for private in (Sees.EVIDENCE, Sees.NOTES, Sees.CERTIFICATES, Sees.HISTORY, Sees.FLAGS):
        assert psw not in visible(ward_lead, private), private


def test_overlapping_placements_in_two_services_show_the_psw_to_both_leads(psw, ward, ward_lead):
    other_ward = factories.ServiceFactory(name="Inpatient unit 2", kind="inpatient")
    other_lead = factories.service_lead(username="other.lead", service=other_ward)
    place(psw, ward, TODAY - timedelta(days=20))
    place(psw, other_ward, TODAY - timedelta(days=5), TODAY + timedelta(days=5))
    assert psw in visible(ward_lead) and psw in visible(other_lead)


def test_only_a_manager_places_a_psw_and_only_a_psw_is_placed(psw, ward, supervisor):
    with pytest.raises(PermissionDenied):
        place(psw, ward, TODAY, by=supervisor)
    with pytest.raises(ValidationError) as refused:
        place(supervisor, ward, TODAY)
    assert "person" in refused.value.message_dict
    assert not Placement.objects.exists()


def test_a_placement_cannot_end_before_it_starts_or_be_in_the_home_service(psw, ward):
    with pytest.raises(ValidationError) as refused:
        place(psw, ward, TODAY, TODAY - timedelta(days=1))
    assert "ends_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        place(psw, psw.service, TODAY)
    assert "service" in refused.value.message_dict
    assert not Placement.objects.exists()


def test_ending_a_placement_needs_a_reason_and_the_history_keeps_it(psw, ward, manager):
    placement = place(psw, ward, TODAY - timedelta(days=30), by=manager)
    with pytest.raises(ValidationError):
        placement_change(placement=placement, by=manager, reason=" ", ends_on=TODAY)
    placement.refresh_from_db()
    assert placement.ends_on is None
    placement_change(placement=placement, by=manager, reason="Ward closed", ends_on=TODAY)
    versions = list(placement.history.order_by("history_date", "history_id"))
    assert [v.ends_on for v in versions] == [None, TODAY]
    assert versions[-1].history_change_reason == "Placement changed: Ward closed"
    assert versions[-1].history_user == manager
    entries = AuditEntry.objects.filter(
        person=psw, content_type__model="placement", object_id=str(placement.pk)
    )
    assert entries.count() == 2


# The staff workspace ---------------------------------------------------------------


def test_a_manager_adds_a_placement_in_the_workspace(client_for, manager, psw, ward):
    response = client_for(manager).post(
        reverse("placements:add"),
        {
            "person": psw.pk,
            "service": ward.pk,
            "starts_on": "2026-05-04",
            "ends_on": "",
            "description": "In-reach, Tuesdays",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    placement = Placement.objects.get()
    assert (placement.person, placement.service, placement.starts_on) == (
        psw,
        ward,
        date(2026, 5, 4),
    )
    assert placement.history.get().history_user == manager


def test_a_manager_ends_a_placement_in_the_workspace_saying_why(client_for, manager, psw, ward):
    placement = place(psw, ward, date(2026, 1, 5), by=manager)
    url = reverse("placements:edit", args=[placement.pk])
    fields = {"service": ward.pk, "starts_on": "2026-01-05", "description": "In-reach"}
    refused = client_for(manager).post(url, {**fields, "ends_on": "2026-05-31"})
    assert refused.status_code == 200
    placement.refresh_from_db()
    assert placement.ends_on is None
    client_for(manager).post(
        url, {**fields, "ends_on": "2026-05-31", "change_reason": "Moved to the other ward"}
    )
    placement.refresh_from_db()
    assert placement.ends_on == date(2026, 5, 31)


def test_bad_dates_in_the_workspace_are_refused_next_to_the_field(client_for, manager, psw, ward):
    response = client_for(manager).post(
        reverse("placements:add"),
        {"person": psw.pk, "service": ward.pk, "starts_on": "2026-05-04", "ends_on": "2026-05-01"},
    )
    assert response.status_code == 200
    assert "A placement cannot end before it starts." in response.content.decode()
    assert not Placement.objects.exists()


@pytest.mark.parametrize("who", ["psw", "supervisor", "service_lead"])
def test_no_one_but_a_manager_opens_placements_in_the_workspace(
    client_for, who, psw, ward, request
):
    placement = place(psw, ward, date(2026, 1, 5))
    viewer = request.getfixturevalue(who)
    client = client_for(viewer)
    for url in (
        reverse("placements:index"),
        reverse("placements:add"),
        reverse("placements:edit", args=[placement.pk]),
        reverse("placements:history", args=[placement.pk]),
    ):
        assert client.get(url).status_code in (302, 403, 404), url


def test_a_guessed_placement_id_answers_404(client_for, manager):
    assert client_for(manager).get(reverse("placements:edit", args=[987654])).status_code == 404
