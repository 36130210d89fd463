"""Every site page a peer support worker, a supervisor and a service lead can reach is
small: under 60 KB transferred, and never the Wagtail admin's bundle (issue 17, item 7).

The walk follows links from where each person lands and from the site's home page, as
tests/site_links.py says;
pages of the staff workspace (/admin/) are walked through but not weighed: they are
the managers' door, and the browser walk (tests/e2e/test_site_walk.py) fails on them.

What a page weighs is what a browser downloads to show it: the HTML as Django sends
it (not compressed: the site does not compress pages, which carry the CSRF token),
plus every stylesheet, script, icon and image it links to, and every font or image
those stylesheets load, as whitenoise serves them in production: gzip-compressed
(level 9, as whitenoise writes them; it also keeps a smaller Brotli copy, so this is
an upper bound) for text, as they are for images and fonts already compressed.
"""

import gzip
import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.core.management import call_command

from people.models import User
from portal.doors import landing_url
from tests.site_links import MOST_PAGES, shape, worth_following

pytestmark = pytest.mark.django_db

PEOPLE = {"psw": "psw1", "supervisor": "nhs.rc", "service_lead": "lead.rc"}
# Pages each walk must reach: the newest pages, so a lost link cannot hide them.
MUST_REACH = {
    "psw": ["/me/", "/me/training/", "/me/supervision/"],
    "supervisor": ["/supervising/", "/supervising/training/", "/supervising/certificates/"],
    "service_lead": ["/service/", "/service/people/"],
}
LIMIT = 60 * 1024
SITE = "testserver"
ASSET_RELS = {"stylesheet", "icon", "preload", "modulepreload", "apple-touch-icon", "manifest"}
ALREADY_COMPRESSED = re.compile(r"\.(png|jpe?g|gif|webp|avif|woff2?|ico)$", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class PageParts(HTMLParser):
    """The links and the assets of one HTML page."""

    def __init__(self):
        super().__init__()
        self.links, self.assets = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.links.append(attrs["href"])
        elif tag == "link" and ASSET_RELS & set((attrs.get("rel") or "").split()):
            self.assets.append(attrs.get("href"))
        elif tag in ("script", "img", "source", "iframe") and attrs.get("src"):
            self.assets.append(attrs["src"])


def transferred(client, url):
    """(bytes a browser downloads for this asset, its content as text or None)."""
    path = urlsplit(url).path
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        assert found, f"{url} is not a static file"
        with open(found, "rb") as file:
            content = file.read()
    elif path.startswith(settings.MEDIA_URL):
        with default_storage.open(path.removeprefix(settings.MEDIA_URL)) as file:
            content = file.read()
    else:
        content = client.get(url).content
    size = len(content) if ALREADY_COMPRESSED.search(path) else len(gzip.compress(content, 9))
    text = content.decode() if path.endswith(".css") else None
    return size, text


def weigh(client, url, html):
    """{asset url: bytes} of everything a page loads, the page itself included."""
    parts = PageParts()
    parts.feed(html)
    weights = {url: len(html.encode())}
    queue = [urljoin(url, asset) for asset in parts.assets if asset]
    while queue:
        asset = queue.pop(0)
        if asset in weights or asset.startswith("data:"):
            continue
        weights[asset], css = transferred(client, asset)
        if css:
            queue += [urljoin(asset, found) for found in CSS_URL.findall(css)]
    return weights, parts.links


def walk_and_weigh(client, starts):
    """{site page: {asset: bytes}} for the pages reached from `starts`."""
    queue, seen, pages, walked = list(starts), {shape(start) for start in starts}, {}, 0
    while queue and walked < MOST_PAGES:
        url = queue.pop(0)
        response = client.get(url, follow=True)
        walked += 1
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        here = response.request["PATH_INFO"] + (
            "?" + response.request["QUERY_STRING"] if response.request["QUERY_STRING"] else ""
        )
        weights, links = weigh(client, here, response.content.decode())
        if not here.startswith("/admin/"):
            pages[here] = weights
        for href in links:
            target = urljoin(here, href).split("#")[0]
            if worth_following(target, SITE) and shape(target) not in seen:
                seen.add(shape(target))
                queue.append(urlsplit(target)._replace(scheme="", netloc="").geturl())
    return pages


@pytest.fixture
def demo():
    call_command("seed_demo", password="page-size-demo", stdout=io.StringIO())


@pytest.mark.parametrize("role", PEOPLE)
def test_every_site_page_a_role_reaches_is_under_60_kb_with_no_admin_bundle(client, demo, role):
    person = User.objects.get(username=PEOPLE[role])
    client.force_login(person)
    pages = walk_and_weigh(client, [landing_url(person), "/"])
    assert pages, "the walk found no site page"
    assert not set(MUST_REACH[role]) - set(pages), (
        f"not reached: {set(MUST_REACH[role]) - set(pages)}"
    )
    heavy = {url: sum(w.values()) for url, w in pages.items() if sum(w.values()) >= LIMIT}
    admin = {url: [a for a in w if "wagtailadmin" in a] for url, w in pages.items()}
    admin = {url: assets for url, assets in admin.items() if assets}
    sizes = "\n".join(f"{url}: {sum(w.values()) / 1024:.1f} KB" for url, w in pages.items())
    assert not heavy, f"pages of 60 KB or more:\n{sizes}"
    assert not admin, f"pages loading the Wagtail admin's files: {admin}"
