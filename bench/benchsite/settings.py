"""Amparo's own settings, read from the environment as in production, with three bench changes."""

from amparo.config.settings import *  # noqa: F403

ROOT_URLCONF = "benchsite.urls"
# One API token is hammered by the load generator: its per-token rate limit would answer 429.
AMPARO_API_RATE = "100000000/min"
# No page measured sends mail; if one did, it must not try a real SMTP server.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
