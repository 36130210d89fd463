from datetime import date

import pytest

from supervision.selectors import stream_statuses
from tests import factories

pytestmark = pytest.mark.django_db


def test_stream_statuses_report_both_streams(psw):
    arrangement = factories.ArrangementFactory(supervisee=psw, starts_on=date(2026, 1, 5))
    factories.SessionFactory(arrangement=arrangement, held_on=date(2026, 5, 4))
    nhs, employer = stream_statuses([psw], date(2026, 5, 26))[psw.pk]
    assert (nhs.stream, nhs.status, nhs.due_on) == ("nhs", "due_soon", date(2026, 6, 1))
    assert (employer.stream, employer.status) == ("employer", "no_arrangement")


def test_unconfirmed_sessions_do_not_count(psw):
    arrangement = factories.ArrangementFactory(supervisee=psw, starts_on=date(2026, 1, 5))
    factories.SessionFactory(
        arrangement=arrangement, held_on=date(2026, 5, 4), confirmed_at=None, confirmed_by=None
    )
    nhs, _ = stream_statuses([psw], date(2026, 5, 26))[psw.pk]
    assert nhs.status == "overdue"


def test_new_safeguarding_flags_are_for_managers_and_carry_no_notes(psw, manager, service_lead):
    from datetime import timedelta

    from django.utils import timezone

    from supervision.selectors import new_safeguarding_flags

    arrangement = factories.ArrangementFactory(supervisee=psw, starts_on=date(2026, 1, 5))
    flagged = factories.SessionFactory(arrangement=arrangement, safeguarding_concern=True)
    factories.SessionFactory(arrangement=arrangement, held_on=date(2026, 2, 10))
    since = timezone.now() - timedelta(hours=1)
    found = list(new_safeguarding_flags(manager, since))
    assert found == [flagged]
    assert "notes" in found[0].get_deferred_fields()
    assert list(new_safeguarding_flags(manager, timezone.now() + timedelta(hours=1))) == []
    assert list(new_safeguarding_flags(service_lead, since)) == []


def test_supervisee_statuses_list_only_current_streams_soonest_due_first(supervisor):
    from supervision.selectors import supervisee_statuses

    later, sooner, former = factories.psw(), factories.psw(), factories.psw()
    factories.ArrangementFactory(
        supervisee=later, supervisor=supervisor, starts_on=date(2026, 5, 1)
    )
    factories.ArrangementFactory(
        supervisee=sooner, supervisor=supervisor, starts_on=date(2026, 4, 1)
    )
    factories.ArrangementFactory(
        supervisee=former,
        supervisor=supervisor,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    rows = supervisee_statuses(supervisor, date(2026, 5, 26))
    assert [person for person, _ in rows] == [sooner, later]
    assert [status.status for _, status in rows] == ["overdue", "due_soon"]
