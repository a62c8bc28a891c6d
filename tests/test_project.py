"""Project-wide guarantees: migrations from zero, production settings, reference data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amparo.courts.models import ImmigrationCourt

ROOT = Path(__file__).resolve().parents[1]
OUR_APPS = ["core", "accounts", "courts", "people", "intake", "cases"]


@pytest.mark.django_db(transaction=True)
def test_migrations_apply_from_zero_and_back():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    # Unapply every one of our apps (and what depends on them), then apply everything again.
    call_command("migrate", "courts", "zero", verbosity=0)
    call_command("migrate", "accounts", "zero", verbosity=0)
    assert "courts_immigrationcourt" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(leaves) == []
    assert ImmigrationCourt.objects.count() == 77


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_immigration_courts_loaded_with_time_zones():
    san_francisco = ImmigrationCourt.objects.get(code="SFR")
    assert san_francisco.city == "San Francisco"
    assert san_francisco.time_zone == "America/Los_Angeles"
    assert ImmigrationCourt.objects.get(name="Concord Immigration Court").code == "CCC"
    assert ImmigrationCourt.objects.filter(time_zone="").count() == 0
    assert any(court.needs_verification for court in ImmigrationCourt.objects.all())


def test_check_deploy_with_production_settings_reports_nothing(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AMPARO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "amparo.config.settings",
            "DJANGO_SECRET_KEY": "x7!k2#production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a",
            "DJANGO_ALLOWED_HOSTS": "amparo.example.org",
            "AMPARO_FIELD_KEYS": "dGVzdC1rZXktb25lLTAxMjM0NTY3ODlhYmNkZWZnaGk=",
            "AMPARO_BLIND_INDEX_KEY": "production-like-blind-index-key",
            "AMPARO_VAR_DIR": str(tmp_path),
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_keys(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AMPARO_"))}
    env.update(
        {"DJANGO_SETTINGS_MODULE": "amparo.config.settings", "PYTHONPATH": str(ROOT / "src")}
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
