"""Each role signs in at /login/ and lands on its own page, on a laptop and on a
390×844 phone (issue 17, item 1); a PSW who opens the staff workspace is sent back to
their own page."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, look

pytestmark = pytest.mark.e2e

LANDINGS = [
    ("psw1", "/me/", re.compile("^Hello")),
    ("nhs.rc", "/supervising/", "My supervisees"),
    ("lead.rc", "/service/", "Rehabilitation and Recovery Centre"),
    ("manager", "/admin/", None),
]


def sign_in_at_login(page, username):
    page.goto("/login/")
    expect(page).to_have_title(re.compile("Leeds Mind"))
    look(page, "sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_each_role_signs_in_at_login_and_lands_on_its_own_page(open_as, phone):
    for username, path, heading in LANDINGS:
        page = open_as(None, phone=phone)
        sign_in_at_login(page, username)
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator("body")).not_to_contain_text("Wagtail")
        look(page, f"landing-{username}{'-phone' if phone else ''}")


def test_a_mistyped_password_is_said_in_words_and_a_psw_is_kept_out_of_the_workspace(open_as):
    page = open_as(None, phone=True)
    page.goto("/login/")
    page.get_by_label("Username").fill("psw1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#id_password_error")).to_have_text("This field is required.")
    look(page, "sign-in-error")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile("/me/$"))
    page.goto("/admin/")
    expect(page).to_have_url(re.compile("/me/$"))
    page.goto("/admin/training/pending/")
    expect(page).to_have_url(re.compile("/me/$"))
