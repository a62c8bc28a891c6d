"""Run every benchmark under bench/ (bench_*.py) and write bench/RESULTS.md.

Benchmarks report; they never fail the build. Each script prints its result lines on stdout.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    lines = [
        "# Benchmark results",
        "",
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "",
    ]
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"running {script.name} ...", flush=True)
        result = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, check=False
        )
        lines.append(f"## {script.stem.removeprefix('bench_')}")
        lines.append("")
        output = result.stdout.strip() or "(no output)"
        if result.returncode != 0:
            output += f"\n\nFAILED (exit {result.returncode}):\n{result.stderr.strip()[-2000:]}"
        lines += ["```", output, "```", ""]
        print(output)
    (HERE / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
