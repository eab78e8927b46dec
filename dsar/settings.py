"""The only settings file of dsar.

Every value that differs between a laptop, CI and production comes from the environment, read by
django-environ, which raises ImproperlyConfigured on a value it cannot parse. Nothing here is
production-only: production is this file with ``DEBUG=false`` and a real ``SECRET_KEY``
(see ``docs/production.env.example``).

Secrets may also be given as files (``SECRET_KEY_FILE=/run/secrets/dsar_key``), so that they need
not sit in the process environment.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def read_secret(name: str, default: str | None = None) -> str | None:
    """Return ``$NAME``, or the content of the file named by ``$NAME_FILE`` (Docker secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return env.str(name, default=default)


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
    "django_q",
    "dsar.core",
    "dsar.organizations",
    "dsar.policies",
    "dsar.requests",
    "dsar.intake",
    "dsar.letters",
    "dsar.reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A strict content security policy: no inline script or style, nothing from elsewhere.
    "dsar.intake.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "dsar.urls"
WSGI_APPLICATION = "dsar.wsgi.application"

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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# https://docs.djangoproject.com/en/5.2/topics/i18n/
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
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
STORAGES = {
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

# https://docs.djangoproject.com/en/5.2/topics/email/
# consolemail:// by default; smtp+tls://user:password@host:587 in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# Seconds to wait on the mail server. Without it a server that stops answering holds a web
# worker (the public form emails its confirmation link after commit) until gunicorn kills it,
# and the requester, shown an error for a request that was stored, sends it again.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="dsar@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

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
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Security: on by default whenever DEBUG is off, so that `check --deploy` passes as shipped.
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (nginx, Caddy, a load balancer).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"

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
# Days after a refusal during which the requester can appeal it from the status page, where the
# law of their state gives an appeal (a "reasonable period": e.g. Or. Rev. Stat. 646A.576(6)(a)).
DSAR_APPEAL_WINDOW_DAYS = env.int("DSAR_APPEAL_WINDOW_DAYS", default=90)
