"""Evidence files: what may be uploaded, judged by content, and how it is served.

The browser's file name and content type are both typed by the uploader, so neither is
trusted: the first bytes decide whether a file is a PDF, PNG or JPEG.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    magic: bytes
    extension: str
    content_type: str


KINDS = (
    Kind(b"%PDF-", "pdf", "application/pdf"),
    Kind(b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    Kind(b"\xff\xd8\xff", "jpg", "image/jpeg"),
)
HEADER_BYTES = max(len(kind.magic) for kind in KINDS)


def kind_of(header):
    """The Kind whose signature `header` starts with, or None."""
    return next((kind for kind in KINDS if header.startswith(kind.magic)), None)


def read_header(file):
    file.seek(0)
    header = file.read(HEADER_BYTES)
    file.seek(0)
    return header


def check_evidence(file):
    """The Kind of an uploaded file; ValidationError saying why when it is refused."""
    if not file.size:
        raise ValidationError("This file is empty. Please choose the certificate file again.")
    if file.size > MAX_BYTES:
        raise ValidationError(
            f"This file is larger than the limit of {MAX_BYTES // (1024 * 1024)} MB. "
            "A scan or photo at a lower resolution will do."
        )
    kind = kind_of(read_header(file))
    if kind is None:
        raise ValidationError(
            "This file is not a PDF, PNG or JPEG (whatever its name says). "
            "Please upload the certificate as a PDF or a photo."
        )
    return kind


def stored_kind(field_file):
    """The Kind of a stored evidence file, read again from its first bytes."""
    with field_file.open("rb") as stored:
        return kind_of(stored.read(HEADER_BYTES))
