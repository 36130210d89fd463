"""Imports point one way (docs/architecture.md, Layers): an app uses the apps below
it, never one above it, not even by name in a string or a template."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Each app, with the apps it may use.
BELOW = {
    "organisation": set(),
    "people": {"organisation"},
    "training": {"organisation", "people"},
    "supervision": {"organisation", "people"},
    "certificates": {"organisation", "people", "training", "supervision"},
    # Compliance's commands record who ran them through audit's context.
    "compliance": {"organisation", "people", "training", "supervision", "certificates", "audit"},
    "audit": {"organisation", "people", "training", "supervision", "certificates"},
    "imports": {"organisation", "people", "training", "supervision"},
}
APPS = set(BELOW) | {"portal"}


def imported_apps(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]
        elif isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get_model":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield first.value.split(".")[0]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found = re.match(r"^(\w+)\.\w+", node.value)
            if found and found.group(1) in APPS and "/" not in node.value:
                yield found.group(1)


@pytest.mark.parametrize("app", sorted(BELOW))
def test_an_app_uses_only_the_apps_below_it(app):
    allowed = BELOW[app] | {app}
    wrong = {
        f"{path.relative_to(ROOT)} uses {used}"
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for used in imported_apps(path)
        if used in APPS and used not in allowed
    }
    assert not wrong


def test_no_template_reaches_up_to_the_site_package():
    reaching = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "settings.portal" in path.read_text()
    ]
    assert not reaching
