"""The web path at scale: Amparo's busiest pages served by gunicorn on PostgreSQL, under wrk.

Run: ``.venv/bin/python bench/bench_web.py [--sizes 1000,10000,100000] [--runs 3]``.
Not a test: it always exits 0 unless it crashed.

For each size (cases; parties 3 x cases, attorneys cases / 5, mentors cases / 50):

1. copies the seeded program of that size (bench/seeded.py: a template database migrated and
   seeded once with ``manage.py seed_scale``, the project's own code: encrypted fields, blind
   index, deadlines; shared with bench_reports) into its own database amparo_bench_web_<size>_<pid>;
2. in a child process with the same settings, signs in the bench users through Django's test
   client (force_login: the session lands in the same store the server reads, Redis when
   reachable), creates an API token, and counts the queries of every page in-process
   (connection.execute_wrapper) with its in-process median time;
3. serves the site with gunicorn (sync workers, 127.0.0.1) under production settings
   (DJANGO_DEBUG=0, keys from the environment or made up for the run, REDIS_URL for cache and
   sessions) and the bench-only URLconf (bench/benchsite) that adds /bench/minimal/: a tiny
   response through the full middleware stack, the ceiling of the stack on this machine;
4. checks each target answers 200 with the session cookie (not a redirect to sign-in), then
   runs wrk against each page in turn, --runs times, each for --duration seconds with as many
   connections as workers; a Lua hook prints requests/s, p50/p95/p99 and non-200 answers;
5. drops its copy, and the seeded template too unless ``--keep-seeded`` (bench/run.py keeps
   it for the other benchmarks of the run and drops it at the end).

Progress goes to stderr; the Markdown report (paragraph, tables, goal lines) to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import seeded

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 11
DB_PREFIX = "amparo_bench_web_"
PAGES = ("minimal", "signed_in", "layout", "board", "workspace", "dashboard", "api_board")
PAGE_LABELS = {
    "minimal": "minimal view (ceiling)",
    "signed_in": "minimal view, signed in (session + user)",
    "layout": "site layout alone, signed in",
    "board": "board (attorney)",
    "workspace": "case workspace (its attorney)",
    "dashboard": "dashboard (coordinator)",
    "api_board": "API GET /api/v1/board (token)",
}
BOARD_P95_GOAL_MS = 150.0
BOARD_RATIO_GOAL = 3.0
LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non200 = 0 end
function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non200") end
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d non200=%d socket_errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), bad, e.connect + e.read + e.write + e.timeout))
end
"""
WRK_LINE = re.compile(r"^WRK (.*)$", re.M)


def log(message: str) -> None:
    print(f"[bench_web] {message}", file=sys.stderr, flush=True)


# --- the machine ------------------------------------------------------------------------------
def reachable(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=2):
        return True
    return False


def redis_ok() -> bool:
    if not reachable(REDIS_HOST, REDIS_PORT):
        return False
    with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(64).startswith(b"+PONG")


def redis_flush() -> None:
    """Empty the bench's own Redis database (sessions and cache of the previous size)."""
    with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2) as sock:
        sock.sendall(f"SELECT {REDIS_DB}\r\nFLUSHDB\r\n".encode())
        time.sleep(0.1)
        sock.recv(64)


def ensure_wrk() -> str | None:
    """wrk from Debian, installed with apt-get when missing (as the Makefile installs Chromium)."""
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: installing the Debian package")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    for command in (
        [*sudo, "apt-get", "update", "-qq"],
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"],
    ):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log(f"{' '.join(command)} failed: {result.stderr.strip()[-500:]}")
            return None
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- environment ------------------------------------------------------------------------------
def site_env(database: str, var_dir: Path, *, use_redis: bool) -> dict[str, str]:
    """Production settings (DEBUG off) with the bench-only URLconf."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AMPARO_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="benchsite.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(HERE)]),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(50)),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        AMPARO_VAR_DIR=str(var_dir),
        DATABASE_URL=seeded.database_url(database),
    )
    # The seeded copy's personal data was encrypted with these: the server must hold them.
    env.update(seeded.SEEDED_ENV)
    if use_redis:
        env["REDIS_URL"] = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
    return env


# --- step 2: in-process preparation (child process) -------------------------------------------
def prepare() -> None:
    """Sign-ins, API token, targets and queries per page; prints JSON on stdout."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client as HttpClient
    from django.urls import reverse

    from amparo.accounts.models import User
    from amparo.api.services import api_token_create
    from amparo.cases.models import Case, Stage
    from amparo.core.scale_seed import BENCH_ATTORNEY, BENCH_COORDINATOR

    attorney = User.objects.get(email=BENCH_ATTORNEY)
    coordinator = User.objects.get(email=BENCH_COORDINATOR)
    case = (
        Case.objects.filter(attorney_of_record=attorney, stage=Stage.PLACED).order_by("id").first()
    )
    if case is None:
        raise SystemExit("the bench attorney has no placed case")
    _token, secret = api_token_create(user=attorney, name="bench")
    clients = {"attorney": HttpClient(), "coordinator": HttpClient()}
    clients["attorney"].force_login(attorney)
    clients["coordinator"].force_login(coordinator)
    targets = {
        "minimal": ("attorney", "/bench/minimal/", {}),
        "signed_in": ("attorney", "/bench/signed-in/", {}),
        "layout": ("attorney", "/bench/layout/", {}),
        "board": ("attorney", reverse("board:board"), {}),
        "workspace": ("attorney", reverse("workspace:case", args=[case.code]), {}),
        "dashboard": ("coordinator", reverse("dashboard"), {}),
        "api_board": ("token", "/api/v1/board?limit=20", {"Authorization": f"Bearer {secret}"}),
        # In-process only: a deep page and a filtered board.
        "board_page_200": ("attorney", reverse("board:board") + "?page=200", {}),
        "board_filtered": ("attorney", reverse("board:board") + "?type=u_visa&detained=no", {}),
    }
    measured: dict[str, dict[str, float]] = {}
    for name, (who, path, headers) in targets.items():
        http = clients.get(who, HttpClient())
        timings, queries = [], 0
        for attempt in range(6):
            executed: list[str] = []

            def count(execute, sql, params, many, context, executed=executed):  # type: ignore[no-untyped-def]
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                started = time.perf_counter()
                response = http.get(path, headers=headers)
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{name}: {path} answered {response.status_code}")
            if attempt:  # the first request warms caches (templates, the session clocks)
                timings.append(elapsed)
                queries = len(executed)
        measured[name] = {"queries": queries, "inprocess_ms": statistics.median(timings) * 1000}
    cookie = settings.SESSION_COOKIE_NAME
    cookies = {who: f"{cookie}={c.cookies[cookie].value}" for who, c in clients.items()}
    headers_for = {
        name: {"Cookie": cookies[who]} if who in cookies else dict(extra)
        for name, (who, _path, extra) in targets.items()
    }
    print(
        json.dumps(
            {
                "paths": {name: path for name, (_w, path, _h) in targets.items()},
                "headers": headers_for,
                "measured": measured,
                "board_cases": Case.objects.filter(
                    stage=Stage.READY, attorney_of_record__isnull=True
                ).count(),
                "workspace_case": case.code,
            }
        )
    )


# --- step 3 and 4: gunicorn and wrk -----------------------------------------------------------
@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int, port: int) -> Iterator[None]:
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "amparo.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {server.stderr.read()[-2000:]}")  # type: ignore[union-attr]
            with contextlib.suppress(OSError, urllib.error.URLError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/minimal/", timeout=5)
                break
            time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not answer within 90 s")
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def preflight(url: str, headers: dict[str, str]) -> int:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def run_wrk(
    wrk: str, url: str, headers: dict[str, str], *, seconds: int, connections: int, lua: Path
) -> dict[str, float]:
    command = [wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s"]
    command += ["-s", str(lua)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    match = WRK_LINE.search(result.stdout)
    if result.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed: {result.stdout[-500:]} {result.stderr[-500:]}")
    fields = dict(item.split("=") for item in match.group(1).split())
    requests = int(fields["requests"])
    return {
        "rps": requests / (int(fields["duration_us"]) / 1e6),
        "p50": int(fields["p50_us"]) / 1000,
        "p95": int(fields["p95_us"]) / 1000,
        "p99": int(fields["p99_us"]) / 1000,
        "errors": int(fields["non200"]) + int(fields["socket_errors"]),
        "requests": requests,
    }


# --- one size ---------------------------------------------------------------------------------
def measure_copy(
    cases: int,
    program: seeded.Seeded,
    env: dict[str, str],
    *,
    args: argparse.Namespace,
    wrk: str,
    lua: Path,
    use_redis: bool,
) -> dict[str, Any]:
    """Steps 2 to 4 on the benchmark's copy of the seeded program."""
    if not use_redis:
        seeded.manage(env, "createcachetable")  # the cache (API rate limit) is in the database
    log(f"{cases:,} cases: {program.how}, copied in {program.copied_s:.0f} s; preparing")
    prepared = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--prepare"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if prepared.returncode != 0:
        raise RuntimeError(f"preparation failed:\n{prepared.stderr[-3000:]}")
    info = json.loads(prepared.stdout.strip().splitlines()[-1])
    port = free_port()
    results: dict[str, list[dict[str, float]]] = {page: [] for page in PAGES}
    preflight_status: dict[str, int] = {}
    with gunicorn(env, workers=args.workers, port=port):
        base = f"http://127.0.0.1:{port}"
        for page in PAGES:
            status = preflight(base + info["paths"][page], info["headers"][page])
            preflight_status[page] = status
            if status != 200:
                log(f"{cases:,} cases: {page} answered {status} before the run")
        for run in range(args.runs):
            for page in PAGES:
                log(f"{cases:,} cases: run {run + 1}/{args.runs}, {page}")
                results[page].append(
                    run_wrk(
                        wrk,
                        base + info["paths"][page],
                        info["headers"][page],
                        seconds=args.duration,
                        connections=args.connections or args.workers,
                        lua=lua,
                    )
                )
    return {
        "cases": cases,
        "seeded": program.how,
        "copied_s": program.copied_s,
        "board_cases": info["board_cases"],
        "measured": info["measured"],
        "preflight": preflight_status,
        "wrk": {
            page: {
                key: statistics.median(run[key] for run in runs)
                for key in ("rps", "p50", "p95", "p99")
            }
            | {"errors": sum(run["errors"] for run in runs)}
            for page, runs in results.items()
        },
    }


def bench_size(
    cases: int, *, args: argparse.Namespace, wrk: str, lua: Path, var_dir: Path, use_redis: bool
) -> dict[str, Any]:
    database = f"{DB_PREFIX}{cases}_{os.getpid()}"
    env = site_env(database, var_dir, use_redis=use_redis)
    with seeded.seeded_copy(cases, database, keep_seeded=args.keep_seeded) as program:
        if use_redis:
            redis_flush()
        try:
            return measure_copy(
                cases, program, env, args=args, wrk=wrk, lua=lua, use_redis=use_redis
            )
        finally:
            if use_redis:
                redis_flush()


# --- report -----------------------------------------------------------------------------------
def report(sizes: list[dict[str, Any]], args: argparse.Namespace, use_redis: bool) -> None:
    print(
        "Amparo's busiest pages served by gunicorn "
        f"({args.workers} sync workers, production settings: DEBUG off, "
        f"{'Redis cache and sessions' if use_redis else 'database sessions (Redis unreachable)'}) "
        "on PostgreSQL, seeded by `manage.py seed_scale` (parties 3 x cases, attorneys cases/5, "
        "mentors cases/50, a fifth of the cases on the board), measured with wrk "
        f"({args.duration} s per page and run, {args.connections or args.workers} connections, "
        f"2 threads), median of {args.runs} runs. Latencies in ms. The minimal view is a tiny "
        "response through the same middleware stack and session: the ceiling of the stack on "
        "this machine; the ratios divide a page's latency by the minimal view's. Queries per "
        "page and the in-process median are measured with Django's test client on the same "
        "database (median of 5). The machine has 2 cores shared with the database, the server "
        "and wrk: figures are noisy. Each size runs on its own copy of a database seeded once "
        "per size and shared with bench_reports (bench/seeded.py, VACUUM ANALYZE after "
        "seeding): "
        + "; ".join(f"{size['cases']:,} cases {size['seeded']}" for size in sizes)
        + "."
    )
    print()
    print(
        "| cases | page | req/s | p50 | p95 | p99 | p50 ÷ minimal | p95 ÷ minimal "
        "| non-200 | queries | in-process ms |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        minimal = size["wrk"]["minimal"]
        for page in PAGES:
            w, m = size["wrk"][page], size["measured"][page]
            print(
                f"| {size['cases']:,} | {PAGE_LABELS[page]} | {w['rps']:.0f} | {w['p50']:.1f} "
                f"| {w['p95']:.1f} | {w['p99']:.1f} | {w['p50'] / minimal['p50']:.1f} "
                f"| {w['p95'] / minimal['p95']:.1f} | {w['errors']} | {m['queries']:.0f} "
                f"| {m['inprocess_ms']:.1f} |"
            )
    print()
    print("In-process only (test client, same database):")
    print()
    print(
        "| cases | on the board | seeded | board page 200: queries, ms | filtered board: queries, ms |"
    )
    print("|---:|---:|---:|---|---|")
    for size in sizes:
        deep, filtered = size["measured"]["board_page_200"], size["measured"]["board_filtered"]
        print(
            f"| {size['cases']:,} | {size['board_cases']:,} | {size['seeded']} "
            f"| {deep['queries']:.0f}, {deep['inprocess_ms']:.1f} "
            f"| {filtered['queries']:.0f}, {filtered['inprocess_ms']:.1f} |"
        )
    print()
    largest = max(sizes, key=lambda s: s["cases"])
    board = largest["wrk"]["board"]
    label = f"{largest['cases']:,} cases"
    at = "at 100,000 cases" if largest["cases"] == 100_000 else f"at {label} (100,000 not run)"
    met = board["p95"] < BOARD_P95_GOAL_MS and board["errors"] == 0
    print(
        f"Goal: board p95 under {BOARD_P95_GOAL_MS:.0f} ms {at} — "
        f"{'met' if met else 'NOT met'} ({board['p95']:.1f} ms)"
    )
    ratio = board["p50"] / largest["wrk"]["minimal"]["p50"]
    print(
        f"Goal: board within {BOARD_RATIO_GOAL:.0f}x of the minimal view's latency — "
        f"{'met' if ratio <= BOARD_RATIO_GOAL else 'NOT met'} "
        f"({ratio:.1f}x at p50, {board['p95'] / largest['wrk']['minimal']['p95']:.1f}x at p95, "
        f"{label})"
    )
    wrk = largest["wrk"]
    print(
        f"Where the board's time goes ({label}, p50): minimal view {wrk['minimal']['p50']:.1f} ms, "
        f"signed in {wrk['signed_in']['p50']:.1f} ms, the site layout alone "
        f"{wrk['layout']['p50']:.1f} ms ({wrk['layout']['p50'] / wrk['minimal']['p50']:.1f}x), "
        f"the board {board['p50']:.1f} ms: the layout every signed-in page shares already costs "
        f"{wrk['layout']['p50'] / wrk['minimal']['p50']:.1f} of the {BOARD_RATIO_GOAL:.0f}x."
    )
    pages = [*PAGES, "board_page_200", "board_filtered"]
    varying = [
        page for page in pages if len({size["measured"][page]["queries"] for size in sizes}) > 1
    ]
    counts = ", ".join(
        f"{page} {'/'.join(str(int(s['measured'][page]['queries'])) for s in sizes)}"
        for page in pages
    )
    print(
        "Goal: fixed number of queries per page whatever the data size — "
        f"{'met' if not varying else 'NOT met'} ({counts}"
        + (f"; varies: {', '.join(varying)}" if varying else "")
        + ")"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    # Two cores: four sync workers keep both busy while some wait on PostgreSQL, and as many
    # connections as workers measure latency without queueing in gunicorn's backlog.
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=0, help="default: --workers")
    seeded.add_keep_seeded_argument(parser)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return 0
    sizes = [int(value) for value in args.sizes.split(",") if value.strip()]
    if not seeded.reachable():
        print(f"PostgreSQL is not reachable at {seeded.PG_SERVER}: the web benchmark was skipped.")
        return 0
    wrk = ensure_wrk()
    if wrk is None:
        print("wrk is not installed and could not be installed: the web benchmark was skipped.")
        return 0
    use_redis = redis_ok()
    log(f"Redis {'reachable' if use_redis else 'unreachable: database sessions'}")
    var_dir = Path(tempfile.mkdtemp(prefix="amparo-bench-web-"))
    lua = var_dir / "report.lua"
    lua.write_text(LUA, encoding="utf-8")
    results = []
    try:
        log("collecting static files (production settings use the manifest)")
        seeded.manage(
            site_env("postgres", var_dir, use_redis=False), "collectstatic", "--noinput", "-v0"
        )
        for cases in sizes:
            results.append(
                bench_size(cases, args=args, wrk=wrk, lua=lua, var_dir=var_dir, use_redis=use_redis)
            )
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    report(results, args, use_redis)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
