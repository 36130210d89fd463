"""Lighthouse (mobile) on the pages peer support workers, supervisors and service leads
use, served as in production: gunicorn, whitenoise and hashed, compressed static files.

    python -m bench.lighthouse [--runs 3] [--pages landing|header] [--database-url URL]

Not part of CI. It needs Node.js with npm and Debian's Chromium (CHROME_PATH, default
/usr/bin/chromium); the first run installs Lighthouse with npm into bench/.lighthouse/
(ignored by git). Everything stays on 127.0.0.1: gunicorn is bound there, Lighthouse's
error reporting is off and Chromium's background networking, sync and updates are off.

It migrates a fresh database (a SQLite file in a scratch folder unless --database-url
names an empty PostgreSQL database), seeds the demo organisation, collects static files,
starts gunicorn, signs in over HTTP as psw1, nhs.rc and lead.rc, and audits each one's
landing page (`--pages landing`) or also every page the site header links to (`--pages
header`, the default). Each page is audited `--runs` times with the person's session
cookie (Lighthouse's --extra-headers); the table gives medians of the performance,
accessibility and best-practices scores and of the bytes transferred (Lighthouse's
total-byte-weight: HTML, CSS, JavaScript, fonts and images as they crossed the wire).
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

from bench.load import free_port, manage, site_environment, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "bench" / ".lighthouse"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_VERSION = "12"
PASSWORD = "lighthouse-" + secrets.token_urlsafe(12)
PEOPLE = [("peer support worker", "psw1"), ("supervisor", "nhs.rc"), ("service lead", "lead.rc")]
CATEGORIES = ("performance", "accessibility", "best-practices")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHROME_FLAGS = " ".join(
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--metrics-recording-only",
    ]
)


def install_lighthouse():
    if LIGHTHOUSE.exists():
        return
    print("Installing Lighthouse with npm into bench/.lighthouse/ ...", flush=True)
    TOOLS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(TOOLS),
         f"lighthouse@{LIGHTHOUSE_VERSION}"],
        check=True,
        env={**os.environ, "NPM_CONFIG_UPDATE_NOTIFIER": "false"},
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


class HeaderLinks(HTMLParser):
    """The href of every link inside the page's <header>."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "header":
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag == "header" and self.depth:
            self.depth -= 1


class Person:
    """One signed-in person: their session cookie, and where /login/ sent them."""

    def __init__(self, port, username):
        self.port = port
        self.cookies = {}
        _, page = self.request("GET", "/login/")
        token = TOKEN.search(page.decode()).group(1)
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        status, _, location = self.request("POST", "/login/", urlencode(form), with_location=True)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not sign in (answer {status})")
        self.landing = urlsplit(location).path

    def request(self, method, path, body=None, with_location=False):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = self.headers()
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = headers["Referer"] = f"https://127.0.0.1:{self.port}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            if with_location:
                return response.status, content, response.getheader("Location", "")
            return response.status, content
        finally:
            connection.close()

    def headers(self):
        return {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }

    def pages(self, which):
        start = self.landing
        found = [start]
        if which == "header":
            _, html = self.request("GET", start)
            parser = HeaderLinks()
            parser.feed(html.decode())
            for href in parser.links:
                url = urlsplit(urljoin(start, href))
                if url.netloc or url.path.startswith(("/logout", "/static/")):
                    continue
                path = url.path + (f"?{url.query}" if url.query else "")
                if path not in found and path != "/":
                    found.append(path)
        return found


def audit(url, headers, scratch):
    """One Lighthouse run: {category: score out of 100, "bytes": total transferred}."""
    report = scratch / "report.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--no-enable-error-reporting",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--extra-headers={json.dumps(headers)}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    result = json.loads(report.read_text())
    scores = {name: round(100 * (result["categories"][name]["score"] or 0)) for name in CATEGORIES}
    scores["bytes"] = int(result["audits"]["total-byte-weight"]["numericValue"])
    scores["failing"] = sorted(
        audit_id
        for name in CATEGORIES
        for ref in result["categories"][name]["auditRefs"]
        if ref["weight"]
        and (audit_id := ref["id"])
        and (result["audits"][audit_id]["score"] is not None)
        and result["audits"][audit_id]["score"] < 0.9
    )
    return scores


def median_of(runs):
    summary = {key: statistics.median(run[key] for run in runs) for key in (*CATEGORIES, "bytes")}
    summary["failing"] = sorted({audit_id for run in runs for audit_id in run["failing"]})
    return summary


def report(rows, runs):
    print(f"\nLighthouse, mobile preset, medians of {runs} run(s) per page")
    print(f"{'who':<22}{'page':<34}{'perf':>5}{'a11y':>5}{'best':>5}{'KB':>8}")
    for who, path, summary in rows:
        print(
            f"{who:<22}{path:<34}{summary['performance']:>5.0f}{summary['accessibility']:>5.0f}"
            f"{summary['best-practices']:>5.0f}{summary['bytes'] / 1024:>8.1f}"
        )
    for who, path, summary in rows:
        if summary["failing"]:
            print(f"  below 90 on {path} ({who}): {', '.join(summary['failing'])}")


def start_site(options, scratch, port):
    database_url = options.database_url or f"sqlite:///{scratch / 'bench.sqlite3'}"
    env = site_environment(database_url, scratch, port)
    env.update(
        STATIC_MANIFEST="1",
        STATIC_ROOT=str(scratch / "static"),
        SECURE_SSL_REDIRECT="0",
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
    )
    print("Migrating, seeding the demo organisation and collecting static files...", flush=True)
    manage(env, "migrate", "--no-input")
    manage(env, "seed_demo", "--password", PASSWORD)
    manage(env, "collectstatic", "--no-input")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    wait_until_up(port, server)
    return server


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", choices=["landing", "header"], default="header")
    parser.add_argument("--database-url", help="An empty PostgreSQL database to use.")
    options = parser.parse_args(argv)
    if not 1 <= options.runs <= 15:
        parser.error("--runs from 1 to 15")
    install_lighthouse()
    scratch = Path(tempfile.mkdtemp(prefix="alongside-lighthouse-"))
    port = free_port()
    server = None
    try:
        server = start_site(options, scratch, port)
        rows = []
        for who, username in PEOPLE:
            person = Person(port, username)
            for path in person.pages(options.pages):
                url = f"http://127.0.0.1:{port}{path}"
                print(f"{who}: {path}", flush=True)
                runs = []
                for _ in range(options.runs):
                    try:
                        runs.append(audit(url, person.headers(), scratch))
                    except subprocess.CalledProcessError as failed:
                        print(f"  Lighthouse stopped (exit {failed.returncode}); run left out")
                if runs:
                    rows.append((who, path, median_of(runs)))
        report(rows, options.runs)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
