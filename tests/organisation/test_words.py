import pytest

from organisation import words
from organisation.current import current_organisation
from organisation.models import OrganisationSettings
from supervision import rules as supervision_rules
from training import rules as training_rules


def test_every_status_the_rules_decide_has_a_word_and_an_icon():
    decided = set(training_rules.STATUSES) | set(supervision_rules.STATUSES)
    assert set(words.STATUS_WORDS) == decided
    assert set(words.STATUS_ICONS) == decided


def test_every_status_has_one_place_in_the_urgency_order_with_failures_first():
    decided = list(training_rules.STATUSES) + list(supervision_rules.STATUSES)
    assert sorted(words.STATUS_URGENCY) == sorted(decided)
    failing = [
        s
        for s in decided
        if not (training_rules.is_compliant(s) or supervision_rules.is_compliant(s))
    ]
    assert max(map(words.status_urgency, failing)) < words.status_urgency("due_by")


def test_due_by_is_said_with_its_date():
    from datetime import date

    assert words.status_word("due_by") == "Due by"
    assert words.status_phrase("due_by", date(2026, 12, 14)) == "Due by 14 December 2026"
    assert words.status_phrase("missing", date(2026, 12, 14)) == "Not recorded"


def test_statuses_read_as_people_say_them():
    assert words.status_word("missing") == "Not recorded"
    assert words.status_word("expiring") == "Expiring soon"
    assert words.status_word("pending") == "Waiting for verification"


@pytest.mark.django_db
def test_the_employers_side_is_called_by_the_organisations_short_name(reference_organisation):
    reference_organisation.short_name = "LM"
    reference_organisation.save()
    assert words.side_name("nhs") == "NHS"
    assert words.side_name("employer") == "LM"
    assert words.supervision_name("employer") == "LM supervision"
    assert words.requirement_name("Safeguarding", "employer") == "Safeguarding (LM)"
    assert words.module_provider_name("both") == "NHS and LM"


@pytest.mark.django_db
def test_without_a_short_name_the_full_name_is_used(reference_organisation):
    assert words.side_name("employer") == "Leeds Mind"
    assert words.side_choices() == [("nhs", "NHS"), ("employer", "Leeds Mind")]


@pytest.mark.django_db
def test_a_fresh_installation_names_no_real_organisation(reference_organisation):
    reference_organisation.delete()
    assert current_organisation().name == "Your organisation"
    assert OrganisationSettings().compliance_target == 95
