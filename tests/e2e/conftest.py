"""Browser journeys: Debian's Chromium, driven by Playwright, against a live server
holding the demo organisation.

Each journey starts from a freshly seeded demo (about four seconds), so journeys never
depend on one another's order. `look(page, name)` is the checkpoint every journey calls
once a page shows what it should: it runs axe-core over the page and, when
ALONGSIDE_GUIDE_SCREENSHOTS names a folder, saves a screenshot there for the user guide.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

pytest.importorskip("playwright", reason="browser tests need Playwright for Python")

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "journey-demo-password"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.environ.get("ALONGSIDE_GUIDE_SCREENSHOTS")

# Violations inside Wagtail's own admin markup that this project cannot change.
# Each entry is (rule id, CSS selector of the node); keep it narrow and say why.
WAGTAIL_OWN = set()

expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    """On SQLite, a database file rather than memory: the live server answers several
    requests at once, each on its own connection, as in production."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "e2e.sqlite3")


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium)")
    # Playwright's sync API keeps an event loop in this thread; Django would take the
    # test's own database calls for async code. They are not: allow them while it runs.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def demo(live_server, django_db_serialized_rollback):
    """The demo organisation, seeded for today, served by the live server."""
    call_command("seed_demo", password=PASSWORD, stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def open_as(browser, demo):
    """open_as(username or None, phone=False) -> a page signed in as that person."""
    contexts = []

    def open_page(username, *, phone=False):
        context = browser.new_context(
            base_url=demo,
            viewport=PHONE if phone else DESKTOP,
            accept_downloads=True,
            is_mobile=phone,
            locale="en-GB",
            timezone_id="Europe/London",
            has_touch=phone,
        )
        contexts.append(context)
        page = context.new_page()
        if username:
            sign_in(page, username)
        return page

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, username):
    page.goto("/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in")


def serious_violations(page):
    """axe-core's serious and critical findings on the page, minus WAGTAIL_OWN."""
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        nodes = [
            node
            for node in violation["nodes"]
            if (violation["id"], " ".join(map(str, node["target"]))) not in WAGTAIL_OWN
        ]
        for node in nodes:
            found.append(f"{violation['id']}: {node['target']} {node.get('failureSummary', '')}")
    return found


# Every element that shows a status by its colour must also say it in words.
COLOUR_ONLY_STATUSES = """() => [...document.querySelectorAll(".status, .cstatus, .w-status")]
    .filter(element => element.offsetParent !== null || element.closest(".w-sr-only"))
    .filter(element => !/[A-Za-z]{3,}/.test(element.textContent))
    .map(element => element.outerHTML)"""


def look(page, name):
    """Checkpoint: the page as a person sees it now passes axe, says every status in
    words, and is photographed."""
    page.wait_for_load_state("load")
    # Messages and menus slide in: judge colours once the page has settled.
    # (Wagtail's "new in this menu" badge pings for 25 seconds: not worth waiting for.)
    page.evaluate(
        """Promise.all(document.getAnimations()
            .filter(animation => animation.effect.getComputedTiming().endTime <= 5000)
            .map(animation => animation.finished))"""
    )
    assert serious_violations(page) == [], f"accessibility problems on {name} ({page.url})"
    assert page.evaluate(COLOUR_ONLY_STATUSES) == [], f"status by colour alone on {name}"
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=False)


@pytest.fixture
def a_pdf(tmp_path):
    """A small, valid one-page PDF, as a training provider might send."""
    path = tmp_path / "pmva-certificate.pdf"
    content = b"BT /F1 18 Tf 72 720 Td (Certificate of attendance) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    path.write_bytes(out.getvalue())
    return path
