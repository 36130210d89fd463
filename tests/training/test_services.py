from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests import factories
from training import services
from training.models import TrainingExemption, TrainingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def safeguarding():
    return factories.module("Safeguarding", provider="both", renewal_months=36)


@pytest.fixture
def sharing():
    return factories.module(
        "Sharing lived experience", provider="nhs", renewal_months=None, issues_certificate=False
    )


def record_own(psw, module, provider="nhs", completed_on=date(2026, 1, 31), **kwargs):
    return services.record_create(
        person=psw, module=module, provider=provider, completed_on=completed_on, by=psw, **kwargs
    )


def test_a_psws_own_completion_starts_pending_with_valid_until_computed(psw, safeguarding):
    record = record_own(psw, safeguarding)
    assert record.status == "pending"
    assert record.valid_until == date(2029, 1, 31)
    assert record.verified_by is None and record.certificate_code is None


def test_a_managers_entry_is_verified_at_once(psw, manager, safeguarding):
    record = services.record_create(
        person=psw,
        module=safeguarding,
        provider="employer",
        completed_on=date(2026, 1, 2),
        by=manager,
    )
    assert record.status == "verified"
    assert record.verified_by == manager and record.verified_at is not None
    assert len(record.certificate_code) == 12


def test_a_psw_cannot_record_for_another_psw(psw, other_psw, safeguarding):
    with pytest.raises(PermissionDenied):
        services.record_create(
            person=other_psw,
            module=safeguarding,
            provider="nhs",
            completed_on=date(2026, 1, 2),
            by=psw,
        )
    assert not TrainingRecord.objects.exists()


def test_the_provider_must_deliver_the_module(psw, sharing):
    with pytest.raises(ValidationError) as error:
        record_own(psw, sharing, provider="employer")
    assert "provider" in error.value.message_dict
    assert not TrainingRecord.objects.exists()


def test_the_same_completion_cannot_be_recorded_twice(psw, safeguarding):
    record_own(psw, safeguarding)
    with pytest.raises(ValidationError):
        record_own(psw, safeguarding)
    assert TrainingRecord.objects.count() == 1


def test_a_manager_verifies_a_pending_record_and_it_gets_a_certificate_code(
    psw, manager, safeguarding
):
    record = services.record_verify(record=record_own(psw, safeguarding), by=manager)
    record.refresh_from_db()
    assert record.status == "verified"
    assert record.verified_by == manager
    assert len(record.certificate_code) == 12


def test_a_module_without_certificates_gets_no_code_when_verified(psw, manager, sharing):
    record = services.record_verify(record=record_own(psw, sharing), by=manager)
    assert record.status == "verified" and record.certificate_code is None


@pytest.mark.parametrize("who", ["psw", "supervisor", "service_lead"])
def test_only_a_manager_may_verify(request, who, psw, safeguarding):
    record = record_own(psw, safeguarding)
    with pytest.raises(PermissionDenied):
        services.record_verify(record=record, by=request.getfixturevalue(who))
    record.refresh_from_db()
    assert record.status == "pending"


@pytest.mark.parametrize("who", ["psw", "supervisor", "service_lead"])
def test_only_a_manager_may_reject(request, who, psw, safeguarding):
    record = record_own(psw, safeguarding)
    with pytest.raises(PermissionDenied):
        services.record_reject(record=record, by=request.getfixturevalue(who), reason="No.")
    record.refresh_from_db()
    assert record.status == "pending"


def test_a_record_cannot_be_verified_twice(psw, manager, safeguarding):
    record = services.record_verify(record=record_own(psw, safeguarding), by=manager)
    code = record.certificate_code
    with pytest.raises(ValidationError):
        services.record_verify(record=record, by=manager)
    record.refresh_from_db()
    assert record.certificate_code == code


def test_a_rejected_record_cannot_be_verified(psw, manager, safeguarding):
    record = services.record_reject(
        record=record_own(psw, safeguarding), by=manager, reason="Wrong course."
    )
    with pytest.raises(ValidationError):
        services.record_verify(record=record, by=manager)
    record.refresh_from_db()
    assert record.status == "rejected"


@pytest.mark.parametrize("reason", ["", "   "])
def test_rejecting_needs_a_reason(psw, manager, safeguarding, reason):
    record = record_own(psw, safeguarding)
    with pytest.raises(ValidationError):
        services.record_reject(record=record, by=manager, reason=reason)
    record.refresh_from_db()
    assert record.status == "pending"


def test_rejecting_a_verified_record_revokes_it_and_keeps_the_code(psw, manager, safeguarding):
    record = services.record_verify(record=record_own(psw, safeguarding), by=manager)
    code = record.certificate_code
    services.record_reject(record=record, by=manager, reason="The course was not accredited.")
    record.refresh_from_db()
    assert record.status == "rejected"
    assert record.status_reason == "The course was not accredited."
    assert record.certificate_code == code


def test_a_rejected_record_cannot_be_rejected_again(psw, manager, safeguarding):
    record = services.record_reject(record=record_own(psw, safeguarding), by=manager, reason="x")
    with pytest.raises(ValidationError):
        services.record_reject(record=record, by=manager, reason="again")


def test_after_a_rejection_the_completion_can_be_recorded_again(psw, manager, safeguarding):
    services.record_reject(record=record_own(psw, safeguarding), by=manager, reason="Blurred.")
    assert record_own(psw, safeguarding).status == "pending"


def test_history_rows_name_the_acting_user(psw, manager, safeguarding):
    record = record_own(psw, safeguarding)
    assert record.history.first().history_user == psw
    services.record_verify(record=record, by=manager)
    assert record.history.first().history_user == manager
    assert record.history.first().status == "verified"
    services.record_reject(record=record, by=manager, reason="Revoked.", expected_status="verified")
    assert [h.status for h in record.history.all()] == ["rejected", "verified", "pending"]


def test_an_attendance_register_creates_verified_records_and_skips_existing(manager, safeguarding):
    attendees = [factories.psw() for _ in range(3)]
    services.record_create(
        person=attendees[0],
        module=safeguarding,
        provider="nhs",
        completed_on=date(2026, 3, 4),
        by=attendees[0],
    )
    result = services.attendance_register(
        module=safeguarding,
        provider="nhs",
        completed_on=date(2026, 3, 4),
        attendees=attendees,
        by=manager,
    )
    assert result.skipped == [attendees[0]]
    assert [r.person for r in result.created] == attendees[1:]
    for record in result.created:
        assert record.status == "verified"
        assert record.history.first().history_user == manager
    assert TrainingRecord.objects.count() == 3


def test_only_a_manager_may_take_an_attendance_register(psw, safeguarding):
    with pytest.raises(PermissionDenied):
        services.attendance_register(
            module=safeguarding,
            provider="nhs",
            completed_on=date(2026, 3, 4),
            attendees=[psw],
            by=psw,
        )
    assert not TrainingRecord.objects.exists()


def test_a_manager_grants_an_exemption_with_history(psw, manager, safeguarding):
    exemption = services.exemption_grant(
        person=psw,
        module=safeguarding,
        provider="",
        reason="On maternity leave",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 9, 30),
        by=manager,
    )
    assert exemption.provider is None and exemption.granted_by == manager
    assert exemption.history.first().history_user == manager


@pytest.mark.parametrize(
    ("by", "reason", "ends_on", "error"),
    [
        ("psw", "Leave", None, PermissionDenied),
        ("manager", " ", None, ValidationError),
        ("manager", "Leave", date(2025, 12, 31), ValidationError),
    ],
)
def test_exemption_refusals(request, psw, safeguarding, by, reason, ends_on, error):
    with pytest.raises(error):
        services.exemption_grant(
            person=psw,
            module=safeguarding,
            provider="nhs",
            reason=reason,
            starts_on=date(2026, 1, 1),
            ends_on=ends_on,
            by=request.getfixturevalue(by),
        )
    assert not TrainingExemption.objects.exists()
