from io import StringIO

import pytest
from django.core.management import call_command

from people.models import Placement, Service, User

pytestmark = pytest.mark.django_db


def test_healthz_answers_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "parts": {"database": "ok", "private storage": "ok", "task queue": "not configured"},
    }


def test_anonymous_visitor_is_sent_to_login_from_training(client):
    response = client.get("/training/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/training/")


def test_signed_in_psw_can_open_training(client_for, psw):
    response = client_for(psw).get("/training/")
    assert response.status_code == 200
    assert b"Training modules" in response.content


def test_home_page_offers_sign_in(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/login/"' in response.content


def test_login_page_labels_every_field(client):
    content = client.get("/login/").content.decode()
    assert '<label for="id_username">' in content
    assert '<label for="id_password">' in content


def test_psw_cannot_reach_user_management(client_for, psw):
    client = client_for(psw)
    for url in (
        "/admin/users/",
        "/admin/users/new/",
        f"/admin/users/edit/{psw.pk}/",
        "/admin/groups/",
        "/admin/services/",
        "/admin/settings/organisation/organisationsettings/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/admin/users" not in response["Location"]


def test_a_psw_opening_the_staff_workspace_is_sent_to_their_own_page(client_for, psw):
    client = client_for(psw)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert client.get(response["Location"]).status_code == 200


def test_a_psw_refused_a_workspace_page_is_sent_to_their_own_page_not_shown_it(client_for, psw):
    response = client_for(psw).get("/admin/training/pending/")
    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_a_supervisor_and_a_service_lead_are_sent_to_their_own_pages(
    client, supervisor, service_lead
):
    client.force_login(supervisor)
    assert client.get("/admin/audit/")["Location"] == "/supervising/"
    client.force_login(service_lead)
    assert client.get("/admin/")["Location"] == "/service/"


def test_a_psws_post_to_a_workspace_page_is_still_refused(client_for, psw):
    assert client_for(psw).post("/admin/training/register/").status_code == 403


def test_administrator_manages_people_with_their_service(client_for, administrator, service):
    response = client_for(administrator).get("/admin/users/new/")
    assert response.status_code == 200
    assert 'name="service"' in response.content.decode()
    assert client_for(administrator).get("/admin/services/").status_code == 200


def test_seed_demo_is_idempotent():
    call_command("seed_demo", "--password", "demo-pass", stdout=StringIO())
    counts = (User.objects.count(), Service.objects.count(), Placement.objects.count())
    call_command("seed_demo", "--password", "demo-pass", stdout=StringIO())
    assert (User.objects.count(), Service.objects.count(), Placement.objects.count()) == counts
    assert counts == (12, 6, 5)
    assert User.objects.get(username="manager").check_password("demo-pass")
    assert User.objects.get(username="lead.rc").service.name == "Rehabilitation and Recovery Centre"


def test_seed_demo_rejects_a_malformed_date_with_one_line(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("seed_demo", "--today", "2026-02-30")
    assert exit_info.value.code == 2
