"""How long backups and restores take, and how much memory: python -m bench.backups
[--files 4000] [--size 20000]

Builds a throwaway organisation in a temporary folder (a SQLite file database, its
public and private folders), with one verified completion per evidence file, each file
SIZE bytes of random data (so it does not compress). Then runs `manage.py backup` and
`manage.py restore --force` each in a process of its own and reports the wall time and
that process's peak resident memory. Memory should stay flat as files grow: both
stream files a block at a time.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def environment(scratch):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
        "PRIVATE_ROOT": str(scratch / "private"),
        "MEDIA_ROOT": str(scratch / "media"),
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "k3Vq8" * 10,
        "AUDIT_KEY": "bench-only-audit-key-" + "p7Hx2" * 8,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "MFA_REQUIRED": "0",
        "LOG_LEVEL": "WARNING",
    }


def build(files, size):
    """Run inside the configured environment: migrate and add the records and files."""
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from people.models import User
    from training import services
    from training.models import TrainingIndexPage, TrainingModulePage

    call_command("migrate", verbosity=0)
    manager = User.objects.create(username="bench.manager", first_name="Bench")
    from django.contrib.auth.models import Group

    from people import roles

    manager.groups.add(Group.objects.get(name=roles.MANAGER))
    index = TrainingIndexPage.objects.get()
    module = index.add_child(
        instance=TrainingModulePage(title="Bench module", summary="x", provider="nhs")
    )
    people = [User.objects.create(username=f"psw{n}") for n in range(max(1, files // 40))]
    for number in range(files):
        evidence = ContentFile(b"%PDF-" + os.urandom(size - 5), name="evidence.pdf")
        services.record_create(
            person=people[number % len(people)],
            module=module,
            provider="nhs",
            completed_on=date(2010, 1, 1) + timedelta(days=number),
            evidence=evidence,
            by=manager,
        )


def measured(arguments, env):
    """(seconds, peak resident MB, exit status) of one manage.py run."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    print(output.decode().strip())
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)  # KB on Linux


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4000)
    parser.add_argument("--size", type=int, default=20000, help="bytes per file")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alongside-bench-") as folder:
        scratch = Path(folder)
        env = environment(scratch)
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"from bench.backups import build; build({options.files}, {options.size})",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        total = options.files * options.size / 2**20
        print(f"built {options.files} files ({total:.0f} MB) in {time.monotonic() - started:.0f}s")
        archive = scratch / "bench.tar.gz"
        backup = measured(["backup", "--output", str(archive)], env)
        restore = measured(["restore", "--force", str(archive)], env)
        size = archive.stat().st_size / 2**20
        print(f"archive: {size:.0f} MB")
        for name, (seconds, peak, code) in (("backup", backup), ("restore", restore)):
            print(f"{name}: {seconds:.1f}s, peak memory {peak:.0f} MB, exit {code}")


if __name__ == "__main__":
    main()
