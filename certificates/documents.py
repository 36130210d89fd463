"""Certificates as PDFs: what one says, how it is rendered safely, and its cache.

WeasyPrint is handed HTML we rendered ourselves and a URL fetcher that serves the
project's own static files and nothing else, so text a person typed can never make the
renderer read a file on the server or call out to the network. The font configuration
and the parsed stylesheets are built once per thread and reused for every render.

A rendered PDF is kept in private storage under a hash of everything printed on it, so
a repeat download reads the stored file, and any change to the record or to the
organisation's settings gives a new key (the old file is simply never asked for again).
"""

import base64
import hashlib
import logging
import mimetypes
import posixpath
import threading
from dataclasses import astuple, dataclass
from datetime import date
from functools import cached_property
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from organisation.current import current_organisation
from organisation.models import OrganisationSettings
from organisation.words import side_name
from training import codes, rules
from training.models import TrainingRecord
from training.selectors import in_date_filter
from training.storage import private_storage

# WeasyPrint logs every step of every render at INFO; a busy site needs only problems.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Bump when a template's wording or layout changes, so cached PDFs are rendered again.
TEMPLATE_VERSION = "1"
CACHE_FOLDER = "certificates/cache"
CERTIFICATE_STYLESHEET = "certificates/certificate.css"

VALID = "valid"
EXPIRED = "expired"
REVOKED = "revoked"
REPLACED = "replaced"


class RefusedURL(ValueError):
    """The renderer asked for something other than the project's own static files."""


def static_base_url():
    return settings.SITE_URL + settings.STATIC_URL


def static_url(name):
    return static_base_url() + name


class StaticFilesOnly(URLFetcher):
    """A WeasyPrint URL fetcher that serves the project's static files and refuses the rest.

    `embedded` maps data: URIs that we generated ourselves (the logo) to their bytes; any
    other data: URI, file:// path, http(s):// address or unknown scheme is refused.
    """

    def __init__(self, embedded=None):
        super().__init__(fail_on_errors=False)
        self.embedded = dict(embedded or {})

    def fetch(self, url, headers=None):
        if url in self.embedded:
            mime_type, body = self.embedded[url]
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})
        path = static_file_path(url)
        with open(path, "rb") as static_file:
            body = static_file.read()
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})


def static_file_path(url):
    """The file on disk behind one of our static URLs, or RefusedURL."""
    base = static_base_url()
    if not url.startswith(base):
        raise RefusedURL(f"Only the site's static files may be loaded, not {url[:80]!r}")
    name = unquote(urlsplit(url[len(base) :]).path)
    parts = name.split("/")
    # Django's finders refuse paths leaving a static folder too; checking here as well
    # means a refusal never depends on which finders happen to be configured.
    if not name or "\\" in name or name.startswith("/") or ".." in parts:
        raise RefusedURL(f"Not a static file name: {name[:80]!r}")
    path = finders.find(posixpath.normpath(name))
    if not path:
        raise RefusedURL(f"No such static file: {name[:80]!r}")
    return path


class _Renderer:
    """What every render can share: one font configuration and the parsed stylesheets."""

    def __init__(self):
        self.font_config = FontConfiguration()
        self.stylesheets = {}

    def stylesheet(self, name):
        """(parsed CSS, digest of its text) for a static stylesheet, parsed once."""
        if name not in self.stylesheets:
            fetcher = StaticFilesOnly()
            text = fetcher.fetch(static_url(name)).read().decode()
            css = CSS(
                string=text,
                base_url=static_url(name),
                url_fetcher=fetcher,
                font_config=self.font_config,
            )
            self.stylesheets[name] = (css, hashlib.sha256(text.encode()).hexdigest())
        return self.stylesheets[name]

    def write_pdf(self, html, stylesheet_name, embedded=None):
        css, _ = self.stylesheet(stylesheet_name)
        document = HTML(
            string=html, base_url=static_base_url(), url_fetcher=StaticFilesOnly(embedded)
        )
        return document.write_pdf(stylesheets=[css], font_config=self.font_config)


# One renderer per thread: WeasyPrint's font configuration is not meant to be shared
# between threads, and a threaded server must not have two renders use one at once.
_per_thread = threading.local()


def renderer():
    if not hasattr(_per_thread, "renderer"):
        _per_thread.renderer = _Renderer()
    return _per_thread.renderer


def stylesheet_digest(name):
    """A hash of a stylesheet's text, part of every cache key: restyling renders anew."""
    return renderer().stylesheet(name)[1]


def render_pdf(html, stylesheet_name, embedded=None):
    """PDF bytes for HTML we rendered from a template; the one place WeasyPrint runs."""
    return renderer().write_pdf(html, stylesheet_name, embedded)


def cached_pdf(key, render):
    """The PDF stored under `key`, rendering (and storing) it with `render()` when absent."""
    storage = private_storage()
    name = f"{CACHE_FOLDER}/{key}.pdf"
    if storage.exists(name):
        with storage.open(name, "rb") as stored:
            return stored.read()
    pdf = render()
    saved = storage.save(name, ContentFile(pdf))
    if saved != name:
        # Another request stored the same PDF meanwhile; keep one copy.
        storage.delete(saved)
    return pdf


def cache_clear():
    """Delete every cached PDF (each renders again when next asked for); how many went.

    Cached PDFs are named by a hash of their content, not by whom they are about, so
    removing one person's (when their details are purged) means removing them all.
    """
    storage = private_storage()
    try:
        names = storage.listdir(CACHE_FOLDER)[1]
    except FileNotFoundError:
        return 0
    for name in names:
        storage.delete(f"{CACHE_FOLDER}/{name}")
    return len(names)


def content_key(*parts):
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# The organisation named on certificates --------------------------------------------


@dataclass(frozen=True)
class Organisation:
    name: str
    called: str  # the short name, as in "training provided by Leeds Mind"
    signatory_name: str
    signatory_role: str
    logo_key: str
    logo: object  # the Wagtail image, or None

    @cached_property
    def logo_data(self):
        """(data: URI, {uri: (mime type, bytes)}) for the logo, read through storage once."""
        if self.logo is None:
            return "", {}
        rendition = self.logo.get_rendition("max-600x240|format-png")
        with rendition.file.open("rb") as image:
            body = image.read()
        uri = "data:image/png;base64," + base64.b64encode(body).decode()
        return uri, {uri: ("image/png", body)}


def organisation():
    """The organisation's settings (of the default site), with its logo, in one query."""
    values = (
        OrganisationSettings.objects.select_related("logo")
        .filter(site__is_default_site=True)
        .first()
    )
    if values is None:  # never saved: Wagtail creates the row with its defaults
        values = current_organisation()
    logo = values.logo
    return Organisation(
        name=values.name,
        called=values.called,
        signatory_name=values.signatory_name,
        signatory_role=values.signatory_role,
        logo_key=f"{logo.pk}:{logo.file.name}:{logo.file_hash}" if logo else "",
        logo=logo,
    )


# One certificate ----------------------------------------------------------------------


def check_url(code):
    return f"{settings.SITE_URL}/verify/{codes.display(code)}/"


def qr_svg(url):
    """An inline SVG QR code for `url`, drawn as one path so it renders quickly."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True)


def certificate_state(record, today):
    """valid, expired or revoked: what the public check page says about a record."""
    if record.status != TrainingRecord.Status.VERIFIED:
        return REVOKED
    if rules.has_expired(record.valid_until, today):
        return EXPIRED
    return VALID


def revoked_on(record):
    """The day a certificate's record was rejected (rejection is final), from its history."""
    rejected = (
        record.history.filter(status=TrainingRecord.Status.REJECTED)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return timezone.localdate(rejected) if rejected else None


@dataclass(frozen=True)
class CertificateContent:
    """Everything printed on a certificate; its hash names the cached PDF."""

    code: str
    holder: str
    module: str
    provider: str
    completed_on: date
    valid_until: date | None
    status: str
    organisation_name: str
    signatory_name: str
    signatory_role: str
    logo_key: str
    check_url: str


def holder_name(person):
    """The legal name of a person, as printed on their passport."""
    return person.legal_name()


def issued_name(record):
    """The name a certificate was issued to: kept on the record, whatever happens later."""
    return record.issued_name or holder_name(record.person)


def replaced_certificate(code):
    """The record whose certificate once had `code` and was re-issued with a new one."""
    earlier = (
        TrainingRecord.history.filter(certificate_code=code)
        .exclude(id__in=TrainingRecord.objects.filter(certificate_code=code).values("pk"))
        .order_by("-history_date")
        .first()
    )
    if earlier is None:
        return None
    return TrainingRecord.objects.select_related("module").filter(pk=earlier.id).first()


def certificate_content(record, organisation):
    return CertificateContent(
        code=record.certificate_code,
        holder=issued_name(record),
        module=record.module.title,
        provider=side_name(record.provider, organisation),
        completed_on=record.completed_on,
        valid_until=record.valid_until,
        status=record.status,
        organisation_name=organisation.name,
        signatory_name=organisation.signatory_name,
        signatory_role=organisation.signatory_role,
        logo_key=organisation.logo_key,
        check_url=check_url(record.certificate_code),
    )


def certificate_html(content, logo_uri=""):
    return render_to_string(
        "certificates/certificate.html",
        {
            "certificate": content,
            "code": codes.display(content.code),
            "qr_svg": qr_svg(content.check_url),
            "logo_uri": logo_uri,
        },
    )


def render_certificate(content, organisation):
    logo_uri, embedded = organisation.logo_data
    return render_pdf(certificate_html(content, logo_uri), CERTIFICATE_STYLESHEET, embedded)


def certificate_pdf(record, organisation):
    """The PDF of a verified record's certificate, from the cache when it is there."""
    content = certificate_content(record, organisation)
    key = content_key(
        "certificate",
        TEMPLATE_VERSION,
        stylesheet_digest(CERTIFICATE_STYLESHEET),
        *astuple(content),
    )
    return cached_pdf(key, lambda: render_certificate(content, organisation))


def certificate_filename(record):
    return f"certificate-{codes.display(record.certificate_code)}.pdf"


PRINTED_FIELDS = (
    "issued_name",
    "person__first_name",
    "person__last_name",
    "person__username",
    "module__title",
    "provider",
    "completed_on",
    "valid_until",
    "status",
    "certificate_code",
)


def current_certificates(today):
    """Verified certificates not yet expired on `today`, with what printing needs."""
    return (
        TrainingRecord.objects.filter(
            status=TrainingRecord.Status.VERIFIED, certificate_code__isnull=False
        )
        .filter(in_date_filter(today))
        .select_related("person", "module")
    )
