import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from compliance import views
from compliance.exports import LONG_HEADINGS
from people import roles
from people.models import User
from portal.doors import landing_url
from tests import factories

from .history import recorded_since_long_ago, save_at

pytestmark = pytest.mark.django_db

MATRIX = reverse("compliance_admin:matrix")
HOME = reverse("wagtailadmin_home")


def person_url(person):
    return reverse("compliance_admin:person", args=[person.pk])


@pytest.fixture
def organisation(psw, other_psw, service_lead, supervisor):
    """Two PSWs in two services, one module, one supervision arrangement."""
    safeguarding = factories.module("Safeguarding", provider="both", renewal_months=36)
    factories.TrainingRecordFactory(
        person=psw,
        module=safeguarding,
        provider="nhs",
        completed_on=timezone.localdate() - timedelta(days=30),
        notes="Secret training note",
    )
    arrangement = factories.ArrangementFactory(
        supervisee=psw, supervisor=supervisor, starts_on=timezone.localdate() - timedelta(days=60)
    )
    factories.SessionFactory(
        arrangement=arrangement,
        held_on=timezone.localdate() - timedelta(days=10),
        notes="Private words between us",
        safeguarding_concern=True,
    )
    return safeguarding


def links_to(response, person):
    return person_url(person) in response.content.decode()


# The matrix -------------------------------------------------------------------------


def test_a_manager_sees_every_psw_in_the_matrix(client_for, manager, psw, other_psw, organisation):
    response = client_for(manager).get(MATRIX)
    assert response.status_code == 200
    assert links_to(response, psw) and links_to(response, other_psw)
    page = response.content.decode()
    assert "Safeguarding (NHS)" in page and "Leeds Mind supervision" in page
    assert 'class="cstatus cstatus-valid">Valid</span>' in page
    assert 'class="cstatus cstatus-missing">Not recorded</span>' in page


@pytest.mark.parametrize("role", ["psw", "supervisor", "service_lead"])
def test_psws_and_supervisors_are_refused_the_matrix(client_for, request, role, organisation):
    user = request.getfixturevalue(role)
    for url in (MATRIX, MATRIX + "?export=long-csv", reverse("compliance_admin:summary")):
        response = client_for(user).get(url)
        assert response.status_code == 302
        assert response["Location"] == landing_url(user)  # their own page, not the matrix


def test_the_matrix_filters_by_service(client_for, manager, psw, other_psw, organisation):
    response = client_for(manager).get(MATRIX, {"service": psw.service_id})
    assert links_to(response, psw) and not links_to(response, other_psw)


def test_the_matrix_filters_by_status_in_one_requirement(
    client_for, manager, psw, other_psw, organisation
):
    item = f"m-{organisation.pk}-nhs"
    response = client_for(manager).get(MATRIX, {"item": item, "status": "missing"})
    assert links_to(response, other_psw) and not links_to(response, psw)
    page = response.content.decode()
    assert '<th scope="col">Safeguarding (NHS)</th>' in page
    assert '<th scope="col">Safeguarding (Leeds Mind)</th>' not in page


def test_the_matrix_filters_by_status_in_any_column(
    client_for, manager, psw, other_psw, organisation
):
    response = client_for(manager).get(MATRIX, {"status": "on_track"})
    assert links_to(response, psw) and not links_to(response, other_psw)


def test_a_future_as_of_day_is_refused_next_to_the_field(client_for, manager, organisation):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(manager).get(MATRIX, {"as_of": tomorrow.isoformat()})
    assert response.status_code == 200
    assert "Choose today or a day in the past." in response.content.decode()


def test_the_matrix_as_of_a_past_day_shows_what_was_recorded_then(
    client_for, manager, psw, other_psw, organisation
):
    last_month = timezone.localdate() - timedelta(days=31)
    recorded_since_long_ago(psw, other_psw)
    response = client_for(manager).get(MATRIX, {"as_of": last_month.isoformat()})
    page = response.content.decode()
    assert "As recorded at the end of" in page
    assert links_to(response, psw)
    # The record was entered today, so a month ago nothing had been recorded.
    assert 'cstatus-valid">Valid' not in page


def test_the_matrix_paginates(client_for, manager, psw, other_psw, organisation, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 1)
    client = client_for(manager)
    first, second = client.get(MATRIX), client.get(MATRIX, {"page": 2})
    assert "Page 1 of 2" in first.content.decode()
    assert links_to(first, psw) != links_to(second, psw)


def test_the_matrix_sorts_by_service(client_for, manager, organisation):
    in_a = factories.psw(first_name="Zed", service=factories.ServiceFactory(name="A service"))
    in_b = factories.psw(first_name="Abe", service=factories.ServiceFactory(name="B service"))
    page = client_for(manager).get(MATRIX, {"sort": "service"}).content.decode()
    assert page.index(person_url(in_a)) < page.index(person_url(in_b))
    page = client_for(manager).get(MATRIX, {"sort": "name"}).content.decode()
    assert page.index(person_url(in_b)) < page.index(person_url(in_a))


def make_people(count, module):
    for _ in range(count):
        person = factories.psw()
        factories.TrainingRecordFactory(person=person, module=module)
        factories.SessionFactory(arrangement__supervisee=person)


LAST_MONTH = (date.today() - timedelta(days=30)).isoformat()
QUERIES = [{}, {"status": "missing"}, {"as_of": LAST_MONTH}, {"export": "long-csv"}]


def test_matrix_and_export_query_counts_do_not_grow_with_people(client_for, manager):
    module = factories.module("Data protection", provider="both", renewal_months=12)
    client = client_for(manager)
    make_people(10, module)
    recorded_since_long_ago(*User.objects.all())
    for query in QUERIES:  # warm the session, and create the site's settings
        client.get(MATRIX, query)
    counts = {}
    for query in QUERIES:
        with CaptureQueriesContext(connection) as few:
            response = client.get(MATRIX, query)
            assert response.status_code == 200 and body(response)
        counts[str(query)] = len(few.captured_queries)
    make_people(90, module)
    recorded_since_long_ago(*User.objects.all())
    for query in QUERIES:
        with CaptureQueriesContext(connection) as many:
            response = client.get(MATRIX, query)
            assert response.status_code == 200 and body(response)
        assert len(many.captured_queries) == counts[str(query)], query


@pytest.mark.parametrize("export", ["long-csv", "matrix-csv"])
def test_an_export_asks_the_same_queries_for_each_chunk_however_many_people_in_it(
    client_for, manager, monkeypatch, export
):
    """A chunk of people costs a fixed number of queries: two chunks of 5 people ask as
    many as two chunks of 15, and a third chunk adds the same again."""
    module = factories.module("Data protection", provider="both", renewal_months=12)
    client = client_for(manager)
    make_people(10, module)
    body(client.get(MATRIX, {"export": export}))  # warm the session and the site's settings

    def queries(chunk):
        monkeypatch.setattr(views, "EXPORT_CHUNK", chunk)
        with CaptureQueriesContext(connection) as captured:
            rows = rows_of(client.get(MATRIX, {"export": export}))
        return len(captured.captured_queries), len(rows)

    two_small, people = queries(5)
    make_people(20, module)
    two_large, more_people = queries(15)
    three_large, _ = queries(10)
    assert more_people > people
    assert two_large == two_small
    assert 0 < three_large - two_large <= 8


# Exports ----------------------------------------------------------------------------


def body(response):
    """The whole response: exports stream, pages do not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def about_and_rows_of(response):
    """A download's header lines (label, value) and its table, split at the blank line."""
    lines = list(csv.reader(io.StringIO(body(response).decode())))
    blank = lines.index([])
    return dict(lines[:blank]), lines[blank + 1 :]


def rows_of(response):
    return about_and_rows_of(response)[1]


def table_sheet(response):
    workbook = load_workbook(io.BytesIO(body(response)))
    assert workbook.sheetnames[0] == "About"
    return workbook, workbook.worksheets[-1]


def test_the_long_export_has_the_report_columns_and_values(
    client_for, manager, psw, other_psw, organisation
):
    response = client_for(manager).get(MATRIX, {"export": "long-csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == LONG_HEADINGS
    mine = [r for r in rows[1:] if r[0] == psw.username]
    nhs = [r for r in mine if r[4] == "Safeguarding" and r[5] == "NHS"][0]
    completed = timezone.localdate() - timedelta(days=30)
    assert nhs[3:] == [
        "Training",
        "Safeguarding",
        "NHS",
        "Valid",
        completed.isoformat(),
        completed.replace(year=completed.year + 3).isoformat(),
    ]
    assert [r[4] for r in mine if r[3] == "Supervision"] == [
        "NHS supervision",
        "Leeds Mind supervision",
    ]


def test_the_matrix_export_has_a_status_and_date_for_each_item(
    client_for, manager, psw, organisation
):
    rows = rows_of(client_for(manager).get(MATRIX, {"export": "matrix-csv"}))
    assert rows[0] == [
        "Username",
        "Name",
        "Service",
        "Safeguarding (NHS)",
        "Safeguarding (NHS) due on",
        "Safeguarding (Leeds Mind)",
        "Safeguarding (Leeds Mind) due on",
        "NHS supervision",
        "NHS supervision due on",
        "Leeds Mind supervision",
        "Leeds Mind supervision due on",
    ]
    mine = [r for r in rows if r[0] == psw.username][0]
    assert mine[3] == "Valid" and mine[5] == "Not recorded" and mine[7] == "On track"


@pytest.mark.parametrize("export", ["matrix-xlsx", "long-xlsx"])
def test_xlsx_exports_open_as_workbooks(client_for, manager, psw, organisation, export):
    response = client_for(manager).get(MATRIX, {"export": export})
    workbook, sheet = table_sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Username", "Name", "Service")
    assert psw.username in {r[0] for r in rows[1:]}
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{len(rows)}"
    dates = [cell for row in rows[1:] for cell in row if isinstance(cell, datetime)]
    assert dates, "dates are date cells, not text"


def test_a_download_says_what_it_covers(client_for, manager, psw, organisation):
    query = {"export": "matrix-csv", "service": psw.service_id, "status": "missing"}
    about, _ = about_and_rows_of(client_for(manager).get(MATRIX, query))
    assert about["File"] == "Compliance matrix"
    assert about["Organisation"] == "Leeds Mind"
    assert about["Filter"] == "Service: CMHT 2, Status: Not recorded"
    assert about["Statuses on"] == f"{timezone.localdate():%-d %B %Y}"
    assert about["Made"].endswith(f"by {manager.get_full_name()}")


def test_a_download_of_the_past_says_as_recorded(client_for, manager, psw, organisation):
    day = timezone.localdate() - timedelta(days=3)
    query = {"export": "long-xlsx", "as_of": day.isoformat()}
    workbook, _ = table_sheet(client_for(manager).get(MATRIX, query))
    about = dict(workbook["About"].iter_rows(values_only=True))
    assert about["As recorded at the end of"] == f"{day:%-d %B %Y}"
    assert about["Filter"] == "Everyone you may see"


def test_exports_escape_names_that_look_like_formulas(client_for, manager, organisation):
    factories.psw(username="sly", first_name="=HYPERLINK(1)", last_name="x")
    for export in ("long-csv", "matrix-csv"):
        rows = rows_of(client_for(manager).get(MATRIX, {"export": export}))
        assert [r[1] for r in rows if r[0] == "sly"][0] == "'=HYPERLINK(1) x"
    response = client_for(manager).get(MATRIX, {"export": "long-xlsx"})
    rows = table_sheet(response)[1].iter_rows(values_only=True)
    assert [r[1] for r in rows if r[0] == "sly"][0] == "'=HYPERLINK(1) x"


def test_exports_honour_the_filters(client_for, manager, psw, other_psw, organisation):
    query = {"export": "long-csv", "service": other_psw.service_id}
    rows = rows_of(client_for(manager).get(MATRIX, query))
    assert {r[0] for r in rows[1:]} == {other_psw.username}


# A person's page --------------------------------------------------------------------


# A PSW and a supervisor read a person on the site (portal/doors.py `person_page`).
@pytest.mark.parametrize(
    ("viewer", "target", "answer"),
    [
        ("manager", "psw", 200),
        ("manager", "other_psw", 200),
        ("supervisor", "psw", "/supervising/training/#person-{pk}"),
        ("supervisor", "other_psw", 404),
        ("psw", "psw", "/me/training/"),
        ("psw", "other_psw", 404),
        ("other_psw", "psw", 404),
    ],
)
def test_a_person_page_is_shown_only_within_the_viewers_scope(
    client_for, request, organisation, viewer, target, answer
):
    viewer, target = request.getfixturevalue(viewer), request.getfixturevalue(target)
    response = client_for(viewer).get(person_url(target))
    if isinstance(answer, int):
        assert response.status_code == answer
    else:
        assert response["Location"] == answer.format(pk=target.pk)


def test_a_person_page_never_shows_session_or_training_notes(
    client_for, manager, supervisor, psw, organisation
):
    for viewer in (manager, supervisor, psw):
        response = client_for(viewer).get(person_url(psw), follow=True)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Private words between us" not in page
        assert "Secret training note" not in page
    assert "<td>Flagged</td>" in client_for(manager).get(person_url(psw)).content.decode()


def test_a_manager_gets_evidence_links_on_the_person_page(client_for, manager, psw, organisation):
    record = psw.training_records.get()
    save_at(record, timezone.now(), evidence="evidence/certificate.pdf")
    page = client_for(manager).get(person_url(psw)).content.decode()
    assert f"/evidence/{record.pk}/" in page


def test_a_manager_has_no_person_page_for_a_non_psw(client_for, manager, supervisor):
    assert client_for(manager).get(person_url(supervisor)).status_code == 404


# Summary, trends and dashboards -----------------------------------------------------


def test_the_summary_highlights_what_falls_below_target(
    client_for, manager, psw, other_psw, organisation
):
    page = client_for(manager).get(reverse("compliance_admin:summary")).content.decode()
    assert "Target: 95% compliant" in page
    assert '<span class="below-target">50%</span>' in page  # Safeguarding (NHS): 1 of 2


def test_the_summary_as_of_a_past_day(client_for, manager, psw, organisation):
    recorded_since_long_ago(psw)
    day = (date.today() - timedelta(days=40)).isoformat()
    page = client_for(manager).get(reverse("compliance_admin:summary"), {"as_of": day})
    assert "As recorded at the end of" in page.content.decode()


def test_trends_show_an_accessible_chart_with_its_table(client_for, manager, psw, organisation):
    page = client_for(manager).get(reverse("compliance_admin:trends")).content.decode()
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    assert page.count("<tr>") >= 13  # header and twelve months


def test_a_psw_who_also_manages_sees_their_own_record_on_the_dashboard(
    client_for, psw, organisation
):
    psw.groups.add(Group.objects.get(name=roles.MANAGER))
    page = client_for(psw).get(HOME).content.decode()
    assert "Your training and supervision" in page
    assert person_url(psw) in page


def test_a_psw_opening_the_dashboard_is_sent_to_their_own_page(client_for, psw, organisation):
    assert client_for(psw).get(HOME)["Location"] == reverse("me:today")


def test_a_supervisor_who_also_manages_sees_their_supervisees_on_the_dashboard(
    client_for, supervisor, psw, other_psw, organisation
):
    supervisor.groups.add(Group.objects.get(name=roles.MANAGER))
    page = client_for(supervisor).get(HOME).content.decode()
    assert "People you supervise" in page
    assert person_url(psw) in page


def test_the_manager_dashboard_summarises_the_organisation(client_for, manager, psw, organisation):
    factories.TrainingRecordFactory(
        person=psw, module=organisation, provider="employer", status="pending"
    )
    page = client_for(manager).get(HOME).content.decode()
    assert "Organisation compliance" in page
    pending = reverse("training_admin:pending")
    assert (
        f'Completions waiting for verification: <a href="{pending}"><strong>1</strong></a>' in page
    )
    assert person_url(psw) in page  # the safeguarding flag names the person


def test_a_manager_filters_to_a_service_exports_it_and_looks_back_a_month(
    client_for, manager, psw, other_psw, organisation
):
    client = client_for(manager)
    filters = {"service": psw.service_id}
    assert links_to(client.get(MATRIX, filters), psw)
    response = client.get(MATRIX, {**filters, "export": "matrix-xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = list(table_sheet(response)[1].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [psw.username]
    recorded_since_long_ago(psw, other_psw)
    last_month = (timezone.localdate() - timedelta(days=31)).isoformat()
    response = client.get(MATRIX, {**filters, "as_of": last_month})
    page = response.content.decode()
    assert links_to(response, psw) and not links_to(response, other_psw)
    assert "As recorded at the end of" in page and 'cstatus-valid">Valid' not in page
    response = client.get(MATRIX, {**filters, "as_of": last_month, "export": "long-csv"})
    assert f"as-recorded-{last_month}" in response["Content-Disposition"]
    assert {r[6] for r in rows_of(response)[1:]} == {"Not recorded", "No arrangement"}
