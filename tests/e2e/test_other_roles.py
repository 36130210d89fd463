"""The pages a service lead and an administrator start from, checked the same way:
each shows what that role is for, and passes axe."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, look

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_service_lead_follows_a_figure_to_the_people_behind_it(open_as, phone):
    page = open_as("lead.rc", phone=phone)
    expect(page).to_have_url(re.compile("/service/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rehabilitation and Recovery Centre")
    look(page, f"lead-service{'-phone' if phone else ''}")
    figure = page.get_by_role("link", name=re.compile(r"^\d+ Not fully trained$"))
    behind = int(figure.inner_text().split()[0])
    figure.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "People in Rehabilitation and Recovery Centre"
    )
    matrix = page.get_by_role("region", name=re.compile("Training and supervision of each"))
    expect(matrix.locator("tbody tr")).to_have_count(behind)
    expect(matrix).not_to_contain_text("Daniel Firth")
    look(page, f"lead-people{'-phone' if phone else ''}")
    name = matrix.locator("tbody th a").first
    person = name.inner_text()
    name.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(person)
    expect(page.get_by_role("main")).to_contain_text("Supervision sessions")
    expect(page.get_by_role("main")).not_to_contain_text("Safeguarding concern")
    look(page, f"lead-person{'-phone' if phone else ''}")


def test_the_service_matrix_keeps_names_and_headings_in_view_on_a_phone(open_as):
    page = open_as("lead.rc", phone=True)
    page.goto("/service/people/")
    box = page.get_by_role("region", name=re.compile("Training and supervision of each"))
    box.evaluate("element => { element.scrollLeft = 600; }")
    edge = box.bounding_box()
    name = box.locator("tbody th").first.bounding_box()
    assert abs(name["x"] - edge["x"]) < 3, "the name column scrolled out of view"
    # Two people do not fill the box; the header row is held in view by the same rule.
    sticky = box.locator("thead th").nth(3).evaluate("th => getComputedStyle(th).position")
    assert sticky == "sticky"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


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
