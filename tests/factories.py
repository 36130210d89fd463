"""Factories shared by every test folder: people with roles, modules, records, sessions."""

from datetime import date

import factory
from django.contrib.auth.models import Group

from people import roles
from people.models import Service, User
from supervision.models import SupervisionArrangement, SupervisionSession
from training.models import TrainingExemption, TrainingIndexPage, TrainingModulePage, TrainingRecord

PASSWORD = "correct-horse-battery"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"CMHT {n + 10}")
    kind = Service.Kind.CMHT
    trust = "Test NHS Trust"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    started_on = date(2020, 1, 1)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))


def psw(**fields):
    fields.setdefault("service", ServiceFactory())
    return UserFactory(role=roles.PSW, **fields)


def supervisor(**fields):
    """A supervisor who belongs to the NHS unless `side` says otherwise."""
    fields.setdefault("side", "nhs")
    return UserFactory(role=roles.SUPERVISOR, **fields)


def manager(**fields):
    return UserFactory(role=roles.MANAGER, **fields)


def service_lead(**fields):
    fields.setdefault("service", ServiceFactory())
    return UserFactory(role=roles.SERVICE_LEAD, **fields)


def administrator(**fields):
    return UserFactory(is_superuser=True, is_staff=True, **fields)


def module(title="Safeguarding", provider="both", renewal_months=36, services=(), **fields):
    """A published TrainingModulePage under the catalogue."""
    index = TrainingIndexPage.objects.get()
    page = TrainingModulePage(
        title=title,
        summary=f"What {title.lower()} means for peer support.",
        provider=provider,
        renewal_months=renewal_months,
        **fields,
    )
    index.add_child(instance=page)
    if services:
        page.services.set(services)
        page.save()
    return page


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    person = factory.LazyFunction(psw)
    module = factory.LazyFunction(module)
    provider = "nhs"
    completed_on = date(2025, 3, 12)
    status = TrainingRecord.Status.VERIFIED
    created_by = factory.SelfAttribute("person")


class TrainingExemptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingExemption

    person = factory.LazyFunction(psw)
    module = factory.LazyFunction(module)
    reason = "On long-term leave"
    starts_on = date(2025, 1, 1)


class ArrangementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionArrangement

    supervisee = factory.LazyFunction(psw)
    stream = "nhs"
    supervisor = factory.LazyFunction(supervisor)
    interval_weeks = 4
    starts_on = date(2025, 1, 6)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionSession

    arrangement = factory.SubFactory(ArrangementFactory)
    held_on = date(2025, 2, 3)
    duration_minutes = 60
    notes = "Talked about boundaries with a new person on the caseload."
    actions = "Book reflective practice."
    logged_by = factory.SelfAttribute("arrangement.supervisor")
    confirmed_by = factory.SelfAttribute("arrangement.supervisor")
    confirmed_at = factory.Faker("date_time", tzinfo=__import__("datetime").UTC)


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(name="certificate.pdf", content=PDF_BYTES, content_type="application/pdf"):
    """An uploaded file as a browser would send it (name and type as the user chose)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def check_questions(count=5):
    """A question bank of `count`: single choice, multiple choice and true/false in turn."""
    kinds = [
        lambda n: {
            "type": "single_choice",
            "value": {
                "question": f"Question {n}: which one?",
                "answers": [
                    {"text": f"Right {n}", "correct": True},
                    {"text": f"Wrong {n}", "correct": False},
                    {"text": f"Also wrong {n}", "correct": False},
                ],
                "feedback": f"Feedback {n}: the right one is Right {n}.",
            },
        },
        lambda n: {
            "type": "multiple_choice",
            "value": {
                "question": f"Question {n}: which ones?",
                "answers": [
                    {"text": f"First right {n}", "correct": True},
                    {"text": f"Wrong {n}", "correct": False},
                    {"text": f"Second right {n}", "correct": True},
                ],
                "feedback": f"Feedback {n}: two are right.",
            },
        },
        lambda n: {
            "type": "true_false",
            "value": {
                "statement": f"Question {n}: this is true.",
                "answer": "true",
                "feedback": f"Feedback {n}: it is true.",
            },
        },
    ]
    return [kinds[n % 3](n + 1) for n in range(count)]


def checked_module(title="Data protection", provider="employer", questions=5, **fields):
    """A published module with a knowledge check of `questions` questions."""
    page = module(title=title, provider=provider, renewal_months=12, **fields)
    page.check_questions = check_questions(questions)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def right_answers(attempt):
    return {q["id"]: list(q["correct"]) for q in attempt.questions}


def wrong_answers(attempt, how_many):
    """The right answers except for the first `how_many` questions."""
    answers = right_answers(attempt)
    for question in attempt.questions[:how_many]:
        wrong = next(n for n in range(len(question["choices"])) if n not in question["correct"])
        answers[question["id"]] = [wrong]
    return answers
