"""Amparo settings: one module, every difference between environments is an environment variable.

Secure by default: DEBUG is off unless DJANGO_DEBUG asks for it; `make run` sets development values.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent  # src/amparo
BASE_DIR = SRC_DIR.parent.parent  # repository root
VAR_DIR = Path(environ.Env().str("AMPARO_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="" if not DEBUG else "dev-only-insecure-key")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# How many reverse proxies of ours stand in front (each appends to X-Forwarded-For): the client's
# address is taken from there instead of the proxy's (core/proxies.py). 0: none, REMOTE_ADDR.
AMPARO_TRUSTED_PROXY_COUNT = env.int("AMPARO_TRUSTED_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Lists a person's signed-in sessions and signs the others out (its own table, so it works
    # with the database and the cache session engines alike).
    "allauth.usersessions",
    "axes",
    "rules",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "amparo.core",
    "amparo.accounts",
    "amparo.courts",
    "amparo.people",
    "amparo.intake",
    "amparo.cases",
    "amparo.deadlines",
    "amparo.conflicts",
    "amparo.mentoring",
    "amparo.mentoring_work",
    "amparo.trainings",
    "amparo.library",
    "amparo.workspace",
    "amparo.reports",
    "amparo.public",
    "amparo.api",
    # django-ninja's templates and static files: the API docs page served by us, not a CDN.
    "ninja",
]

MIDDLEWARE = [
    # First: every later layer (audit, lock-out, sessions) sees the client's own address.
    "amparo.core.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "amparo.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: it tells a person signed out for inactivity why.
    "amparo.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "amparo.accounts.middleware.StaffTwoFactorMiddleware",
    "amparo.core.middleware.ContentSecurityPolicyMiddleware",
    # X-Robots-Tag: noindex on every page but the public ones (robots.txt allows only those).
    "amparo.core.middleware.SearchEngineMiddleware",
    # AxesMiddleware last, as django-axes documents.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "amparo.config.urls"
WSGI_APPLICATION = "amparo.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amparo.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded SQLite by default (WAL, IMMEDIATE transactions, a busy timeout so concurrent writers
# wait instead of failing); DATABASE_URL=postgres://... switches with no code change.
SQLITE_PATH = VAR_DIR / "amparo.sqlite3"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Behind PgBouncer in transaction pooling mode (docs/deploy.md): no server-side cursors.
    DATABASES["default"].setdefault(
        "DISABLE_SERVER_SIDE_CURSORS",
        env.bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False),
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, background jobs ------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "amparo_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Progress of long background jobs (imports): written while the job's own database transaction
# is open, so it must live outside the database (on SQLite that transaction holds the write lock).
CACHES["progress"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "progress-cache"),
    }
)

HUEY_IMMEDIATE = env.bool("HUEY_IMMEDIATE", default=False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "amparo",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "amparo",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "amparo.accounts.backends.RoleModelPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
# Accounts are created by coordinators (and, later, the public volunteer form), not open sign-up.
ACCOUNT_ADAPTER = "amparo.accounts.adapters.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Amparo"
# Roles that must enrol TOTP before they see any client data (see accounts/roles.py).
AMPARO_REQUIRE_2FA_FOR_ATTORNEYS = env.bool("AMPARO_REQUIRE_2FA_FOR_ATTORNEYS", default=False)
# Demo sign-ins skip enrolment only while DEBUG is on (demo_data refuses to run otherwise).
AMPARO_DEMO_SKIPS_2FA = DEBUG

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Security notices by e-mail (password changed or reset, two-factor added or removed); the notice
# of a sign-in from a new browser is Amparo's own (accounts/services.py).
ACCOUNT_EMAIL_NOTIFICATIONS = True
USERSESSIONS_ADAPTER = "amparo.accounts.adapters.UserSessionsAdapter"
# A write per request only to show "last seen" is not worth it; sessions are recorded at sign-in.
USERSESSIONS_TRACK_ACTIVITY = False

# Sessions end after AMPARO_SESSION_IDLE_MINUTES without a request, and AMPARO_SESSION_MAX_HOURS
# after sign-in whatever the activity (accounts/middleware.py SessionTimeoutMiddleware). The
# session store's own expiry follows the idle limit, renewed as the person works (at most once a
# minute, not on every request), so an abandoned session also dies in the database or Redis; it
# keeps the session five minutes longer, so the middleware can still tell the person why.
AMPARO_SESSION_IDLE_MINUTES = env.int("AMPARO_SESSION_IDLE_MINUTES", default=30)
AMPARO_SESSION_MAX_HOURS = env.float("AMPARO_SESSION_MAX_HOURS", default=8.0)
SESSION_COOKIE_AGE = (AMPARO_SESSION_IDLE_MINUTES + 5) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("AMPARO_TIME_ZONE", default="America/Los_Angeles")
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from the npm registry (package-lock.json) and are served by WhiteNoise.
STATICFILES_DIRS = [
    SRC_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
# Uploads are private: MEDIA is never served by URL; files go through permission-checked views.
# They are encrypted at rest with AMPARO_FIELD_KEYS (see amparo/core/storage.py), on this
# machine's disk by default or, with AMPARO_MEDIA_STORAGE=s3, in an S3-compatible bucket that
# every app server and job worker shares (only ciphertext ever reaches the bucket).
AMPARO_MEDIA_STORAGE = env.str("AMPARO_MEDIA_STORAGE", default="filesystem").strip().lower()
if AMPARO_MEDIA_STORAGE == "filesystem":
    MEDIA_STORAGE = {
        "BACKEND": "amparo.core.storage.EncryptedFileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private-media"), "base_url": "/no-public-media/"},
    }
elif AMPARO_MEDIA_STORAGE == "s3":
    # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment, or the
    # machine's role (boto3's usual chain); they are not settings here.
    AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not AWS_STORAGE_BUCKET_NAME:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("AMPARO_MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    MEDIA_STORAGE = {
        "BACKEND": "amparo.core.storage.EncryptedS3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # Another provider than AWS (MinIO, Ceph, a cloud's S3 API): its URL.
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # A prefix inside the bucket, to share one bucket between deployments.
            "location": env.str("AWS_LOCATION", default=""),
            # "path" for most MinIO set-ups; empty lets boto3 choose.
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "default_acl": "private",
            # Files are only served through permission-checked views, never by a signed link;
            # a name already taken gets a suffix, as on disk, instead of replacing the file.
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("AMPARO_MEDIA_STORAGE must be 'filesystem' or 's3'.")
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Amparo <no-reply@amparo.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Encryption of personal data --------------------------------------------------------------
# Comma-separated Fernet keys, newest first: the first encrypts, all decrypt (MultiFernet).
# Rotate: put a new key first, run `manage.py rotate_keys`, then drop the old key.
# The blind-index key (HMAC) is separate, so rotating encryption keys never changes search hashes.
_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LWRvLW5vdC11c2UtISE="
AMPARO_FIELD_KEYS = env.list("AMPARO_FIELD_KEYS", default=[_DEV_FIELD_KEY] if DEBUG else [])
AMPARO_BLIND_INDEX_KEY = env.str(
    "AMPARO_BLIND_INDEX_KEY", default="dev-only-blind-index-key" if DEBUG else ""
)
if not AMPARO_FIELD_KEYS or not AMPARO_BLIND_INDEX_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "AMPARO_FIELD_KEYS and AMPARO_BLIND_INDEX_KEY must be set when DJANGO_DEBUG is off."
    )

# --- Security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # A load balancer may check an app server over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- Program settings -------------------------------------------------------------------------
AMPARO_PROGRAM_NAME = env.str("AMPARO_PROGRAM_NAME", default="Amparo")
AMPARO_SITE_URL = env.str("AMPARO_SITE_URL", default="http://127.0.0.1:8000")
AMPARO_DIGEST_HOUR_UTC = env.int("AMPARO_DIGEST_HOUR_UTC", default=14)
# Where people report a security problem in this deployment (SECURITY.md): an e-mail address or
# a URL, published at /.well-known/security.txt (RFC 9116).
AMPARO_SECURITY_CONTACT = env.str("AMPARO_SECURITY_CONTACT", default="security@amparo.localhost")
# When on, attorneys ask for a board case and a coordinator approves; when off, they take it.
AMPARO_PLACEMENT_REQUIRES_APPROVAL = env.bool("AMPARO_PLACEMENT_REQUIRES_APPROVAL", default=False)
# After a mentor declines, invite the next best mentor at once instead of waiting for an admin.
AMPARO_MENTORING_AUTO_INVITE_NEXT = env.bool("AMPARO_MENTORING_AUTO_INVITE_NEXT", default=False)
# Largest sample document staff may upload to the library (megabytes).
AMPARO_LIBRARY_MAX_UPLOAD_MB = env.int("AMPARO_LIBRARY_MAX_UPLOAD_MB", default=20)
# Every uploaded file: past this many MB its bytes are no longer kept while the request is read
# (amparo/core/uploads.py), and the upload field's own, lower limit refuses it with its message.
AMPARO_MAX_UPLOAD_MB = env.int("AMPARO_MAX_UPLOAD_MB", default=25)
FILE_UPLOAD_HANDLERS = [
    "amparo.core.uploads.SizeCeilingUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Retention: closed cases are archived after AMPARO_ARCHIVE_AFTER_DAYS, and purged of personal
# data AMPARO_RETENTION_YEARS after they closed (the program's records policy decides both).
AMPARO_ARCHIVE_AFTER_DAYS = env.int("AMPARO_ARCHIVE_AFTER_DAYS", default=90)
AMPARO_RETENTION_YEARS = env.int("AMPARO_RETENTION_YEARS", default=7)

# Error reports (the e-mail to ADMINS, any handler that renders the request) show no POST value
# and no traceback variable: forms carry clients' names and A-numbers (core/error_reports.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "amparo.core.error_reports.PersonalDataExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_template_context": {"()": "amparo.core.error_reports.TemplateContextLogFilter"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Its DEBUG lines would carry whole template contexts (core/error_reports.py).
        "django.template": {"filters": ["no_template_context"]},
    },
}
