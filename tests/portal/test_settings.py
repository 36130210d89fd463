import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-" + "Zk3!pQ9" * 6,
    "ALLOWED_HOSTS": "alongside.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://alongside.example.org",
}


def manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SECURE_SSL_REDIRECT"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", **{**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_check_deploy_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_speak_british_english_in_london_time(settings):
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"


def setting(name, **env):
    """The value Django settles on for `name` when started with `env`."""
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = manage("shell", "-c", code, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_email_url_configures_smtp():
    url = "smtp://mailer:s%40cret@mail.example.org:2525?email_use_tls=0"
    assert setting("EMAIL_HOST", EMAIL_URL=url) == "'mail.example.org'"
    assert setting("EMAIL_PORT", EMAIL_URL=url) == "2525"
    assert setting("EMAIL_HOST_PASSWORD", EMAIL_URL=url) == "'s@cret'"
    assert setting("EMAIL_USE_TLS", EMAIL_URL=url) in {"0", "False"}


def test_email_url_uses_starttls_unless_told_otherwise():
    assert setting("EMAIL_USE_TLS", EMAIL_URL="smtp://mail.example.org") == "True"
    assert setting("EMAIL_PORT", EMAIL_URL="smtp://mail.example.org") == "587"


def test_console_email_url_prints_mail():
    backend = setting("EMAIL_BACKEND", EMAIL_URL="console://")
    assert backend == "'django.core.mail.backends.console.EmailBackend'"


def test_an_empty_database_url_means_the_sqlite_file():
    assert "sqlite3" in setting("DATABASES['default']['ENGINE']", DATABASE_URL="")


def test_every_variable_the_settings_read_is_in_the_readme():
    source = (ROOT / "portal" / "settings.py").read_text()
    readme = (ROOT / "README.md").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))
    assert read, "the settings read no variables?"
    assert {name for name in read if f"`{name}`" not in readme} == set()


def test_production_refuses_to_start_without_an_audit_key():
    result = manage("check", **{**PRODUCTION, "AUDIT_KEY": ""})
    assert result.returncode != 0
    assert "AUDIT_KEY must be set" in result.stderr
