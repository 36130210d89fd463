"""The staff workspace is the organisation's, for managers and administrators
(issue 17, item 5)."""

import re

import pytest
from django.contrib.auth.models import Group

from tests import factories

pytestmark = pytest.mark.django_db

# The only place the name survives: the identifier of the sidebar's script component,
# which no one reads.
SCRIPT_NAMES = re.compile(r'"wagtail\.sidebar\.\w+"')


def words_on(response):
    assert response.status_code == 200
    return SCRIPT_NAMES.sub("", response.content.decode())


def test_the_managers_dashboard_wears_the_organisation_and_never_says_wagtail(client_for, manager):
    page = words_on(client_for(manager).get("/admin/"))
    assert "Wagtail" not in page
    assert "<title>" in page and "Alongside · Leeds Mind</title>" in page
    assert "What's new" not in page
    assert "Editor Guide" in page  # managers keep the module pages: help stays for them
    assert "Guide to editing pages" in page


def test_an_administrators_workspace_does_not_name_the_software_version(client_for, administrator):
    assert "Wagtail" not in words_on(client_for(administrator).get("/admin/users/"))


@pytest.mark.parametrize(
    ("make", "url"),
    [
        (factories.psw, "/me/"),
        (factories.supervisor, "/supervising/"),
        (factories.service_lead, "/service/"),
    ],
)
def test_the_pages_psws_supervisors_and_service_leads_land_on_have_no_help_menu(
    client_for, make, url
):
    page = words_on(client_for(make()).get(url))
    assert "Wagtail" not in page
    assert '"name": "help"' not in page
    assert "Editor Guide" not in page


def test_the_account_page_offers_no_language_or_time_zone_pickers(client_for, manager):
    page = words_on(client_for(manager).get("/admin/account/"))
    assert "Preferred language" not in page
    assert "Current time zone" not in page


def test_the_people_list_shows_each_persons_role_and_service(client_for, administrator):
    factories.psw(username="aisha", service=factories.ServiceFactory(name="CMHT 3"))
    page = words_on(client_for(administrator).get("/admin/users/"))
    assert re.search(r">\s*Role\s*<", page) and re.search(r">\s*Service\s*<", page)
    row = re.search(r'<td class="username">\s*aisha\s*</td>(.*?)</tr>', page, re.S).group(1)
    assert re.search(r"<td >\s*Peer support worker\s*</td>\s*<td >\s*CMHT 3\s*</td>", row)


def test_wagtails_starter_groups_are_gone():
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()


def test_the_dashboards_counts_are_links_to_the_people_behind_them(client_for, manager):
    factories.module(title="Safeguarding", mandatory=True)
    factories.psw(username="counted")
    page = words_on(client_for(manager).get("/admin/"))
    assert re.search(r'<a href="/admin/training/pending/"><strong>\d+</strong></a>', page)
    assert re.search(r'<a href="/admin/compliance/matrix/\?item=m-\d+-nhs">', page)
    assert re.search(r'<a href="/admin/compliance/matrix/\?item=s-nhs&amp;status=overdue">', page)
