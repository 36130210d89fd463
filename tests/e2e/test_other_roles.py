"""The pages a service lead and an administrator start from, checked the same way:
each shows what that role is for, and passes axe."""

import pytest
from playwright.sync_api import expect

from .conftest import look

pytestmark = pytest.mark.e2e


def test_a_service_lead_sees_their_own_service_and_nobody_elses(open_as):
    page = open_as("lead.rc")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance summary")
    expect(page.get_by_role("main")).to_contain_text("Rehabilitation and Recovery Centre")
    look(page, "lead-dashboard")
    page.get_by_role("button", name="Compliance").click()
    page.get_by_role("link", name="Organisation matrix", exact=True).click()
    matrix = page.get_by_role("table", name="Training and supervision status for each person")
    expect(matrix).to_contain_text("Aisha Khan")
    expect(matrix).to_contain_text("Tom Whitaker")
    expect(matrix).not_to_contain_text("Daniel Firth")
    look(page, "lead-matrix")
    page.get_by_role("button", name="Training").click()
    page.get_by_role("link", name="Team training", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Aisha Khan")
    expect(page.get_by_role("main")).not_to_contain_text("Daniel Firth")
    look(page, "lead-team-training")


def test_an_administrator_manages_people_and_services(open_as):
    page = open_as("admin")
    look(page, "admin-dashboard")
    page.goto("/admin/users/")
    expect(page.get_by_role("main")).to_contain_text("Aisha Khan")
    look(page, "admin-users")
    page.get_by_role("button", name="Settings").click()
    page.get_by_role("link", name="Services", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("CMHT 2")
    look(page, "admin-services")
