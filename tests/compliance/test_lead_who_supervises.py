"""A service lead who also supervises: every link to a person on their site pages opens
a site page they can read (their service's person page, or their supervisees'
training), never the staff workspace's person page."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from people import roles
from tests import factories

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture
def lead_who_supervises(service_lead):
    service_lead.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    service_lead.side = "nhs"
    service_lead.save()
    return service_lead


@pytest.fixture
def supervisees(lead_who_supervises, psw, other_psw):
    """psw works in the lead's service; other_psw elsewhere. The lead supervises both."""
    today = timezone.localdate()
    for person in (psw, other_psw):
        factories.ArrangementFactory(
            supervisee=person, supervisor=lead_who_supervises, starts_on=today - timedelta(days=90)
        )
    return psw, other_psw


SITE_PAGES = [
    "supervision:supervisees",
    "compliance:supervisee_training",
    "certificates:supervisees",
    "compliance:service",
    "compliance:service_people",
]


def links_on(client, url):
    return HREF.findall(client.get(url).content.decode())


def test_no_site_page_links_to_the_staff_workspace(lead_who_supervises, supervisees, client_for):
    client = client_for(lead_who_supervises)
    psw, _ = supervisees
    pages = [reverse(name) for name in SITE_PAGES]
    pages.append(reverse("compliance:service_person", args=[psw.pk]))
    for page in pages:
        assert client.get(page).status_code == 200, page
        assert not [link for link in links_on(client, page) if link.startswith("/admin/")], page


def test_each_person_link_opens_a_page_the_lead_can_read(
    lead_who_supervises, supervisees, client_for
):
    client = client_for(lead_who_supervises)
    psw, other_psw = supervisees
    supervising = links_on(client, reverse("supervision:supervisees"))
    training = reverse("compliance:supervisee_training")
    for person in (psw, other_psw):
        assert f"{training}#person-{person.pk}" in supervising
    service = links_on(client, reverse("compliance:service_people"))
    person_pages = [link for link in service if re.fullmatch(r"/service/people/\d+/", link)]
    assert person_pages == [reverse("compliance:service_person", args=[psw.pk])]
    for link in person_pages + [training]:
        assert client.get(link).status_code == 200
    # The supervisee outside the service is read on the supervisor's pages, not the lead's.
    outside = reverse("compliance:service_person", args=[other_psw.pk])
    assert client.get(outside).status_code == 404


def test_the_workspaces_person_page_sends_them_to_the_persons_place_on_the_site(
    lead_who_supervises, supervisees, client_for
):
    client = client_for(lead_who_supervises)
    _, other_psw = supervisees
    response = client.get(reverse("compliance_admin:person", args=[other_psw.pk]))
    training = reverse("compliance:supervisee_training")
    assert response["Location"] == f"{training}#person-{other_psw.pk}"
    stranger = factories.psw()
    response = client.get(reverse("compliance_admin:person", args=[stranger.pk]))
    assert response.status_code == 404
