from datetime import date

import pytest
from django.core.cache import cache

from tests import factories
from training import codes


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def safeguarding():
    return factories.module("Safeguarding", provider="both", renewal_months=36)


@pytest.fixture
def certificate(psw, safeguarding):
    """A verified NHS Safeguarding record of Jane Smith's, completed 12 March 2025."""
    psw.first_name, psw.last_name = "Jane", "Smith"
    psw.save()
    return factories.TrainingRecordFactory(
        person=psw,
        module=safeguarding,
        provider="nhs",
        completed_on=date(2025, 3, 12),
        status="verified",
        certificate_code=codes.new_code(),
    )
