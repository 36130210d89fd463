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
