"""Backups: one archive holding the database and the files its rows name.

Consistent: the database is read in one snapshot (a REPEATABLE READ, read-only
transaction on PostgreSQL; on SQLite one transaction holding the write lock, during
which writers wait),
and the files copied are those the snapshot's rows name, so a completion saved during
the backup is either wholly in it (row, history, audit entry, evidence) or wholly not.
The database goes in as JSON Lines fixtures with every primary key as it was (content
types and permissions first), so an archive made on SQLite restores on PostgreSQL and
back, and history rows and audit entries come back exactly (`verify_audit` stays clean).

Streamed: rows go to a temporary file and files are copied from storage a block at a
time, so memory stays flat however large the archive; the archive is written under a
temporary name and appears at its path only when complete. The manifest holds every
table's row count and every file's SHA-256, and a signed audit checkpoint rides along.

Restores check the whole archive against its manifest before changing anything, stage
the files beside the live folders, load the database in one transaction, and only then
swap the staged folders in. A restore stopped at any point leaves the old state or the
new one: the next `restore` (and every start, through a system check) finds what was
left and `restore --recover` finishes or discards it.
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
import uuid
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.db import DatabaseError, OperationalError, connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from audit.checkpoints import checkpoint_make, checkpoint_text
from audit.verification import verify_log
from people.management.arguments import replaced_when_complete
from people.models import User

from .files import STORAGES, referenced_files
from .models import RestoredArchive

FORMAT = 2
# Not worth keeping across a restore: sign-in sessions, the search index, the restore
# bookkeeping of this database, the kept statuses (rebuilt from the restored records
# by refresh_statuses) and the version numbers of the kept counts (refresh_statuses
# draws a new organisation number, so no count kept before is read again).
EXCLUDED = [
    "sessions",
    "wagtailsearch.indexentry",
    "wagtailadmin.editingsession",
    "portal.restoredarchive",
    "compliance.requirementstate",
    "compliance.arrangementstate",
    "compliance.countsversion",
]
FIRST = ["contenttypes", "auth.permission"]
DATABASE_PARTS = ("database/1-content-types.jsonl", "database/2-rows.jsonl")
MANIFEST = "manifest.json"
CHECKPOINT = "audit-checkpoint.json"
BLOCK = 1024 * 1024
SNAPSHOT_WAIT = 60  # seconds to wait for writers halfway through a transaction


class RestoreRefused(Exception):
    pass


# Writing ------------------------------------------------------------------------------


class _Hashing:
    """A file wrapper that hashes what is read through it."""

    def __init__(self, handle):
        self.handle, self.sha256, self.size = handle, hashlib.sha256(), 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _count_rows(path):
    """{model label: rows} of a JSON Lines fixture, read a line at a time."""
    counts = Counter()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                counts[json.loads(line)["model"]] += 1
    return counts


@contextmanager
def _snapshot():
    """One consistent read of the whole database, for the duration of the block.

    PostgreSQL: a REPEATABLE READ, read-only transaction sees one moment and blocks
    nobody. SQLite: the transaction first takes the database's write lock (with a write
    that changes nothing), so no other transaction is halfway through its writes while
    the rows are read; writers wait for the dump (SQLite's busy timeout) and go on after.
    """
    deadline = time.monotonic() + SNAPSHOT_WAIT
    # A connection health check would run its query inside the transaction, before the
    # isolation level is set (PostgreSQL refuses that): let it run first.
    connection.ensure_connection()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    # Called inside a transaction already (a test's), that transaction is the snapshot:
    # PostgreSQL only lets the first statement of a transaction choose its isolation.
    choose_isolation = not connection.in_atomic_block
    while True:
        held = False
        try:
            # On SQLite the transaction begins by taking the write lock (the settings'
            # IMMEDIATE mode), so a busy database may refuse as it begins, or at the write.
            with transaction.atomic():
                with connection.cursor() as cursor:
                    if connection.vendor == "postgresql" and choose_isolation:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    else:
                        cursor.execute("UPDATE django_migrations SET id = id WHERE 0 = 1")
                held = True
                yield
                return
        except OperationalError:
            if held or time.monotonic() > deadline:
                raise  # the dump's own failure, or the database never came free
        time.sleep(0.05)


def _dump_database(folder):
    """Dump both parts into `folder` (inside the snapshot); returns their paths."""
    first, rows = (Path(folder) / Path(name).name for name in DATABASE_PARTS)
    call_command("dumpdata", *FIRST, format="jsonl", output=str(first), verbosity=0)
    call_command(
        "dumpdata",
        format="jsonl",
        exclude=[*EXCLUDED, *FIRST],
        output=str(rows),
        verbosity=0,
    )
    return first, rows


def _add_path(archive, arcname, path):
    info = archive.gettarinfo(str(path), arcname)
    info.mtime = int(timezone.now().timestamp())
    with open(path, "rb") as handle:
        archive.addfile(info, handle)


def _add_bytes(archive, arcname, data):
    with tempfile.SpooledTemporaryFile() as handle:
        handle.write(data)
        handle.seek(0)
        info = tarfile.TarInfo(arcname)
        info.size = len(data)
        info.mtime = int(timezone.now().timestamp())
        archive.addfile(info, handle)


def _add_stored(archive, alias, name):
    """Stream one stored file into the archive; its SHA-256, or None when it is gone."""
    storage = storages[alias]
    try:
        size = storage.size(name)
        handle = storage.open(name, "rb")
    except FileNotFoundError:
        return None
    info = tarfile.TarInfo(f"files/{alias}/{name}")
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    with handle:
        hashing = _Hashing(handle)
        archive.addfile(info, hashing)
    return hashing.sha256.hexdigest()


def backup_write(*, output):
    """Write the archive to `output` (a path); returns (manifest, audit checkpoint)."""
    manifest = {
        "format": FORMAT,
        "archive_id": str(uuid.uuid4()),
        "database": connection.vendor,
        "tables": {},
        "database_sha256": {},
        "files": {},
        "missing": [],
    }
    with tempfile.TemporaryDirectory() as scratch, replaced_when_complete(output) as out:
        with _snapshot():
            manifest["created_at"] = timezone.now().isoformat()
            parts = _dump_database(scratch)
            names = referenced_files()
            checkpoint = checkpoint_make(verify_log())
        with tarfile.open(fileobj=out, mode="w:gz", compresslevel=6) as archive:
            for arcname, path in zip(DATABASE_PARTS, parts, strict=True):
                manifest["database_sha256"][arcname] = _file_sha256(path)
                for label, count in _count_rows(path).items():
                    manifest["tables"][label] = manifest["tables"].get(label, 0) + count
                _add_path(archive, arcname, path)
            for alias in STORAGES:
                for name in sorted(names[alias]):
                    sha256 = _add_stored(archive, alias, name)
                    if sha256 is None:
                        manifest["missing"].append(f"{alias}/{name}")
                    else:
                        manifest["files"][f"{alias}/{name}"] = sha256
            _add_bytes(archive, CHECKPOINT, checkpoint_text(checkpoint).encode())
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
    return manifest, checkpoint


def checkpoint_beside(output):
    return Path(f"{output}.audit-checkpoint.json")


# Staging ------------------------------------------------------------------------------


@dataclass
class Folders:
    """A storage's live folder and the folders a restore uses beside it."""

    alias: str
    live: Path

    @property
    def staging(self):
        return self.live.with_name(f"{self.live.name}.restore-staging")

    @property
    def old(self):
        return self.live.with_name(f"{self.live.name}.restore-old")

    @property
    def marker(self):
        return self.live.with_name(f"{self.live.name}.restore.json")


def storage_folders():
    folders = []
    for alias in STORAGES:
        storage = storages[alias]
        if not isinstance(storage, FileSystemStorage):
            raise RestoreRefused(
                f"the {alias!r} storage is not a folder on this machine; restore swaps "
                "folders, so copy its files back with the storage's own tools"
            )
        folders.append(Folders(alias, Path(storage.location)))
    return folders


@dataclass
class Leftover:
    archive_id: str
    committed: bool
    folders: list = field(default_factory=list)

    def describe(self):
        if self.committed:
            return (
                f"an interrupted restore of backup {self.archive_id} loaded the database but "
                "did not swap its files in"
            )
        return (
            f"an interrupted restore of backup {self.archive_id} left staged files; the "
            "database and files are still the ones from before it"
        )


def restore_leftover():
    """What an interrupted restore left behind, or None."""
    try:
        folders = storage_folders()
    except RestoreRefused:
        return None
    found = [f for f in folders if f.marker.exists() or f.staging.exists() or f.old.exists()]
    if not found:
        return None
    archive_id = ""
    for folder in found:
        if folder.marker.exists():
            archive_id = json.loads(folder.marker.read_text()).get("archive_id", "")
    try:
        committed = RestoredArchive.objects.filter(archive_id=archive_id).exists()
    except DatabaseError:
        committed = False
    return Leftover(archive_id or "(unknown)", committed and bool(archive_id), found)


def restore_recover():
    """Finish (database committed) or undo (not) an interrupted restore; what was done."""
    leftover = restore_leftover()
    if leftover is None:
        return None
    if leftover.committed:
        _swap_in(leftover.folders)
        RestoredArchive.objects.filter(archive_id=leftover.archive_id).update(files_in_place=True)
    else:
        _discard(leftover.folders)
    return leftover


def _swap_in(folders):
    """Put each staged folder in place of the live one: a rename each, then tidy up."""
    for folder in folders:
        if folder.staging.exists():
            if folder.live.exists():
                if folder.old.exists():
                    shutil.rmtree(folder.old)
                os.rename(folder.live, folder.old)
            os.rename(folder.staging, folder.live)
    for folder in folders:
        if folder.old.exists():
            shutil.rmtree(folder.old)
        folder.marker.unlink(missing_ok=True)


def _discard(folders):
    for folder in folders:
        if folder.old.exists() and not folder.live.exists():
            os.rename(folder.old, folder.live)
        if folder.staging.exists():
            shutil.rmtree(folder.staging)
        if folder.old.exists():
            shutil.rmtree(folder.old)
        folder.marker.unlink(missing_ok=True)


# Restoring ----------------------------------------------------------------------------


@dataclass
class Restored:
    manifest: dict
    rows: int
    files: Counter
    checkpoint: dict


def database_is_empty():
    try:
        return not User.objects.exists()
    except DatabaseError:
        return True  # no tables yet


def _unpack(archive_path, folders, scratch):
    """Stream the archive: files into staging, database parts and checkpoint into
    `scratch`, hashing as it goes. Returns (manifest, hashes)."""
    staging = {folder.alias: folder.staging for folder in folders}
    hashes, manifest = {}, None
    try:
        with tarfile.open(archive_path, mode="r|gz") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                name = member.name
                if name == MANIFEST:
                    manifest = json.loads(archive.extractfile(member).read())
                    continue
                if name.startswith("files/"):
                    alias, _, relative = name[len("files/") :].partition("/")
                    if alias not in staging or not _is_safe(relative):
                        raise RestoreRefused(f"the archive holds an unexpected file: {name}")
                    target = staging[alias] / relative
                elif name in DATABASE_PARTS or name == CHECKPOINT:
                    target = Path(scratch) / Path(name).name
                else:
                    raise RestoreRefused(f"the archive holds an unexpected file: {name}")
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with archive.extractfile(member) as source, open(target, "wb") as out:
                    while block := source.read(BLOCK):
                        digest.update(block)
                        out.write(block)
                hashes[name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile):
        raise RestoreRefused(
            "this is not a complete backup archive (truncated, damaged or not a .tar.gz)"
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise RestoreRefused("the archive's manifest is not readable") from None
    return manifest, hashes


def _is_safe(relative):
    parts = Path(relative).parts
    return bool(parts) and not Path(relative).is_absolute() and ".." not in parts


def _check_against_manifest(manifest, hashes, scratch):
    """Every problem, in one line, or nothing: files present and equal, counts equal."""
    if manifest is None:
        raise RestoreRefused("the archive has no manifest: it was not made by `backup`")
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(
            f"the archive is in format {manifest.get('format')!r}; this version restores "
            f"format {FORMAT} (make a new backup with this version)"
        )
    expected = {f"files/{key}": sha for key, sha in manifest["files"].items()}
    expected.update(manifest["database_sha256"])
    for name, sha in sorted(expected.items()):
        if name not in hashes:
            raise RestoreRefused(f"the archive is missing {name}, which its manifest lists")
        if hashes[name] != sha:
            raise RestoreRefused(f"{name} does not match its checksum in the manifest")
    extra = sorted(set(hashes) - set(expected) - {CHECKPOINT})
    if extra:
        raise RestoreRefused(f"the archive holds {extra[0]}, which its manifest does not list")
    counts = Counter()
    for name in DATABASE_PARTS:
        counts.update(_count_rows(Path(scratch) / Path(name).name))
    if dict(counts) != manifest["tables"]:
        differing = sorted(
            label
            for label in set(counts) | set(manifest["tables"])
            if counts.get(label, 0) != manifest["tables"].get(label, 0)
        )
        raise RestoreRefused(f"the row counts differ from the manifest for {differing[0]}")
    if CHECKPOINT not in hashes:
        raise RestoreRefused("the archive has no audit checkpoint")


def backup_restore(*, archive_path, force=False):
    """Replace the database and files with the archive's; returns what was restored.

    Nothing live changes until the whole archive has been checked.
    """
    leftover = restore_leftover()
    if leftover:
        raise RestoreRefused(f"{leftover.describe()}: run `manage.py restore --recover` first")
    if not force and not database_is_empty():
        raise RestoreRefused(
            "the database is not empty; restoring would overwrite it (use --force)"
        )
    folders = storage_folders()
    with tempfile.TemporaryDirectory() as scratch:
        try:
            manifest, hashes = _unpack(archive_path, folders, scratch)
            _check_against_manifest(manifest, hashes, scratch)
            for folder in folders:
                folder.staging.mkdir(parents=True, exist_ok=True)
                folder.marker.write_text(json.dumps({"archive_id": manifest["archive_id"]}))
            checkpoint = json.loads((Path(scratch) / CHECKPOINT).read_text())
            _load_database(scratch, manifest)
        except BaseException:
            _discard(folders)
            raise
    _swap_in(folders)
    RestoredArchive.objects.filter(archive_id=manifest["archive_id"]).update(files_in_place=True)
    files = Counter(key.split("/", 1)[0] for key in manifest["files"])
    return Restored(manifest, sum(manifest["tables"].values()), files, checkpoint)


def _load_database(scratch, manifest):
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
            for name in DATABASE_PARTS:
                call_command("loaddata", str(Path(scratch) / Path(name).name), verbosity=0)
        RestoredArchive.objects.create(
            archive_id=manifest["archive_id"],
            archive_created_at=parse_datetime(manifest["created_at"]),
        )
    # The cache held the old database's ids; fill it from the restored rows at once, so
    # nothing later creates a content type that the rows already have under another id.
    ContentType.objects.clear_cache()
    models = apps.get_models(include_auto_created=True)
    ContentType.objects.get_for_models(*models)
    ContentType.objects.get_for_models(*models, for_concrete_models=False)
    call_command("refresh_statuses", stdout=io.StringIO())
