"""Random and hostile input through the forms that take dates, numbers, text or files.

Posted through the test client as the person who would use each form. Whatever comes
in, the answer is never a server error, and a row is stored only when the form said
yes (a redirect), and then it keeps the rules: no completion in the future, no
exemption or arrangement ending before it starts, a duration within bounds.
"""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from supervision.models import SupervisionArrangement, SupervisionSession
from tests import factories
from training.models import TrainingExemption, TrainingRecord

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "=cmd|' /C calc'!A0",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\x00",
            "a" * 5000,
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃",
        ]
    ),
)
any_date = st.one_of(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)).map(date.isoformat),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    hostile_text,
    st.sampled_from(["2026-02-30", "0000-00-00", "31/12/2025", ""]),
)
any_number = st.one_of(st.integers(min_value=-(10**20), max_value=10**20).map(str), hostile_text)
any_id = st.one_of(st.integers(min_value=-5, max_value=10**12).map(str), hostile_text)
uploaded = st.tuples(
    st.text(min_size=1, max_size=60).filter(lambda name: "\x00" not in name),
    st.binary(max_size=2000),
)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def file_from(name_and_bytes):
    name, content = name_and_bytes
    return factories.upload(name=name.replace("/", "_") or "x", content=content)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def module():
    return factories.module(title="Safeguarding", evidence_required=False)


@given(
    module_choice=st.one_of(st.just("real"), any_id),
    provider=st.one_of(st.sampled_from(["nhs", "employer"]), hostile_text),
    completed_on=any_date,
    notes=hostile_text,
    evidence=st.one_of(st.none(), uploaded),
)
# An id past 2**63 once made SQLite overflow inside the form (a 500): always try it.
@example(module_choice=str(2**63), provider="nhs", completed_on="", notes="", evidence=None)
@EXAMPLES
def test_the_completion_form_stores_nothing_invalid_and_never_fails(
    psw, module, today, module_choice, provider, completed_on, notes, evidence
):
    before = TrainingRecord.objects.count()
    data = {
        "module": module.pk if module_choice == "real" else module_choice,
        "provider": provider,
        "completed_on": completed_on,
        "notes": notes,
    }
    if evidence is not None:
        data["evidence"] = file_from(evidence)
    response = signed_in(psw).post(reverse("training:record", args=[module.pk]), data)
    assert response.status_code in (200, 302)
    event("stored" if response.status_code == 302 else "refused")
    if response.status_code == 302:
        record = TrainingRecord.objects.latest("pk")
        assert TrainingRecord.objects.count() == before + 1
        assert record.completed_on <= today and record.provider in module.providers()
        if record.evidence:
            assert record.evidence.name.rsplit("/", 1)[-1].split(".")[0] != evidence[0]
    else:
        assert TrainingRecord.objects.count() == before


@given(
    provider=st.one_of(st.sampled_from(["nhs", "employer", "both"]), hostile_text),
    reason=st.one_of(st.just("Covered by the placement agreement."), hostile_text),
    starts_on=any_date,
    ends_on=any_date,
)
@EXAMPLES
def test_the_exemption_form_stores_nothing_invalid_and_never_fails(
    psw, manager, module, provider, reason, starts_on, ends_on
):
    before = TrainingExemption.objects.count()
    response = signed_in(manager).post(
        reverse("training-exemptions:add"),
        {
            "person": psw.pk,
            "module": module.pk,
            "provider": provider,
            "reason": reason,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    assert response.status_code in (200, 302)
    event("stored" if response.status_code == 302 else "refused")
    if response.status_code == 302:
        exemption = TrainingExemption.objects.latest("pk")
        assert exemption.reason.strip()
        assert exemption.ends_on is None or exemption.ends_on >= exemption.starts_on
    else:
        assert TrainingExemption.objects.count() == before


recent_day = st.integers(min_value=-3, max_value=120).map(
    lambda days: (timezone.localdate() - timedelta(days=days)).isoformat()
)


@given(
    held_on=st.one_of(recent_day, any_date),
    duration=any_number,
    format=st.one_of(st.sampled_from(["one_to_one", "group"]), hostile_text),
    status=st.one_of(st.just("held"), hostile_text),
    topics=st.lists(st.one_of(st.just("wellbeing"), hostile_text), max_size=3),
    notes=hostile_text,
    same_day_reason=hostile_text,
)
@EXAMPLES
def test_the_session_log_form_stores_nothing_invalid_and_never_fails(
    psw, supervisor, today, held_on, duration, format, status, topics, notes, same_day_reason
):
    arrangement, _ = SupervisionArrangement.objects.get_or_create(
        supervisee=psw,
        stream="nhs",
        defaults={"supervisor": supervisor, "starts_on": today - timedelta(days=90)},
    )
    before = SupervisionSession.objects.count()
    response = signed_in(supervisor).post(
        reverse("supervision:log"),
        {
            "arrangement": arrangement.pk,
            "held_on": held_on,
            "duration_minutes": duration,
            "format": format,
            "status": status,
            "topics": topics,
            "notes": notes,
            "actions": notes,
            "same_day_reason": same_day_reason,
        },
    )
    assert response.status_code in (200, 302)
    event("stored" if response.status_code == 302 else "refused")
    if response.status_code == 302:
        session = SupervisionSession.objects.latest("pk")
        assert arrangement.starts_on <= session.held_on <= today
        assert 5 <= session.duration_minutes <= 480
    else:
        assert SupervisionSession.objects.count() == before


@given(
    stream=st.one_of(st.sampled_from(["nhs", "employer"]), hostile_text),
    attendees=st.lists(st.one_of(st.sampled_from(["mine", "theirs"]), any_id), max_size=4),
    held_on=st.one_of(recent_day, any_date),
    duration=any_number,
    format=st.one_of(st.sampled_from(["group", "reflective_practice", "one_to_one"]), hostile_text),
    topics=st.lists(st.one_of(st.just("wellbeing"), hostile_text), max_size=3),
    notes=hostile_text,
)
@EXAMPLES
def test_the_group_session_form_stores_nothing_invalid_and_never_fails(
    psw, other_psw, supervisor, today, stream, attendees, held_on, duration, format, topics, notes
):
    for person in (psw, other_psw):
        SupervisionArrangement.objects.get_or_create(
            supervisee=person,
            stream="nhs",
            defaults={"supervisor": supervisor, "starts_on": today - timedelta(days=90)},
        )
    stranger, _ = SupervisionArrangement.objects.get_or_create(
        supervisor=None,
        defaults={
            "supervisee": factories.psw(),
            "stream": "nhs",
            "supervisor_name": "Someone else",
            "starts_on": today - timedelta(days=90),
        },
    )
    ids = {"mine": [psw.pk, other_psw.pk], "theirs": [stranger.supervisee_id]}
    chosen = [value for choice in attendees for value in ids.get(choice, [choice])]
    before = SupervisionSession.objects.count()
    response = signed_in(supervisor).post(
        reverse("supervision:log_group"),
        {
            "stream": stream,
            "attendees": chosen,
            "held_on": held_on,
            "duration_minutes": duration,
            "format": format,
            "topics": topics,
            "notes": notes,
            "actions": notes,
        },
    )
    assert response.status_code in (200, 302)
    event("stored" if response.status_code == 302 else "refused")
    if response.status_code == 302:
        for session in SupervisionSession.objects.filter(group__isnull=False):
            assert session.arrangement.supervisor == supervisor
            assert session.arrangement.starts_on <= session.held_on <= today
            assert 5 <= session.duration_minutes <= 480
            assert session.format in ("group", "reflective_practice")
    else:
        assert SupervisionSession.objects.count() == before


@given(
    stream=st.one_of(st.sampled_from(["nhs", "employer"]), hostile_text),
    supervisor_name=st.one_of(st.just("Ruth Akers"), hostile_text),
    interval=any_number,
    starts_on=any_date,
)
@EXAMPLES
def test_the_arrangement_form_stores_nothing_invalid_and_never_fails(
    psw, manager, stream, supervisor_name, interval, starts_on
):
    before = SupervisionArrangement.objects.count()
    response = signed_in(manager).post(
        reverse("supervision_arrangements:add"),
        {
            "supervisee": psw.pk,
            "stream": stream,
            "supervisor": "",
            "supervisor_name": supervisor_name,
            "interval_weeks": interval,
            "starts_on": starts_on,
        },
    )
    assert response.status_code in (200, 302)
    event("stored" if response.status_code == 302 else "refused")
    if response.status_code == 302:
        arrangement = SupervisionArrangement.objects.latest("pk")
        assert 1 <= arrangement.interval_weeks <= 52 and arrangement.supervisor_name.strip()
    else:
        assert SupervisionArrangement.objects.count() == before


code_like = st.text(alphabet="0123456789ABCDEFGHJKMNPQRSTVWXYZabc-ILO ", min_size=10, max_size=16)


@given(code=st.one_of(code_like, hostile_text))
@EXAMPLES
def test_the_check_a_code_form_never_fails(client, code):
    response = client.get(reverse("certificates:check_form"), {"code": code})
    assert response.status_code in (200, 302)
    event("a code" if response.status_code == 302 else "not a code")
    if response.status_code == 302:
        followed = client.get(response["Location"])
        assert followed.status_code in (200, 404, 429)
