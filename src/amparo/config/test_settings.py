"""Settings for the test suite: the real settings with test keys, fast hashing and local mail."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
# Two keys so rotation is exercised: the first encrypts, both decrypt.
os.environ.setdefault(
    "AMPARO_FIELD_KEYS",
    "dGVzdC1rZXktb25lLTAxMjM0NTY3ODlhYmNkZWZnaGk=,dGVzdC1rZXktdHdvLTAxMjM0NTY3ODlhYmNkZWZnaGk=",
)
os.environ.setdefault("AMPARO_BLIND_INDEX_KEY", "test-only-blind-index-key")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# The suite talks to the Redis it is given only through tests that ask for it.
os.environ.pop("REDIS_URL", None)

from amparo.config.settings import *  # noqa: F403
from amparo.config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Immediate (in-memory) by default; the job-runner test switches to the real SQLite storage.
HUEY = {**HUEY, "immediate": True, "filename": str(VAR_DIR / "huey-test.sqlite3")}  # noqa: F405
AXES_FAILURE_LIMIT = 3
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the live server's threads and Playwright's greenlets then all see one
    # database, as they would in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-amparo.sqlite3")}  # noqa: F405
