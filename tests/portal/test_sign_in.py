"""Everyone signs in at /login/ and lands where they work (issue 17, item 1); a
forgotten password and an invitation use Django's own views and expire."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator

from people.models import User
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user, **extra):
    return client.post("/login/", {"username": user.username, "password": PASSWORD, **extra})


@pytest.mark.parametrize(
    ("make", "lands_on"),
    [
        (factories.psw, "/me/"),
        (factories.supervisor, "/supervising/"),
        (factories.service_lead, "/service/"),
        (factories.manager, "/admin/"),
        (factories.administrator, "/admin/"),
    ],
)
def test_each_role_signs_in_at_login_and_lands_on_its_own_page(client, make, lands_on):
    response = sign_in(client, make())
    assert response.status_code == 302
    assert response["Location"] == lands_on
    assert client.get(lands_on).status_code == 200


def test_a_safe_next_is_honoured(client, psw):
    response = sign_in(client, psw, next="/training/")
    assert response["Location"] == "/training/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "https:/\\evil.example/"]
)
def test_a_next_that_leaves_the_site_is_refused(client, psw, next_url):
    response = sign_in(client, psw, next=next_url)
    assert response["Location"] == "/me/"


def test_the_sign_in_page_wears_the_organisations_name_with_labelled_fields(client):
    page = client.get("/login/").content.decode()
    assert "Leeds Mind" in page
    assert '<label for="id_username">Username</label>' in page
    assert '<label for="id_password">Password</label>' in page
    assert "wagtail" not in page.lower()


def test_a_missing_password_is_said_next_to_its_field(client, psw):
    page = client.post("/login/", {"username": psw.username, "password": ""}).content.decode()
    assert 'id="id_password_error"' in page
    assert "This field is required." in page
    assert 'aria-describedby="id_password_error"' in page


def test_the_old_workspace_sign_in_sends_people_to_login_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/"


def test_the_workspace_asks_strangers_to_sign_in_on_the_site(client):
    response = client.get("/admin/")
    assert response["Location"].startswith("/login/?next=")


def test_a_leaver_is_still_refused_at_login(client, psw):
    psw.left_on = psw.started_on
    psw.save()
    page = sign_in(client, psw).content.decode()
    assert "Your Alongside account closed when you left" in page


def link_in(message):
    """The path of the one link in an email (its host is SITE_URL's or the request's)."""
    return urlsplit(re.search(r"https?://\S+", message.body).group(0)).path


def test_a_forgotten_password_is_reset_by_a_link_that_works_once(client, psw, mailoutbox):
    response = client.post("/login/reset/", {"email": psw.email})
    assert response["Location"] == "/login/reset/sent/"
    link = link_in(mailoutbox[-1])
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    new = {"new_password1": "a-new-long-password-7", "new_password2": "a-new-long-password-7"}
    done = client.post(form_page.redirect_chain[-1][0], new)
    assert done["Location"] == "/login/password-set/"
    psw.refresh_from_db()
    assert psw.check_password("a-new-long-password-7")
    again = client.get(link, follow=True)
    assert b"This link has expired" in again.content


def add_person(client, username="new.starter", email="new.starter@example.org"):
    return client.post(
        "/admin/users/new/",
        {
            "username": username,
            "email": email,
            "first_name": "Nia",
            "last_name": "Adeyemi",
            "password1": "",
            "password2": "",
            "started_on": "2026-01-05",
        },
    )


def test_a_person_added_without_a_password_is_invited_and_the_link_works_once(
    client, administrator, mailoutbox
):
    client.force_login(administrator)
    assert add_person(client).status_code == 302
    person = User.objects.get(username="new.starter")
    assert not person.has_usable_password()
    invitation = mailoutbox[-1]
    assert invitation.to == ["new.starter@example.org"]
    assert "three days" in invitation.body
    client.logout()
    link = link_in(invitation)
    assert link.startswith("/login/welcome/")
    form_page = client.get(link, follow=True)
    assert b"Welcome to Alongside" in form_page.content
    assert b"new.starter" in form_page.content
    chosen = {"new_password1": "my-own-password-42", "new_password2": "my-own-password-42"}
    assert client.post(form_page.redirect_chain[-1][0], chosen).status_code == 302
    person.refresh_from_db()
    assert person.check_password("my-own-password-42")
    assert b"This link has expired" in client.get(link, follow=True).content


def test_an_invitation_link_expires_after_three_days(
    client, administrator, mailoutbox, monkeypatch
):
    client.force_login(administrator)
    add_person(client)
    client.logout()
    link = link_in(mailoutbox[-1])
    made = default_token_generator._now()
    monkeypatch.setattr(
        default_token_generator, "_now", lambda: made + timedelta(days=3, minutes=1)
    )
    page = client.get(link, follow=True)
    assert b"This link has expired" in page.content
    assert b"new_password1" not in page.content


def test_a_person_added_with_a_password_is_not_sent_an_invitation(
    client, administrator, mailoutbox
):
    client.force_login(administrator)
    response = client.post(
        "/admin/users/new/",
        {
            "username": "given.password",
            "email": "given@example.org",
            "first_name": "Ola",
            "last_name": "Ade",
            "password1": "a-chosen-password-9",
            "password2": "a-chosen-password-9",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="given.password").has_usable_password()
    assert not any(m.to == ["given@example.org"] for m in mailoutbox)
