"""The only settings file of dsar.

Every value that differs between a laptop, CI and production comes from the environment, read by
django-environ, which raises ImproperlyConfigured on a value it cannot parse. Nothing here is
production-only: production is this file with ``DEBUG=false`` and a real ``SECRET_KEY``
(see ``docs/production.env.example``).

Secrets may also be given as files (``SECRET_KEY_FILE=/run/secrets/dsar_key``), so that they need
not sit in the process environment.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dsar.lib.rate_limits import parse_limits

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def read_secret(name: str, default: str | None = None) -> str | None:
    """Return ``$NAME``, or the content of the file named by ``$NAME_FILE`` (Docker secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return env.str(name, default=default)


def trusted_proxies(values: list[str]) -> int | list[str]:
    """DSAR_TRUSTED_PROXIES: a number of proxies ("1"), or addresses and networks; [] for none."""
    if len(values) == 1 and values[0].strip().isdigit():
        return int(values[0])
    try:
        return [str(ipaddress.ip_network(value.strip(), strict=False)) for value in values]
    except ValueError as error:
        raise ImproperlyConfigured(
            "DSAR_TRUSTED_PROXIES must be a number of proxies or a comma-separated list of "
            f"addresses and networks, not {','.join(values)!r} ({error})."
        ) from None


# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
DEBUG = env.bool("DEBUG", default=False)

# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
SECRET_KEY = read_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required unless DEBUG=true. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - DEBUG only

# https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Its widget templates, for FORM_RENDERER below.
    "django.forms",
    "django_q",
    "dsar.core",
    # Readiness, Prometheus metrics, request ids and JSON logs, the migration check (deploy.md).
    "dsar.ops",
    "dsar.organizations",
    "dsar.policies",
    "dsar.requests",
    "dsar.intake",
    "dsar.letters",
    "dsar.reminders",
    # Every other email, written with what caused it and sent by the task cluster.
    "dsar.outbox",
    # The systems register, a task per system for each request, and the connectors (issue 16).
    "dsar.fulfilment",
    # The REST API (/api/v1/), its OpenAPI schema and its reference page (assets served here).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "dsar.api",
    # Webhooks, the Data Rights Protocol and single sign-on for staff.
    "dsar.webhooks",
    "dsar.drp",
    "dsar.accounts",
    # Staff sign-in: a second factor (TOTP app, recovery codes) and failed-login lockout.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # Two-way messages with requesters; inbound mail from an ESP through django-anymail.
    "anymail",
    "dsar.correspondence",
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics before the host check and the https redirect (probes call
    # gunicorn by address, over plain HTTP); then a request id for every log line.
    "dsar.ops.middleware.ProbeMiddleware",
    "dsar.ops.middleware.RequestIdMiddleware",
    # A NUL in the path or the query string: 400 before any view can hand it to PostgreSQL.
    "dsar.core.input_checks.RefuseNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether the session's second factor was given; then the gate that sends a session still
    # owing one to the code (or to set one up) from every page but that one (dsar.accounts).
    "django_otp.middleware.OTPMiddleware",
    "dsar.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A strict content security policy: no inline script or style, nothing from elsewhere.
    "dsar.intake.middleware.ContentSecurityPolicyMiddleware",
    # The database gone in the middle of a request: 503, the form's input kept (docs/security.md).
    "dsar.core.middleware.DatabaseUnavailableMiddleware",
    # Turns a locked-out sign-in into the lockout page (django-axes; last, as it asks).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dsar.urls"
WSGI_APPLICATION = "dsar.wsgi.application"

# Widgets render through TEMPLATES, so templates/ may override one of the admin's: the split date
# and time (templates/admin/widgets/split_datetime.html) gives each of its boxes a label.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
# The embedded default needs nothing installed; production, CI and benchmarks set DATABASE_URL,
# e.g. postgres://postgres@127.0.0.1:5432/dsar
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Server-side binding: psycopg sends the values apart from the statement and prepares a
# statement it has run five times on a connection (its prepare_threshold; Django sets it to None,
# no preparing, unless it is given), so PostgreSQL stops parsing and planning the same statements
# for every request. Measured on request creation through the API (bench/api_throughput.py):
# PostgreSQL's CPU per request falls from 3.1-3.6 ms to 1.9-2.5 ms. Off for a pooler that cannot
# keep prepared statements (PgBouncer before 1.21 in transaction mode): docs/deploy.md.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_SERVER_SIDE_BINDING", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
# Two roles on PostgreSQL (docs/security.md): DATABASE_URL is the runtime role the web and task
# processes use, with rights on rows only; DATABASE_OWNER_URL, when set, the role that owns the
# tables: `migrate`, `flush` and `createcachetable` connect with its user, password, host and port
# to DATABASE_URL's database (dsar/core/db_roles.py). Not an entry of DATABASES: no code and no
# test can pick it by mistake.
DATABASE_OWNER = (
    env.db_url_config(env.str("DATABASE_OWNER_URL")) if env.str("DATABASE_OWNER_URL", "") else None
)
if DATABASE_OWNER and not (
    DATABASE_OWNER["ENGINE"] == DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
):
    raise ImproperlyConfigured("DATABASE_OWNER_URL needs PostgreSQL, in DATABASE_URL too.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# https://docs.djangoproject.com/en/5.2/topics/i18n/
LANGUAGE_CODE = "en"
# The public side and the letters in each (docs/translations.md); the switcher names each language
# in itself, from its own catalogue (dsar/core/templatetags/languages.py).
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("de", _("German")),
    ("pt-br", _("Portuguese (Brazil)")),
]
LOCALE_PATHS = [BASE_DIR / "dsar" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# https://docs.djangoproject.com/en/5.2/howto/static-files/
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed names in production (after `collectstatic`); plain names in development and
# tests, which serve straight from the source folders.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Organization logos (public by nature); served by the web server or a CDN in production.
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Letters, uploads and data packages hold personal data: they live outside any public path and are
# only ever served through views that check who is asking.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=BASE_DIR / "var" / "private")
# ...or, when several nodes share them, an S3-compatible bucket (django-storages):
# s3://BUCKET[/PREFIX]?endpoint=https://host:port&region=...&addressing=path&conditional_writes=false
# Empty: the folder above. Credentials: the two settings below, or boto3's own chain (AWS_*
# variables, an instance role) when they are empty. Objects are never public (docs/operations.md).
PRIVATE_STORAGE_URL = env.str("PRIVATE_STORAGE_URL", default="")
PRIVATE_STORAGE_ACCESS_KEY_ID = env.str("PRIVATE_STORAGE_ACCESS_KEY_ID", default="")
PRIVATE_STORAGE_SECRET_ACCESS_KEY = read_secret("PRIVATE_STORAGE_SECRET_ACCESS_KEY", default="")


def private_storage_backend(url: str) -> dict[str, object]:
    """STORAGES["private"] for PRIVATE_STORAGE_URL (dsar.letters.storage has both backends)."""
    if not url:
        return {"BACKEND": "dsar.letters.storage.PrivateStorage"}
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = set(query) - {"endpoint", "region", "addressing", "conditional_writes", "verify"}
    if parts.scheme != "s3" or not parts.netloc or "@" in parts.netloc or unknown:
        raise ImproperlyConfigured(
            "PRIVATE_STORAGE_URL must read s3://BUCKET[/PREFIX][?endpoint=...&region=...&"
            f"addressing=path|virtual&conditional_writes=true|false&verify=true|false], not {url!r}"
        )

    def flag(name: str) -> bool:
        value = query.get(name, "true").lower()
        if value not in ("true", "false"):
            raise ImproperlyConfigured(f"PRIVATE_STORAGE_URL: {name} must be true or false")
        return value == "true"

    return {
        "BACKEND": "dsar.letters.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": parts.netloc,
            "location": parts.path.strip("/"),
            "endpoint_url": query.get("endpoint") or None,
            "region_name": query.get("region") or None,
            "addressing_style": query.get("addressing") or None,
            "verify": None if flag("verify") else False,
            "conditional_writes": flag("conditional_writes"),
            "access_key": PRIVATE_STORAGE_ACCESS_KEY_ID or None,
            "secret_key": PRIVATE_STORAGE_SECRET_ACCESS_KEY or None,
        },
    }


STORAGES["private"] = private_storage_backend(PRIVATE_STORAGE_URL)

# https://docs.djangoproject.com/en/5.2/topics/email/
# consolemail:// by default; smtp+tls://user:password@host:587 in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# Seconds to wait on the mail server. Only the task cluster talks to it (dsar/outbox, the
# reminders' and the letters' outboxes): without a timeout, a server that stops answering would
# hold a task worker until django-q2 kills it.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="dsar@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# The demo's mailbox (`make demo` turns it on): every email sent is kept as a file in
# DSAR_DEMO_MAILBOX_DIR, and staff read them at /staff/mailbox/ with their links clickable. A file,
# not memory: the task cluster sends the mail and the web process shows it. DEBUG only, since it
# keeps addresses and working links that a real installation must not keep.
DSAR_DEMO_MAILBOX = env.bool("DSAR_DEMO_MAILBOX", default=False)
DSAR_DEMO_MAILBOX_DIR = env.path("DSAR_DEMO_MAILBOX_DIR", default=BASE_DIR / "var" / "mailbox")
if DSAR_DEMO_MAILBOX:
    if not DEBUG:
        raise ImproperlyConfigured("DSAR_DEMO_MAILBOX keeps every email sent: DEBUG=true only.")
    EMAIL_BACKEND = "dsar.outbox.mailbox.MailboxBackend"
# The outbox (dsar/outbox): tries before an email is marked failed, seconds before the first
# retry (doubled after each further failure), and seconds a worker's claim holds before another
# worker takes it for dead and sends (longer than EMAIL_TIMEOUT, or a slow send is sent twice).
DSAR_OUTBOX_MAX_ATTEMPTS = env.int("DSAR_OUTBOX_MAX_ATTEMPTS", default=8)
DSAR_OUTBOX_RETRY_AFTER = env.int("DSAR_OUTBOX_RETRY_AFTER", default=60)
DSAR_OUTBOX_LEASE = env.int("DSAR_OUTBOX_LEASE", default=300)
if DSAR_OUTBOX_MAX_ATTEMPTS < 1 or DSAR_OUTBOX_RETRY_AFTER < 1:
    raise ImproperlyConfigured("DSAR_OUTBOX_MAX_ATTEMPTS and DSAR_OUTBOX_RETRY_AFTER must be >= 1.")
if DSAR_OUTBOX_LEASE <= EMAIL_TIMEOUT:
    raise ImproperlyConfigured("DSAR_OUTBOX_LEASE must be longer than EMAIL_TIMEOUT.")

# https://django-q2.readthedocs.io/en/master/configure.html
# The Django ORM is the broker unless REDIS_URL is set (several worker machines sharing a queue).
REDIS_URL = env.str("REDIS_URL", default="")
Q_CLUSTER = {
    "name": "dsar",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 300,
    "retry": 360,
    "max_attempts": 5,
    "catch_up": False,
    "label": "Task queue",
    **({"redis": REDIS_URL} if REDIS_URL else {"orm": "default"}),
}

# https://docs.djangoproject.com/en/5.2/ref/settings/#logging
# Log lines never carry personal data: code logs references and ids, never names or addresses.
# LOG_FORMAT=json writes one JSON object per line, each with the request's id (dsar/ops/logs.py);
# LOG_REQUESTS logs each request once answered (method, route pattern, status, duration).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOG_REQUESTS = env.bool("LOG_REQUESTS", default=LOG_FORMAT == "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "dsar.ops.logs.JsonFormatter"},
    },
    "filters": {"request_id": {"()": "dsar.ops.logs.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# /metrics (Prometheus) answers only a scraper that sends "Authorization: Bearer <METRICS_TOKEN>";
# without a token it does not exist (404). Or METRICS_TOKEN_FILE=/run/secrets/metrics_token.
METRICS_TOKEN = read_secret("METRICS_TOKEN", default="")

# Security: on by default whenever DEBUG is off, so that `check --deploy` passes as shipped.
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (nginx, Caddy, a load balancer).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a proxy every client comes from the proxy's address: the public form's rate limits then
# read the client's address from what the proxies in front add, and only from a proxy trusted
# here (docs/security.md, "Client addresses behind a proxy"): a number of proxies ("1": the
# address one hop from the right of X-Forwarded-For) or the networks they connect from
# ("10.0.0.0/8,2001:db8::/32"). Empty: no forwarded header is ever trusted.
DSAR_TRUSTED_PROXIES = trusted_proxies(env.list("DSAR_TRUSTED_PROXIES", default=[]))
# The header read from a trusted proxy: X-Forwarded-For by default, or one that a single proxy
# sets to the address it saw, e.g. HTTP_X_REAL_IP for X-Real-IP (docs/deploy.md).
DSAR_INTAKE_CLIENT_IP_HEADER = env.str("DSAR_INTAKE_CLIENT_IP_HEADER", default="")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# The language cookie of /i18n/setlang/ is sent like the session cookie: over https only, out of
# reach of scripts, not on other sites' requests (no script of dsar reads it).
LANGUAGE_COOKIE_SECURE = env.bool("LANGUAGE_COOKIE_SECURE", default=SESSION_COOKIE_SECURE)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"
# A refused form (expired CSRF cookie) gets the site's own 403 page, in the visitor's language.
CSRF_FAILURE_VIEW = "dsar.core.errors.csrf_failure"

# -- dsar ------------------------------------------------------------------------------------------
# Days after receipt for the internal target of a request that no law and no numeric promise
# gives a legal deadline ("promptly", "as soon as reasonably possible"): never a legal deadline.
DSAR_DEFAULT_TARGET_DAYS = env.int("DSAR_DEFAULT_TARGET_DAYS", default=14)
# The public origin of this installation (https://dsar.example.org), for links in emails: the
# verification link, the status page, reminders. Empty in development: links are then relative.
DSAR_SITE_URL = env.str("DSAR_SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
# Days an unconfirmed public request stays open before it is closed as unverifiable, with a notice.
DSAR_UNVERIFIED_CLOSE_AFTER_DAYS = env.int("DSAR_UNVERIFIED_CLOSE_AFTER_DAYS", default=30)
# Calendar days before each legal deadline at which the assignee or the team is reminded.
DSAR_REMINDER_OFFSETS = env.list("DSAR_REMINDER_OFFSETS", cast=int, default=[7, 3, 1])
# Days after closure after which a request's personal data is blanked; the record itself, without
# it, is kept for the 24 months the CCPA regulations (§7101) ask.
DSAR_PURGE_AFTER_DAYS = env.int("DSAR_PURGE_AFTER_DAYS", default=365)
# Days a status link of an email opens the requester's status page; an older one shows a form
# that emails a new link to the request's address (docs/security.md, "Links in emails").
DSAR_STATUS_LINK_DAYS = env.int("DSAR_STATUS_LINK_DAYS", default=30)
if DSAR_STATUS_LINK_DAYS < 1:
    raise ImproperlyConfigured("DSAR_STATUS_LINK_DAYS must be 1 or more.")
# Days after a refusal during which the requester can appeal it from the status page, where the
# law of their state gives an appeal (a "reasonable period": e.g. Or. Rev. Stat. 646A.576(6)(a)).
DSAR_APPEAL_WINDOW_DAYS = env.int("DSAR_APPEAL_WINDOW_DAYS", default=90)

# -- Reminders and housekeeping (dsar.reminders; dsar/reminders/checks.py checks them) ------------
# Calendar days before a CCPA acknowledgement date (§7021(a), 10 business days) at which staff are
# reminded.
DSAR_ACK_REMINDER_OFFSETS = env.list("DSAR_ACK_REMINDER_OFFSETS", cast=int, default=[3, 1])
# Local hour (0-23) of the organization's day from which that day's reminders, and after which its
# daily digest, go out: not at midnight.
DSAR_REMINDER_HOUR = env.int("DSAR_REMINDER_HOUR", default=8)
DSAR_DIGEST_HOUR = env.int("DSAR_DIGEST_HOUR", default=8)
# Seconds a claimed, unsent reminder email stays claimed before another sweep may take it over
# (its worker was killed or hangs): longer than the slowest send.
DSAR_REMINDER_LEASE_SECONDS = env.int("DSAR_REMINDER_LEASE_SECONDS", default=600)
# Tries per reminder email before it is given up; the wait after the first failure, which doubles.
DSAR_REMINDER_MAX_ATTEMPTS = env.int("DSAR_REMINDER_MAX_ATTEMPTS", default=5)
DSAR_REMINDER_RETRY_SECONDS = env.int("DSAR_REMINDER_RETRY_SECONDS", default=300)
# Hours after receipt at which a requester who has not confirmed their address is reminded, once.
DSAR_VERIFY_NUDGE_AFTER_HOURS = env.int("DSAR_VERIFY_NUDGE_AFTER_HOURS", default=24)
# Requests one staff email lists at most, the most urgent first; the rest are counted.
DSAR_REMINDER_EMAIL_LIMIT = env.int("DSAR_REMINDER_EMAIL_LIMIT", default=100)

# -- The public form (dsar.intake) -----------------------------------------------------------------
# Seconds a confirmation link of the public form works, and a download link of the status page.
DSAR_INTAKE_VERIFY_MAX_AGE = env.int("DSAR_INTAKE_VERIFY_MAX_AGE", default=3 * 24 * 60 * 60)
DSAR_INTAKE_DOWNLOAD_MAX_AGE = env.int("DSAR_INTAKE_DOWNLOAD_MAX_AGE", default=60 * 60)
# Bytes of the largest file a requester may attach (the form, the status page, an emailed reply).
DSAR_INTAKE_MAX_UPLOAD_BYTES = env.int("DSAR_INTAKE_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# The Content-Security-Policy header of every response that sets none (dsar.intake.middleware):
# the public pages load nothing from elsewhere and run no inline script or style. Empty: no
# header. REPORT_ONLY sends it as Content-Security-Policy-Report-Only, to try a change out.
DSAR_CONTENT_SECURITY_POLICY = env.str(
    "DSAR_CONTENT_SECURITY_POLICY",
    default="; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    ),
)
DSAR_CONTENT_SECURITY_POLICY_REPORT_ONLY = env.bool(
    "DSAR_CONTENT_SECURITY_POLICY_REPORT_ONLY", default=False
)

# -- Letters and data packages (dsar.letters) ------------------------------------------------------
# Days a letter's link in an email works, and a released data package's download link.
DSAR_LETTER_LINK_DAYS = env.int("DSAR_LETTER_LINK_DAYS", default=90)
DSAR_DATA_PACKAGE_LINK_DAYS = env.int("DSAR_DATA_PACKAGE_LINK_DAYS", default=30)
# Bytes of the largest file staff may add to a data package.
DSAR_DATA_ITEM_MAX_BYTES = env.int("DSAR_DATA_ITEM_MAX_BYTES", default=50 * 1024 * 1024)
# Letters one task of a bulk generation renders before it queues the next one.
DSAR_LETTER_BULK_CHUNK = env.int("DSAR_LETTER_BULK_CHUNK", default=20)
# Tries per emailed letter before it is marked failed; the wait after the first failure, doubling.
DSAR_LETTER_SEND_MAX_ATTEMPTS = env.int("DSAR_LETTER_SEND_MAX_ATTEMPTS", default=5)
DSAR_LETTER_SEND_BACKOFF_SECONDS = env.int("DSAR_LETTER_SEND_BACKOFF_SECONDS", default=60)

# The public form's rate limits (dsar/intake/throttle.py): per scope, hits allowed per window in
# seconds, e.g. "submit_ip=20/3600"; a scope not named keeps its default (10 posts an hour per
# network, 5 a day per address; "send the link again" 10 an hour per network, 3 per address).
DSAR_INTAKE_RATE_LIMITS = parse_limits(env.str("DSAR_INTAKE_RATE_LIMITS", default=""))
DSAR_INTAKE_RATE_LIMITS_ENABLED = env.bool("DSAR_INTAKE_RATE_LIMITS_ENABLED", default=True)

# -- The REST API (dsar.api, docs/api.md) ----------------------------------------------------------
# Calls per minute allowed to one API key, counted in the database so that every web worker and
# node shares the count; beyond it the API answers 429 with Retry-After.
DSAR_API_RATE_LIMIT = env.int("DSAR_API_RATE_LIMIT", default=600)
# Hours an Idempotency-Key is remembered (the same key and body get the same answer meanwhile).
DSAR_API_IDEMPOTENCY_HOURS = env.int("DSAR_API_IDEMPOTENCY_HOURS", default=24)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["dsar.api.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["dsar.api.auth.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["dsar.api.throttling.PerKeyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["dsar.api.parsers.StrictJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dsar.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dsar API",
    "DESCRIPTION": "Data-subject rights requests for an organization's own systems (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The reference page's assets come from drf-spectacular-sidecar, served here: the content
    # security policy (dsar.intake.middleware) allows nothing from elsewhere.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RightKindEnum": "dsar.policies.models.RightKind",
        "ChannelKindEnum": "dsar.policies.models.ChannelKind",
        "RequestStatusEnum": "dsar.requests.models.Status",
        "LetterKindEnum": "dsar.letters.kinds.LetterKind",
    },
}

# -- Webhooks (dsar.webhooks, docs/webhooks.md) ----------------------------------------------------
# Seconds to wait for a receiver to connect and answer, per try.
DSAR_WEBHOOK_TIMEOUT = env.float("DSAR_WEBHOOK_TIMEOUT", default=10.0)
# Tries per delivery; the wait after a failed try starts at DSAR_WEBHOOK_RETRY_SECONDS and doubles.
DSAR_WEBHOOK_MAX_ATTEMPTS = env.int("DSAR_WEBHOOK_MAX_ATTEMPTS", default=8)
DSAR_WEBHOOK_RETRY_SECONDS = env.int("DSAR_WEBHOOK_RETRY_SECONDS", default=60)
# Seconds a worker's claim on a delivery lasts; a killed worker's delivery is taken over after it.
DSAR_WEBHOOK_LEASE_SECONDS = env.int("DSAR_WEBHOOK_LEASE_SECONDS", default=300)
# A subscription is paused (and its privacy officers emailed) after this many failed tries in a
# row that have gone on for at least this many hours.
DSAR_WEBHOOK_PAUSE_AFTER_FAILURES = env.int("DSAR_WEBHOOK_PAUSE_AFTER_FAILURES", default=10)
DSAR_WEBHOOK_PAUSE_AFTER_HOURS = env.float("DSAR_WEBHOOK_PAUSE_AFTER_HOURS", default=24.0)
# Hours the previous secret keeps signing after a rotation (both signatures are sent meanwhile).
DSAR_WEBHOOK_ROTATION_HOURS = env.float("DSAR_WEBHOOK_ROTATION_HOURS", default=24.0)
# Receivers on private, loopback or link-local addresses are refused unless this is on.
DSAR_WEBHOOK_ALLOW_PRIVATE = env.bool("DSAR_WEBHOOK_ALLOW_PRIVATE", default=False)
# Plain http:// to a loopback address (tests, a receiver on the same machine); https otherwise.
DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = env.bool("DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK", default=False)

# -- Two-way messages (dsar.correspondence, docs/correspondence.md) --------------------------------
# The mailbox replies go to, plus-addressed per request (replies+<token>@example.org); an
# organization can set its own. Empty: no reply address, the requester answers on the status page.
DSAR_REPLY_ADDRESS = env.str("DSAR_REPLY_ADDRESS", default="")
# django-anymail's inbound webhooks (/anymail/<esp>/inbound/): the basic-auth secret in the URL
# the ESP calls ("user:password"), and the ESP's signing key where it signs (Mailgun).
ANYMAIL = {
    key: value
    for key, value in {
        "WEBHOOK_SECRET": read_secret("ANYMAIL_WEBHOOK_SECRET", default=""),
        "MAILGUN_WEBHOOK_SIGNING_KEY": read_secret(
            "ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY", default=""
        ),
    }.items()
    if value
}

# -- Single sign-on for staff (dsar.accounts, docs/sso.md) -----------------------------------------
# OpenID Connect: off while DSAR_OIDC_ISSUER is empty; the endpoints come from its discovery
# document. Local accounts keep working beside it.
DSAR_OIDC_ISSUER = env.str("DSAR_OIDC_ISSUER", default="")
DSAR_OIDC_CLIENT_ID = env.str("DSAR_OIDC_CLIENT_ID", default="")
DSAR_OIDC_CLIENT_SECRET = read_secret("DSAR_OIDC_CLIENT_SECRET", default="")
DSAR_OIDC_SCOPES = env.str("DSAR_OIDC_SCOPES", default="openid email profile")
# The claim that lists the person's groups, and which group gives which role where:
# "group=org-slug:role,..." with role privacy_officer, handler or auditor (docs/sso.md).
DSAR_OIDC_GROUPS_CLAIM = env.str("DSAR_OIDC_GROUPS_CLAIM", default="groups")
DSAR_OIDC_GROUP_MAP = env.str("DSAR_OIDC_GROUP_MAP", default="")
# Passwords for local accounts; the OpenID Connect backend answers only the provider's callback.
# django-axes' backend first: a locked-out sign-in is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with fewer queries a page (dsar.accounts.backends).
    "dsar.accounts.backends.StaffModelBackend",
    "dsar.accounts.oidc.OidcBackend",
]

# -- Staff sign-in: lockout and second factor (dsar.accounts, docs/security.md) --------------------
# Failed sign-ins (wrong password, or wrong code after it) allowed before a lockout: counted per
# account (from any address) and per client address (for any account), each against this limit.
DSAR_LOGIN_FAILURE_LIMIT = env.int("DSAR_LOGIN_FAILURE_LIMIT", default=5)
# Minutes a lockout lasts, counted from the last failure; 0: until an administrator unlocks it.
DSAR_LOGIN_COOLOFF_MINUTES = env.int("DSAR_LOGIN_COOLOFF_MINUTES", default=15)
if DSAR_LOGIN_FAILURE_LIMIT < 1 or DSAR_LOGIN_COOLOFF_MINUTES < 0:
    raise ImproperlyConfigured(
        "DSAR_LOGIN_FAILURE_LIMIT must be 1 or more and DSAR_LOGIN_COOLOFF_MINUTES 0 or more."
    )
# Days the record of each successful staff sign-in (account, address, browser) is kept for a
# security review, then deleted by the daily housekeeping (dsar.accounts.housekeeping).
DSAR_LOGIN_LOG_DAYS = env.int("DSAR_LOGIN_LOG_DAYS", default=90)
# Privacy officers and administrators must sign in with a second factor (TOTP app); without one
# they are sent to set it up before any other page. Others may set one up. Single sign-on
# sessions are exempt: the identity provider does the second factor (docs/sso.md).
DSAR_REQUIRE_2FA = env.bool("DSAR_REQUIRE_2FA", default=False)
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = DSAR_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = (
    dt.timedelta(minutes=DSAR_LOGIN_COOLOFF_MINUTES) if DSAR_LOGIN_COOLOFF_MINUTES else None
)
# Two separate counts, either of which locks: guessing one account's password from many
# addresses, and trying many accounts from one address (password spraying).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client's address as the public form's rate limits read it: a forwarded header only from a
# proxy DSAR_TRUSTED_PROXIES trusts, never as a client wrote it.
AXES_CLIENT_IP_CALLABLE = "dsar.intake.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "dsar.accounts.views.locked_out"
# A failure during a lockout does not restart it: someone hammering an account cannot keep its
# owner out for longer than the cool-off.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Log lines name neither the account nor the address (their values are masked); the admin's
# "Access attempts" shows them to administrators. Codes typed after the password are masked too.
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "csrfmiddlewaretoken"]
# The admin's device pages show neither keys nor recovery codes: an administrator removes a
# device for someone who lost it, never copies it.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env.str("DSAR_2FA_ISSUER", default="dsar")
