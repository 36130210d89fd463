from datetime import date

import pytest

from organisation.words import Side
from portal.demo import seed_people
from training import rules
from training.demo import seed_training
from training.models import TrainingExemption, TrainingModulePage, TrainingRecord
from training.selectors import requirement_statuses

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


@pytest.fixture
def people():
    return seed_people(password="demo-password-1", today=TODAY)


def counts():
    return (
        TrainingModulePage.objects.count(),
        TrainingRecord.objects.count(),
        TrainingExemption.objects.count(),
        TrainingRecord.history.count(),
    )


def test_seed_training_creates_the_seven_modules_with_content(people):
    seed_training(people=people, today=TODAY)
    modules = {m.title: m for m in TrainingModulePage.objects.live()}
    assert len(modules) == 7
    assert modules["Safeguarding"].provider == "both"
    assert modules["Data protection"].renewal_months == 12
    assert modules["Sharing lived experience in clinical settings"].renewal_months is None
    speech = modules["Speech and language"]
    assert [s.name for s in speech.services.all()] == ["Rehabilitation and Recovery Centre"]
    for module in modules.values():
        kinds = [block.block_type for block in module.body]
        assert "text" in kinds and "learning_outcomes" in kinds


def test_seed_training_is_idempotent(people):
    seed_training(people=people, today=TODAY)
    before = counts()
    seed_training(people=people, today=TODAY)
    assert counts() == before


def test_seed_training_shows_every_status_among_the_psws(people):
    seed_training(people=people, today=TODAY)
    psws = [people[f"psw{n}"] for n in range(1, 6)]
    statuses = requirement_statuses(psws, TODAY)
    seen = {s.status for person in psws for s in statuses[person.pk]}
    assert seen == set(rules.STATUSES)
    psw1 = {(s.module_title, s.provider): s.status for s in statuses[people["psw1"].pk]}
    assert list(psw1.values()).count("expiring") == 1
    assert "pending" in psw1.values()
    assert "expired" not in psw1.values() and "missing" not in psw1.values()


def test_seeded_verified_records_have_certificates_where_the_module_issues_them(people):
    seed_training(people=people, today=TODAY)
    verified = TrainingRecord.objects.filter(status="verified").select_related("module")
    for record in verified:
        assert bool(record.certificate_code) == record.module.issues_certificate
        assert record.verified_by == people["manager"]
    assert (
        TrainingRecord.objects.filter(status="rejected").exclude(certificate_code=None).count() == 0
    )
    assert TrainingRecord.objects.filter(status="pending").exclude(evidence="").exists()


def test_the_demo_data_protection_module_has_a_knowledge_check_of_five_of_six_questions(people):
    seed_training(people=people, today=TODAY)
    module = TrainingModulePage.objects.get(slug="data-protection")
    bank = module.check_question_bank()
    assert len(bank) == 6 and module.check_question_count == 5
    assert {question["kind"] for question in bank} == {"single", "multiple"}
    assert all(question["correct"] and question["feedback"] for question in bank)
    assert module.check_provider == Side.EMPLOYER
