"""One seeded PostgreSQL program per size, shared by the benchmarks that need one.

Seeding 100,000 cases with ``manage.py seed_scale`` takes minutes; bench_web and bench_reports
both need the same program. The first to ask seeds a template database per size,
``amparo_bench_seed_<cases>_<hash>``, and every benchmark gets its own copy of it with
``CREATE DATABASE <copy> TEMPLATE <template>`` (seconds), which it drops when done.

The hash covers what the data depends on: the migrations, the seeder (seed_scale and
core/scale_seed.py), the seed, the encryption keys below and today's date (the seeder places
hearings and deadlines relative to today), so a change re-seeds instead of reusing stale data.
Code the seeder calls (the deadline engine, say) is not hashed: after changing it, drop the
templates (``.venv/bin/python bench/seeded.py --drop``).

Templates outlive a benchmark only with ``--keep-seeded`` (or BENCH_KEEP_SEEDED=1 in the
environment, which bench/run.py sets for its children before dropping every template at the end
of the run, unless run.py itself was given ``--keep-seeded``).

    .venv/bin/python bench/seeded.py --list     # the templates on the server
    .venv/bin/python bench/seeded.py --drop     # drop them all (and leftover partial seeds)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
TEMPLATE_PREFIX = "amparo_bench_seed_"
PARTIAL_SUFFIX = "_partial"
SEED = 2026
# Fixed keys for the fictional bench data: a copy is only readable with the keys it was seeded
# with, so every benchmark serving a copy must run with SEEDED_ENV.
SEEDED_ENV = {
    "AMPARO_FIELD_KEYS": "YW1wYXJvLWJlbmNoLXNlZWQtZmllbGQta2V5LTIwMjY=",
    "AMPARO_BLIND_INDEX_KEY": "amparo-bench-seed-blind-index-key",
}
KEEP_SEEDED_ENV = "BENCH_KEEP_SEEDED"


def log(message: str) -> None:
    print(f"[seeded] {message}", file=sys.stderr, flush=True)


def _connect() -> psycopg.Connection:
    return psycopg.connect(PG_SERVER + "/postgres", autocommit=True, connect_timeout=5)


def server_execute(command: str) -> bool:
    """Run one statement on the server's maintenance database; False (said on stderr) if the
    server is unreachable or refuses it."""
    try:
        with _connect() as db:
            db.execute(command)
    except psycopg.Error as exc:
        print(f"PostgreSQL: {exc}".strip(), file=sys.stderr)
        return False
    return True


def reachable() -> bool:
    try:
        with _connect() as db:
            db.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def database_url(database: str) -> str:
    return f"{PG_SERVER}/{database}"


def fingerprint(seed: int = SEED) -> str:
    """Short hash of what the seeded data depends on (see the module's docstring)."""
    digest = hashlib.sha256(f"seed={seed};day={dt.date.today().isoformat()};".encode())
    digest.update(repr(sorted(SEEDED_ENV.items())).encode())
    sources = sorted(SRC.glob("amparo/*/migrations/*.py"))
    sources += [
        SRC / "amparo/core/management/commands/seed_scale.py",
        SRC / "amparo/core/scale_seed.py",
    ]
    for path in sources:
        digest.update(str(path.relative_to(SRC)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:10]


def template_name(cases: int, seed: int = SEED) -> str:
    return f"{TEMPLATE_PREFIX}{cases}_{fingerprint(seed)}"


def _exists(db: psycopg.Connection, database: str) -> bool:
    row = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
    return row is not None


def _drop(db: psycopg.Connection, database: str) -> None:
    db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


@contextlib.contextmanager
def _locked(db: psycopg.Connection, name: str) -> Iterator[None]:
    """A session advisory lock per template: two benchmarks never seed the same one twice."""
    key = zlib.crc32(name.encode())
    db.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        db.execute("SELECT pg_advisory_unlock(%s)", [key])


def seed_env(database: str, var_dir: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AMPARO_", "DATABASE_", "REDIS_"))
    }
    env.update(
        SEEDED_ENV,
        DJANGO_SETTINGS_MODULE="amparo.config.settings",
        DJANGO_DEBUG="1",
        AMPARO_VAR_DIR=var_dir,
        DATABASE_URL=database_url(database),
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run ``manage.py`` with ``env`` and return its output; raise with its errors if it fails."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def _seed(db: psycopg.Connection, template: str, cases: int, seed: int) -> None:
    """Migrate and seed under a partial name, renamed only once complete: a crash never leaves
    a half-seeded template that the next run would reuse."""
    partial = template + PARTIAL_SUFFIX
    _drop(db, partial)
    db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(partial)))
    try:
        with tempfile.TemporaryDirectory(prefix="amparo-bench-seed-") as var_dir:
            env = seed_env(partial, var_dir)
            log(f"{cases:,} cases: migrating {partial}")
            manage(env, "migrate", "--verbosity", "0")
            # The same sizes as ever: parties 3 x cases, attorneys cases/5, mentors cases/50
            # (seed_scale's defaults, given explicitly so the hash of this file pins them).
            log(f"{cases:,} cases: seeding")
            manage(
                env,
                "seed_scale",
                "--cases",
                str(cases),
                "--parties",
                str(3 * cases),
                "--attorneys",
                str(max(1, cases // 5)),
                "--mentors",
                str(max(1, cases // 50)),
                "--seed",
                str(seed),
                "--i-know",
            )
        log(f"{cases:,} cases: VACUUM ANALYZE (statistics and visibility travel with copies)")
        with psycopg.connect(database_url(partial), autocommit=True) as seeded:
            seeded.execute("VACUUM ANALYZE")
        db.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(partial), sql.Identifier(template)
            )
        )
        # No one connects to a template by mistake: CREATE DATABASE ... TEMPLATE needs it idle.
        db.execute(
            sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(
                sql.Identifier(template)
            )
        )
    except BaseException:
        _drop(db, partial)
        raise


@dataclass(frozen=True)
class Seeded:
    database: str  # the benchmark's own copy
    url: str  # its DATABASE_URL
    template: str
    seeded_s: float | None  # None: the template was already there
    copied_s: float

    @property
    def how(self) -> str:
        """For the report's paragraph: 'seeded in 12 s' or 'reused the seeded database'."""
        if self.seeded_s is None:
            return "reused the seeded database"
        return f"seeded in {self.seeded_s:.0f} s"


def seeded_postgres(cases: int, copy: str, *, seed: int = SEED) -> Seeded:
    """A fresh copy, named ``copy``, of the program seeded at ``cases`` (seeding it if missing).

    The caller drops the copy (drop_database) and, unless kept, the template (drop_template).
    """
    template = template_name(cases, seed)
    with _connect() as db, _locked(db, template):
        seeded_s = None
        if not _exists(db, template):
            started = time.monotonic()
            _seed(db, template, cases, seed)
            seeded_s = time.monotonic() - started
            log(f"{cases:,} cases: {template} seeded in {seeded_s:.0f} s")
        else:
            log(f"{cases:,} cases: reusing {template}")
        _drop(db, copy)
        started = time.monotonic()
        # FILE_COPY copies the files (after a checkpoint) instead of writing all of it to WAL.
        strategy = " STRATEGY FILE_COPY" if db.info.server_version >= 150000 else ""
        db.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}" + strategy).format(
                sql.Identifier(copy), sql.Identifier(template)
            )
        )
        copied_s = time.monotonic() - started
        log(f"{cases:,} cases: copied to {copy} in {copied_s:.1f} s")
    return Seeded(copy, database_url(copy), template, seeded_s, copied_s)


def drop_database(database: str) -> None:
    with _connect() as db:
        _drop(db, database)


def drop_template(cases: int, *, seed: int = SEED) -> None:
    template = template_name(cases, seed)
    with _connect() as db, _locked(db, template):
        _drop(db, template)


def templates() -> list[str]:
    with _connect() as db:
        rows = db.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY datname",
            [TEMPLATE_PREFIX.replace("_", r"\_") + "%"],
        ).fetchall()
    return [row[0] for row in rows]


def drop_templates() -> list[str]:
    """Drop every template (all sizes, stale hashes and partial seeds too); returns their names."""
    dropped = templates()
    with _connect() as db:
        for name in dropped:
            with _locked(db, name.removesuffix(PARTIAL_SUFFIX)):
                _drop(db, name)
    return dropped


@contextlib.contextmanager
def seeded_copy(cases: int, copy: str, *, keep_seeded: bool, seed: int = SEED) -> Iterator[Seeded]:
    """seeded_postgres, then drop the copy (and the template unless keep_seeded) on the way out."""
    seeded = seeded_postgres(cases, copy, seed=seed)
    try:
        yield seeded
    finally:
        drop_database(copy)
        if not keep_seeded:
            drop_template(cases, seed=seed)


def add_keep_seeded_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keep-seeded",
        action="store_true",
        default=os.environ.get(KEEP_SEEDED_ENV, "") == "1",
        help="keep the seeded template databases for the next run (bench/seeded.py --drop "
        f"drops them); default when {KEEP_SEEDED_ENV}=1, as bench/run.py sets",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--list", action="store_true", help="list the seeded templates")
    action.add_argument("--drop", action="store_true", help="drop every seeded template")
    args = parser.parse_args()
    if args.list:
        print("\n".join(templates()))
    else:
        for name in drop_templates():
            print(f"dropped {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
