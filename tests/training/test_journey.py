"""The issue's "done when": a PSW records a completion with a PDF certificate and sees
it pending; a manager verifies it; the PSW sees it valid with its expiry date."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from training import rules
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db


def test_a_psw_records_a_completion_and_a_manager_verifies_it(client, psw, manager):
    module = factories.module(
        "Trauma-informed practice", provider="nhs", renewal_months=36, evidence_required=True
    )
    today = timezone.localdate()
    client.force_login(psw)

    page = client.get(module.url)
    assert page.status_code == 200
    assert b"Record my completion" in page.content
    assert b"status-missing" in page.content

    response = client.post(
        reverse("training:record", args=[module.pk]),
        {"provider": "nhs", "completed_on": today.isoformat(), "evidence": factories.upload()},
        follow=True,
    )
    assert b"waiting for a manager to verify it" in response.content
    record = TrainingRecord.objects.get()
    assert record.status == "pending" and record.person == psw
    assert record.evidence.name.endswith(".pdf")
    assert b"status-pending" in client.get(reverse("me:training")).content

    client.force_login(manager)
    queue = client.get(reverse("training_admin:pending"))
    assert str(psw).encode() in queue.content
    assert client.get(reverse("training:evidence", args=[record.pk])).status_code == 200
    verify_url = reverse("training_admin:verify", args=[record.pk])
    assert client.get(verify_url).status_code == 200
    client.post(verify_url, {"reason": ""})
    record.refresh_from_db()
    assert record.status == "verified" and record.verified_by == manager

    client.force_login(psw)
    mine = client.get(reverse("me:today"))
    assert record.valid_until == rules.valid_until(today, 36)
    assert b"status-valid" in mine.content
    assert record.valid_until.strftime("%-d %b %Y").encode() in mine.content
    assert record.history.first().history_user == manager
    assert record.history.last().history_user == psw
