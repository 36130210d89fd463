"""Issue 7's story: who verified this, what did it say before, and why it changed."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from tests import factories
from training import services
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(psw, manager):
    module = factories.module("Safeguarding", provider="nhs", renewal_months=36)
    record = services.record_create(
        person=psw, module=module, provider="nhs", completed_on=date(2025, 3, 12), by=psw
    )
    return services.record_verify(record=record, by=manager, reason="Certificate checked")


def history_url(record):
    content_type = ContentType.objects.get_for_model(TrainingRecord)
    return f"/admin/audit/record/{content_type.pk}/{record.pk}/"


def test_each_step_says_what_happened_in_words(verified):
    reasons = list(
        verified.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["Recorded, waiting for verification", "Verified: Certificate checked"]


def test_manager_corrects_the_date_with_a_reason_and_sees_the_change(
    client_for, manager, psw, verified
):
    client = client_for(manager)
    page = client.get(f"/admin/training/records/{verified.pk}/correct/")
    assert page.status_code == 200
    response = client.post(
        f"/admin/training/records/{verified.pk}/correct/",
        {"completed_on": "2024-11-02", "reason": "Certificate shows 2 November"},
    )
    assert response.status_code == 302
    verified.refresh_from_db()
    assert verified.completed_on == date(2024, 11, 2)
    assert verified.valid_until == date(2027, 11, 2)
    content = client.get(history_url(verified)).content.decode()
    assert "Date corrected: Certificate shows 2 November" in content
    assert "12 March 2025 → 2 November 2024" in content
    assert "Verified: Certificate checked" in content
    assert "Recorded, waiting for verification" in content
    log = client.get(f"/admin/audit/?person={psw.pk}").content.decode()
    assert "Date corrected: Certificate shows 2 November" in log
    own = client_for(psw).get("/me/changes/").content.decode()
    assert "Date corrected: Certificate shows 2 November" in own


def test_a_correction_without_a_reason_changes_nothing(client_for, manager, verified):
    response = client_for(manager).post(
        f"/admin/training/records/{verified.pk}/correct/", {"completed_on": "2024-11-02"}
    )
    assert response.status_code == 200
    verified.refresh_from_db()
    assert verified.completed_on == date(2025, 3, 12)


def test_a_correction_into_the_future_is_refused(client_for, manager, verified):
    response = client_for(manager).post(
        f"/admin/training/records/{verified.pk}/correct/",
        {"completed_on": "2999-01-01", "reason": "typo"},
    )
    assert "cannot be in the future" in response.content.decode()
    verified.refresh_from_db()
    assert verified.completed_on == date(2025, 3, 12)


def test_only_managers_may_correct(client_for, psw, verified):
    response = client_for(psw).get(f"/admin/training/records/{verified.pk}/correct/")
    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_revoking_says_revoked(manager, verified):
    services.record_reject(record=verified, by=manager, reason="Course was not accredited")
    assert verified.history.first().history_change_reason == ("Revoked: Course was not accredited")
