"""Load test: gunicorn serving Amparo to N signed-in virtual users for S seconds.

Run: ``.venv/bin/python bench/load.py [--seconds 60] [--users 20] [--results bench/RESULTS.md]``.
Not a test, but it fails (exit 1) on any error, so `make bench` notices one. bench/run.py runs it
with ``--seconds 30 --markdown``: a Markdown report with a goal line instead, and exit 0.

1. Prepares a database in a new temporary AMPARO_VAR_DIR (embedded SQLite unless
   --database-url names an *empty* PostgreSQL database): migrate, `demo_data`, and
   --extra-cases more cases (a tenth of them on the board) so lists and the board have volume.
2. Serves it with gunicorn (the version pinned in pyproject.toml), bound to 127.0.0.1 only, with
   DJANGO_DEBUG=1: the demo accounts exist and skip two-factor sign-in only while DEBUG is on.
   DEBUG's only cost on these pages is Django's per-request query log; templates are cached
   either way.
3. Signs in the virtual users (coordinator@, attorney@ and mentor@demo.amparo.org, round robin,
   each with its own session), then for --seconds each one browses a weighted mix of its role's
   pages with --think seconds (on average, uniform 0.5x-1.5x) between them: board with filters
   (sometimes as an htmx fragment), board cards, case pages, workspace, dashboard, deadlines,
   mentoring messages, and a few writes (a time entry, a mentoring message).
4. Reports requests/s and p50/p95/p99 latency per kind of page, and every error: a status
   other than the expected one (200 for a page, 302 after a form), a timeout, a refused
   connection, or an error logged by the server.

The driver is the standard library (http.client, one keep-alive connection per virtual user,
threads): enough for tens of users, no extra dependency, see load_client.py.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from load_client import Browser, Page  # noqa: E402

PASSWORD = "amparo-demo"
ROLES = ("attorney", "coordinator", "mentor")
EMAILS = {role: f"{role}@demo.amparo.org" for role in ROLES}
REQUEST_TIMEOUT = 30.0  # seconds; gunicorn's worker timeout is the same
SIGN_IN_TIMEOUT = 120.0
ACCESS_LINE = re.compile(r"^(?:GET|POST) (\S+) \d{3} (\d+)ms$", re.M)
SERVER_ERROR = re.compile(r"Internal Server Error|Traceback \(most recent call last\)")


# --- 1. the database ------------------------------------------------------------------------
def prepare(extra_cases: int) -> str:
    """Migrate, load the demo program and add volume; runs in this process (Django set up from
    the environment main() prepared). Returns a one-line summary."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("demo_data", stdout=quiet)
    _add_cases(extra_cases)
    summary = summarize()
    connections.close_all()
    return summary


def summarize() -> str:
    import django

    django.setup()
    from django.db import connections

    from amparo.cases.models import Case, Stage

    summary = (
        f"{Case.objects.count()} cases, {Case.objects.filter(stage=Stage.READY).count()} "
        "on the board"
    )
    connections.close_all()
    return summary


def _add_cases(count: int) -> None:
    """Cases beyond the demo's few dozen: clients with encrypted names, one in ten on the board
    with the card facts the board filters on."""
    import datetime as dt

    from django.utils import timezone

    from amparo.cases.models import Case, Stage
    from amparo.courts.models import ImmigrationCourt
    from amparo.intake.models import Client
    from amparo.people.models import Organization

    rng = random.Random(11)
    today = timezone.localdate()
    operator = Organization.objects.filter(kind=Organization.Kind.OPERATOR).first()
    courts = list(ImmigrationCourt.objects.filter(active=True).values_list("id", flat=True)[:30])
    batch = 1_000
    for start in range(0, count, batch):
        size = min(batch, count - start)
        clients = Client.objects.bulk_create(
            Client(
                given_names=f"Given{start + i}",
                family_names=f"Family{start + i} Second",
                country_of_nationality=rng.choice(["GT", "HN", "SV", "MX"]),
                languages=rng.choice([["es"], ["es", "en"], ["mam", "es"]]),
            )
            for i in range(size)
        )
        Case.objects.bulk_create(
            Case(
                code=f"LOAD-{start + i + 1:06d}",
                case_type=rng.choice(["defensive_asylum", "affirmative_asylum", "u_visa"]),
                stage=Stage.READY if (start + i) % 10 == 0 else Stage.INTAKE,
                client=client,
                languages=client.languages,
                placing_organization=operator,
                court_id=rng.choice(courts),
                urgency=rng.randint(0, 100),
                board_languages="".join(f",{c}" for c in client.languages) + ",",
                client_age_band=rng.choice(["18-20", "21-29", "30-39", "40-49"]),
                has_children=rng.random() < 0.3,
                detained=rng.random() < 0.2,
                next_hearing_on=today + dt.timedelta(days=rng.randint(5, 400)),
                published_at=timezone.now(),
                ready_at=timezone.now(),
                summary_en="Load-test case",
                summary_es="Caso de prueba de carga",
            )
            for i, client in enumerate(clients)
        )


# --- 2. the server --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "amparo.config.wsgi",
        "--pythonpath",
        str(ROOT / "src"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "30",
        "--no-control-socket",
        "--access-logfile",
        "-",
        "--access-logformat",
        "%(m)s %(U)s %(s)s %(M)sms",
    ]
    handle = log.open("wb")
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_until_up(port: int, server: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode} before serving")
        with contextlib.suppress(OSError):
            if Browser("127.0.0.1", port, timeout=5).get("/accounts/login/").status == 200:
                return
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s")


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn's own process group (it started one): the arbiter and its workers."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


# --- 3. the virtual users -------------------------------------------------------------------
@dataclass
class Stats:
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, page: Page | None, expected: tuple[int, ...], what: str) -> bool:
        with self.lock:
            if page is None:
                self.errors.append(f"{kind}: {what}")
                return False
            self.seconds[kind].append(page.seconds)
            if page.status not in expected:
                where = f" -> {page.location}" if page.location else ""
                self.errors.append(f"{kind}: {what} answered {page.status}{where}")
                return False
            return True


class VirtualUser:
    """One signed-in person on one connection, browsing their role's pages."""

    def __init__(self, role: str, port: int, stats: Stats, seed: int, think: float) -> None:
        self.role = role
        self.browser = Browser("127.0.0.1", port)
        self.stats = stats
        self.rng = random.Random(seed)
        self.think = think
        self.cases: list[str] = []  # the user's own case codes
        self.mentorships: list[str] = []  # /mentoring/work/<pk>/ paths
        self.board_cards: list[str] = []
        self.courts: list[str] = []

    def fetch(
        self, kind: str, path: str, *, expected: tuple[int, ...] = (200,), htmx: bool = False
    ) -> Page | None:
        try:
            page = self.browser.get(path, htmx=htmx)
        except (OSError, http.client.HTTPException) as error:
            self.stats.record(kind, None, expected, f"GET {path}: {error!r}")
            return None
        return page if self.stats.record(kind, page, expected, f"GET {path}") else None

    def submit(self, kind: str, path: str, fields: dict[str, list[str]], referer: str) -> None:
        try:
            page = self.browser.post(path, fields, referer=referer)
        except (OSError, http.client.HTTPException) as error:
            self.stats.record(kind, None, (302,), f"POST {path}: {error!r}")
            return
        self.stats.record(kind, page, (302,), f"POST {path}")

    def sign_in(self) -> bool:
        # Hashing the password is slow on purpose (PBKDF2): give the sign-in more time.
        self.browser.close()
        self.browser.timeout = SIGN_IN_TIMEOUT
        try:
            form_page = self.browser.get("/accounts/login/")
            fields = form_page.form("/accounts/login/") or {}
            fields.update(login=[EMAILS[self.role]], password=[PASSWORD])
            page = self.browser.post("/accounts/login/", fields)
        except (OSError, http.client.HTTPException) as error:
            self.stats.record("sign-in", None, (302,), f"{self.role}: {error!r}")
            return False
        finally:
            self.browser.close()
            self.browser.timeout = REQUEST_TIMEOUT
        if not self.stats.record("sign-in", page, (302,), f"{self.role} sign-in"):
            return False
        # What this person works on, found the way they would: from their own pages.
        start = self.fetch("dashboard", "/dashboard/")
        listing = self.fetch("case list", "/cases/")
        if listing is not None:
            self.cases = [p.split("/")[2] for p in listing.links(r"/cases/[A-Z0-9-]+/")]
        if start is not None and not self.cases:
            self.cases = [p.split("/")[2] for p in start.links(r"/cases/[A-Z0-9-]+/\w+/")]
        if self.role in ("attorney", "mentor"):
            work = self.fetch("mentorships", "/mentoring/work/")
            if work is not None:
                self.mentorships = work.links(r"/mentoring/work/\d+/")
        if self.role in ("attorney", "coordinator"):
            board = self.fetch("board", "/board/")
            if board is not None:
                self.board_cards = board.links(r"/board/[A-Z0-9-]+/")
                self.courts = re.findall(r'<option value="(\d+)"', board.body)[:40]
        return True

    # The pages, by role, with their weights (how often a person opens them).
    def actions(self) -> list[tuple[int, Callable[[], None]]]:
        common = [(10, self.dashboard)]
        if self.role == "attorney":
            return [
                *common,
                (25, self.board),
                (10, self.board_card),
                (10, self.case_page),
                (15, self.workspace),
                (10, self.deadlines),
                (10, self.messages),
                (5, self.write_hours),
                (5, self.write_message),
            ]
        if self.role == "coordinator":
            return [
                *common,
                (15, self.case_list),
                (25, self.case_page),
                (10, self.board),
                (10, self.deadlines),
                (10, self.workspace),
                (5, lambda: self.visit("cases at risk", "/workspace/at-risk/")),
                (5, lambda: self.visit("mentoring queue", "/mentoring/requests/")),
                (5, lambda: self.visit("reports", "/reports/")),
                (5, self.timeline),
            ]
        return [
            *common,
            (15, lambda: self.visit("mentorships", "/mentoring/work/")),
            (20, self.mentorship),
            (25, self.messages),
            (10, self.workspace),
            (10, self.write_message),
        ]

    def run(self, until: float) -> None:
        actions = self.actions()
        weights = [w for w, _ in actions]
        while time.monotonic() < until:
            action = self.rng.choices(actions, weights)[0][1]
            try:
                action()
            except Exception as error:  # a bug in the driver is reported, not hidden
                with self.stats.lock:
                    self.stats.errors.append(f"driver ({self.role}): {error!r}")
            pause = self.think * self.rng.uniform(0.5, 1.5)
            time.sleep(max(0.0, min(pause, until - time.monotonic())))
        self.browser.close()

    def visit(self, kind: str, path: str) -> None:
        self.fetch(kind, path)

    def _case(self) -> str | None:
        return self.rng.choice(self.cases) if self.cases else None

    def dashboard(self) -> None:
        self.fetch("dashboard", "/dashboard/")

    def board(self) -> None:
        filters = {
            "type": ["", "defensive_asylum", "affirmative_asylum", "u_visa"],
            "language": ["", "", "es", "mam", "en"],
            "detained": ["", "", "yes", "no"],
            "children": ["", "", "yes"],
            "within": ["", "", "30", "90"],
            "court": ["", "", "", *self.courts[:5]],
            "page": ["", "", "", "2"],
        }
        chosen = {name: self.rng.choice(values) for name, values in filters.items()}
        query = "&".join(f"{name}={value}" for name, value in chosen.items() if value)
        # Changing a filter on the page asks htmx for the card list only.
        htmx = bool(query) and self.rng.random() < 0.5
        page = self.fetch("board (htmx)" if htmx else "board", f"/board/?{query}", htmx=htmx)
        if page is not None:
            cards = page.links(r"/board/[A-Z0-9-]+/")
            if cards:
                self.board_cards = cards

    def board_card(self) -> None:
        if self.board_cards:
            self.fetch("board card", self.rng.choice(self.board_cards))

    def case_list(self) -> None:
        show = self.rng.choice(["", "", "waiting", "conflicts", "page=2"])
        query = show if "=" in show else (f"show={show}" if show else "")
        self.fetch("case list", f"/cases/?{query}" if query else "/cases/")

    def case_page(self) -> None:
        code = self._case()
        if code:
            self.fetch("case", f"/cases/{code}/")

    def timeline(self) -> None:
        code = self._case()
        if code:
            self.fetch("case timeline", f"/cases/{code}/timeline/")

    def workspace(self) -> None:
        code = self._case()
        if code:
            # A mentor sees the workspace of their mentees' cases; others may not have one.
            self.fetch(
                "workspace",
                f"/cases/{code}/workspace/",
            )

    def deadlines(self) -> None:
        code = self._case()
        if code:
            self.fetch(
                "deadlines",
                f"/cases/{code}/deadlines/",
            )

    def mentorship(self) -> None:
        if self.mentorships:
            self.fetch("mentorship", self.rng.choice(self.mentorships))

    def messages(self) -> None:
        if self.mentorships:
            self.fetch("messages", self.rng.choice(self.mentorships) + "messages/")

    def write_message(self) -> None:
        if not self.mentorships:
            return
        path = self.rng.choice(self.mentorships) + "messages/"
        page = self.fetch("messages", path)
        fields = page.form("") if page is not None else None
        if fields is not None and "body" in fields:
            fields["body"] = [f"Load test note {self.rng.randint(1, 10**6)}: next steps."]
            self.submit("write: message", path, fields, referer=path)

    def write_hours(self) -> None:
        code = self._case()
        if not code:
            return
        path = f"/cases/{code}/workspace/"
        page = self.fetch(
            "workspace",
            path,
        )
        fields = page.form(f"{path}hours/") if page is not None else None
        if fields is not None:
            fields["hours-hours"] = [self.rng.choice(["0.2", "0.5", "1.0", "1.5"])]
            fields["hours-description"] = ["Load test: reviewed the file"]
            self.submit("write: time entry", f"{path}hours/", fields, referer=path)


# --- 4. the report --------------------------------------------------------------------------
def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def report(stats: Stats, window: float, setup: str) -> list[str]:
    measured = {k: v for k, v in stats.seconds.items()}
    total = sum(len(v) for v in measured.values())
    lines = [
        setup,
        f"{total} requests in {window:.0f} s: {total / window:.1f} requests/s; "
        f"{len(stats.errors)} errors",
        "",
        f"{'page':<22}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}",
    ]
    for kind in sorted(measured, key=lambda k: -len(measured[k])):
        values = measured[kind]
        lines.append(
            f"{kind:<22}{len(values):>9}"
            + "".join(f"{percentile(values, q) * 1000:>9.0f}" for q in (0.5, 0.95, 0.99))
            + f"{max(values) * 1000:>9.0f}"
        )
    everything = [s for v in measured.values() for s in v]
    if everything:
        lines.append(
            f"{'all':<22}{len(everything):>9}"
            + "".join(f"{percentile(everything, q) * 1000:>9.0f}" for q in (0.5, 0.95, 0.99))
            + f"{max(everything) * 1000:>9.0f}"
        )
    return lines


def report_markdown(stats: Stats, window: float, text_lines: list[str]) -> list[str]:
    """The same report for bench/run.py: the set-up as a paragraph, a table, a goal line."""
    setup, totals, *rest = text_lines
    notes = [line for line in rest[:1] if line and not line.startswith("page")]
    lines = [
        f"Mixed load on the embedded default (one run, no sizes): {setup}. {totals}."
        + (f" {notes[0][0].upper()}{notes[0][1:]}." if notes else ""),
        "",
        "| page | requests | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    measured = dict(stats.seconds)
    everything = [s for v in measured.values() for s in v]
    rows = sorted(measured.items(), key=lambda item: -len(item[1]))
    for kind, values in [*rows, *([("all", everything)] if everything else [])]:
        lines.append(
            f"| {kind} | {len(values)} | "
            + " | ".join(f"{percentile(values, q) * 1000:.0f}" for q in (0.5, 0.95, 0.99))
            + f" | {max(values) * 1000:.0f} |"
        )
    lines.append("")
    if stats.errors:
        lines += ["Errors (first 20):", ""] + [f"- {error}" for error in stats.errors[:20]]
        lines.append("")
    verdict = "met" if not stats.errors else "NOT met"
    lines.append(f"Goal: no error under the mixed load — {verdict} ({len(stats.errors)} errors)")
    return lines


def write_results(path: Path, lines: list[str]) -> None:
    """Put this run under '## load' in RESULTS.md, replacing the previous one (bench/run.py
    rewrites the other sections)."""
    section = "\n".join(["## load", "", "```", *lines, "```", ""])
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\n"
    pattern = re.compile(r"^## load\n.*?(?=^## |\Z)", re.S | re.M)
    text = (
        pattern.sub(section + "\n", text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section
    )
    path.write_text(text.rstrip() + "\n", encoding="utf-8")


def _interrupted(signum: int, _frame: object) -> None:
    # Raised in the main thread, so `finally` stops gunicorn (it runs in its own session).
    raise SystemExit(f"load test interrupted by {signal.Signals(signum).name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the measured run")
    parser.add_argument("--users", type=int, default=20, help="concurrent virtual users")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between pages (s)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--extra-cases", type=int, default=3000)
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database")
    parser.add_argument("--prepare-timeout", type=int, default=1200, help="seconds")
    parser.add_argument("--sign-in-timeout", type=float, default=600, help="seconds, for all")
    parser.add_argument("--results", type=Path, help="write the report into this RESULTS.md")
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print the report as Markdown for bench/run.py, and exit 0 even with errors",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--var-dir", type=Path, help="reuse a folder an earlier --keep run prepared (SQLite)"
    )
    args = parser.parse_args()

    reuse = args.var_dir is not None and (args.var_dir / "amparo.sqlite3").exists()
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="amparo-load-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="amparo.config.settings",
        DJANGO_DEBUG="1",
        AMPARO_VAR_DIR=str(var_dir),
        EMAIL_URL="dummymail://",
        PYTHONPATH=str(ROOT / "src"),
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    log = var_dir / "gunicorn.log"
    server = None
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGALRM, _interrupted)
    try:
        started = time.monotonic()
        signal.alarm(args.prepare_timeout)  # a hung preparation ends the run
        data = summarize() if reuse else prepare(args.extra_cases)
        signal.alarm(0)
        prepared = time.monotonic() - started
        port = free_port()
        server = serve(env, port, args.workers, log)
        wait_until_up(port, server, timeout=120)

        stats = Stats()
        users = [
            VirtualUser(ROLES[n % len(ROLES)], port, stats, seed=n, think=args.think)
            for n in range(args.users)
        ]
        signed = [False] * len(users)
        # People do not all sign in within the same second: a few at a time, one per worker.
        signing = threading.Semaphore(args.workers)

        def sign_in(index: int) -> None:
            with signing:
                signed[index] = users[index].sign_in()

        threads = [
            threading.Thread(target=sign_in, args=(n,), daemon=True) for n in range(len(users))
        ]
        for thread in threads:
            thread.start()
        signed_by = time.monotonic() + args.sign_in_timeout
        for thread in threads:
            thread.join(timeout=max(0.0, signed_by - time.monotonic()))
        sign_in_seconds = stats.seconds.pop("sign-in", [])
        # Sign-in and discovery pages are warm-up: the measured window starts afterwards.
        stats.seconds.clear()
        warm_up_errors = list(stats.errors)
        load_before = os.getloadavg()[0]
        window_start = time.monotonic()
        until = window_start + args.seconds
        threads = [
            threading.Thread(target=user.run, args=(until,), daemon=True)
            for user, ok in zip(users, signed, strict=True)
            if ok
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        window = time.monotonic() - window_start
        load_after = os.getloadavg()[0]
    finally:
        if server is not None:
            stop(server)
    server_log = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    server_errors = [line for line in server_log.splitlines() if SERVER_ERROR.search(line)]
    stats.errors = warm_up_errors + stats.errors + [f"server: {e}" for e in server_errors]
    setup = (
        f"{args.users} virtual users ({', '.join(ROLES)} in turn), think time {args.think:g} s "
        f"(0.5x-1.5x), {args.seconds:g} s; gunicorn {args.workers} sync workers on 127.0.0.1, "
        f"DJANGO_DEBUG=1, {'PostgreSQL' if args.database_url else 'SQLite (WAL)'}; {data}; "
        f"prepared in {prepared:.0f} s; {sum(signed)}/{len(users)} signed in "
        f"(sign-in p50 {percentile(sign_in_seconds, 0.5) * 1000:.0f} ms)"
        if sign_in_seconds
        else "no sign-in succeeded"
    )
    setup += (
        f"; {os.cpu_count()} cores, load average {load_before:.1f} before the run, "
        f"{load_after:.1f} after"
    )
    lines = report(stats, window, setup)
    # Time inside gunicorn's workers (the access log), against the time the users waited:
    # the difference is waiting for a free worker.
    served = [
        int(match[2]) / 1000
        for match in ACCESS_LINE.finditer(server_log)
        if not match[1].startswith("/accounts/login/")
    ]
    waited = [s for values in stats.seconds.values() for s in values]
    if served and waited:
        inside, felt = percentile(served, 0.5), percentile(waited, 0.5)
        note = (
            "time inside the workers (all pages, warm-up included): "
            f"p50 {inside * 1000:.0f} ms, p95 {percentile(served, 0.95) * 1000:.0f} ms"
        )
        if felt > 2 * inside:
            note += (
                f"; the users' p50 of {felt * 1000:.0f} ms is mostly waiting for a free worker: "
                "the server is saturated at this load"
            )
        lines.insert(2, note)
    if stats.errors:
        lines += ["", "errors (first 20):", *stats.errors[:20]]
    if args.markdown:
        print("\n".join(report_markdown(stats, window, lines)))
    else:
        print("\n".join(lines))
    if args.results:
        write_results(args.results, lines)
        print(f"wrote {args.results}")
    if args.keep or args.var_dir:
        print(f"kept {var_dir}")
    else:
        shutil.rmtree(var_dir, ignore_errors=True)
    if args.markdown:
        return 0  # bench/run.py: the errors are in the report's goal line
    return 1 if stats.errors or not all(signed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
