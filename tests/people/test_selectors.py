from datetime import date

import pytest

from people.selectors import Sees, people_visible_to
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def visible(user, sees=Sees.STATUS):
    return set(people_visible_to(user, sees, today=TODAY))


def test_psw_sees_only_themself(psw, other_psw):
    assert visible(psw) == {psw}
    assert visible(psw, Sees.EVIDENCE) == {psw}


def test_manager_sees_everyone(manager, psw, other_psw):
    assert {psw, other_psw} <= visible(manager)
    assert {psw, other_psw} <= visible(manager, Sees.EVIDENCE)


def test_supervisor_sees_current_supervisees_but_not_their_evidence(supervisor, psw, other_psw):
    factories.ArrangementFactory(supervisee=psw, supervisor=supervisor, starts_on=date(2026, 1, 1))
    factories.ArrangementFactory(
        supervisee=other_psw,
        supervisor=supervisor,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    assert visible(supervisor) == {supervisor, psw}
    assert visible(supervisor, Sees.CERTIFICATES) == {supervisor, psw}
    assert visible(supervisor, Sees.EVIDENCE) == {supervisor}


def test_service_lead_sees_psws_of_their_service_only(service_lead, psw, other_psw):
    assert visible(service_lead) == {service_lead, psw}
    assert visible(service_lead, Sees.CERTIFICATES) == {service_lead}
    assert visible(service_lead, Sees.EVIDENCE) == {service_lead}


def test_inactive_and_anonymous_users_see_nobody(psw):
    from django.contrib.auth.models import AnonymousUser

    psw.is_active = False
    psw.save()
    assert visible(psw) == set()
    assert set(people_visible_to(AnonymousUser())) == set()
