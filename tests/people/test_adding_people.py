"""A manager adds a person with a role; the person is emailed a link to choose their
own password. Managers may not add managers or administrators (issue 17, item 1)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from people import roles
from people.models import User
from people.services import person_add
from tests import factories
from tests.doors import refused

pytestmark = pytest.mark.django_db
ADD = reverse("people_add")


def details(**fields):
    return {
        "first_name": "Aisha",
        "last_name": "Khan",
        "email": "aisha.khan@example.org",
        "role": roles.PSW,
        "service": "",
        "side": "",
        "started_on": "2026-05-04",
        **fields,
    }


def test_a_manager_adds_a_psw_who_is_emailed_an_invitation(
    client_for, manager, service, mailoutbox
):
    response = client_for(manager).post(ADD, details(service=service.pk), follow=True)
    person = User.objects.get(email="aisha.khan@example.org")
    assert (person.username, person.service, person.legal_name()) == (
        "aisha.khan",
        service,
        "Aisha Khan",
    )
    assert roles.is_psw(person) and not person.has_usable_password()
    assert not person.is_superuser and not person.is_staff
    content = response.content.decode()
    assert "Aisha Khan is added as peer support worker, with the username aisha.khan." in content
    assert "We have emailed aisha.khan@example.org a link to choose a password." in content
    invitation = mailoutbox[-1]
    assert invitation.to == ["aisha.khan@example.org"]
    assert "aisha.khan" in invitation.body and "three days" in invitation.body
    assert re.search(r"/login/welcome/[^/\s]+/[^/\s]+/", invitation.body)


def test_every_addition_is_in_the_history_and_the_audit_log_with_who_added(
    client_for, manager, service
):
    client_for(manager).post(ADD, details(service=service.pk))
    person = User.objects.get(email="aisha.khan@example.org")
    first = person.history.earliest()
    assert first.history_user == manager
    assert first.history_change_reason == f"Added as peer support worker by {manager}"
    entries = AuditEntry.objects.filter(object_id=str(person.pk), person=person)
    assert entries.filter(history_type="+", actor=manager).exists()


def test_a_supervisor_is_added_with_the_side_they_supervise_for(client_for, manager):
    client_for(manager).post(ADD, details(role=roles.SUPERVISOR, side="employer"))
    person = User.objects.get(email="aisha.khan@example.org")
    assert roles.is_supervisor(person) and person.side == "employer"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"role": roles.SUPERVISOR}, "side"),
        ({"role": roles.PSW}, "service"),
        ({"role": roles.SERVICE_LEAD}, "service"),
        ({"email": "not-an-address"}, "email"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_missing_or_bad_details_are_said_next_to_the_field_and_add_no_one(
    client_for, manager, fields, field, mailoutbox
):
    response = client_for(manager).post(ADD, details(**fields))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(last_name="Khan").exists()
    assert mailoutbox == []


def test_an_address_someone_already_has_is_refused(client_for, manager, psw, service):
    response = client_for(manager).post(ADD, details(email=psw.email.upper(), service=service.pk))
    assert "email" in response.context["form"].errors
    assert User.objects.filter(email__iexact=psw.email).count() == 1


@pytest.mark.parametrize("role", [roles.MANAGER, "Administrator"])
def test_a_manager_cannot_add_a_manager_or_an_administrator(client_for, manager, role):
    client = client_for(manager)
    choices = dict(client.get(ADD).context["form"].fields["role"].choices)
    assert set(choices) == {roles.PSW, roles.SUPERVISOR, roles.SERVICE_LEAD}
    response = client.post(ADD, details(role=role, is_superuser="on", is_staff="on"))
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(email="aisha.khan@example.org").exists()


def test_the_service_refuses_a_manager_adding_a_manager(manager):
    with pytest.raises(ValidationError) as refusal:
        person_add(
            by=manager,
            first_name="Aisha",
            last_name="Khan",
            email="aisha.khan@example.org",
            role=roles.MANAGER,
        )
    assert "an administrator adds managers" in str(refusal.value)
    assert not User.objects.filter(email="aisha.khan@example.org").exists()


def test_an_administrator_may_add_a_manager(client_for, administrator):
    client_for(administrator).post(ADD, details(role=roles.MANAGER))
    assert roles.is_manager(User.objects.get(email="aisha.khan@example.org"))


def test_a_second_person_with_the_same_address_name_gets_a_numbered_username(
    client_for, manager, service
):
    factories.psw(username="aisha.khan", email="someone.else@example.org")
    client_for(manager).post(ADD, details(service=service.pk))
    assert User.objects.get(email="aisha.khan@example.org").username == "aisha.khan2"


@pytest.mark.parametrize("make", [factories.psw, factories.supervisor, factories.service_lead])
def test_no_one_else_may_add_people(client_for, make):
    viewer = make()
    response = client_for(viewer).post(ADD, details(role=roles.PSW))
    assert refused(response, viewer)
    assert not User.objects.filter(email="aisha.khan@example.org").exists()


def test_the_menu_offers_adding_a_person_to_managers_only(client_for, manager, psw):
    assert b"Add a person" in client_for(manager).get("/admin/").content
    assert b"Add a person" not in client_for(psw).get("/admin/", follow=True).content
