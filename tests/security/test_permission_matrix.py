"""Walk the permission matrix: every cell is one request by one viewer.

A second test walks the URL resolver and fails when the project has a URL the matrix
does not cover, so a new view cannot arrive without saying who may open it.
"""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail import hooks

from compliance.models import ReminderLog
from people.models import Placement, Service, User
from portal import two_factor
from portal.doors import landing_url, uses_staff_workspace
from supervision import services as supervision_services
from supervision.models import SupervisionArrangement, SupervisionSession
from tests import factories
from training import codes
from training import services as training_services
from training.models import (
    CertificateBundle,
    TrainingExemption,
    TrainingModulePage,
    TrainingRecord,
)

from .permission_matrix import MATRIX, VIEWERS, WAGTAIL_CORE_NAMESPACES

PROJECT_APPS = {
    "organisation",
    "portal",
    "people",
    "training",
    "supervision",
    "certificates",
    "compliance",
    "audit",
}


def classify(response):
    if response.status_code in (301, 302):
        target = response["Location"]
        if "login" in target:
            return "login"
        if target.rstrip("/").endswith("/admin"):
            return "no"
        return f"302 to {target}"
    return {200: "ok", 403: "no", 404: "404", 405: "405"}.get(
        response.status_code, str(response.status_code)
    )


@pytest.fixture
def demo_viewers(db):
    call_command("seed_demo", "--password", "matrix-pass-1", stdout=io.StringIO())
    users = {user.username: user for user in User.objects.all()}
    lead_other = factories.service_lead(
        username="lead.cmht1", service=Service.objects.get(name="CMHT 1")
    )
    return {
        "anonymous": None,
        "psw_own": users["psw1"],
        "psw_other": users["psw3"],
        "supervisor_of": users["nhs.rc"],
        "supervisor_not": users["nhs.cmht"],
        "manager": users["manager"],
        "lead_own": users["lead.rc"],
        "lead_other": lead_other,
        "administrator": users["admin"],
    }


def group_of(arrangement):
    """A group session psw1 came to, with another of their supervisor's supervisees."""
    today = timezone.localdate()
    other = (
        SupervisionArrangement.objects.filter(
            supervisor=arrangement.supervisor, stream=arrangement.stream, ends_on=None
        )
        .exclude(supervisee=arrangement.supervisee)
        .first()
    )
    return supervision_services.group_log(
        facilitator=arrangement.supervisor,
        stream=arrangement.stream,
        arrangements=[arrangement, other],
        held_on=today - datetime.timedelta(days=1),
        duration_minutes=90,
        format="reflective_practice",
        topics=[],
        notes="What came up in reflective practice",
        actions="",
        today=today,
    )


@pytest.fixture
def demo_objects(demo_viewers):
    """URL arguments for psw1's objects, by the object keys of the matrix."""
    psw1, manager = demo_viewers["psw_own"], demo_viewers["manager"]
    pending = TrainingRecord.objects.get(person=psw1, status=TrainingRecord.Status.PENDING)
    verified = TrainingRecord.objects.filter(person=psw1, certificate_code__isnull=False).first()
    exemption = TrainingExemption.objects.filter(person=psw1).first() or (
        training_services.exemption_grant(
            person=psw1,
            module=pending.module,
            provider=pending.provider,
            reason="Covered by a placement agreement.",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=None,
            by=manager,
        )
    )
    arrangement = SupervisionArrangement.objects.get(
        supervisee=psw1, supervisor=demo_viewers["supervisor_of"]
    )
    bundle = CertificateBundle.objects.create(
        service=psw1.service, requested_by=manager, as_of=datetime.date(2026, 1, 1)
    )
    reminder = ReminderLog.objects.create(
        person=psw1,
        item_key="ack:0",
        threshold=ReminderLog.Threshold.choices[0][0],
        summary="A session to sign off",
        status=ReminderLog.Status.SENT,
        last_tried_at=timezone.now(),
    )
    waiting = factories.SessionFactory(
        arrangement=arrangement,
        held_on=arrangement.starts_on,
        same_day_reason="A second session, logged by the PSW",
        logged_by=psw1,
        confirmed_by=None,
        confirmed_at=None,
    )
    group = group_of(arrangement)
    attempt = training_services.attempt_start(
        person=psw1,
        module=TrainingModulePage.objects.get(slug="data-protection"),
        today=timezone.localdate(),
        by=psw1,
    )
    stranger = factories.manager(username="someone.else")
    device = TOTPDevice.objects.create(user=stranger, name="app", confirmed=True)
    return {
        None: {},
        "attempt": {"pk": attempt.pk},
        "device": {"device_id": device.pk},
        "enrol_token": {"token": two_factor.enrolment_token(stranger)},
        "bad_token": {"uidb64": "MQ", "token": "not-a-real-token"},
        "reminder": {"pk": reminder.pk},
        "record": {"pk": pending.pk},
        "evidence": {"record_id": pending.pk},
        "exemption": {"pk": exemption.pk},
        "placement": {"pk": Placement.objects.filter(person=psw1).first().pk},
        "arrangement": {"pk": arrangement.pk},
        "session": {
            "pk": SupervisionSession.objects.filter(arrangement=arrangement, group=None).first().pk
        },
        "group": {"pk": group.pk},
        "waiting_session": {"pk": waiting.pk},
        "bundle": {"pk": bundle.pk},
        "verified_record": {"pk": verified.pk},
        "code": {"code": verified.certificate_code},
        "shown_code": {"code": codes.display(verified.certificate_code)},
        "username": {"username": psw1.username},
        "person": {"pk": psw1.pk},
        "service": {"pk": psw1.service.pk},
        "module": {"module_id": TrainingModulePage.objects.first().pk},
        "history": {
            "content_type_id": ContentType.objects.get_for_model(TrainingRecord).pk,
            "object_id": str(pending.pk),
        },
        "site_home": [""],
        "training_pages": ["training/"],
    }


def url_for(name, arguments):
    if isinstance(arguments, list):
        return reverse(name, args=arguments)
    return reverse(name, kwargs=arguments)


def answer(viewer, url):
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    response = client.get(url)
    if (
        viewer is not None
        and url.startswith(("/admin/", "/me/"))
        and response.status_code == 302
        and response["Location"] == landing_url(viewer)
        and not uses_staff_workspace(viewer)
    ):
        return "home"
    if (
        viewer is not None
        and url.startswith("/admin/")
        and response.status_code == 302
        and not response["Location"].startswith(("/admin/", "/login/"))
        and not uses_staff_workspace(viewer)
    ):
        return "site"
    return classify(response)


def test_the_matrix_has_one_answer_for_every_viewer():
    for name, (_, answers) in MATRIX.items():
        assert len(answers.split()) == len(VIEWERS), name


@pytest.mark.django_db
def test_every_cell_of_the_permission_matrix_gets_its_expected_answer(demo_viewers, demo_objects):
    wrong = []
    cells = 0
    for name, (object_key, answers) in MATRIX.items():
        url = url_for(name, demo_objects[object_key])
        for viewer, expected in zip(VIEWERS, answers.split(), strict=True):
            got = answer(demo_viewers[viewer], url)
            cells += 1
            if got != expected:
                wrong.append(f"{name} ({url}) as {viewer}: expected {expected}, got {got}")
    print(f"\npermission matrix: {cells} cells walked")
    assert not wrong, "\n".join(wrong)
    assert cells == len(MATRIX) * len(VIEWERS)


def project_viewset_namespaces():
    namespaces = set()
    for register in hooks.get_hooks("register_admin_viewset"):
        if register.__module__.split(".")[0] not in PROJECT_APPS:
            continue
        viewsets = register()
        for viewset in viewsets if isinstance(viewsets, list) else [viewsets]:
            namespaces.add(viewset.url_namespace)
    users_app = apps.get_app_config("wagtailusers")
    if users_app.user_viewset.split(".")[0] in PROJECT_APPS:
        namespaces.add("wagtailusers_users")
    return namespaces


def named_patterns(patterns, namespace="", depth=0):
    """(full name, callback module, depth) for every named URL pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from named_patterns(pattern.url_patterns, inner, depth + 1)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback.__module__, depth


def project_url_names():
    """Every URL the project itself defines or registers.

    A URL belongs to the project when its view lives in a project app, when it is one
    of a viewset a project app registers, or when `portal/urls.py` names it directly.
    """
    viewsets = project_viewset_namespaces()
    names = set()
    for name, module, depth in named_patterns(get_resolver().url_patterns):
        namespace = name.rpartition(":")[0]
        if namespace.split(":")[0] in WAGTAIL_CORE_NAMESPACES:
            continue
        if module.split(".")[0] in PROJECT_APPS or namespace in viewsets or depth == 0:
            names.add(name)
    return names


def test_every_project_url_has_a_row_in_the_permission_matrix():
    missing = project_url_names() - set(MATRIX)
    assert not missing, f"URLs with no row in the permission matrix: {sorted(missing)}"


def test_every_row_of_the_permission_matrix_is_a_real_url():
    assert set(MATRIX) <= project_url_names() | {"wagtail_serve", "wagtailadmin_home"}
