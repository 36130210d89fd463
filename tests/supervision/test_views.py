"""Supervision through the test client: the journeys of issue 4, on the site's pages
for PSWs and supervisors and in the workspace for managers."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from organisation.models import OrganisationSettings
from supervision.models import SupervisionArrangement, SupervisionSession
from tests import factories
from tests.doors import sent_home

pytestmark = pytest.mark.django_db

LOG = reverse("me:log_session")
SUPERVISOR_LOG = reverse("supervision:log")
NOTES = "We talked about keeping boundaries when someone asks to meet outside."


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def arrangement(psw, supervisor, today):
    return factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=today - timedelta(days=60)
    )


@pytest.fixture
def unaccounted(psw, today):
    return factories.ArrangementFactory(
        supervisee=psw,
        stream="employer",
        supervisor=None,
        supervisor_name="Ruth Akers",
        starts_on=today - timedelta(days=60),
    )


def form(arrangement, held_on, **changes):
    return {
        "arrangement": arrangement.pk,
        "held_on": held_on.isoformat(),
        "duration_minutes": "60",
        "format": "one_to_one",
        "status": "held",
        "topics": ["boundaries", "wellbeing"],
        "notes": NOTES,
        "actions": "Bring it to the team meeting.",
        "wellbeing_checked": "on",
        "same_day_reason": "",
        **changes,
    }


def test_supervisor_logs_psw_signs_off_manager_sees_when_but_not_what(
    arrangement, psw, supervisor, manager, client_for, today
):
    held_on = today - timedelta(days=3)
    response = client_for(supervisor).post(SUPERVISOR_LOG, form(arrangement, held_on))
    session = SupervisionSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:session", args=[session.pk])
    assert session.confirmed_by == supervisor and session.logged_by == supervisor
    assert session.history.get().history_user == supervisor

    mine = client_for(psw).get(reverse("me:supervision")).content.decode()
    due = held_on + timedelta(weeks=4)
    assert f"Next session due <strong>{due:%-d %B %Y}</strong>" in mine
    assert 'class="status status-on_track">On track' in mine
    page = reverse("me:session", args=[session.pk])
    text = client_for(psw).get(page).content.decode()
    assert NOTES in text and "Sign off this session" in text

    signed = client_for(psw).post(page, {"differing_view": ""})
    assert signed.status_code == 302
    session.refresh_from_db()
    assert session.acknowledged_at is not None
    assert session.history.first().history_user == psw
    assert "Sign off this session" not in client_for(psw).get(page).content.decode()

    manager_client = client_for(manager)
    sessions = manager_client.get("/admin/supervision_sessions/").content.decode()
    assert f"{held_on:%-d %B %Y}" in sessions
    assert NOTES not in sessions
    arrangements = manager_client.get("/admin/supervision_arrangements/").content.decode()
    assert f"{due:%-d %B %Y}" in arrangements
    assert "On track" in arrangements
    assert NOTES not in arrangements
    detail = manager_client.get(reverse("supervision_workspace:session", args=[session.pk]))
    assert detail.status_code == 404


def test_psw_logs_with_a_supervisor_who_has_no_account_and_a_manager_confirms(
    unaccounted, psw, manager, client_for, today
):
    response = client_for(psw).post(LOG, form(unaccounted, today - timedelta(days=2)))
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert session.confirmed_at is None
    assert session.acknowledged_at is not None

    waiting = client_for(manager).get(reverse("supervision_workspace:waiting"))
    text = waiting.content.decode()
    assert psw.get_full_name() in text
    assert "Ruth Akers" in text
    assert NOTES not in text

    confirm = reverse("supervision_workspace:confirm", args=[session.pk])
    assert client_for(manager).post(confirm).status_code == 302
    session.refresh_from_db()
    assert session.confirmed_by == manager
    assert session.history.first().history_user == manager
    assert (
        psw.get_full_name()
        not in client_for(manager).get(reverse("supervision_workspace:waiting")).content.decode()
    )


def test_the_supervisor_confirms_what_the_psw_logged(
    arrangement, psw, supervisor, client_for, today
):
    client_for(psw).post(LOG, form(arrangement, today - timedelta(days=1)))
    session = SupervisionSession.objects.get()
    waiting = client_for(supervisor).get(reverse("supervision:supervisees")).content.decode()
    assert reverse("supervision:session", args=[session.pk]) in waiting
    client_for(supervisor).post(reverse("supervision:confirm", args=[session.pk]))
    session.refresh_from_db()
    assert session.confirmed_by == supervisor


def test_a_manager_cannot_confirm_for_a_supervisor_with_an_account(
    arrangement, psw, manager, client_for, today
):
    client_for(psw).post(LOG, form(arrangement, today - timedelta(days=1)))
    session = SupervisionSession.objects.get()
    response = client_for(manager).post(reverse("supervision_workspace:confirm", args=[session.pk]))
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.confirmed_at is None


@pytest.mark.parametrize(
    ("days_ago", "changes", "message"),
    [
        (-1, {}, "A session cannot be in the future"),
        (61, {}, "a session cannot be before that"),
        (1, {"duration_minutes": "4"}, "Give a duration between 5 and 480 minutes"),
        (1, {"duration_minutes": "481"}, "Give a duration between 5 and 480 minutes"),
    ],
    ids=["future", "before-start", "4-minutes", "481-minutes"],
)
def test_each_mistake_shows_its_message_keeps_what_was_typed_and_saves_nothing(
    days_ago, changes, message, arrangement, supervisor, client_for, today
):
    response = client_for(supervisor).post(
        SUPERVISOR_LOG, form(arrangement, today - timedelta(days=days_ago), **changes)
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert NOTES in text  # what the supervisor typed is still there
    assert not SupervisionSession.objects.exists()


def test_a_session_after_the_arrangement_ended_shows_a_message(
    arrangement, supervisor, client_for, today
):
    arrangement.ends_on = today - timedelta(days=10)
    arrangement.save()
    response = client_for(supervisor).post(
        SUPERVISOR_LOG, form(arrangement, today - timedelta(days=5))
    )
    assert "a session cannot be after that" in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_a_second_session_the_same_day_asks_why(arrangement, supervisor, client_for, today):
    client = client_for(supervisor)
    held_on = today - timedelta(days=1)
    client.post(SUPERVISOR_LOG, form(arrangement, held_on))
    response = client.post(SUPERVISOR_LOG, form(arrangement, held_on))
    assert "Say why there was a second one" in response.content.decode()
    assert SupervisionSession.objects.count() == 1
    client.post(
        SUPERVISOR_LOG, form(arrangement, held_on, same_day_reason="Group after the one-to-one")
    )
    assert SupervisionSession.objects.count() == 2


def test_nobody_logs_on_someone_elses_arrangement(arrangement, other_psw, client_for, today):
    response = client_for(other_psw).post(LOG, form(arrangement, today - timedelta(days=1)))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_the_supervisor_sees_who_is_due_and_who_is_overdue_soonest_first(
    supervisor, client_for, today
):
    overdue = factories.psw(first_name="Olive", last_name="Overdue")
    soon = factories.psw(first_name="Dora", last_name="Duesoon")
    factories.ArrangementFactory(
        supervisee=overdue, supervisor=supervisor, starts_on=today - timedelta(weeks=5)
    )
    factories.ArrangementFactory(
        supervisee=soon,
        supervisor=supervisor,
        starts_on=today - timedelta(weeks=4) + timedelta(days=3),
    )
    text = client_for(supervisor).get(reverse("supervision:supervisees")).content.decode()
    assert text.index("Olive Overdue") < text.index("Dora Duesoon")
    assert "status-overdue" in text and "status-due_soon" in text


def test_a_psw_without_arrangements_is_told_to_ask_their_manager(psw, client_for):
    text = client_for(psw).get(reverse("me:supervision")).content.decode()
    assert "No arrangement" in text
    assert "Nothing is arranged yet" in text


@pytest.mark.parametrize(
    ("who", "url_name"),
    [
        ("service_lead", "log"),
        ("psw", "waiting"),
        ("service_lead", "waiting"),
    ],
)
def test_each_page_is_for_its_roles(who, url_name, client_for, request):
    viewer = request.getfixturevalue(who)
    response = client_for(viewer).get(reverse(f"supervision_workspace:{url_name}"))
    assert sent_home(response, viewer)


def test_the_workspaces_old_log_page_sends_each_to_their_own_form_on_the_site(
    arrangement, psw, supervisor, manager, client_for
):
    old = reverse("supervision_workspace:log")
    assert client_for(psw).get(old)["Location"] == reverse("me:log_session")
    chosen = client_for(supervisor).get(f"{old}?arrangement={arrangement.pk}")
    assert chosen["Location"] == f"{SUPERVISOR_LOG}?arrangement={arrangement.pk}"
    assert client_for(manager).get(old)["Location"] == reverse("wagtailadmin_home")


def test_the_workspaces_old_session_page_sends_each_party_to_their_site_page(
    arrangement, psw, supervisor, client_for
):
    session = factories.SessionFactory(arrangement=arrangement, notes=NOTES)
    old = reverse("supervision_workspace:session", args=[session.pk])
    assert client_for(psw).get(old)["Location"] == reverse("me:session", args=[session.pk])
    assert client_for(supervisor).get(old)["Location"] == reverse(
        "supervision:session", args=[session.pk]
    )


@pytest.mark.parametrize("who", ["other_psw", "manager", "service_lead"])
def test_the_workspaces_old_session_page_finds_nothing_for_anyone_else(
    who, arrangement, client_for, request
):
    session = factories.SessionFactory(arrangement=arrangement, notes=NOTES)
    old = reverse("supervision_workspace:session", args=[session.pk])
    response = client_for(request.getfixturevalue(who)).get(old)
    assert response.status_code == 404


def test_a_supervisor_is_sent_from_the_workspaces_waiting_list_to_their_own(supervisor, client_for):
    response = client_for(supervisor).get(reverse("supervision_workspace:waiting"))
    assert response["Location"] == reverse("supervision:supervisees")


def test_the_menu_shows_each_role_its_own_items(psw, supervisor, manager, client_for):
    def menu(user):
        return client_for(user).get("/admin/", follow=True).content.decode()

    assert "My supervision" in menu(psw) and "My supervisees" not in menu(psw)
    assert "My supervisees" in menu(supervisor) and "All sessions" not in menu(supervisor)
    assert "All sessions" in menu(manager) and "Arrangements" in menu(manager)


# Managers' arrangements ------------------------------------------------------------------


def test_a_manager_sets_up_an_arrangement(psw, supervisor, manager, client_for, today):
    response = client_for(manager).post(
        reverse("supervision_arrangements:add"),
        {
            "supervisee": psw.pk,
            "stream": "nhs",
            "supervisor": supervisor.pk,
            "supervisor_name": "",
            "interval_weeks": "4",
            "starts_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    arrangement = SupervisionArrangement.objects.get()
    assert (arrangement.supervisee, arrangement.supervisor) == (psw, supervisor)
    assert arrangement.created_by == manager
    assert arrangement.history.get().history_user == manager


def test_an_arrangement_with_neither_supervisor_nor_name_is_refused(
    psw, manager, client_for, today
):
    response = client_for(manager).post(
        reverse("supervision_arrangements:add"),
        {
            "supervisee": psw.pk,
            "stream": "nhs",
            "interval_weeks": "4",
            "starts_on": today.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Choose a supervisor with an account" in response.content.decode()
    assert not SupervisionArrangement.objects.exists()


def test_the_arrangement_form_explains_why_a_charity_supervisor_cannot_take_nhs_supervision(
    psw, manager, client_for, today
):
    charity = factories.supervisor(username="charity.one", side="employer")
    response = client_for(manager).post(
        reverse("supervision_arrangements:add"),
        {
            "supervisee": psw.pk,
            "stream": "nhs",
            "supervisor": charity.pk,
            "interval_weeks": "4",
            "starts_on": today.isoformat(),
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "NHS supervision needs a supervisor who belongs to NHS" in (form.errors["supervisor"][0])
    assert not SupervisionArrangement.objects.exists()


def test_the_interval_starts_as_the_organisations_default_for_the_stream(
    psw, supervisor, manager, client_for, today
):
    OrganisationSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"nhs_interval_weeks": 6, "employer_interval_weeks": 3},
    )
    add = reverse("supervision_arrangements:add")
    client = client_for(manager)
    nhs = client.get(f"{add}?supervisee={psw.pk}&stream=nhs").context["form"]
    employer = client.get(f"{add}?supervisee={psw.pk}&stream=employer").context["form"]
    assert (nhs["interval_weeks"].value(), employer["interval_weeks"].value()) == (6, 3)
    client.post(
        add,
        {
            "supervisee": psw.pk,
            "stream": "nhs",
            "supervisor": supervisor.pk,
            "interval_weeks": "",
            "starts_on": today.isoformat(),
        },
    )
    assert SupervisionArrangement.objects.get().interval_weeks == 6


def test_changing_supervisor_in_the_admin_keeps_the_past(
    arrangement, psw, supervisor, manager, client_for, today
):
    factories.SessionFactory(arrangement=arrangement, held_on=today - timedelta(days=20))
    client_for(manager).post(
        reverse("supervision_arrangements:add"),
        {
            "supervisee": psw.pk,
            "stream": "nhs",
            "supervisor_name": "Jo Whitley",
            "interval_weeks": "4",
            "starts_on": today.isoformat(),
        },
    )
    arrangement.refresh_from_db()
    assert arrangement.ends_on == today - timedelta(days=1)
    assert arrangement.sessions.count() == 1
    assert (
        SupervisionArrangement.objects.filter(supervisee=psw, ends_on__isnull=True)
        .get()
        .supervisor_name
        == "Jo Whitley"
    )


def test_a_manager_ends_an_arrangement_with_a_reason(arrangement, manager, client_for, today):
    url = reverse("supervision_arrangements:edit", args=[arrangement.pk])
    response = client_for(manager).post(
        url, {"ends_on": today.isoformat(), "reason": "Left the post"}
    )
    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.ends_on == today
    latest = arrangement.history.first()
    assert (latest.history_user, latest.history_change_reason) == (manager, "Left the post")


def test_an_arrangement_cannot_end_before_its_start(arrangement, manager, client_for):
    url = reverse("supervision_arrangements:edit", args=[arrangement.pk])
    before = arrangement.starts_on - timedelta(days=1)
    response = client_for(manager).post(url, {"ends_on": before.isoformat(), "reason": "Oops"})
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    arrangement.refresh_from_db()
    assert arrangement.ends_on is None


def test_the_sessions_listing_filters_by_stream_and_safeguarding(psw, manager, client_for, today):
    nhs = factories.ArrangementFactory(supervisee=psw, starts_on=date(2026, 1, 5))
    employer = factories.ArrangementFactory(
        supervisee=psw, stream="employer", starts_on=date(2026, 1, 5)
    )
    factories.SessionFactory(arrangement=nhs, held_on=date(2026, 2, 3), safeguarding_concern=True)
    factories.SessionFactory(arrangement=employer, held_on=date(2026, 2, 10))
    client = client_for(manager)
    flagged = client.get("/admin/supervision_sessions/?safeguarding_concern=true").content.decode()
    assert "3 February 2026" in flagged and "10 February 2026" not in flagged
    employer_only = client.get("/admin/supervision_sessions/?stream=employer").content.decode()
    assert "10 February 2026" in employer_only and "3 February 2026" not in employer_only


def test_the_export_makes_formulas_inert(psw, manager, client_for):
    arrangement = factories.ArrangementFactory(
        supervisee=psw, supervisor=None, supervisor_name="=HYPERLINK(1)", starts_on=date(2026, 1, 5)
    )
    factories.SessionFactory(arrangement=arrangement, logged_by=psw, confirmed_by=None)
    response = client_for(manager).get("/admin/supervision_sessions/?export=csv")
    content = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in content


@pytest.mark.parametrize(
    "url", ["/admin/supervision_sessions/", "/admin/supervision_arrangements/"]
)
def test_the_managers_listings_take_the_same_queries_however_many_people(url, manager, client_for):
    def queries():
        client = client_for(manager)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def add_people(count):
        for _ in range(count):
            arrangement = factories.ArrangementFactory(starts_on=date(2026, 1, 5))
            factories.SessionFactory(arrangement=arrangement)

    queries()  # the first request fills the site and organisation-settings caches
    add_people(2)
    few = queries()
    add_people(8)
    assert queries() == few


def test_change_supervisor_opens_the_form_for_the_same_person_and_stream(
    arrangement, manager, client_for
):
    add = reverse("supervision_arrangements:add")
    url = f"{add}?supervisee={arrangement.supervisee_id}&stream=nhs"
    form = client_for(manager).get(url).context["form"]
    assert str(form["supervisee"].value()) == str(arrangement.supervisee_id)
    assert form["stream"].value() == "nhs"


def test_every_mistake_shows_at_once_even_before_an_arrangement_is_chosen(
    arrangement, supervisor, client_for, today
):
    data = {
        **form(arrangement, today + timedelta(days=1), duration_minutes="500"),
        "arrangement": "",
    }
    text = client_for(supervisor).post(SUPERVISOR_LOG, data).content.decode()
    assert "This field is required" in text
    assert "A session cannot be in the future" in text
    assert "Give a duration between 5 and 480 minutes" in text
    assert not SupervisionSession.objects.exists()


def test_the_arrangements_listing_filters_by_service_and_supervisor(manager, client_for):
    here, there = factories.ServiceFactory(name="CMHT 7"), factories.ServiceFactory(name="CMHT 8")
    priya = factories.supervisor(first_name="Priya", last_name="Raman")
    factories.ArrangementFactory(
        supervisee=factories.psw(first_name="Aisha", last_name="Here", service=here),
        supervisor=priya,
    )
    factories.ArrangementFactory(
        supervisee=factories.psw(first_name="Tom", last_name="There", service=there)
    )
    client = client_for(manager)
    by_service = client.get(f"/admin/supervision_arrangements/?service={here.pk}")
    assert "Aisha Here" in by_service.content.decode()
    assert "Tom There" not in by_service.content.decode()
    by_supervisor = client.get(f"/admin/supervision_arrangements/?supervisor={priya.pk}")
    assert "Aisha Here" in by_supervisor.content.decode()
    assert "Tom There" not in by_supervisor.content.decode()
