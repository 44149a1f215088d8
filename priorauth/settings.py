"""One settings module, driven by the environment.

Unset variables give the embedded development defaults (SQLite, Celery in-process);
DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis as in production and CI.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from priorauth.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "oauth2_provider",
    "priorauth.accounts",
    "priorauth.policies",
    "priorauth.members",
    "priorauth.requests",
    "priorauth.review",
    "priorauth.notifications",
    "priorauth.audit",
    "priorauth.lookup",
    "priorauth.pas",
    "priorauth.pas.subscriptions",
    # No models: an app so that its rendering task registers at start (apps.py).
    "priorauth.letters",
    "priorauth.appeals",
    "priorauth.metrics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "priorauth.middleware.PdfViewerPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "priorauth.middleware.NoStoreForSessionsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (its page shows who is signed in); it reads no body, so before any view.
    "priorauth.upload_limit.UploadLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sign-in (priorauth.accounts): which device verified the user, then the session's idle and
    # absolute limits (an expired session is signed out before anything else sees its user), then
    # the second-factor gate. The timeout and the gate add messages, so they follow messages.
    "django_otp.middleware.OTPMiddleware",
    "priorauth.accounts.middleware.SessionLimitsMiddleware",
    "priorauth.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes turns a lockout flagged during sign-in into the lockout page. Its docs ask for
    # the last place, but it only needs to wrap the login view: the access log keeps that place.
    "axes.middleware.AxesMiddleware",
    # Last, so it sees the view's own response: reads of health information are written only
    # when the page was shown (priorauth/audit/middleware.py).
    "priorauth.audit.middleware.PhiAccessMiddleware",
]

ROOT_URLCONF = "priorauth.urls"
WSGI_APPLICATION = "priorauth.wsgi.application"

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
                "priorauth.notifications.context_processors.unread_notifications",
                "priorauth.accounts.context_processors.session_limits",
            ],
        },
    },
]

# Connections live a minute across requests; each request (and each Celery task) first checks that
# its connection still answers, so one the server dropped (a restart, a failover, a terminated
# backend) is replaced instead of failing the request with OperationalError.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (development) allows one writer at a time. A transaction that reads and then writes
    # would be refused at once ("database is locked") when another writer got there first;
    # BEGIN IMMEDIATE takes the write lock up front, and the busy timeout waits up to 20 s for
    # it instead. WAL lets readers carry on while someone writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The queue index's INCLUDE columns serve PostgreSQL (production); SQLite, the development
# default, simply builds the index without them, which is all this warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTH_USER_MODEL = "members.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in (priorauth.accounts, README "Sign-in"). django-axes checks every attempt before the
# password is: after LOGIN_FAILURE_LIMIT failures for one account, or from one address, within
# the lockout time, sign-in is refused for LOGIN_LOCKOUT_MINUTES after the last failure. Wrong
# second-factor codes count as failures too. Supervisors and superusers unlock early.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The address is the connection's own, or behind the TLS proxy the one it forwards (else every
# attempt would come from the proxy, and one person's typos would lock everyone out).
AXES_CLIENT_IP_CALLABLE = "priorauth.addresses.request_address"
AXES_LOCKOUT_CALLABLE = "priorauth.accounts.views.locked_out"
# Failures are recorded with the form data; none of it is kept: no password, code or next page.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code", "next"]
# Two-factor sign-in: TOTP (authenticator apps), required by role (members.roles).
OTP_TOTP_ISSUER = "Prior authorization"
# Sessions: signed out after 15 minutes without a request or 8 hours after sign-in, whichever
# comes first (SessionLimitsMiddleware); the page warns 2 minutes before the idle limit.
SESSION_IDLE_SECONDS = 15 * 60
SESSION_ABSOLUTE_SECONDS = 8 * 60 * 60
SESSION_IDLE_WARNING_SECONDS = 2 * 60

# The Da Vinci PAS API (priorauth.pas): OAuth 2.0 client credentials, one client per EHR of a
# provider organization; tokens live an hour, and only their hashes of client secrets are kept.
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("API_TOKEN_SECONDS", 3600),
    "SCOPES": {"system/*.*": "Submit and inquire prior-authorization requests"},
    "DEFAULT_SCOPES": ["system/*.*"],
    "ALLOWED_GRANT_TYPES": ["client_credentials"],
    # RFC 9700 (the OAuth 2.0 security BCP), as `check --deploy` asks: none of the legacy grants
    # or transports, tokens stored hashed, https redirect URIs only (we use no redirects at all).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# Named so that our migrations can depend on the (swappable) application model.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

# PAS subscriptions (priorauth.pas.subscriptions): an endpoint must be https, except a loopback
# one where this allows it (development and tests: a listener on this machine); the seconds
# a handshake or a notification's POST may take.
PAS_SUBSCRIPTION_ALLOW_LOOPBACK = env_bool("PAS_SUBSCRIPTION_ALLOW_LOOPBACK", default=DEBUG)
PAS_SUBSCRIPTION_TIMEOUT = env_int("PAS_SUBSCRIPTION_TIMEOUT", 10)
# Member lookups an API client may make in 10 minutes (office staff: 30). An EHR matches members
# exactly; its misses stay held to the staff's limits, which are what stop probing.
PAS_LOOKUPS_PER_WINDOW = env_int("PAS_LOOKUPS_PER_WINDOW", 600)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed static files in production; plain files where nothing ran collectstatic
# (development and tests), served through the finders.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded clinical documents live outside the web root and are only served by views
# that check access; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "uploads")))
# Uploads (priorauth/limits.py has the per-document and per-request limits the forms explain):
# form fields other than files at most 2.5 MB (the longest texts allowed are far below); files
# over 2.5 MB go to a temporary file, not memory; a post with more files than a request may
# hold, and some to spare so the form can say so in words, is refused before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 50
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# An enrollment file uploaded in the admin is imported within the request, which gunicorn ends
# after 30 s: 2 MB is about 25,000 rows, 6 s of import on an idle machine and 28 s on one five
# times oversubscribed (bench/README.md). Larger files go through `manage.py import_members`.
ENROLLMENT_UPLOAD_MAX_BYTES = env_int("ENROLLMENT_UPLOAD_MAX_MB", 2) * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: safe by default, relaxed only for local development. Each production default can be
# overridden from the environment (README, "Production").
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Plain HTTP is redirected to HTTPS, and browsers are told to use nothing else for a year. The
# compose health check calls /healthz over HTTP inside the compose network, so it is exempt.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# The header only makes the domain eligible; nothing is preloaded until someone submits it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# X-Forwarded-Proto is whatever the client wrote unless a proxy in front overwrites it: trust it
# only when told a TLS-terminating proxy is there (docker-compose.yml's Caddy).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None

# Content-Security-Policy (django-csp 4): our own files only, no inline script or style anywhere.
# Bootstrap's CSS draws its icons (navbar toggler, selects, checks) as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Permissions-Policy (django-permissions-policy): no device or payment feature is ever used.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "prior-auth@example.org")
# The mail server (SMTP backend). The send timeout bounds a delivery task's lease on its row.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# The site's address, for links in emails (e.g. https://pa.example.org); unset, links are paths.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

# Celery: through Redis when REDIS_URL is set, otherwise in-process (eager).
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Handing a task to the broker never holds up a request: one connection attempt (kombu would
# keep trying for 4 s, about 6 s in all), a quarter of a second to connect, two seconds for a reply
# from a broker that stopped answering without closing the connection (more than kombu's 1-s
# BRPOP poll, which shares the setting). A row that could not be handed over stays pending in
# the database and the relay queues it once the broker is back.
BROKER_CONNECT_TIMEOUT = 0.25
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": BROKER_CONNECT_TIMEOUT,
    "socket_timeout": 2.0,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_CONNECT_TIMEOUT
# The worker and beat, unlike a request, wait for the broker: they try again every few seconds
# (at most 5 s apart: priorauth.celery), for as long as it takes.
CELERY_WORKER_CONSUMER = "priorauth.celery:Consumer"
CELERY_BEAT_SCHEDULER = "priorauth.celery:Scheduler"
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None

# Logs carry ids and events, never member data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
