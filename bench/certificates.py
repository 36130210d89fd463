"""How fast certificates are: python -m bench.certificates [--runs N]

Builds a throwaway organisation in an in-memory SQLite database (nothing on disk is
touched but a temporary folder), then reports medians for:

- a cold certificate download (the whole request through Django's test client, with
  the PDF cache emptied first) and a cached one;
- a training passport of 20 items;
- a ZIP of 500 certificates built by the bulk task, from an empty cache;
- baselines in the same run: WeasyPrint rendering the same certificate HTML on its
  own (with the same shared fonts and parsed stylesheet), and a one-line HTML page.

Targets: cold download within 1.5x of rendering alone; a cached download at least 10x
faster than a cold one; 500 certificates in under 30 seconds.
"""

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import date


def configure():
    scratch = tempfile.mkdtemp(prefix="alongside-bench-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL="sqlite://:memory:",
        PRIVATE_ROOT=os.path.join(scratch, "private"),
        MEDIA_ROOT=os.path.join(scratch, "media"),
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-" + "k3Vq8" * 10,
        AUDIT_KEY="bench-only-audit-key-" + "w4Jd9" * 8,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        STATIC_MANIFEST="0",
        MFA_REQUIRED="0",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return scratch


def seconds(action, before=None):
    if before:
        before()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median_seconds(action, runs, before=None):
    return statistics.median(seconds(action, before) for _ in range(runs))


def paired_medians(runs, *measurements):
    """Medians of several (action, before) pairs run in turn, so load on a shared
    machine falls on each of them alike."""
    times = [[] for _ in measurements]
    for _ in range(runs):
        for taken, (action, before) in zip(times, measurements, strict=True):
            taken.append(seconds(action, before))
    return [statistics.median(taken) for taken in times]


def build_organisation(people=25, both_modules=10):
    """One service of `people` PSWs, each with a certificate for all 20 requirements."""
    from tests import factories
    from training import codes

    service = factories.ServiceFactory(name="Bench CMHT")
    modules = [
        factories.module(f"Bench module {n}", provider="both", renewal_months=36)
        for n in range(both_modules)
    ]
    psws = [factories.psw(service=service) for _ in range(people)]
    for person in psws:
        for n, module in enumerate(modules):
            for provider in ("nhs", "employer"):
                factories.TrainingRecordFactory(
                    person=person,
                    module=module,
                    provider=provider,
                    completed_on=date(2025, 1 + n % 12, 10),
                    certificate_code=codes.new_code(),
                )
    return service, psws


def report(label, seconds, unit="ms"):
    value = seconds * 1000 if unit == "ms" else seconds
    print(f"  {label:<52} {value:9.1f} {unit}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="repeats per measurement")
    runs = parser.parse_args().runs
    scratch = configure()

    from django.test import Client
    from django.utils import timezone
    from weasyprint import HTML

    from certificates import documents
    from certificates.tasks import build_certificate_bundle
    from training import codes
    from training.models import CertificateBundle, TrainingRecord

    print("Setting up 25 PSWs with 20 certificates each …")
    service, psws = build_organisation()
    holder = psws[0]
    record = TrainingRecord.objects.filter(person=holder).select_related("person", "module")[0]
    client = Client()
    client.force_login(holder)
    url = f"/certificates/{codes.display(record.certificate_code)}.pdf"
    cache_folder = os.path.join(os.environ["PRIVATE_ROOT"], documents.CACHE_FOLDER)

    def empty_cache():
        shutil.rmtree(cache_folder, ignore_errors=True)

    def download(path):
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    empty_cache()
    download(url)  # the first render of the process loads fonts and parses the stylesheet
    organisation = documents.organisation()
    content = documents.certificate_content(record, organisation)
    html = documents.certificate_html(content)

    def render_alone():
        documents.render_pdf(html, documents.CERTIFICATE_STYLESHEET)

    def render_one_line():
        HTML(string="<p>Hello.</p>").write_pdf()

    render_one_line()

    alone, one_line, cold, cached = paired_medians(
        runs,
        (render_alone, None),
        (render_one_line, None),
        (lambda: download(url), empty_cache),
        (lambda: download(url), None),
    )
    passport_url = f"/passport/{holder.username}.pdf"
    passport_cold = median_seconds(lambda: download(passport_url), runs, before=empty_cache)
    passport_cached = median_seconds(lambda: download(passport_url), runs)

    def build_zip():
        bundle = CertificateBundle.objects.create(service=service, as_of=timezone.localdate())
        build_certificate_bundle.enqueue(bundle.pk)
        bundle.refresh_from_db()
        assert (bundle.status, bundle.total) == ("ready", 500), (bundle.status, bundle.total)

    zip_runs = max(1, min(3, runs))
    zip_500 = median_seconds(build_zip, zip_runs, before=empty_cache)

    print(f"\nMedians over {runs} runs (ZIP: {zip_runs}), measured in turn:")
    report("WeasyPrint alone: the certificate's HTML", alone)
    report("WeasyPrint alone: a one-line HTML page", one_line)
    report("cold certificate download (whole request)", cold)
    report("cached certificate download (whole request)", cached)
    report("training passport, 20 items, cold", passport_cold)
    report("training passport, 20 items, cached", passport_cached)
    report("ZIP of 500 certificates, cold cache", zip_500, unit="s")
    print("\nTargets:")
    checks = [
        ("cold download / rendering alone", cold / alone, "<= 1.5", cold / alone <= 1.5),
        ("cold download / cached download", cold / cached, ">= 10", cold / cached >= 10),
        ("ZIP of 500 certificates (s)", zip_500, "< 30", zip_500 < 30),
    ]
    for label, value, target, met in checks:
        print(f"  {label:<40} {value:7.2f}  target {target:<6} {'met' if met else 'NOT MET'}")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
