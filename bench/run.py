"""Run the benchmarks under bench/ and write bench/RESULTS.md.

Run: ``.venv/bin/python bench/run.py [--only web,deadlines] [--sizes 1000,10000]``.

Every bench/bench_<name>.py runs in turn (then the mixed load test, bench/load.py, as the section
"load"), each printing Markdown on stdout by the contract in notes/HELPERS.md. RESULTS.md gets a
header (machine, date, commit, how long each benchmark took), a summary of every `Goal:` line,
then one `## <name>` section per benchmark with its output as printed. Benchmarks report; they
never fail the build: a crashed or timed-out script gets the end of its error output in its
section, and this script still exits 0.

Benchmarks that need a seeded program on PostgreSQL (bench_web, bench_reports) share one per size
through bench/seeded.py: the first to ask seeds a template database, the others copy it. Their
children run with BENCH_KEEP_SEEDED=1 so the templates outlive each benchmark; this script drops
them at the end (even when interrupted) unless given ``--keep-seeded``, which keeps them for the
next run (seeding 100,000 cases takes minutes; ``bench/seeded.py --drop`` drops them later).
The timing table gives the load average (1 minute) before each benchmark: the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import seeded

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOAL = re.compile(r"^Goal:\s*(?P<goal>.*?)\s+—\s+(?P<verdict>met|NOT met)\b\s*(?P<figure>.*)$")
LOAD_ARGS = ["--seconds", "30", "--users", "20", "--markdown"]


@dataclass
class Outcome:
    name: str
    seconds: float
    output: str
    failure: str = ""
    load_before: float = 0.0

    @property
    def goals(self) -> list[tuple[str, str, str]]:
        found = []
        for line in self.output.splitlines():
            match = GOAL.match(line.strip())
            if match:
                figure = match["figure"].strip().removeprefix("(").removesuffix(")")
                found.append((match["goal"], match["verdict"], figure))
        return found


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _first(pattern: str, text: str, default: str = "unknown") -> str:
    match = re.search(pattern, text, re.M)
    return match.group(1).strip() if match else default


def _command(*args: str) -> str:
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _redis_version() -> str:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2) as sock:
            sock.sendall(b"INFO server\r\n")
            time.sleep(0.2)
            reply = sock.recv(8192).decode(errors="replace")
    except OSError:
        return "not reachable"
    return _first(r"^redis_version:(\S+)", reply)


def machine_lines() -> list[str]:
    cpu = _first(r"^model name\s*:\s*(.+)$", _read("/proc/cpuinfo"))
    mem_kb = _first(r"^MemTotal:\s*(\d+)", _read("/proc/meminfo"), "0")
    os_name = _first(r'^PRETTY_NAME="?([^"\n]+)"?', _read("/etc/os-release"), platform.platform())
    postgres = (
        _command("psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version")
        or "not reachable"
    )
    commit = _command("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD") or "unknown"
    if _command("git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    return [
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- commit: {commit}",
        f"- machine: {cpu}, {os.cpu_count()} cores, {int(mem_kb) / 1024 / 1024:.1f} GiB RAM, "
        f"{os_name}, {platform.machine()}",
        f"- Python {platform.python_version()}, PostgreSQL {postgres}, Redis {_redis_version()}",
        f"- load average when the run started: {os.getloadavg()[0]:.1f}",
    ]


def run_one(name: str, command: list[str], timeout: int) -> Outcome:
    load = os.getloadavg()[0]
    print(f"running {name} (load average {load:.1f}) ...", file=sys.stderr, flush=True)
    env = {**os.environ, seeded.KEEP_SEEDED_ENV: "1"}  # dropped by main() at the end of the run
    started = time.monotonic()
    try:
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as expired:
        stdout = expired.stdout.decode() if isinstance(expired.stdout, bytes) else ""
        stderr = expired.stderr.decode() if isinstance(expired.stderr, bytes) else ""
        return Outcome(
            name,
            time.monotonic() - started,
            stdout.strip(),
            f"timed out after {timeout} s; the end of its error output:\n{stderr[-3000:]}",
            load,
        )
    seconds = time.monotonic() - started
    failure = ""
    if result.returncode != 0:
        failure = (
            f"exited with status {result.returncode}; the end of its error output:\n"
            f"{result.stderr.strip()[-3000:]}"
        )
    print(f"  {name}: {seconds:.0f} s, exit {result.returncode}", file=sys.stderr, flush=True)
    return Outcome(name, seconds, result.stdout.strip(), failure, load)


def render(outcomes: list[Outcome], header: list[str]) -> str:
    lines = ["# Benchmark results", "", *header, ""]
    lines += ["| benchmark | took | load average before |", "|---|---:|---:|"]
    lines += [
        f"| {o.name}{' (failed)' if o.failure else ''} | {o.seconds:.0f} s | {o.load_before:.1f} |"
        for o in outcomes
    ]
    lines += ["", "## Goals", "", "| benchmark | goal | result | figure |", "|---|---|---|---|"]
    for outcome in outcomes:
        for goal, verdict, figure in outcome.goals:
            mark = "met" if verdict == "met" else "**NOT met**"
            lines.append(f"| {outcome.name} | {goal} | {mark} | {figure} |")
        if outcome.failure:
            lines.append(f"| {outcome.name} | (the benchmark did not finish) | **failed** | |")
    lines.append("")
    for outcome in outcomes:
        lines += [f"## {outcome.name}", "", outcome.output or "(no output)", ""]
        if outcome.failure:
            lines += ["The benchmark did not finish: it " + outcome.failure.split("\n")[0], ""]
            tail = outcome.failure.split("\n", 1)[1] if "\n" in outcome.failure else ""
            if tail.strip():
                lines += ["```text", tail.rstrip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated names, e.g. web,deadlines")
    parser.add_argument("--sizes", default="", help="passed to every bench_*.py")
    parser.add_argument("--runs", default="", help="passed to every bench_*.py")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per benchmark")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--keep-seeded",
        action="store_true",
        help="keep the seeded PostgreSQL templates for the next run (bench/seeded.py --drop)",
    )
    args = parser.parse_args()

    scripts = {path.stem.removeprefix("bench_"): path for path in sorted(HERE.glob("bench_*.py"))}
    names = [*scripts, "load"]
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = [name for name in wanted if name not in names]
        if unknown:
            parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(names)}")
        names = [name for name in names if name in wanted]
    header = machine_lines()
    passed: list[str] = []
    if args.sizes:
        passed += ["--sizes", args.sizes]
    if args.runs:
        passed += ["--runs", args.runs]
    outcomes = []
    try:
        for name in names:
            if name == "load":
                command = [sys.executable, str(HERE / "load.py"), *LOAD_ARGS]
            else:
                command = [sys.executable, str(scripts[name]), *passed]
            outcomes.append(run_one(name, command, args.timeout))
            # Written after each benchmark: an interrupted run keeps what it measured.
            args.results.write_text(render(outcomes, header), encoding="utf-8")
    finally:
        if not args.keep_seeded and seeded.reachable():
            for template in seeded.drop_templates():
                print(f"dropped the seeded template {template}", file=sys.stderr)
    print(render(outcomes, header))
    print(f"wrote {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
