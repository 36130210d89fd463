"""The staff workspace is for managers, administrators and page editors only: a peer
support worker, supervisor or service lead who opens any of its pages is sent to their
own pages on the site (portal/middleware.py WorkspaceDoorMiddleware), and what they
used to find there (their certificates and how often each was checked, their account,
everything held about them) is on the site."""

import io
import zipfile
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse

from people import roles
from portal.doors import landing_url
from tests import factories
from training import codes

pytestmark = pytest.mark.django_db

TRAINING = reverse("me:training")
ACCOUNT = reverse("me:account")


def workspace_paths(patterns=None, prefix=""):
    """Every workspace address that takes no argument (lists, forms, reports, choosers,
    Wagtail's own pages), as a browser would type it."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from workspace_paths(pattern.url_patterns, route)
        elif route.startswith("admin/") and not any(c in route for c in "<^$\\("):
            yield "/" + route


def a_workspace_page(response):
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


@pytest.fixture
def psw_and_supervisor(service):
    person = factories.psw(username="both.roles", service=service, side="charity")
    person.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    return person


def test_no_workspace_page_is_drawn_for_a_psw_supervisor_or_service_lead(
    psw, supervisor, service_lead, psw_and_supervisor
):
    factories.ArrangementFactory(supervisee=psw, supervisor=supervisor)
    paths = sorted(set(workspace_paths()))
    assert len(paths) > 100 and "/admin/reports/site-history/" in paths
    for person in (psw, supervisor, service_lead, psw_and_supervisor):
        client = Client(raise_request_exception=False)
        client.force_login(person)
        drawn = [path for path in paths if a_workspace_page(client.get(path))]
        assert drawn == [], f"{person.username} was shown {drawn}"


def test_the_site_history_report_sends_them_to_where_they_land(client_for, psw, supervisor):
    for person in (psw, supervisor):
        response = client_for(person).get("/admin/reports/site-history/")
        assert response.status_code == 302
        assert response["Location"] == landing_url(person)


def test_the_workspace_account_page_is_the_sites_for_every_site_role(
    client_for, psw, supervisor, service_lead, manager
):
    for person in (psw, supervisor, service_lead):
        response = client_for(person).get("/admin/account/")
        assert (response.status_code, response["Location"]) == (302, ACCOUNT)
    assert client_for(manager).get("/admin/account/").status_code == 200


def test_a_psws_certificates_and_records_in_the_workspace_are_my_training(
    client_for, psw, other_psw
):
    own = factories.TrainingRecordFactory(person=psw, status="verified")
    theirs = factories.TrainingRecordFactory(person=other_psw, status="verified")
    client = client_for(psw)
    for url in (reverse("certificates_admin:index"), reverse("training-records:index")):
        assert client.get(url)["Location"] == TRAINING
    inspect = client.get(reverse("training-records:inspect", args=[own.pk]))
    assert inspect["Location"] == f"{TRAINING}#record-{own.pk}"
    # A stranger's record is still not found, rather than sent anywhere.
    assert client.get(reverse("training-records:inspect", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("training-records:history", args=[theirs.pk])).status_code == 404


def test_my_training_says_how_often_each_certificate_was_checked(client, client_for, psw):
    checked = factories.TrainingRecordFactory(
        person=psw,
        completed_on=date(2026, 3, 12),
        status="verified",
        certificate_code=codes.new_code(),
    )
    unchecked = factories.TrainingRecordFactory(
        person=psw,
        completed_on=date(2026, 2, 1),
        status="verified",
        certificate_code=codes.new_code(),
    )
    for _ in range(2):  # an employer checks the code twice on the public page
        assert client.get(f"/verify/{codes.display(checked.certificate_code)}/").status_code == 200

    page = client_for(psw).get(TRAINING).content.decode()

    mine = page.split(f'id="record-{checked.pk}"')[1].split("</li>")[0]
    assert "Checked 2 times on the public check page, last on" in mine
    never = page.split(f'id="record-{unchecked.pk}"')[1].split("</li>")[0]
    assert "Nobody has checked this certificate on the public check page yet." in never


def test_the_queries_of_my_training_do_not_grow_with_checked_certificates(client, psw):
    client.force_login(psw)

    def add_checked_certificate():
        record = factories.TrainingRecordFactory(
            person=psw, status="verified", certificate_code=codes.new_code()
        )
        client.get(f"/verify/{codes.display(record.certificate_code)}/")

    def queries():
        client.get(TRAINING)  # warm caches (site, settings) the first request fills
        with CaptureQueriesContext(connection) as captured:
            assert client.get(TRAINING).status_code == 200
        return len(captured)

    add_checked_certificate()
    one = queries()
    for _ in range(5):
        add_checked_certificate()
    assert queries() == one


def test_everyone_downloads_everything_held_about_them_from_their_account(
    client_for, psw, supervisor, service_lead
):
    factories.TrainingRecordFactory(person=psw, status="verified")
    for person in (psw, supervisor, service_lead):
        client = client_for(person)
        page = client.get(ACCOUNT).content.decode()
        link = reverse("audit_subject_access", args=[person.pk])
        assert f'href="{link}"' in page
        response = client.get(link)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        assert person.username in archive.read("profile.csv").decode()


def test_nobody_downloads_someone_elses_archive_by_changing_the_id(client_for, psw, other_psw):
    link = reverse("audit_subject_access", args=[other_psw.pk])
    assert client_for(psw).get(link).status_code == 404


def test_nobody_can_raise_a_server_error_at_will(client_for, psw, manager, administrator):
    """Wagtail's test of its own error page is switched off, for everyone."""
    for person in (psw, manager, administrator):
        client = client_for(person)
        client.raise_request_exception = False
        assert client.get("/admin/failwhale/").status_code == 404
