"""Time `import cadre_lib` (and its Workspace) against `import pandas`, each in fresh subprocesses."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

GOAL = 1.3
HEAVY = ["seaborn", "matplotlib", "ipywidgets", "alembic", "sqlalchemy", "pandas", "numpy"]

CASES = {
    "pass": "pass",  # baseline for the wall-clock column
    "cadre_lib": "import cadre_lib",
    "cadre_lib.Workspace": "import cadre_lib; cadre_lib.Workspace",
    "pandas": "import pandas",
}

# Runs in a fresh interpreter: time only the statement, then report which heavy modules are loaded.
PROBE = """\
import sys, time, json
before = [m for m in {heavy!r} if m in sys.modules]
t0 = time.perf_counter()
{stmt}
t = time.perf_counter() - t0
print(json.dumps({{"t": t, "before": before, "after": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def probe(stmt: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COVERAGE_PROCESS"))}
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(stmt=stmt, heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    wall = time.perf_counter() - t0
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "wall": wall}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=15, help="fresh subprocesses per statement (default 15)")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be positive")

    print(
        f"Python {sys.version.split()[0]} ({sys.executable}); {args.repeat} fresh subprocesses "
        f"per statement, interleaved"
    )
    for stmt in CASES.values():  # warm-up: bytecode caches and the OS file cache
        probe(stmt)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    walls: dict[str, list[float]] = {name: [] for name in CASES}
    loaded: dict[str, dict] = {}
    for _ in range(args.repeat):
        for name, stmt in CASES.items():
            r = probe(stmt)
            times[name].append(r["t"])
            walls[name].append(r["wall"])
            loaded[name] = r
    shown = {name: stmt for name, stmt in CASES.items() if name != "pass"}

    med = {name: statistics.median(v) for name, v in times.items()}
    wall = {name: statistics.median(walls[name]) - statistics.median(walls["pass"]) for name in shown}
    base = med["pandas"]
    print()
    print("import: perf_counter around the statement inside the subprocess (median, min, max);")
    print("wall-pass: median wall time of the whole subprocess minus that of one running `pass`")
    print(f"{'statement':<40}{'import':>10}{'min':>10}{'max':>10}{'vs pandas':>11}{'wall-pass':>11}")
    for name, stmt in shown.items():
        v = times[name]
        print(
            f"{stmt:<40}{med[name] * 1e3:8.1f}ms{min(v) * 1e3:8.1f}ms{max(v) * 1e3:8.1f}ms"
            f"{med[name] / base:10.3f}x{wall[name] * 1e3:9.1f}ms"
        )
    ratio = med["cadre_lib"] / base
    print(
        f"goal: import cadre_lib <= {GOAL}x import pandas: {'met' if ratio <= GOAL else 'NOT met'} ({ratio:.3f}x)"
    )

    print()
    print("heavy modules in sys.modules after the statement (loaded / not loaded):")
    for name, stmt in shown.items():
        after = loaded[name]["after"]
        pre = loaded[name]["before"]
        print(f"  {stmt}")
        print(f"    loaded:     {', '.join(after) or '-'}")
        print(f"    not loaded: {', '.join(m for m in HEAVY if m not in after) or '-'}")
        if pre:
            print(f"    (already loaded at interpreter start: {', '.join(pre)})")


if __name__ == "__main__":
    main()
