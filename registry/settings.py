"""Settings for the Likeness Registry: one module, every knob from the environment (twelve-factor)."""

import os
import sys
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
TESTING = "pytest" in sys.modules
# A development key only with DEBUG on (or under the test runner); production must set SECRET_KEY.
SECRET_KEY = env(
    "SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production" if DEBUG or TESTING else None
)
HTTPS_ONLY = not DEBUG and not TESTING
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address used in emails, QR codes and exports. Unset in production, it is the first public host of
# ALLOWED_HOSTS over https (never the development server's port 8000).
_PUBLIC_HOSTS = [h for h in ALLOWED_HOSTS if h not in ("*", "localhost", "127.0.0.1", "[::1]", "testserver")]
_DEFAULT_SITE_URL = (
    f"https://{_PUBLIC_HOSTS[0].lstrip('.')}"
    if _PUBLIC_HOSTS and not (DEBUG or TESTING)
    else "http://127.0.0.1:8000"
)
SITE_URL = env("SITE_URL", default=_DEFAULT_SITE_URL).rstrip("/")
SITE_NAME = env("SITE_NAME", default="Likeness Registry")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "accounts",
    "registry.core",
    "registry.talent",
    "registry.consent",
    "registry.brands",
    "registry.likeness",
    "registry.licensing",
    "registry.checks",
    "registry.cases",
    "registry.privacy",
    "registry.importer",
    "registry.site",
    "registry.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "registry.core.middleware.RejectNulMiddleware",  # %00 in path, query or header: 400, not a 500
    "registry.core.middleware.PrivateCacheMiddleware",  # no-store, private on personal and token answers
    "registry.core.middleware.RequestSizeLimitMiddleware",  # 413 per endpoint, before CSRF reads a form
    "registry.core.middleware.PathIdRangeMiddleware",  # an id beyond 64 bits: 404, not a database error
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    # Axes last, as its docs require.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "registry.urls"
WSGI_APPLICATION = "registry.wsgi.application"

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
                "accounts.context_processors.roles",
                "registry.core.context_processors.site",
            ],
            "builtins": ["registry.core.templatetags.labels", "registry.core.templatetags.form_summary"],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (a new PostgreSQL connection per request cost more than the permission check itself),
# checked before reuse so that a restarted database or pgbouncer never fails a request. CONN_MAX_AGE=0 closes
# each connection after its request (pgbouncer in transaction mode: see docs/performance-checks.md).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif TESTING:
    # Two copies of the suite on one PostgreSQL never share a test database: the name carries the run's id
    # (pytest-xdist's, shared by its workers, which add their own _gwN), or the process id without xdist.
    _RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8] or str(os.getpid())
    DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_{DATABASES['default']['NAME']}_{_RUN}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker and cache when REDIS_URL is set; otherwise Celery runs tasks eagerly and the cache is local.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "registry.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Room for the check facts of many talent (registry.checks.facts: four small entries per talent).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# Publishing must never hang a web request: fail fast, the outbox retries later.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2, "max_retries": 0}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# The outbox's tasks live in registry.core.outbox (autodiscovery only looks for each app's tasks.py).
CELERY_IMPORTS = ["registry.core.outbox"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "site:dashboard"

# django-allauth: email is the login, verified email required, MFA with TOTP and recovery codes.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.RoleSignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/m/ip", "confirm_email": "1/3m/key"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Likeness Registry] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Likeness Registry"

# django-axes: lock an account+IP after repeated failures, on top of allauth's rate limits.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_username"  # allauth passes {"email": ...}
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "errors/locked.html"
# Behind N reverse proxies that append to X-Forwarded-For, set TRUSTED_PROXY_COUNT=N: rate limits, lockouts,
# signatures and the audit log then see the client's address (registry.core.clientip) instead of the proxy's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Originals (reference media, evidence) are private: never under MEDIA_URL; served by authorised views.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "registry.core.storage.StaticStorage"
        if HTTPS_ONLY
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True  # serve static/ even before collectstatic has run
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-private/"  # nothing is served here: files go through views that check access
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest request body per endpoint (URL name), answered 413 before parsing (registry.core.middleware);
# every other /api/ address takes REQUEST_BODY_LIMIT_API_DEFAULT. The proxy's client_max_body_size must be at
# least the largest of these (README, Security).
REQUEST_BODY_LIMITS = {
    "v1:permissions-check": 16 * 1024,  # one check
    "v1:permissions-check-bulk": 1024 * 1024,  # up to 1,000 checks
    # a report: 10 MB of fields + 5 evidence files of 10 MB each, multipart (registry.cases.evidence)
    "v1:reports-create": 60 * 1024 * 1024,
}
REQUEST_BODY_LIMIT_API_DEFAULT = 256 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG.get("EMAIL_FILE_PATH") is not None:  # filemail://localhost/var/mail: relative to the project
    EMAIL_FILE_PATH = str(BASE_DIR / (EMAIL_CONFIG["EMAIL_FILE_PATH"] or "var/mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Likeness Registry <no-reply@registry.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who is told when background work fails for good (registry.core.outbox): OPS_EMAILS=a@x.org,b@x.org
ADMINS = [("Operations", email) for email in env.list("OPS_EMAILS", default=[])]

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Request bodies are JSON (product.md §5): another media type is a 415 unsupported_media_type. Only the
    # report endpoint (uploads) also takes multipart (registry/api/cases.py). DRF's parser, hardened against
    # NUL characters and too-deep JSON (no 500s).
    "DEFAULT_PARSER_CLASSES": ["registry.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "registry.api.pagination.PagePagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "registry.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="300/min"),
        "user": env("THROTTLE_USER", default="1000/min"),
        "check": env("THROTTLE_CHECK", default="6000/min"),
        "reports": env("THROTTLE_REPORTS", default="20/hour"),
        "tracking": env("THROTTLE_TRACKING", default="120/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Per-IP throttles use the connecting address (as axes, allauth and the cases limits do): with DRF's
    # default (None) any client could pick its own identity with a forged X-Forwarded-For header.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Likeness Registry API",
    "DESCRIPTION": "Public registry, permission checks, licenses and misuse reports (v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "registry.api.schema.document_common_errors",
    ],
    # One stable name per vocabulary (generated clients name their enum classes after these): an enum whose
    # choices match none of these would get a name derived from its field, or a hash (e.g. Use8f2Enum).
    "ENUM_NAME_OVERRIDES": {
        "UseEnum": "registry.consent.vocab.Use",
        "ModalityEnum": "registry.consent.vocab.Modality",
        "ChannelEnum": "registry.consent.vocab.Channel",
        "TerritoryEnum": "registry.consent.fields.TERRITORIES",
        "TerritoryOrWorldwideEnum": "registry.consent.fields.TERRITORIES_OR_WORLDWIDE",
        "TermDecisionEnum": "registry.consent.vocab.Decision",
        "TermSourceEnum": ["terms", "default"],
        "CheckDecisionEnum": "registry.consent.vocab.Outcome",
        "BasisKindEnum": "registry.checks.serializers.BASIS_KINDS",
        "BasisReasonEnum": "registry.checks.evaluator.Reason",
        "CheckSourceEnum": "registry.brands.models.PermissionCheck.Source",
        "DisciplineEnum": "registry.talent.models.Discipline",
        "LicenseRequestStatusEnum": "registry.licensing.models.LicenseRequest.Status",
        "LicenseStatusEnum": "registry.licensing.serializers.LICENSE_STATUSES",
        "OfferKindEnum": "registry.licensing.models.LicenseOffer.Kind",
        "CaseOutcomeEnum": "registry.cases.models.Outcome",
        "PlatformEnum": "registry.cases.models.Platform",
        "RelationshipEnum": "registry.cases.models.Relationship",
        "TrackingStatusEnum": "registry.cases.serializers.TRACKING_STATUSES",
        "ChangeKindEnum": "registry.checks.models.Change.Kind",
    },
    # Swagger UI served from our own static files (no CDN), its init script as a separate file (CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Security headers; production turns on the https-only settings (check --deploy is clean with DEBUG off).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS_ONLY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "registry.core.views.csrf_failure"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOG_LEVEL = env("LOG_LEVEL", default="WARNING")
# One console handler (on the root logger): Django's own "django" logger keeps only the email to ADMINS on
# errors (its debug-only console handler printed every record a second time). Expected 401/403/404/405s
# are one INFO line without traceback, other 4xx one WARNING line, and no 4xx is emailed
# (registry.core.logfilters); 5xx keep their traceback and go to ADMINS.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "quiet": {"()": "registry.core.logfilters.QuietClientErrors"},
        "quiet_console": {"()": "registry.core.logfilters.QuietClientErrors", "level": LOG_LEVEL},
        "quiet_mail": {"()": "registry.core.logfilters.QuietClientErrors", "level": "ERROR"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "level": LOG_LEVEL, "filters": ["quiet_console"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "quiet_mail"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["quiet"], "level": "INFO", "propagate": True},
    },
}

# Domain knobs.
CERTIFICATE_SIGNING_KEY = env(
    "CERTIFICATE_SIGNING_KEY", default=""
)  # base64 Ed25519 private key (raw 32 bytes)

# Periodic jobs (django-celery-beat installs these into its database schedule at beat start).
CELERY_BEAT_SCHEDULE = {
    # The task is defined in registry.core.outbox under its historic name (see RUN_TASK/DRAIN_TASK there).
    "drain-outbox": {"task": "registry.core.tasks.drain_outbox", "schedule": 60.0},
    # While any outbox message is FAILED, supervisors get one email an hour (registry.site.failed_work).
    "alert-failed-work": {"task": "registry.site.tasks.alert_failed_work", "schedule": 10 * 60.0},
}

# --- talent (registry/talent) ---
# Public registry search and profiles (per IP for anonymous callers, per user otherwise).
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["registry"] = env("THROTTLE_REGISTRY", default="600/min")

# --- consent (registry/consent) ---
# Public terms API (machine-readable exports: AI crawlers and tools read it per talent).
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["terms"] = env("THROTTLE_TERMS", default="600/min")
# /.well-known/tdmrep.json is built in the background (on every signature, and hourly for terms that start or
# end on a date) and served as stored: registry/consent/published.py.
CELERY_BEAT_SCHEDULE["consent-rebuild-published-documents"] = {
    "task": "registry.consent.tasks.rebuild_published_documents",
    "schedule": 60 * 60.0,
}

# --- brands and licensing (registry/brands, registry/licensing) ---
# API rate limits per API key (per user for web sessions): registry.api.auth.OrganizationRateThrottle.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].update(
    {
        "check_bulk": env("THROTTLE_CHECK_BULK", default="120/min"),  # each call carries up to 1,000 checks
        "check_history": env("THROTTLE_CHECK_HISTORY", default="120/min"),
        "changes": env("THROTTLE_CHANGES", default="120/min"),  # the change feed, per key
        "licenses": env("THROTTLE_LICENSES", default="300/min"),
        "license_verify": env("THROTTLE_LICENSE_VERIFY", default="120/min"),  # public, per IP
    }
)
# Cached facts of the permission check (registry.checks.facts): an upper bound only, every change of the facts
# replaces the talent's facts token at once.
CHECK_FACTS_CACHE_SECONDS = env.int("CHECK_FACTS_CACHE_SECONDS", default=600)
# Check log retention (docs/privacy.md): each check in full for CHECK_LOG_DETAIL_DAYS, then daily counts per
# organization, talent, use and answer for CHECK_LOG_DAILY_DAYS; rolled up every night.
CHECK_LOG_DETAIL_DAYS = env.int("CHECK_LOG_DETAIL_DAYS", default=90)
CHECK_LOG_DAILY_DAYS = env.int("CHECK_LOG_DAILY_DAYS", default=6 * 366)
# Reminders 30 and 7 days before licenses and terms end (each sent once; a missed day is caught up).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["licensing-expiry-reminders"] = {
    "task": "registry.licensing.tasks.send_expiry_reminders",
    "schedule": crontab(hour=6, minute=15),
}

# --- checks (registry/checks): license expiries enter the change feed within 15 minutes of midnight ---
CELERY_BEAT_SCHEDULE["checks-license-expiries"] = {
    "task": "registry.checks.tasks.record_license_expiries",
    "schedule": 15 * 60.0,
}

# --- brands (registry/brands): checks older than the retention period are rolled up into daily counts ---
CELERY_BEAT_SCHEDULE["brands-roll-up-check-log"] = {
    "task": "registry.brands.tasks.roll_up_check_log",
    "schedule": crontab(hour=3, minute=40),
}

# --- cases (registry/cases) ---
CELERY_BEAT_SCHEDULE["cases-flag-overdue"] = {
    "task": "registry.cases.tasks.flag_overdue_cases",
    "schedule": 15 * 60.0,  # every 15 minutes: SLA breaches are flagged and notified once each
}
CELERY_BEAT_SCHEDULE["cases-send-digests"] = {
    "task": "registry.cases.tasks.send_case_digests",
    "schedule": 5 * 60.0,  # held case emails (at most one per case per hour per person) go out as digests
}
CASES_PHASH_MAX_DISTANCE = env.int("CASES_PHASH_MAX_DISTANCE", default=10)  # of 64 bits
CASES_DEFAULT_TERRITORY = env("CASES_DEFAULT_TERRITORY", default="US")  # permission check when none reported
CASES_UNION_NAME = env("CASES_UNION_NAME", default="The Performers' Union — Likeness Desk")
CASES_CONTACT_EMAIL = env("CASES_CONTACT_EMAIL", default="likeness-desk@registry.example.org")
CASES_REPLY_DOMAIN = env("CASES_REPLY_DOMAIN", default="replies.registry.example.org")  # case+<token>@…

SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "CaseStatusEnum": "registry.cases.models.Status",
        "CasePriorityEnum": "registry.cases.models.Priority",
        "ReportedURLStatusEnum": "registry.cases.models.ReportedURL.Status",
    }
)

# --- likeness (registry/likeness): face descriptors, with biometric consent only ---
# Euclidean distance between two dlib face descriptors at or below which a face is "likely" the talent's
# (docs/likeness.md: the evaluation behind it); at or below LIKENESS_STRONG_MATCH a case without a talent
# is offered hers and its priority raised.
LIKENESS_MATCH_THRESHOLD = env.float("LIKENESS_MATCH_THRESHOLD", default=0.5)
LIKENESS_STRONG_MATCH = env.float("LIKENESS_STRONG_MATCH", default=0.4)
LIKENESS_SELF_CHECK_RATE = env("LIKENESS_SELF_CHECK_RATE", default="20/hour")  # per user: images checked
LIKENESS_EXACT_MAX = env.int("LIKENESS_EXACT_MAX", default=200_000)  # exact (numpy) search; HNSW beyond
LIKENESS_INDEX_REBUILD_SECONDS = env.int("LIKENESS_INDEX_REBUILD_SECONDS", default=600)  # in-process index
LIKENESS_MATCH_MAX_PIXELS = env.int("LIKENESS_MATCH_MAX_PIXELS", default=25_000_000)  # larger: not scanned
