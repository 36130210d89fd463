"""Notes and actions are for the PSW and the arrangement's supervisor only
(docs/architecture.md, Who sees what).

Every other role is refused the session's own page (404) and finds the notes in no
listing or export it can reach; a guessed id in any manager view answers 404.
"""

from datetime import date

import pytest
from django.http import Http404
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone

from people.viewsets import ScopedListingMixin, ScopedObjectMixin
from supervision.selectors import (
    arrangements_visible_to,
    safeguarding_flags_visible_to,
    sessions_visible_to,
    sessions_with_notes_visible_to,
)
from supervision.views import ArrangementViewSet
from tests import factories
from tests.doors import refused, sent_home

pytestmark = pytest.mark.django_db

NOTES = "Reflected on sharing lived experience with the team"
ACTIONS = "Ask for time with the psychologist"
VIEW = "I felt the boundary was mine to set"
DECLINED = "We met on the ward but it was not supervision"
# Everything written inside the relationship: notes, actions, the PSW's "I see this
# differently" and a decline's reason.
PRIVATE = [NOTES, ACTIONS, VIEW, DECLINED]
FORBIDDEN = ["manager", "service_lead", "other_psw", "another_supervisor", "administrator"]
LISTINGS = [
    "/admin/",
    "/me/supervision/",
    "/supervising/",
    "/supervising/log/",
    "/supervising/group/",
    "/supervising/sessions/",
    "/admin/supervision/waiting/",
    "/admin/supervision_sessions/",
    "/admin/supervision_sessions/?export=csv",
    "/admin/supervision_sessions/?export=xlsx",
    "/admin/supervision_arrangements/",
]


@pytest.fixture
def another_supervisor():
    return factories.supervisor(username="another.supervisor")


@pytest.fixture
def session(psw, supervisor):
    arrangement = factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=date(2026, 1, 5)
    )
    return factories.SessionFactory(
        arrangement=arrangement,
        held_on=date(2026, 5, 4),
        notes=NOTES,
        actions=ACTIONS,
        supervisee_view=VIEW,
        decline_reason=DECLINED,
        safeguarding_concern=True,
        confirmed_at=None,
        confirmed_by=None,
        logged_by=psw,
    )


@pytest.fixture
def other_arrangement(other_psw, another_supervisor):
    """Gives the other PSW and the other supervisor something of their own to see."""
    return factories.ArrangementFactory(
        supervisee=other_psw, supervisor=another_supervisor, starts_on=date(2026, 1, 5)
    )


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# The workspace's old address of a session's page sends its two parties to the site.
SESSION_PAGES = ["supervision_workspace:session", "supervision:session"]
SITE_PAGE = {"psw": "me:session", "supervisor": "supervision:session"}


@pytest.mark.parametrize("page", SESSION_PAGES)
@pytest.mark.parametrize("who", ["psw", "supervisor"])
def test_the_psw_and_their_supervisor_read_the_notes(who, page, session, client_for, request):
    client = client_for(request.getfixturevalue(who))
    response = client.get(reverse(page, args=[session.pk]), follow=True)
    assert response.status_code == 200
    assert response.resolver_match.view_name in (page, SITE_PAGE[who])
    assert not response.request["PATH_INFO"].startswith("/admin/")
    for words in (NOTES, ACTIONS, VIEW):
        assert words in response.content.decode()


@pytest.mark.parametrize("page", SESSION_PAGES)
@pytest.mark.parametrize("who", FORBIDDEN)
def test_everyone_else_is_refused_the_sessions_page(who, page, session, client_for, request):
    client = client_for(request.getfixturevalue(who))
    response = client.get(reverse(page, args=[session.pk]))
    assert response.status_code == 404
    assert NOTES not in response.content.decode()


@pytest.mark.parametrize("page", ["me:session", "supervision:sign_off"])
@pytest.mark.parametrize("who", FORBIDDEN + ["supervisor"])
def test_everyone_else_cannot_sign_off_the_session(who, page, session, client_for, request):
    client = client_for(request.getfixturevalue(who))
    response = client.post(reverse(page, args=[session.pk]))
    # Another PSW is told it does not exist; on /me/ anyone else is sent to their own pages.
    expected = {302, 404} if page == "me:session" else {404}
    assert response.status_code in expected
    session.refresh_from_db()
    assert session.acknowledged_at is None


@pytest.mark.parametrize("who", FORBIDDEN)
def test_no_listing_or_export_shows_the_notes_to_anyone_else(
    who, session, other_arrangement, client_for, request
):
    client = client_for(request.getfixturevalue(who))
    for url in LISTINGS:
        response = client.get(url)
        content = body(response)
        for words in PRIVATE:
            assert words.encode() not in content, url


def test_the_manager_sees_that_the_session_happened_but_not_what_was_said(
    session, manager, client_for
):
    client = client_for(manager)
    listing = client.get("/admin/supervision_sessions/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert session.arrangement.supervisee.get_full_name() in text
    assert "4 May 2026" in text
    export = body(client.get("/admin/supervision_sessions/?export=csv")).decode()
    assert "2026-05-04" in export
    assert "Safeguarding concern" in export
    assert NOTES not in export


@pytest.mark.parametrize("who", ["psw", "supervisor", "service_lead", "other_psw"])
def test_the_managers_listings_are_refused_to_other_roles(who, session, client_for, request):
    viewer = request.getfixturevalue(who)
    client = client_for(viewer)
    for url in ["/admin/supervision_sessions/", "/admin/supervision_arrangements/"]:
        response = client.get(url)
        assert sent_home(response, viewer), url


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
@pytest.mark.parametrize("who", ["psw", "other_psw", "service_lead", "another_supervisor"])
def test_guessing_an_arrangements_id_in_the_manager_views_is_refused(
    who, view, session, client_for, request
):
    viewer = request.getfixturevalue(who)
    client = client_for(viewer)
    url = reverse(f"supervision_arrangements:{view}", args=[session.arrangement_id])
    response = client.get(url)
    assert refused(response, viewer)
    assert client.post(url, {"ends_on": "2026-05-31", "reason": "x"}).status_code in (403, 404)
    session.arrangement.refresh_from_db()
    assert session.arrangement.ends_on is None


@pytest.mark.parametrize("viewset", ["supervision_arrangements", "supervision_sessions"])
@pytest.mark.parametrize(
    "view", ["index", "index_results", "edit", "delete", "history", "history_results", "usage"]
)
def test_every_view_the_viewsets_build_is_scoped(viewset, view):
    args = [] if view.startswith("index") else [1]
    view_class = resolve(reverse(f"{viewset}:{view}", args=args)).func.view_class
    assert issubclass(view_class, (ScopedListingMixin, ScopedObjectMixin))


def test_a_scoped_object_view_answers_404_for_an_object_outside_the_scope(session, other_psw, rf):
    viewset = ArrangementViewSet()
    request = rf.get("/")
    request.user = other_psw
    view = viewset.history_view.view_class(**viewset.get_history_view_kwargs(), scope=viewset.scope)
    view.request, view.kwargs = request, {"pk": session.arrangement_id}
    with pytest.raises(Http404):
        view.get_object()
    request.user = session.arrangement.supervisee
    assert view.get_object() == session.arrangement


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
@pytest.mark.parametrize("who", ["other_psw", "service_lead", "another_supervisor", "manager"])
def test_no_session_view_of_the_viewset_shows_notes_or_lets_anyone_change_a_session(
    who, view, session, client_for, request
):
    viewer = request.getfixturevalue(who)
    client = client_for(viewer)
    url = reverse(f"supervision_sessions:{view}", args=[session.pk])
    response = client.get(url)
    assert refused(response, viewer)
    assert NOTES not in response.content.decode()
    assert client.post(url).status_code in (403, 404)
    session.refresh_from_db()
    assert session.notes == NOTES


def test_copy_and_inspect_views_are_off():
    for name in [
        "supervision_sessions:copy",
        "supervision_sessions:inspect",
        "supervision_arrangements:copy",
        "supervision_arrangements:inspect",
    ]:
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1])


def test_the_selectors_draw_the_lines_of_the_table(
    session, psw, supervisor, manager, service_lead, other_psw, another_supervisor, administrator
):
    def ids(queryset):
        return set(queryset.values_list("pk", flat=True))

    mine = {session.pk}
    for user in (psw, supervisor):
        assert ids(sessions_with_notes_visible_to(user)) == mine
        assert ids(safeguarding_flags_visible_to(user)) == mine
    for user in (manager, service_lead, other_psw, another_supervisor, administrator):
        assert ids(sessions_with_notes_visible_to(user)) == set()
    assert ids(sessions_visible_to(manager)) == mine
    assert ids(sessions_visible_to(service_lead)) == mine
    assert ids(safeguarding_flags_visible_to(manager)) == mine
    assert ids(safeguarding_flags_visible_to(service_lead)) == set()
    assert ids(sessions_visible_to(other_psw)) == set()
    assert ids(arrangements_visible_to(another_supervisor)) == set()


@pytest.mark.parametrize("who", FORBIDDEN)
def test_everyone_else_is_refused_the_correct_and_decline_pages(who, session, client_for, request):
    client = client_for(request.getfixturevalue(who))
    for name in ("supervision:correct", "supervision:decline", "supervision_workspace:decline"):
        url = reverse(name, args=[session.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"reason": "guessed"}).status_code == 404, name
    session.refresh_from_db()
    assert (session.declined_at, session.corrected_at) == (None, None)


@pytest.mark.parametrize("who", ["manager", "administrator"])
def test_the_audit_log_and_its_export_mask_the_view_and_the_decline_reason(
    who, session, client_for, request
):
    session.supervisee_view = VIEW + ", revised"
    session.decline_reason = DECLINED + ", revised"
    session.save()
    client = client_for(request.getfixturevalue(who))
    page = client.get("/admin/audit/").content.decode()
    export = body(client.get("/admin/audit/?export=csv")).decode()
    for words in (VIEW, DECLINED):
        assert words not in page
        assert words not in export
    assert "changed — not shown" in page


def test_the_psw_reads_their_view_and_the_decline_reason_on_their_session_not_in_history(
    session, psw, client_for
):
    session.decline_reason = DECLINED + ", revised"
    session.declined_at = timezone.now()
    session.save()
    page = client_for(psw).get(reverse("me:session", args=[session.pk])).content.decode()
    assert DECLINED + ", revised" in page and VIEW in page
    history = client_for(psw).get(reverse("me:changes")).content.decode()
    assert "declined your NHS supervision session of 4 May" in history
    for words in PRIVATE:
        assert words not in history
