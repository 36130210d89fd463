"""/healthz: 503 naming the part that fails, never a traceback."""

from unittest import mock

import pytest
from django.core import checks
from django.core.files.storage import storages
from django.db import OperationalError, connection
from django_tasks.backends.base import BaseTaskBackend

pytestmark = pytest.mark.django_db


class UnreachableQueue(BaseTaskBackend):
    """A queue backend whose own checks find it cannot work."""

    def enqueue(self, task, args, kwargs):
        raise NotImplementedError

    def check(self, **kwargs):
        yield checks.Error("the task table does not answer")


def test_a_database_that_does_not_answer_gives_503_naming_it(client):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["database"]
    assert body["parts"]["database"] == "failing (OperationalError)"
    assert b"Traceback" not in response.content and b"connection refused" not in response.content


def test_private_storage_that_cannot_be_written_gives_503_naming_it(client):
    with mock.patch.object(storages["private"], "save", side_effect=PermissionError("denied")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["private storage"]


def test_a_configured_task_queue_that_fails_its_checks_gives_503(client, settings):
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.UnreachableQueue"}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["task queue"]


def test_the_probe_leaves_no_file_behind(client):
    client.get("/healthz")
    directories, files = storages["private"].listdir("healthz")
    assert files == []


def test_with_postgresql_unreachable_the_site_answers_503_not_a_traceback():
    """A real unreachable server (nothing listens on port 1), in a process of its own."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz', HTTP_HOST='localhost')\n"
        "print(r.status_code, r.content.decode())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:1/alongside",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.startswith('503 {"status": "unavailable", "failing": ["database"]')
    assert "Traceback" not in result.stdout + result.stderr
