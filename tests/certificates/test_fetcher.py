import logging

import pytest

from certificates import documents
from certificates.documents import RefusedURL, StaticFilesOnly


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/x.png",
        "https://example.org/x.css",
        "data:text/plain,hello",
        "ftp://example.org/x.png",
        "{static}../settings.py",
        "{static}certificates/../../portal/settings.py",
        "{static}certificates/%2e%2e/%2e%2e/portal/settings.py",
        "{static}/etc/passwd",
        "{static}certificates\\..\\..\\manage.py",
        "{static}certificates/no-such-file.css",
        "{site}/media/evidence/x.pdf",
    ],
)
def test_fetcher_refuses_anything_but_the_projects_static_files(url):
    url = url.format(static=documents.static_base_url(), site=documents.settings.SITE_URL)
    with pytest.raises(RefusedURL):
        StaticFilesOnly().fetch(url)


def test_fetcher_serves_a_real_static_file():
    response = StaticFilesOnly().fetch(documents.static_url("certificates/certificate.css"))
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_fetcher_serves_a_data_uri_only_when_we_generated_it():
    uri = "data:image/png;base64,iVBORw0KGgo="
    response = StaticFilesOnly({uri: ("image/png", b"\x89PNG")}).fetch(uri)
    assert response.read() == b"\x89PNG"
    with pytest.raises(RefusedURL):
        StaticFilesOnly().fetch(uri)


def test_rendering_refuses_a_local_file_named_in_the_html(caplog):
    html = (
        '<link rel="stylesheet" href="file:///etc/passwd">'
        '<img src="http://example.org/tracker.png"><p>Hello</p>'
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = documents.render_pdf(html, documents.CERTIFICATE_STYLESHEET)
    assert pdf.startswith(b"%PDF")
    refused = [r.getMessage() for r in caplog.records if "RefusedURL" in r.getMessage()]
    assert any("file:///etc/passwd" in message for message in refused)
    assert any("example.org/tracker.png" in message for message in refused)
