"""The supervisor's pages on the site (issue 17, item 3): what each shows, what each
refuses."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import SupervisionSession
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def arrangement(psw, supervisor, today):
    return factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=today - timedelta(days=400)
    )


@pytest.fixture
def someone_elses(other_psw, today):
    return factories.ArrangementFactory(supervisee=other_psw, starts_on=today - timedelta(days=60))


def test_the_log_form_offers_only_the_supervisors_own_arrangements_and_starts_today(
    arrangement, someone_elses, supervisor, client_for, today
):
    page = client_for(supervisor).get(reverse("supervision:log"))
    form = page.context["form"]
    assert list(form.fields["arrangement"].queryset) == [arrangement]
    assert form["held_on"].value() == today
    assert str(someone_elses.supervisee) not in page.content.decode()


def test_a_session_on_someone_elses_arrangement_is_refused_and_nothing_saved(
    someone_elses, supervisor, client_for, today
):
    response = client_for(supervisor).post(
        reverse("supervision:log"),
        {
            "arrangement": someone_elses.pk,
            "held_on": today.isoformat(),
            "duration_minutes": "60",
            "format": "one_to_one",
            "status": "held",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not SupervisionSession.objects.exists()


# A stranger's group: tests/supervision/test_groups.py.
@pytest.mark.parametrize("name", ["session", "confirm", "decline", "correct", "sign_off"])
def test_a_strangers_session_id_answers_404(name, someone_elses, supervisor, client_for):
    stranger = factories.SessionFactory(
        arrangement=someone_elses, logged_by=someone_elses.supervisee, confirmed_at=None
    )
    client = client_for(supervisor)
    url = reverse(f"supervision:{name}", args=[stranger.pk])
    response = client.post(url, {"reason": "guessed"}) if name != "session" else client.get(url)
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert (stranger.confirmed_at, stranger.declined_at, stranger.corrected_at) == (None,) * 3


def test_the_sessions_list_pages_through_the_supervisors_own_sessions_newest_first(
    arrangement, someone_elses, supervisor, client_for, today
):
    for days in range(26):
        factories.SessionFactory(arrangement=arrangement, held_on=today - timedelta(days=days))
    factories.SessionFactory(arrangement=someone_elses, held_on=today)
    client = client_for(supervisor)
    first = client.get(reverse("supervision:sessions"))
    assert [s.held_on for s in first.context["sessions"]][:2] == [today, today - timedelta(days=1)]
    assert len(first.context["sessions"]) == 25
    assert "Older sessions" in first.content.decode()
    second = client.get(reverse("supervision:sessions") + "?page=2")
    assert [s.held_on for s in second.context["sessions"]] == [today - timedelta(days=25)]
    assert str(someone_elses.supervisee) not in first.content.decode() + second.content.decode()


def test_the_supervisor_confirms_on_the_site_and_the_session_counts(
    arrangement, psw, supervisor, client_for, today
):
    waiting = factories.SessionFactory(
        arrangement=arrangement, held_on=today, logged_by=psw, confirmed_by=None, confirmed_at=None
    )
    landing = client_for(supervisor).get(reverse("supervision:supervisees")).content.decode()
    assert reverse("supervision:session", args=[waiting.pk]) in landing
    response = client_for(supervisor).post(reverse("supervision:confirm", args=[waiting.pk]))
    assert response["Location"] == reverse("supervision:session", args=[waiting.pk])
    waiting.refresh_from_db()
    assert waiting.confirmed_by == supervisor


def test_a_page_elsewhere_is_not_a_place_to_be_sent_after_confirming(
    arrangement, psw, supervisor, client_for, today
):
    waiting = factories.SessionFactory(
        arrangement=arrangement, held_on=today, logged_by=psw, confirmed_by=None, confirmed_at=None
    )
    response = client_for(supervisor).post(
        reverse("supervision:confirm", args=[waiting.pk]), {"next": "https://elsewhere.example/"}
    )
    assert response["Location"] == reverse("supervision:session", args=[waiting.pk])


def test_the_supervisors_header_links_their_pages_and_marks_the_one_shown(supervisor, client_for):
    text = client_for(supervisor).get(reverse("supervision:log")).content.decode()
    assert '<a href="/supervising/log/" aria-current="page">Log a session</a>' in text
    assert '<a href="/supervising/">My supervisees</a>' in text
    assert '<a href="/supervising/group/">Log a group session</a>' in text
