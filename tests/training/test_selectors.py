from datetime import date

import pytest

from tests import factories
from training.selectors import requirement_statuses

pytestmark = pytest.mark.django_db


def test_statuses_cover_both_providers_of_a_both_module(psw):
    safeguarding = factories.module("Safeguarding", provider="both", renewal_months=36)
    factories.TrainingRecordFactory(
        person=psw, module=safeguarding, provider="nhs", completed_on=date(2025, 1, 31)
    )
    statuses = requirement_statuses([psw], date(2026, 6, 1))[psw.pk]
    by_provider = {s.provider: s for s in statuses}
    assert by_provider["nhs"].status == "valid"
    assert by_provider["nhs"].valid_until == date(2028, 1, 31)
    assert by_provider["employer"].status == "missing"


def test_loader_query_count_does_not_grow_with_people(django_assert_num_queries):
    factories.module("Data protection", provider="both", renewal_months=12)
    few = [factories.psw() for _ in range(2)]
    many = few + [factories.psw() for _ in range(8)]
    with django_assert_num_queries(5):
        requirement_statuses(few, date(2026, 6, 1))
    with django_assert_num_queries(5):
        requirement_statuses(many, date(2026, 6, 1))
