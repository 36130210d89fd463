"""The README's two commands on a fresh machine: `make run` and `make test` install the
system packages they need (bin/system-packages) or say the one command to run.

Each test recreates a machine in a scratch folder: a library list that lacks a package,
fake `apt-get`, `sudo` and `id` programs on PATH that record how they were called, and
(for the Makefile) a fake virtualenv Python, so nothing here touches the real system.
"""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EVERY_LIBRARY = [
    "libpango-1.0.so.0 (libc6,x86-64) => /usr/lib/libpango-1.0.so.0",
    "libpangoft2-1.0.so.0 (libc6,x86-64) => /usr/lib/libpangoft2-1.0.so.0",
    "libharfbuzz-subset.so.0 (libc6,x86-64) => /usr/lib/libharfbuzz-subset.so.0",
]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


class Machine:
    """A scratch machine: programs on PATH, a library list and a log of calls."""

    def __init__(self, folder: Path, *, uid: int, sudo_works: bool, libraries: list[str]):
        self.folder = folder
        self.bin = folder / "fake-bin"
        self.bin.mkdir(parents=True)
        self.log = folder / "calls.log"
        self.log.touch()
        (folder / "libraries.txt").write_text("\n".join(libraries) + "\n")
        (folder / "DejaVuSans.ttf").touch()
        self.program("apt-get", 'echo "apt-get $*" >> "$CALLS"')
        self.program("id", f'[ "$1" = -u ] && echo {uid} || echo "uid={uid}"')
        sudo = 'echo "sudo $*" >> "$CALLS"; shift; exec "$@"' if sudo_works else "exit 1"
        self.program("sudo", sudo)
        self.programs_present = {}

    def program(self, name: str, body: str, folder: Path | None = None):
        path = (folder or self.bin) / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
        return path

    def environment(self, *, chromium: bool, redis: bool):
        present = self.folder / "present"
        present.mkdir(exist_ok=True)
        chromium_path = self.program("chromium", "true", present) if chromium else None
        redis_path = self.program("redis-server", "true", present) if redis else None
        return {
            **os.environ,
            "PATH": f"{self.bin}:{os.environ['PATH']}",
            "CALLS": str(self.log),
            "LIBRARY_LIST": f"cat {self.folder / 'libraries.txt'}",
            "FONT_FILE": str(self.folder / "DejaVuSans.ttf"),
            "CHROMIUM": str(chromium_path or self.folder / "no-chromium"),
            "REDIS_SERVER": str(redis_path or self.folder / "no-redis-server"),
        }

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines()


def without_harfbuzz():
    return [line for line in EVERY_LIBRARY if "harfbuzz" not in line]


def run_installer(machine, mode, **present):
    return subprocess.run(
        [str(ROOT / "bin" / "system-packages"), mode],
        env=machine.environment(**present),
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_as_root_a_missing_library_is_installed_after_one_update(tmp_path):
    machine = Machine(tmp_path, uid=0, sudo_works=False, libraries=without_harfbuzz())

    result = run_installer(machine, "run", chromium=False, redis=False)

    assert result.returncode == 0, result.stdout + result.stderr
    assert machine.calls() == [
        "apt-get update -qq",
        "apt-get install -y -qq libharfbuzz-subset0",
    ]
    assert result.stdout.strip() == (
        "Installing system packages: libharfbuzz-subset0 (apt-get, about a minute)"
    )


def test_test_mode_adds_the_browser_and_redis_to_the_same_single_install(tmp_path):
    machine = Machine(tmp_path, uid=0, sudo_works=False, libraries=without_harfbuzz())

    result = run_installer(machine, "test", chromium=False, redis=False)

    assert result.returncode == 0
    assert machine.calls() == [
        "apt-get update -qq",
        "apt-get install -y -qq libharfbuzz-subset0 chromium redis-server",
    ]


def test_with_passwordless_sudo_the_install_goes_through_sudo(tmp_path):
    machine = Machine(tmp_path, uid=1000, sudo_works=True, libraries=without_harfbuzz())

    result = run_installer(machine, "run", chromium=True, redis=True)

    assert result.returncode == 0
    assert "apt-get install -y -qq libharfbuzz-subset0" in machine.calls()
    assert any(call.startswith("sudo -n env DEBIAN_FRONTEND") for call in machine.calls())


def test_without_root_or_sudo_it_stops_with_the_one_command_to_run(tmp_path):
    machine = Machine(tmp_path, uid=1000, sudo_works=False, libraries=without_harfbuzz())

    result = run_installer(machine, "run", chromium=True, redis=True)

    assert result.returncode == 1
    assert "sudo apt-get update && sudo apt-get install -y libharfbuzz-subset0" in result.stdout
    assert not any(call.startswith("apt-get") for call in machine.calls())


def test_without_root_a_missing_browser_only_skips_the_browser_tests(tmp_path):
    machine = Machine(tmp_path, uid=1000, sudo_works=False, libraries=EVERY_LIBRARY)

    result = run_installer(machine, "test", chromium=False, redis=True)

    assert result.returncode == 0
    assert result.stdout.strip() == (
        "Browser and two-host tests will be skipped: they need chromium "
        "(sudo apt-get install -y chromium)."
    )


def test_a_machine_with_everything_installs_nothing_and_says_nothing(tmp_path):
    machine = Machine(tmp_path, uid=0, sudo_works=False, libraries=EVERY_LIBRARY)

    result = run_installer(machine, "test", chromium=True, redis=True)

    assert (result.returncode, result.stdout, machine.calls()) == (0, "", [])


def test_a_failed_install_of_a_required_package_stops_with_its_reason(tmp_path):
    machine = Machine(tmp_path, uid=0, sudo_works=False, libraries=without_harfbuzz())
    machine.program("apt-get", 'echo "E: Unable to locate package $*"; exit 100')

    result = run_installer(machine, "run", chromium=True, redis=True)

    assert result.returncode == 1
    assert "E: Unable to locate package" in result.stdout
    assert "Install them by hand: sudo apt-get install -y libharfbuzz-subset0" in result.stdout


def test_make_test_installs_what_is_missing_and_then_goes_on_to_the_suite(tmp_path):
    """The Makefile's own path, in a scratch copy with a stand-in virtualenv whose Python
    records its calls: the installer runs first, then the checks and the suite."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "Makefile", project / "Makefile")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    shutil.copytree(ROOT / "bin", project / "bin")
    (project / "tests" / "e2e").mkdir(parents=True)
    machine = Machine(tmp_path / "machine", uid=0, sudo_works=False, libraries=[])
    venv_bin = project / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    machine.program("python", 'echo "python $*" >> "$CALLS"', venv_bin)
    (project / ".venv" / ".installed").touch()

    result = subprocess.run(
        ["make", "--no-print-directory", "test"],
        cwd=project,
        env=machine.environment(chromium=False, redis=False),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    calls = machine.calls()
    assert calls[:2] == [
        "apt-get update -qq",
        "apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 "
        "chromium redis-server",
    ]
    assert "python -m pytest -q -m not e2e" in calls[2:]
