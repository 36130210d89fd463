"""Private storage for evidence and rendered PDFs: never under MEDIA_URL."""

import secrets

from django.core.files.storage import storages


def private_storage():
    return storages["private"]


def evidence_path(instance, filename):
    """A random name: the uploader's file name is neither trusted nor kept on disk."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{secrets.token_hex(16)}.{extension[:5]}"
