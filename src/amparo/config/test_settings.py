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
# A production REDIS_URL in the environment is never used. AMPARO_TEST_REDIS_URL (set by
# `make test` when Redis answers, with a database number of its own) runs the suite the way
# several app servers run: cache, sessions, import progress and the job queue in Redis.
os.environ.pop("REDIS_URL", None)
TEST_REDIS_URL = os.environ.get("AMPARO_TEST_REDIS_URL", "")
if TEST_REDIS_URL:
    os.environ["REDIS_URL"] = TEST_REDIS_URL
# One name per run (inherited by the subprocesses a test starts): two runs sharing a Redis
# database keep apart, and tests/conftest.py empties only this run's keys before each test.
TEST_RUN_ID = os.environ.setdefault("AMPARO_TEST_RUN_ID", f"run{os.getpid()}")

from amparo.config.settings import *  # noqa: E402, F403
from amparo.config.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Immediate (in-memory) by default; the job-runner test switches to the real storage (SQLite,
# or Redis when the suite runs on Redis).
HUEY = {**HUEY, "immediate": True}  # noqa: F405
if TEST_REDIS_URL:
    HUEY["name"] = f"amparo-test-{TEST_RUN_ID}"
    for alias, cache in CACHES.items():  # noqa: F405
        cache["KEY_PREFIX"] = f"amparo-test-{TEST_RUN_ID}-{alias}"
else:
    HUEY["filename"] = str(VAR_DIR / "huey-test.sqlite3")  # noqa: F405
AXES_FAILURE_LIMIT = 3
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the live server's threads and Playwright's greenlets then all see one
    # database, as they would in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-amparo.sqlite3")}  # noqa: F405
