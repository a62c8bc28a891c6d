"""The production settings pass Django's deployment checklist and turn on every HTTPS safeguard.

Each test starts a fresh process with a production-like environment (DEBUG off, real keys), as
gunicorn would: the suite's own settings are not the ones a deployment runs.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "var").mkdir()  # `make setup` creates it; the job queue's SQLite file lives there
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AMPARO_", "AXES_", "HUEY_"))
        and key not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "amparo.config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "AMPARO_FIELD_KEYS": Fernet.generate_key().decode(),
            "AMPARO_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
            "DJANGO_ALLOWED_HOSTS": "amparo.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'amparo.sqlite3'}",
            "AMPARO_VAR_DIR": str(tmp_path / "var"),
        }
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(production_env):
    result = _manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_would_catch_a_weak_secret_key(production_env):
    """The check above is not vacuous: a short secret key fails it."""
    production_env["DJANGO_SECRET_KEY"] = "too-short"
    result = _manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_turns_on_https_safeguards(production_env):
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_SECURE",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
        "SESSION_COOKIE_AGE",
        "AMPARO_SESSION_IDLE_MINUTES",
        "AMPARO_SESSION_MAX_HOURS",
    ]
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = _manage(production_env, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    values: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    for cookie in ("SESSION", "CSRF", "LANGUAGE"):
        assert values[f"{cookie}_COOKIE_SECURE"] is True, cookie
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["AMPARO_SESSION_IDLE_MINUTES"] == 30
    assert values["AMPARO_SESSION_MAX_HOURS"] == 8
    # The store keeps a session a little longer than the idle limit, never the old 8 hours.
    assert 30 * 60 <= values["SESSION_COOKIE_AGE"] <= 40 * 60


def test_production_refuses_to_start_without_its_secrets(production_env):
    del production_env["DJANGO_SECRET_KEY"]
    result = _manage(production_env, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
