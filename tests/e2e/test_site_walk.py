"""Every page a peer support worker, a supervisor and a service lead can reach from
where they land, walked on a 390×844 phone (issue 17, "Done when").

The walk starts at the landing page and follows every link on the same site (GET
only, tests/site_links.py says which), so pages that others add to a role's header are
walked without being listed here. Each page must not overflow the phone's width, must
not say "Wagtail", and must pass axe with no serious or critical finding; the failure
lists every page that does not, with what is wrong.
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.site_links import MOST_PAGES, shape, worth_following

from .conftest import PHONE, serious_violations

pytestmark = pytest.mark.e2e

PEOPLE = {"psw": "psw1", "supervisor": "nhs.rc", "service_lead": "lead.rc"}
# Pages each walk must reach: the newest pages, so a lost link cannot hide them.
MUST_REACH = {
    "psw": ["/me/", "/me/training/", "/me/supervision/"],
    "supervisor": ["/supervising/", "/supervising/training/", "/supervising/certificates/"],
    "service_lead": ["/service/", "/service/people/"],
}
# A phone browser zooms out to fit a page wider than itself (innerWidth grows with
# it), so the page is measured against the phone's own width.
PAGE_WIDTH = "document.documentElement.scrollWidth"
LINKS = "links => links.map(link => link.href)"


def problems_on(page):
    found = []
    width = page.evaluate(PAGE_WIDTH)
    if width > PHONE["width"]:
        found.append(f"wider than the phone ({width} px)")
    if "Wagtail" in page.content():
        found.append('says "Wagtail"')
    found += [f"axe: {violation}" for violation in serious_violations(page)]
    return found


def walk(page):
    """{url: [problems]} for every page reached from the one `page` is on."""
    site = urlsplit(page.url).netloc
    queue, seen, report = [page.url], {shape(page.url)}, {}
    while queue and len(report) < MOST_PAGES:
        url = queue.pop(0)
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state("load")
        report[page.url] = problems_on(page)
        seen.add(shape(page.url))
        for href in page.eval_on_selector_all("a[href]:not([download])", LINKS):
            href = href.split("#")[0]
            if worth_following(href, site) and shape(href) not in seen:
                seen.add(shape(href))
                queue.append(href)
    return report


@pytest.mark.parametrize("role", PEOPLE)
def test_every_page_a_role_reaches_fits_a_phone_and_never_says_wagtail(open_as, role):
    page = open_as(PEOPLE[role], phone=True)
    report = walk(page)
    assert len(report) > 1, f"the walk from {page.url} found no other page"
    walked = {urlsplit(url).path for url in report}
    assert not set(MUST_REACH[role]) - walked, f"not reached: {set(MUST_REACH[role]) - walked}"
    failing = {url: found for url, found in report.items() if found}
    listing = "\n".join(f"{url}: {'; '.join(found)}" for url, found in failing.items())
    assert not failing, f"{len(failing)} of {len(report)} pages fail:\n{listing}"
