"""Settings for STA Tracker, read from the environment only.

Without any environment the project runs as the one-command demo: a SQLite file next to the
code, Celery tasks executed eagerly in-process and mail printed to the console.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from redis.backoff import NoBackoff
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent.parent

_DEMO_SECRET = "sta-tracker-demo-only-secret-key-not-for-production-use-0000"  # noqa: S105


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_days(name: str, default: int) -> int:
    days = env_int(name, default)
    if not 1 <= days <= 365:
        raise ImproperlyConfigured(f"{name} must be a number of days from 1 to 365, got {days}")
    return days


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key(debug: bool) -> str:
    key = os.environ.get("STA_SECRET_KEY", "")
    if debug and not key:
        return _DEMO_SECRET
    # Why: a guessable key lets anyone forge sessions and password-reset links.
    if len(key) < 50 or len(set(key)) < 5 or key == _DEMO_SECRET:
        raise ImproperlyConfigured(
            "STA_SECRET_KEY must be set to a random value of at least 50 characters when "
            "STA_DEBUG is off. Generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(64))'"
        )
    return key


DEBUG = env_bool("STA_DEBUG", default=False)
SECRET_KEY = secret_key(DEBUG)
ALLOWED_HOSTS = env_list("STA_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("STA_ALLOWED_HOSTS must list the host names when STA_DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "sta_tracker",
    "clauses",
    "reviews",
]

MIDDLEWARE = [
    # Why first: a page kept for this session is replayed before any other middleware runs;
    # it was kept as it left the whole chain, headers included (sta_tracker/pagecache.py).
    "sta_tracker.pagecache.PageCacheMiddleware",
    # Why second: a plain visit to the login page is answered as the chain would answer it.
    "sta_tracker.login.PlainLoginMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Why early: a NUL in an address is refused before any lookup or session read sees it.
    "sta_tracker.text.RefuseNulMiddleware",
    "sta_tracker.security.ContentSecurityPolicyMiddleware",
    # Why inside the policy: the 404 page it puts in place of DEBUG's gets the same headers.
    "sta_tracker.security.ProductNotFoundMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sta_tracker.sessions.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Why here: it reads the signed-in person, and must see the access map's refusals.
    "sta_tracker.security.PrivateAnswersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "sta_tracker.access.AccessMapMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sta_tracker.security.DatabaseOutageMiddleware",
    # Why last: it turns the lockout raised inside the login view into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sta_tracker.urls"

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
                "sta_tracker.context_processors.navigation",
            ],
        },
    },
]

# Why: the common widgets are built in Python, as Django's templates would write them, which
# is most of a filter page's time otherwise (sta_tracker/form_rendering.py).
FORM_RENDERER = "sta_tracker.form_rendering.WidgetRenderer"

WSGI_APPLICATION = "sta_tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Why: a connection per request costs more than most pages; a reused one is checked
        # before each request so that a restarted server is not seen as an error.
        conn_max_age=env_int("STA_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Why: a stalled PostgreSQL (a held lock, a paused server) must answer the 503 page within
# seconds, not hold a web worker until gunicorn kills it. Web requests get the short statement
# timeout; Celery workers and management commands, which import and migrate, the long one
# (sta_tracker/database.py). See docs/security.md.
STA_DB_CONNECT_TIMEOUT_SECONDS = env_int("STA_DB_CONNECT_TIMEOUT_SECONDS", 3)
STA_DB_STATEMENT_TIMEOUT_MS = env_int("STA_DB_STATEMENT_TIMEOUT_MS", 5000)
STA_DB_LONG_STATEMENT_TIMEOUT_MS = env_int("STA_DB_LONG_STATEMENT_TIMEOUT_MS", 900_000)


def postgres_session_options(statement_timeout_ms: int) -> str:
    """libpq ``options``: no statement, and no wait for a lock, lasts longer than the timeout."""
    return f"-c statement_timeout={statement_timeout_ms} -c lock_timeout={statement_timeout_ms}"


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": STA_DB_CONNECT_TIMEOUT_SECONDS,
            "options": postgres_session_options(STA_DB_STATEMENT_TIMEOUT_MS),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Why first: a locked-out account is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Why not ModelBackend itself: this one reads the user's roles in the query that reads the
    # user (sessions signed in through ModelBackend before the change have to sign in again).
    "sta_tracker.roles.RoleLoadingBackend",
]
AXES_FAILURE_LIMIT = env_int("STA_LOGIN_FAILURE_LIMIT", 5)
STA_LOGIN_COOLOFF_MINUTES = env_int("STA_LOGIN_COOLOFF_MINUTES", 15)
if AXES_FAILURE_LIMIT < 1 or STA_LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured(
        "STA_LOGIN_FAILURE_LIMIT and STA_LOGIN_COOLOFF_MINUTES must be at least 1."
    )
AXES_COOLOFF_TIME = timedelta(minutes=STA_LOGIN_COOLOFF_MINUTES)
# Why the pair: guessing from one address locks that name there, without letting anyone lock a
# colleague out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "sta_tracker.security.LoginFailureLoggingHandler"
AXES_LOCKOUT_CALLABLE = "sta_tracker.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "sta_tracker.security.client_address"
# Behind reverse proxies the client address is in X-Forwarded-For; say how many proxies to trust.
STA_TRUSTED_PROXY_COUNT = env_int("STA_TRUSTED_PROXY_COUNT", 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STA_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "sta_tracker" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Why: hashed names need `collectstatic` first; the demo and the tests serve from source.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STA_STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("STA_MEDIA_ROOT", BASE_DIR / "media"))

# Uploaded treaty texts above this size are imported by a Celery task with a progress bar.
STA_IMPORT_ASYNC_BYTES = env_int("STA_IMPORT_ASYNC_BYTES", 200_000)
# Uploads above this size are read for their preview by a Celery task, not in the web request.
STA_IMPORT_PARSE_INLINE_MAX_BYTES = env_int("STA_IMPORT_PARSE_INLINE_MAX_BYTES", 256_000)
# What one uploaded file may make the readers do (docs/security.md, "Import limits").
STA_IMPORT_MAX_BYTES = env_int("STA_IMPORT_MAX_BYTES", 20_000_000)
STA_IMPORT_MAX_PART_BYTES = env_int("STA_IMPORT_MAX_PART_BYTES", 50_000_000)
STA_IMPORT_MAX_INFLATED_BYTES = env_int("STA_IMPORT_MAX_INFLATED_BYTES", 100_000_000)
STA_IMPORT_MAX_PARTS = env_int("STA_IMPORT_MAX_PARTS", 1000)
STA_IMPORT_MAX_PDF_PAGES = env_int("STA_IMPORT_MAX_PDF_PAGES", 2000)
STA_IMPORT_MAX_PDF_STREAM_BYTES = env_int("STA_IMPORT_MAX_PDF_STREAM_BYTES", 64_000_000)
STA_IMPORT_MAX_PDF_ONE_STREAM_BYTES = env_int("STA_IMPORT_MAX_PDF_ONE_STREAM_BYTES", 16_000_000)
STA_IMPORT_MAX_XML_NODES = env_int("STA_IMPORT_MAX_XML_NODES", 500_000)
STA_IMPORT_MAX_XML_DEPTH = env_int("STA_IMPORT_MAX_XML_DEPTH", 120)
STA_IMPORT_MAX_LINE_CHARS = env_int("STA_IMPORT_MAX_LINE_CHARS", 100_000)
# Four eyes: an import is published by a second administrator, not the one who uploaded it.
# On unless turned off (the one-person demo turns it off).
STA_IMPORT_FOUR_EYES = env_bool("STA_IMPORT_FOUR_EYES", default=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = STA_IMPORT_MAX_BYTES + 1_000_000
# Uploads stay in memory (no temporary file to leave behind), bounded by STA_IMPORT_MAX_BYTES.
FILE_UPLOAD_HANDLERS = ["sta_tracker.uploads.BoundedMemoryUploadHandler"]

# Why short: the cache only saves work (compare pages), so a stalled Redis is given up on within
# a second and the page computed afresh; see sta_tracker/cache.py and docs/security.md.
STA_CACHE_TIMEOUT_MS = env_int("STA_CACHE_TIMEOUT_MS", 500)
STA_CACHE_RETRY_SECONDS = env_int("STA_CACHE_RETRY_SECONDS", 30)
CACHES = {
    "default": (
        {
            "BACKEND": "sta_tracker.cache.ForgivingRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {
                "socket_connect_timeout": STA_CACHE_TIMEOUT_MS / 1000,
                "socket_timeout": STA_CACHE_TIMEOUT_MS / 1000,
                "retry": Retry(NoBackoff(), 0),
                "RETRY_SECONDS": STA_CACHE_RETRY_SECONDS,
            },
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Why a switch: the rendered text of a version and a comparison's rows are kept in the cache
# (clauses/fragments.py); off, every page renders them in full, as the tests compare.
STA_FRAGMENT_CACHE = env_bool("STA_FRAGMENT_CACHE", default=True)

# Whole pages kept per signed-in session (sta_tracker/pagecache.py, docs/deploy.md). Why only
# with Redis: every process must see the same generation, which moves on after each write.
STA_PAGE_CACHE = env_bool("STA_PAGE_CACHE", default=bool(os.environ.get("REDIS_URL")))
if STA_PAGE_CACHE and not os.environ.get("REDIS_URL"):
    raise ImproperlyConfigured("STA_PAGE_CACHE needs REDIS_URL: the kept pages must be shared.")
STA_PAGE_CACHE_SECONDS = env_int("STA_PAGE_CACHE_SECONDS", 300)
STA_PAGE_CACHE_MAX_BYTES = env_int("STA_PAGE_CACHE_MAX_BYTES", 2_000_000)

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# Why: the demo has no broker, so tasks run in-process; production always names a broker.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Resource limits of a worker child (docs/security.md): its address space, and the resident
# size after which it is replaced once its task ends (KiB, Celery's unit).
STA_WORKER_MEMORY_MB = env_int("STA_WORKER_MEMORY_MB", 2048)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("STA_WORKER_MAX_RSS_KB", 1_000_000)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("STA_CELERY_QUEUE", "sta")
# Why: a broker that stops answering without closing its connections would otherwise block
# the request that queues work after its change has committed. Queuing gives up within
# seconds; the periodic sweeps queue the work again.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}

EMAIL_BACKEND = os.environ.get(
    "STA_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("STA_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
# Where the file backend (the demo's: make run) writes each message, one file per message.
EMAIL_FILE_PATH = os.environ.get("STA_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("STA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("STA_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("STA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("STA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("STA_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("STA_EMAIL_FROM", "sta-tracker@localhost")

SESSION_COOKIE_HTTPONLY = True
# Why: no script reads the CSRF token from the cookie; forms and the API page embed it.
CSRF_COOKIE_HTTPONLY = True
# Why 30 minutes: the re-authentication after inactivity NIST SP 800-63B asks of AAL2. A session
# in use is renewed at most once a minute (sta_tracker.sessions), so the clock counts idle time
# only, to within that minute, without a session write on every request.
SESSION_COOKIE_AGE = env_int("STA_SESSION_SECONDS", 60 * 30)
SESSION_SAVE_EVERY_REQUEST = False
STA_SESSION_RENEW_SECONDS = env_int("STA_SESSION_RENEW_SECONDS", 60)
# Why only with Redis: a per-process cache would keep a signed-out session alive in the other
# web workers; Redis is shared, so reads come from it and writes go to both.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if os.environ.get("REDIS_URL")
    else "django.contrib.sessions.backends.db"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("STA_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("STA_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Where the shared reference folder lives; tests that read real treaty texts skip without it.
STA_SHARED_DATA_DIR = Path(
    os.environ.get("STA_SHARED_DATA_DIR", BASE_DIR.parent / "shared" / "data")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("STA_LOG_LEVEL", "INFO")},
    # Why apart: the demo runs tasks in-process, one log line each (hundreds while seeding);
    # make run sets these to WARNING so its start-up output stays readable.
    "loggers": {
        name: {"level": os.environ.get(variable, os.environ.get("STA_LOG_LEVEL", "INFO"))}
        for name, variable in (
            ("celery", "STA_TASK_LOG_LEVEL"),
            ("reviews.tasks", "STA_TASK_LOG_LEVEL"),
            ("sta_tracker.background", "STA_TASK_LOG_LEVEL"),
            ("reviews.services.notifications", "STA_MAIL_LOG_LEVEL"),
            ("django.core.mail", "STA_MAIL_LOG_LEVEL"),
        )
    },
}

# The inactive account named in history rows written by commands and background tasks.
STA_SYSTEM_USERNAME = "sta-system"
# Why: corrections to reference texts are new edits with a reason, never silent reverts.
SIMPLE_HISTORY_REVERT_DISABLED = True
# Why: reasons are sentences people write (a rejection, a correction); 100 characters cut them.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Review workflow: the service level after which waiting proposals trigger a daily reminder,
# the largest attachment, and the fuzzy score (0–100) from which a listed name is a potential
# restricted-party match.
STA_REVIEW_REMINDER_DAYS = env_int("STA_REVIEW_REMINDER_DAYS", 10)
STA_ATTACHMENT_MAX_BYTES = env_int("STA_ATTACHMENT_MAX_BYTES", 10_000_000)
STA_SCREENING_MATCH_THRESHOLD = env_int("STA_SCREENING_MATCH_THRESHOLD", 88)
# Background work: a message is given up after this many delivery attempts, and a task whose
# work keeps failing (a screening, a sweep) after this many runs; see docs/security.md.
STA_MAIL_MAX_ATTEMPTS = env_int("STA_MAIL_MAX_ATTEMPTS", 8)
STA_TASK_MAX_ATTEMPTS = env_int("STA_TASK_MAX_ATTEMPTS", 3)
if STA_MAIL_MAX_ATTEMPTS < 1 or STA_TASK_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("STA_MAIL_MAX_ATTEMPTS and STA_TASK_MAX_ATTEMPTS must be 1 or more.")
# Matches scoring at least this much but below the match threshold are kept as near misses and
# shown on the hit page, so a reviewer sees what screening set aside.
STA_SCREENING_NEAR_MISS_THRESHOLD = env_int("STA_SCREENING_NEAR_MISS_THRESHOLD", 70)
if STA_REVIEW_REMINDER_DAYS < 1:
    raise ImproperlyConfigured("STA_REVIEW_REMINDER_DAYS must be at least 1.")
# After approval (issue 16): a request to the partner unanswered for longer than this many days,
# or a share of requests the partner met below this percentage, is a reciprocity concern; each
# step of a dispute falls due this many days after the step before it.
STA_RECIPROCITY_OPEN_DAYS = env_days("STA_RECIPROCITY_OPEN_DAYS", 60)
STA_RECIPROCITY_MIN_SHARE_PERCENT = env_int("STA_RECIPROCITY_MIN_SHARE_PERCENT", 50)
if not 0 <= STA_RECIPROCITY_MIN_SHARE_PERCENT <= 100:
    raise ImproperlyConfigured("STA_RECIPROCITY_MIN_SHARE_PERCENT must be from 0 to 100.")
STA_DISPUTE_CONSULTATION_DAYS = env_days("STA_DISPUTE_CONSULTATION_DAYS", 30)
STA_DISPUTE_OUTCOME_DAYS = env_days("STA_DISPUTE_OUTCOME_DAYS", 30)
STA_DISPUTE_CESSATION_DAYS = env_days("STA_DISPUTE_CESSATION_DAYS", 90)
if not 50 <= STA_SCREENING_MATCH_THRESHOLD <= 100:
    raise ImproperlyConfigured("STA_SCREENING_MATCH_THRESHOLD must be between 50 and 100.")
if not 40 <= STA_SCREENING_NEAR_MISS_THRESHOLD < STA_SCREENING_MATCH_THRESHOLD:
    raise ImproperlyConfigured(
        "STA_SCREENING_NEAR_MISS_THRESHOLD must be at least 40 and below "
        "STA_SCREENING_MATCH_THRESHOLD."
    )

# Service levels: the days each step of the review may take once it can be done (screening from
# submission or from the run that found hits, both assessments from entering review, the decision
# from the later assessment). The due dates in the queues and in the mail come from these.
STA_SLA_SCREENING_DAYS = env_days("STA_SLA_SCREENING_DAYS", 3)
STA_SLA_RISK_BENEFIT_DAYS = env_days("STA_SLA_RISK_BENEFIT_DAYS", 10)
STA_SLA_SECURITY_DAYS = env_days("STA_SLA_SECURITY_DAYS", 10)
STA_SLA_DECISION_DAYS = env_days("STA_SLA_DECISION_DAYS", 5)
# The days a draft uploaded for comparison is kept for its owner; then the sweep deletes it.
STA_DRAFT_KEEP_DAYS = env_days("STA_DRAFT_KEEP_DAYS", 30)
# The address people reach the site at, for the links in mail (no trailing slash).
STA_SITE_URL = os.environ.get("STA_SITE_URL", "http://localhost:8000").strip().rstrip("/")
if not STA_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"STA_SITE_URL must start with http:// or https://, got {STA_SITE_URL!r}"
    )
CELERY_BEAT_SCHEDULE = {
    "review-reminders": {
        "task": "reviews.tasks.send_review_reminders",
        "schedule": 60 * 60 * 24,
    },
    "deliver-pending-notifications": {
        "task": "reviews.tasks.deliver_pending_notifications",
        "schedule": 60 * 10,
    },
    # Work queued while the broker was down, or lost with a worker, is queued again.
    "sweep-stalled-screenings": {
        "task": "reviews.tasks.sweep_stalled_screenings",
        "schedule": 60 * 10,
    },
    "sweep-stalled-imports": {
        "task": "clauses.tasks.sweep_stalled_imports",
        "schedule": 60 * 10,
    },
    "delete-expired-compare-drafts": {
        "task": "clauses.tasks.delete_expired_compare_drafts",
        "schedule": 60 * 60,
    },
    # The head it logs is worth copying somewhere else: see docs/security.md.
    "check-audit-chain": {
        "task": "reviews.tasks.check_audit_chain",
        "schedule": 60 * 60 * 24,
    },
}

# JSON API: session cookies for the browser, tokens for scripts; every error is JSON.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Why: token first, so an anonymous call gets 401 with a WWW-Authenticate header.
        "sta_tracker.token_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "clauses.api_conventions.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "clauses.api_conventions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# API tokens (django-rest-knox, docs/security.md): only a SHA-512 digest of each key is stored;
# the key is shown once, when it is made, and stops working after STA_API_TOKEN_DAYS.
STA_API_TOKEN_DAYS = env_int("STA_API_TOKEN_DAYS", 30)
STA_API_TOKENS_PER_PERSON = env_int("STA_API_TOKENS_PER_PERSON", 5)
if STA_API_TOKEN_DAYS < 1 or STA_API_TOKENS_PER_PERSON < 1:
    raise ImproperlyConfigured(
        "STA_API_TOKEN_DAYS and STA_API_TOKENS_PER_PERSON must be at least 1."
    )
KNOX_TOKEN_MODEL = "sta_tracker.ApiToken"  # noqa: S105 - a model name, not a secret
# Why: knox's migrations create its own token table even when its model is swapped for ours; an
# unused table referencing auth_user would only be in the way (flushes, audits). Without
# migrations, knox creates nothing: its one model is swapped out.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=STA_API_TOKEN_DAYS),
    "TOKEN_LIMIT_PER_USER": STA_API_TOKENS_PER_PERSON,
    "AUTH_HEADER_PREFIX": "Token",
    # Why a prefix: a key pasted somewhere it should not be is recognisable by secret scanners.
    "TOKEN_PREFIX": "sta_",
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "STA Tracker API",
    "DESCRIPTION": (
        "Agreements, versions, clauses, diffs and search, and the review of proposed projects "
        "under the U.S.–PRC Agreement on Cooperation in Science and Technology."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "InstrumentKind": "clauses.models.InstrumentKind",
        "EventKind": "clauses.models.EventKind",
        "ClauseKind": "clauses.models.ClauseKind",
        "TextStatus": "clauses.models.TextStatus",
        "ProposalState": "reviews.workflow.ProposalState",
        "ProposalAction": "reviews.workflow.ProposalAction",
        "DecisionOutcome": "reviews.models.DecisionOutcome",
        "HitKind": "reviews.models.HitKind",
        "DayStatus": "clauses.record.pointintime.STATUSES",
        # Disputes, grounds and assignments in the proposal API.
        "DisputeStatus": "reviews.workflow.DisputeStatus",
        "DisputeAction": "reviews.workflow.DisputeAction",
        "DisputeGround": "reviews.models.DisputeGround",
        "GroundKind": "reviews.models.GroundKind",
        "LedgerStatus": "reviews.models.LedgerStatus",
        "ReviewStep": "reviews.models.ReviewStep",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "clauses.api_conventions.schema_error_responses",
    ],
    # Why: the documentation page must work without internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
