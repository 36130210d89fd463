"""A supervisor's view of their supervisees' training on the site (/supervising/training/):
statuses and dates, the most urgent first, never notes, evidence or anyone else."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

PAGE = reverse("compliance:supervisee_training")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def safeguarding():
    return factories.module("Safeguarding", provider="nhs", renewal_months=36)


def supervise(supervisor, person, today):
    return factories.ArrangementFactory(
        supervisee=person, supervisor=supervisor, starts_on=today - timedelta(days=400)
    )


def test_each_supervisee_shows_their_requirements_in_words_with_dates_and_no_notes(
    psw, other_psw, supervisor, safeguarding, client_for, today
):
    supervise(supervisor, psw, today)
    completed = today - timedelta(days=100)
    factories.TrainingRecordFactory(
        person=psw,
        module=safeguarding,
        completed_on=completed,
        notes="A private note about the course",
    )
    factories.TrainingRecordFactory(person=other_psw, module=safeguarding, completed_on=completed)
    response = client_for(supervisor).get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert psw.get_full_name() in page
    assert other_psw.get_full_name() not in page
    assert "Safeguarding (NHS)" in page
    assert 'class="status status-valid">Valid<' in page
    assert f"{completed:%-d %b %Y}" in page
    assert "A private note about the course" not in page
    assert "/evidence/" not in page
    assert "Wagtail" not in page and "wagtailadmin" not in page


def test_the_most_urgent_supervisee_comes_first(supervisor, safeguarding, client_for, today):
    trained = factories.psw(first_name="Alma", last_name="Trained")
    lapsed = factories.psw(first_name="Zeke", last_name="Lapsed")
    for person in (trained, lapsed):
        supervise(supervisor, person, today)
    factories.TrainingRecordFactory(
        person=trained, module=safeguarding, completed_on=today - timedelta(days=30)
    )
    factories.TrainingRecordFactory(
        person=lapsed, module=safeguarding, completed_on=today - timedelta(days=4 * 365)
    )
    page = client_for(supervisor).get(PAGE).content.decode()
    assert page.index("Zeke Lapsed") < page.index("Alma Trained")
    assert 'class="status status-expired">Expired<' in page


def test_a_supervisee_whose_arrangement_has_ended_is_not_shown(
    psw, supervisor, safeguarding, client_for, today
):
    arrangement = supervise(supervisor, psw, today)
    arrangement.ends_on = today - timedelta(days=1)
    arrangement.save()
    page = client_for(supervisor).get(PAGE).content.decode()
    assert psw.get_full_name() not in page
    assert "Nobody is supervised by you" in page


@pytest.mark.parametrize("who", ["psw", "service_lead", "manager"])
def test_people_who_do_not_supervise_are_refused(who, client_for, request):
    assert client_for(request.getfixturevalue(who)).get(PAGE).status_code == 403


def test_the_page_asks_for_sign_in(client):
    assert "/login/" in client.get(PAGE)["Location"]


def test_the_page_takes_the_same_queries_for_3_and_20_supervisees(
    supervisor, safeguarding, client_for, today
):
    client = client_for(supervisor)

    def add(count):
        for _ in range(count):
            person = factories.psw()
            supervise(supervisor, person, today)
            factories.TrainingRecordFactory(
                person=person, module=safeguarding, completed_on=today - timedelta(days=60)
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    add(3)
    queries()  # fills the site and organisation-settings caches
    few = queries()
    add(17)
    assert queries() == few


def test_it_is_linked_from_the_supervisees_page_and_the_header(supervisor, client_for):
    page = client_for(supervisor).get(reverse("supervision:supervisees")).content.decode()
    assert page.count(f'href="{PAGE}"') == 2


def test_a_supervisor_opening_the_workspaces_team_training_is_sent_to_the_site(
    supervisor, manager, client_for
):
    old = reverse("training_admin:team")
    assert client_for(supervisor).get(old)["Location"] == PAGE
    assert client_for(manager).get(old).status_code == 200
