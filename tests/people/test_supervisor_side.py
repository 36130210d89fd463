"""Administrators record which organisation a supervisor belongs to, on their account."""

import pytest

from people.forms import PersonEditForm
from tests import factories

pytestmark = pytest.mark.django_db


def edit_data(person, **changes):
    return {
        "username": person.username,
        "email": person.email or f"{person.username}@example.org",
        "first_name": person.first_name,
        "last_name": person.last_name,
        "is_active": "on",
        "optional_reminders": "on",
        **changes,
    }


def test_an_administrator_records_that_a_supervisor_belongs_to_an_nhs_team(administrator):
    supervisor = factories.supervisor(username="nhs.someone", side="")
    form = PersonEditForm(
        edit_data(supervisor, side="nhs", organisation_unit="Leeds and York, CMHT 2"),
        instance=supervisor,
    )
    assert form.is_valid(), form.errors
    form.save()
    supervisor.refresh_from_db()
    assert (supervisor.side, supervisor.organisation_unit) == ("nhs", "Leeds and York, CMHT 2")
    assert supervisor.history.latest().side == "nhs"


def test_a_side_outside_the_choices_is_refused_and_changes_nothing(administrator):
    supervisor = factories.supervisor(username="nhs.other")
    form = PersonEditForm(edit_data(supervisor, side="council"), instance=supervisor)
    assert not form.is_valid()
    assert "side" in form.errors
    supervisor.refresh_from_db()
    assert supervisor.side == "nhs"


def test_the_users_edit_page_offers_the_side_and_team(administrator, client_for):
    supervisor = factories.supervisor(username="nhs.page")
    page = client_for(administrator).get(f"/admin/users/edit/{supervisor.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="side"' in text and 'name="organisation_unit"' in text
