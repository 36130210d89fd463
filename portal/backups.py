"""Backups: one archive holding the database and the public and private files.

The database goes in as Django fixtures with every primary key as it was (content
types and permissions included), so an archive made on SQLite restores on
PostgreSQL and back, and every reference between rows still points where it did.
History rows and audit entries are restored as they were (raw loads write no new
history), so `verify_audit` stays clean. Files are read
and written through the storage API, wherever the storage keeps them.
"""

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from people.models import User

STORAGES = ("default", "private")
# Not worth keeping across a restore: sign-in sessions, the search index, and the
# kept statuses (rebuilt from the restored records by refresh_statuses).
EXCLUDED = [
    "sessions",
    "wagtailsearch.indexentry",
    "wagtailadmin.editingsession",
    "compliance.requirementstate",
    "compliance.arrangementstate",
]
FORMAT = 1


class RestoreRefused(Exception):
    pass


def walk(storage, folder=""):
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from walk(storage, f"{folder}/{directory}" if folder else directory)


def _existing_files(storage):
    try:
        return list(walk(storage))
    except FileNotFoundError:
        return []


def _add(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup_write(*, output):
    """Write the archive to `output` (a path); returns the manifest."""
    data = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDED, stdout=data)
    database = data.getvalue().encode()
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "database_sha256": hashlib.sha256(database).hexdigest(),
        "files": {},
    }
    with tarfile.open(output, "w:gz") as archive:
        _add(archive, "database.json", database)
        for alias in STORAGES:
            storage = storages[alias]
            for name in _existing_files(storage):
                with storage.open(name, "rb") as handle:
                    content = handle.read()
                manifest["files"][f"{alias}/{name}"] = hashlib.sha256(content).hexdigest()
                _add(archive, f"files/{alias}/{name}", content)
        _add(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    return manifest


def database_is_empty():
    return not User.objects.exists()


def backup_restore(*, archive_path, force=False):
    """Replace the database and files with the archive's; returns the manifest."""
    if not force and not database_is_empty():
        raise RestoreRefused(
            "the database is not empty; restoring would overwrite it (use --force)"
        )
    with tarfile.open(archive_path, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        database = archive.extractfile("database.json").read()
        if hashlib.sha256(database).hexdigest() != manifest["database_sha256"]:
            raise RestoreRefused("the archive's database does not match its checksum")
        files = {
            member.name[len("files/") :]: archive.extractfile(member).read()
            for member in archive.getmembers()
            if member.isfile() and member.name.startswith("files/")
        }
    for key, content in files.items():
        if hashlib.sha256(content).hexdigest() != manifest["files"].get(key):
            raise RestoreRefused(f"the archive's file {key} does not match its checksum")
    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        call_command("flush", verbosity=0, interactive=False)
        # flush makes content types and permissions afresh, perhaps under other ids;
        # the archive's own rows take their place, loaded before anything refers to them.
        Permission.objects.all().delete()
        ContentType.objects.all().delete()
        ContentType.objects.clear_cache()
        # Loading sets many-to-many links, which history would log as new changes.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            for part in _fixture_parts(database):
                _load(part)
        call_command("refresh_statuses", stdout=io.StringIO())
    ContentType.objects.clear_cache()
    _restore_files(files)
    return manifest


FIRST = {"contenttypes.contenttype", "auth.permission"}


def _fixture_parts(database):
    rows = json.loads(database)
    return [
        [row for row in rows if row["model"] in FIRST],
        [row for row in rows if row["model"] not in FIRST],
    ]


def _load(rows):
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "part.json"
        fixture.write_text(json.dumps(rows))
        call_command("loaddata", str(fixture), verbosity=0)


def _restore_files(files):
    for alias in STORAGES:
        storage = storages[alias]
        for name in _existing_files(storage):
            storage.delete(name)
    for key, content in files.items():
        alias, name = key.split("/", 1)
        saved = storages[alias].save(name, ContentFile(content))
        if saved != name:
            raise RestoreRefused(f"could not restore {key} under its own name")
