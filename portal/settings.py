"""Alongside's settings: one module, configured from the environment.

Every value that differs between a laptop and production comes from an environment
variable, read through django-environ (a `.env` file beside manage.py is read first, if
present, without overriding what is already set). With DEBUG off, the default, the site
refuses to start without a real SECRET_KEY and ALLOWED_HOSTS. The README's
Configuration table lists every variable read here.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# `console://` (and locmem://, dummy://) name Django's own mail backends.
environ.Env.EMAIL_SCHEMES.update(
    {
        name: f"django.core.mail.backends.{name}.EmailBackend"
        for name in ("console", "locmem", "dummy")
    }
)
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if DEBUG:
    SECRET_KEY = SECRET_KEY or "development-only-key-never-used-with-debug-off-0123456789abcdef"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
else:
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when "
            "DEBUG is off (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must list the site's host names (comma-separated) when DEBUG is off."
        )

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Which roles must use a second factor, one switch per role (MFA_ROLES lists those
# that must); MFA_REQUIRED=0 switches every one off (the local demo does; production
# must not).
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=True)
MFA_ROLE_NAMES = {
    "administrator": "Administrator",
    "manager": "Manager",
    "supervisor": "Supervisor",
    "service_lead": "Service lead",
    "psw": "Peer support worker",
}
_mfa_roles = env.list("MFA_ROLES", default=["administrator", "manager", "supervisor"])
if set(_mfa_roles) - set(MFA_ROLE_NAMES):
    raise ImproperlyConfigured(
        f"MFA_ROLES takes a comma-separated list of: {', '.join(MFA_ROLE_NAMES)}."
    )
MFA_ROLES = {MFA_ROLE_NAMES[key]: key in _mfa_roles for key in MFA_ROLE_NAMES}
# A link to enrol a privileged account's first second factor works this long.
MFA_ENROLMENT_LINK_AGE = timedelta(hours=24)


def _trusted_proxies(value):
    """TRUSTED_PROXIES: a count of proxies in front of the site, or their addresses."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    networks = [item.strip() for item in value.split(",") if item.strip()]
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {network!r} is neither a count nor an address or network."
            ) from None
    return networks


# Who is asking: see people.security_log.client_address (lockout, rate limits, log).
TRUSTED_PROXIES = _trusted_proxies(env.str("TRUSTED_PROXIES", default=""))

# The audit chain's secret: seals are HMACs under this key, kept out of the database
# so that someone who can edit the database cannot make a seal that verifies. Required
# with DEBUG off; the local demo uses a fixed development key. AUDIT_PREVIOUS_KEYS
# (comma-separated) still verifies entries sealed before a rotation.
AUDIT_KEY = env.str("AUDIT_KEY", default="")
AUDIT_PREVIOUS_KEYS = env.list("AUDIT_PREVIOUS_KEYS", default=[])
if DEBUG:
    AUDIT_KEY = AUDIT_KEY or "development-only-audit-key-never-used-with-debug-off"
elif len(AUDIT_KEY) < 32:
    raise ImproperlyConfigured(
        "AUDIT_KEY must be set to a random value of at least 32 characters when DEBUG is "
        "off (python -c 'import secrets; print(secrets.token_urlsafe(32))'); keep it out "
        "of the database and its backups."
    )

INSTALLED_APPS = [
    "organisation",
    "people",
    "portal",
    "training",
    "certificates",
    "supervision",
    "compliance",
    "audit",
    "imports",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "people.apps.PeopleUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "simple_history",
    "django_tasks",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "portal.middleware.RequestSizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.middleware.LeaverMiddleware",
    "portal.middleware.SecondFactorMiddleware",
    "portal.middleware.WorkspaceDoorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisation.context_processors.organisation",
                "portal.context_processors.workspace",
            ],
        },
    },
]

DATABASES = {
    "default": {
        **env.db_url_config(
            env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
        ),
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    }
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two processes at once (two cron runs, a job beside the site): a transaction takes
    # the write lock when it begins, and waits up to 20 s for it. A transaction that
    # read first and then wrote would otherwise fail at once with "database is locked"
    # whenever another process was writing, without waiting.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout: 5 failures for one username from one address locks that pair for 15 minutes,
# so a stranger cannot lock a person out from everywhere. The address is the client's
# behind any trusted proxies, the same one the security log and rate limits use.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "people.security_log.client_address"
OTP_TOTP_ISSUER = "Alongside"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
# Everyone signs in on the site (portal/sign_in.py); the workspace sends people there.
WAGTAILADMIN_LOGIN_URL = "/login/"
# Password-reset and invitation links work once, for three days (Django's default,
# stated here because the emails and the user guide say so).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
LOGOUT_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = "/login/"
WAGTAIL_FRONTEND_LOGIN_TEMPLATE = "registration/login.html"
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "people.forms.PasswordResetForm"

LANGUAGE_CODE = "en-gb"
# The project's own wording for the few admin strings that name the software.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "portal" / "assets"]
# Hashed, compressed static files need `collectstatic` first: on in production,
# off for DEBUG and the test suite (STATIC_MANIFEST=0).
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Evidence files and cached PDFs live here, never under MEDIA_URL: they are served
# only through views that check who is asking.
PRIVATE_ROOT = env.path("PRIVATE_ROOT", default=BASE_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Files on S3-compatible object storage, for several app hosts (optional dependency:
# pip install "alongside[s3]"). boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
# itself; private files are only ever fetched by the app, never linked.
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    _bucket = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "default_acl": None,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_bucket, "location": "media", "querystring_auth": False},
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_bucket, "location": "private", "querystring_auth": True},
    }


def _cache_from_url(url):
    """CACHE_URL: redis://host:6379/0 (or rediss://) through Django's own Redis backend,
    db:// (or db://table_name) for the database cache after `createcachetable`, or
    empty for each process's own memory (one process only)."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "db":
        table = url.split("://", 1)[1].strip("/") or "alongside_cache"
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    raise ImproperlyConfigured(f"CACHE_URL must start redis://, rediss:// or db:// (not {url!r}).")


# Rate limits (the certificate check's throttle) count in this cache: shared by every
# worker and host once CACHE_URL names Redis or the database. django-axes keeps its
# failed sign-ins in the database, so lockouts are shared wherever the database is.
CACHES = {"default": _cache_from_url(env.str("CACHE_URL", default=""))}

FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# A request body larger than this is refused before it is read (a 10 MB evidence file
# and its form fit); set the proxy's own limit to match (README, Production).
MAX_REQUEST_BYTES = 11 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640


# Mail: EMAIL_URL (smtp://user:pass@host:587 with STARTTLS, smtp+ssl://… for TLS from
# the first byte, console://) or the EMAIL_HOST family; the console when neither is set.
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    if _email.pop("EMAIL_USE_SSL", False):
        EMAIL_USE_SSL, EMAIL_USE_TLS = True, False
    globals().update({key: value for key, value in _email.items() if value not in (None, "")})
elif env.str("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="alongside@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Long work (bulk PDFs, emails) runs as tasks: at once by default, or on the database
# backend with its worker in production (TASKS_BACKEND=django_tasks_db.DatabaseBackend).
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

WAGTAIL_SITE_NAME = "Alongside"
WAGTAILADMIN_COMMENTS_ENABLED = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "pptx", "txt"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# The staff workspace speaks English and keeps UK time: no pickers of 40 languages
# and every time zone on the account page.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en-gb", "English")]
WAGTAIL_USER_TIME_ZONES = ["Europe/London"]
# No Gravatar: the content security policy blocks it (a broken image on every admin
# page), and it would tell a third party a hash of every staff email address.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_PASSWORD_RESET_ENABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.security": {"level": "INFO"},
        # Security events (sign-in failures, lockouts, refusals, exports, certificate
        # checks, two-factor changes) as one JSON object a line; ship to your log store.
        "alongside.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
