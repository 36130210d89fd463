"""The pages a service lead and an administrator start from, checked the same way:
each shows what that role is for, and passes axe."""

import re

import pytest
from playwright.sync_api import expect

from people.models import Service
from tests import factories

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
    # More people than the box shows at once, so it scrolls both ways.
    centre = Service.objects.get(name="Rehabilitation and Recovery Centre")
    for n in range(30):
        factories.psw(
            username=f"phone.{n}", first_name="Extra", last_name=f"Person {n}", service=centre
        )
    page = open_as("lead.rc", phone=True)
    page.goto("/service/people/")
    box = page.get_by_role("region", name=re.compile("Training and supervision of each"))
    box.evaluate("element => { element.scrollLeft = 600; element.scrollTop = 500; }")
    assert box.evaluate("element => [element.scrollLeft, element.scrollTop]") == [600, 500]
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    edge = box.bounding_box()
    corner = box.locator("thead th").first.bounding_box()
    heading = box.locator("thead th").nth(3).bounding_box()
    names = [cell.bounding_box() for cell in box.locator("tbody th").all()]
    shown = [
        name
        for name in names
        if edge["y"] + corner["height"] <= name["y"] < edge["y"] + edge["height"]
    ]
    # The header row sits on the box's top edge, in the phone's view.
    assert abs(heading["y"] - edge["y"]) < 3, "the header row scrolled out of view"
    assert heading["y"] >= 0 and heading["y"] + heading["height"] <= PHONE["height"]
    assert abs(corner["x"] - edge["x"]) < 3 and abs(corner["y"] - edge["y"]) < 3
    # The names of the rows in view sit on its left edge.
    assert shown, "no row is in view"
    assert all(abs(name["x"] - edge["x"]) < 3 for name in shown), "the names scrolled away"
    assert names[0]["y"] < edge["y"], "the box did not scroll down"
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
