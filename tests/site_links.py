"""Which links a walk over the site follows, shared by the browser walk
(tests/e2e/test_site_walk.py) and the page-size test (tests/portal/test_page_size.py).

A walk starts where a person lands and follows links on the same site (GET only). It
leaves out signing out, files (PDFs, evidence, spreadsheet downloads) and static
assets, and visits one page of each shape: numbers in the path, and the values of the
query string, do not make a new page (one person's page stands for every person's, one
filter for every filter).
"""

import re
from urllib.parse import parse_qsl, urlsplit

MOST_PAGES = 40
NOT_PAGES = ("/logout", "/static/", "/media/", "/documents/", "/evidence/", "/passport/")
FILES = re.compile(r"\.(pdf|csv|xlsx|zip|png|jpe?g|svg)$|[?&]export=", re.IGNORECASE)


def shape(url):
    """What makes a page a different page: its path with numbers as N, and which
    query parameters it has."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path)
    return path, tuple(sorted({name for name, _ in parse_qsl(parts.query)}))


def worth_following(url, site):
    """Whether a walk on `site` (host and port, empty for relative links) follows `url`."""
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https", "")
        and parts.netloc in (site, "")
        and not parts.path.startswith(NOT_PAGES)
        and not FILES.search(parts.path + ("?" + parts.query if parts.query else ""))
    )
