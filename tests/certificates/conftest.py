import io
from datetime import date

import pytest
from django.core.cache import cache
from pypdf import PdfReader

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


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content
