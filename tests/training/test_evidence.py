import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from training.evidence import MAX_BYTES
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    return factories.module("PMVA breakaway", provider="nhs", renewal_months=12)


def post_completion(client, module, evidence):
    return client.post(
        reverse("training:record", args=[module.pk]),
        {
            "provider": "nhs",
            "completed_on": timezone.localdate().isoformat(),
            "notes": "Two-day course",
            "evidence": evidence,
        },
    )


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        (
            factories.upload(
                "cert.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
            ),
            b"not a PDF, PNG or JPEG",
        ),
        (
            factories.upload("photo.jpg", b"GIF89a" + b"\x00" * 20, "image/jpeg"),
            b"not a PDF, PNG or JPEG",
        ),
        (factories.upload("cert.pdf", b"", "application/pdf"), b"empty"),
        (
            factories.upload("cert.pdf", b"%PDF-" + b"0" * MAX_BYTES, "application/pdf"),
            b"larger than the limit of 10 MB",
        ),
    ],
    ids=["html-named-pdf", "gif-named-jpg", "empty", "too-large"],
)
def test_a_refused_upload_changes_nothing_and_says_why(client, psw, module, evidence, message):
    client.force_login(psw)
    response = post_completion(client, module, evidence)
    assert response.status_code == 200
    assert message in response.content
    assert b"Two-day course" in response.content  # what was typed is kept
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("scan.pdf", factories.PDF_BYTES, "application/pdf", "pdf"),
        ("photo.png", factories.PNG_BYTES, "image/png", "png"),
        ("photo", factories.JPEG_BYTES, "image/jpeg", "jpg"),
    ],
)
def test_evidence_is_served_as_an_attachment_of_its_real_type(
    client, psw, module, name, content, content_type, extension
):
    client.force_login(psw)
    post_completion(client, module, factories.upload(name, content, "application/octet-stream"))
    record = TrainingRecord.objects.get()
    assert record.evidence.name.endswith(f".{extension}")
    assert not record.evidence.name.startswith(name)
    response = client.get(reverse("training:evidence", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == content


def test_evidence_is_not_under_the_public_media_url(client, psw, module, settings):
    client.force_login(psw)
    post_completion(client, module, factories.upload())
    record = TrainingRecord.objects.get()
    assert str(settings.PRIVATE_ROOT) in record.evidence.path
    assert str(settings.MEDIA_ROOT) not in record.evidence.path


def test_a_future_completion_date_is_refused(client, psw, module):
    client.force_login(psw)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = client.post(
        reverse("training:record", args=[module.pk]),
        {"provider": "nhs", "completed_on": tomorrow.isoformat()},
    )
    assert b"cannot be in the future" in response.content
    assert not TrainingRecord.objects.exists()


def test_a_both_module_asks_which_provider(client, psw):
    safeguarding = factories.module("Safeguarding", provider="both", renewal_months=36)
    client.force_login(psw)
    form = client.get(reverse("training:record", args=[safeguarding.pk]))
    assert b'type="radio"' in form.content
    response = client.post(
        reverse("training:record", args=[safeguarding.pk]),
        {"completed_on": timezone.localdate().isoformat()},
    )
    assert b"This field is required" in response.content
    assert not TrainingRecord.objects.exists()


def test_a_module_that_needs_evidence_refuses_a_completion_without_it(client, psw):
    module = factories.module("Facilitator training", provider="employer", evidence_required=True)
    client.force_login(psw)
    response = client.post(
        reverse("training:record", args=[module.pk]),
        {"provider": "employer", "completed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert not TrainingRecord.objects.exists()


def test_recording_the_same_completion_twice_says_so_next_to_the_date(client, psw, module):
    client.force_login(psw)
    day = timezone.localdate().isoformat()
    url = reverse("training:record", args=[module.pk])
    client.post(url, {"provider": "nhs", "completed_on": day})
    response = client.post(url, {"provider": "nhs", "completed_on": day})
    assert response.status_code == 200
    assert response.context["form"].errors["completed_on"] == [
        "This completion is already recorded for that date."
    ]
    assert TrainingRecord.objects.count() == 1
