"""Verify and reject at the same moment: a reject names the state it expected, and a
record verified meanwhile is never revoked by it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories
from tests.security.test_races import at_once, concurrent
from training import services
from training.models import TrainingRecord


@pytest.fixture
def safeguarding():
    return factories.module(title="Safeguarding", issues_certificate=True)


def pending(psw, module):
    return services.record_create(
        person=psw, module=module, provider="nhs", completed_on=date(2026, 1, 5), by=psw
    )


def revoked(record):
    return record.history.filter(history_change_reason__startswith="Revoked").exists()


@pytest.mark.django_db
def test_a_reject_meant_for_a_pending_record_does_not_revoke_one_verified_meanwhile(
    psw, safeguarding
):
    record = pending(psw, safeguarding)
    verifier = factories.manager(username="m.quick", first_name="Quinn", last_name="Quick")
    rejecter = factories.manager(username="m.slow")
    services.record_verify(record=TrainingRecord.objects.get(pk=record.pk), by=verifier)

    with pytest.raises(ValidationError) as refused:
        services.record_reject(
            record=record, by=rejecter, reason="Blurred.", expected_status="pending"
        )

    assert "This record was verified by Quinn Quick a moment ago" in refused.value.messages[0]
    assert "nothing was changed" in refused.value.messages[0]
    record.refresh_from_db()
    assert record.status == "verified" and not revoked(record)


@pytest.mark.django_db
def test_the_manager_on_the_reject_page_is_told_who_verified_it(client_for, psw, safeguarding):
    record = pending(psw, safeguarding)
    client = client_for(factories.manager(username="m.slow"))
    url = reverse("training_admin:reject", args=[record.pk])
    page = client.get(url)
    assert page.context["form"].initial["expected_status"] == "pending"
    services.record_verify(
        record=record, by=factories.manager(first_name="Quinn", last_name="Quick")
    )

    response = client.post(url, {"reason": "Blurred.", "expected_status": "pending"})

    assert response.status_code == 200
    assert b"verified by Quinn Quick a moment ago" in response.content
    record.refresh_from_db()
    assert record.status == "verified" and not revoked(record)


@pytest.mark.django_db
def test_a_manager_who_saw_it_verified_can_still_revoke_it(psw, safeguarding, manager):
    record = services.record_verify(record=pending(psw, safeguarding), by=manager)
    services.record_reject(
        record=record, by=manager, reason="Not accredited.", expected_status="verified"
    )
    assert revoked(record)


@concurrent
def test_verify_and_reject_at_the_same_moment_never_revoke_silently(safeguarding):
    psw = factories.psw(username="psw.race")
    verifier, rejecter = factories.manager(username="m.one"), factories.manager(username="m.two")
    for _ in range(5):
        record = pending(psw, safeguarding)
        outcomes = at_once(
            lambda record=record: services.record_verify(record=record, by=verifier),
            lambda record=record: services.record_reject(
                record=record, by=rejecter, reason="Blurred.", expected_status="pending"
            ),
        )
        assert sorted(type(o).__name__ for o in outcomes) == ["TrainingRecord", "ValidationError"]
        record.refresh_from_db()
        assert not revoked(record)
        refusal = next(o for o in outcomes if isinstance(o, ValidationError))
        assert "a moment ago" in refusal.messages[0]
        record.status = "rejected"
        record.save()
