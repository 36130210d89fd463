"""Stored files and the records that name them: what backups copy and `clean_files` removes.

A file belongs to the site when a row names it in a file column, history tables
included (an old version of a record still points at the evidence it had). Rendered
PDFs are a cache, named by a hash of their content and rendered again on demand, so no
row needs to name them.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import storages
from django.db.models import FileField
from django.utils import timezone

from certificates.documents import CACHE_FOLDER

STORAGES = ("default", "private")
CACHE_FOLDERS = {"private": (CACHE_FOLDER,)}
# A file younger than this may belong to a transaction that has not committed yet.
GRACE = timedelta(hours=1)


def walk(storage, folder=""):
    """Every file's name in `storage` under `folder`."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from walk(storage, f"{folder}/{directory}" if folder else directory)


def alias_of(storage):
    for alias in STORAGES:
        configured = storages[alias]
        if storage is configured or (
            getattr(storage, "location", None) == getattr(configured, "location", object())
        ):
            return alias
    return None


def file_columns():
    """[(model, column, storage alias)] for every column that names a stored file."""
    columns = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, FileField) or alias_of(field.storage) is None:
                continue
            columns.append((model, field.attname, alias_of(field.storage)))
            if getattr(model._meta, "simple_history_manager_attribute", None):
                columns.append((model.history.model, field.attname, alias_of(field.storage)))
    return columns


def referenced_files():
    """{alias: {name}} of every file some row names; read in the caller's transaction."""
    found = {alias: set() for alias in STORAGES}
    for model, column, alias in file_columns():
        names = (
            model._base_manager.exclude(**{f"{column}__isnull": True})
            .exclude(**{column: ""})
            .values_list(column, flat=True)
            .distinct()
        )
        found[alias].update(names.iterator(chunk_size=5000))
    return found


def is_cache(alias, name):
    return any(name.startswith(f"{folder}/") for folder in CACHE_FOLDERS.get(alias, ()))


@dataclass(frozen=True)
class Orphan:
    alias: str
    name: str
    size: int


def orphan_files(*, now=None):
    """Stored files no row names, outside the PDF cache, older than GRACE."""
    now = now or timezone.now()
    referenced = referenced_files()
    orphans = []
    for alias in STORAGES:
        storage = storages[alias]
        for name in sorted(walk(storage)):
            if name in referenced[alias] or is_cache(alias, name):
                continue
            if storage.get_modified_time(name) > now - GRACE:
                continue
            orphans.append(Orphan(alias, name, storage.size(name)))
    return orphans
