"""A service lead's pages on the site (/service/): their service's figures, the people
behind each figure, and a person's statuses and sessions, and nothing section 5 of the
design keeps from a service lead."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.compliance.history import save_at

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("compliance:service")
PEOPLE = reverse("compliance:service_people")


def person_page(person):
    return reverse("compliance:service_person", args=[person.pk])


@pytest.fixture
def service_today(psw, other_psw, service_lead, supervisor):
    """psw (the lead's service) trained in Safeguarding by the NHS, not by the charity;
    a second PSW in the service with nothing recorded; other_psw elsewhere."""
    today = timezone.localdate()
    safeguarding = factories.module("Safeguarding", provider="both", renewal_months=36)
    factories.TrainingRecordFactory(
        person=psw,
        module=safeguarding,
        provider="nhs",
        completed_on=today - timedelta(days=30),
        notes="Secret training note",
    )
    newcomer = factories.psw(username="psw.new", first_name="Nia", service=psw.service)
    arrangement = factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=today - timedelta(days=60)
    )
    factories.SessionFactory(
        arrangement=arrangement,
        held_on=today - timedelta(days=10),
        notes="Private words between us",
        actions="An action only the two of them see",
        safeguarding_concern=True,
    )
    return {"module": safeguarding, "newcomer": newcomer}


def figure_links(page):
    """{(filter item, status): count} of every figure that links to people."""
    found = re.findall(r'href="/service/people/\?item=([^&"]*)&amp;status=([^"]*)">(\d+)<', page)
    return {(item, status): int(count) for item, status, count in found}


def names_listed(response):
    return [person.name for person, *_ in response.context["rows"]]


def test_a_service_lead_lands_on_their_service(client, service_lead):
    from tests.factories import PASSWORD

    response = client.post("/login/", {"username": service_lead.username, "password": PASSWORD})
    assert response["Location"] == OVERVIEW
    assert client.get("/admin/")["Location"] == OVERVIEW


def test_the_service_page_is_worded_as_the_service(client_for, service_lead, service_today):
    page = client_for(service_lead).get(OVERVIEW).content.decode()
    assert "<h1>CMHT 2</h1>" in page
    assert "organisation" not in page.lower().replace("leeds mind", "")
    assert "All services" not in page
    assert "Wagtail" not in page and "wagtailadmin" not in page


def test_each_figure_links_to_the_people_behind_it(client_for, service_lead, psw, service_today):
    client = client_for(service_lead)
    figures = figure_links(client.get(OVERVIEW).content.decode())
    nhs = f"m-{service_today['module'].pk}-nhs"
    employer = f"m-{service_today['module'].pk}-employer"
    assert figures[(nhs, "valid")] == 1
    assert figures[(nhs, "missing")] == 1
    assert figures[(employer, "missing")] == 2
    assert figures[("training", "not_compliant")] == 2
    for (item, status), count in figures.items():
        response = client.get(PEOPLE, {"item": item, "status": status})
        assert len(names_listed(response)) == count, (item, status)
    valid = client.get(PEOPLE, {"item": nhs, "status": "valid"})
    assert names_listed(valid) == [psw.get_full_name()]
    assert [column.label for column in valid.context["columns"]] == ["Safeguarding (NHS)"]


def test_a_zero_is_not_a_link(client_for, service_lead, service_today):
    figures = figure_links(client_for(service_lead).get(OVERVIEW).content.decode())
    assert all(count > 0 for count in figures.values())


def test_the_people_page_lists_only_the_leads_service(
    client_for, service_lead, psw, other_psw, service_today
):
    response = client_for(service_lead).get(PEOPLE)
    page = response.content.decode()
    assert sorted(names_listed(response)) == sorted(
        [psw.get_full_name(), service_today["newcomer"].get_full_name()]
    )
    assert person_page(psw) in page and person_page(other_psw) not in page
    assert 'role="region" aria-labelledby="matrix-caption" tabindex="0"' in page


def test_a_filter_that_is_not_a_choice_says_so_and_lists_everyone(
    client_for, service_lead, service_today
):
    response = client_for(service_lead).get(PEOPLE, {"status": "lost"})
    assert "Select a valid choice" in response.content.decode()
    assert len(names_listed(response)) == 2


def test_a_persons_page_shows_statuses_dates_and_sessions_but_nothing_private(
    client_for, service_lead, psw, service_today
):
    record = psw.training_records.get()
    save_at(record, timezone.now(), evidence="evidence/certificate.pdf")
    page = client_for(service_lead).get(person_page(psw)).content.decode()
    assert "Safeguarding (NHS)" in page and "Valid" in page
    assert record.completed_on.strftime("%-d %b %Y") in page
    assert "One-to-one" in page and "Held" in page
    for private in (
        "Private words between us",
        "An action only the two of them see",
        "Secret training note",
        "Concern raised",
        "Flagged",
        "Safeguarding concern",
        f"/evidence/{record.pk}/",
        "/certificates/",
        "/passport/",
    ):
        assert private not in page, private


def test_a_person_outside_the_leads_service_is_not_found(
    client_for, service_lead, other_psw, supervisor, service_today
):
    client = client_for(service_lead)
    assert client.get(person_page(other_psw)).status_code == 404
    assert client.get(person_page(supervisor)).status_code == 404


@pytest.mark.parametrize("who", ["psw", "supervisor", "manager", "administrator"])
def test_only_service_leads_have_service_pages(request, client_for, who, service_today):
    client = client_for(request.getfixturevalue(who))
    for url in (OVERVIEW, PEOPLE, person_page(request.getfixturevalue("psw"))):
        assert client.get(url).status_code == 403


def test_a_service_lead_without_a_service_has_no_service_pages(client_for, service_today):
    lead = factories.service_lead(username="lead.nowhere", service=None)
    assert client_for(lead).get(OVERVIEW).status_code == 403


def test_signed_out_visitors_are_asked_to_sign_in(client, psw):
    response = client.get(person_page(psw))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_header_marks_the_page_shown(client_for, service_lead, service_today):
    page = client_for(service_lead).get(PEOPLE).content.decode()
    assert f'<a href="{PEOPLE}" aria-current="page">People</a>' in page
    assert f'<a href="{OVERVIEW}">CMHT 2</a>' in page


def test_the_admin_pages_a_service_lead_used_send_them_to_their_service(
    client_for, service_lead, psw, service_today
):
    client = client_for(service_lead)
    for name, args in (
        ("compliance_admin:summary", []),
        ("compliance_admin:matrix", []),
        ("compliance_admin:trends", []),
        ("training_admin:team", []),
        ("certificates_admin:index", []),
    ):
        assert client.get(reverse(name, args=args))["Location"] == OVERVIEW, name
    # A person of their service opens on the service's own page.
    person = client.get(reverse("compliance_admin:person", args=[psw.pk]))
    assert person["Location"] == person_page(psw)


def test_the_service_pages_read_a_fixed_number_of_queries(
    client_for, service_lead, service_today, django_assert_max_num_queries
):
    client = client_for(service_lead)
    client.get(OVERVIEW)
    for n in range(5):
        factories.psw(username=f"more.{n}", service=service_lead.service)
    # Counted afresh (people were added): the kept figures' versions, then the count.
    with django_assert_max_num_queries(21):
        client.get(OVERVIEW)
    with django_assert_max_num_queries(15):  # nothing changed since: the kept figures
        client.get(OVERVIEW)
    # The statuses of the people on the page and their placements.
    with django_assert_max_num_queries(21):
        client.get(PEOPLE)
