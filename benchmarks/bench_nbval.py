"""P5: strict nbval over every notebook against the same number of one-cell notebooks.

Both sides are whole `pytest --nbval` runs in a fresh process, timed by the wall clock: the
workbook's notebooks on a fresh copy of the tests' demo workspace (as `make test` runs them),
and as many notebooks of one code cell (`1 + 1`, its output saved) — the cost of starting a
kernel and comparing outputs with nothing to compute. Sides alternate.

    .venv/bin/python benchmarks/bench_nbval.py --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _one_cell(path: Path) -> None:
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "outputs": [
            {
                "data": {"text/plain": ["2"]},
                "execution_count": 1,
                "metadata": {},
                "output_type": "execute_result",
            }
        ],
        "source": ["1 + 1"],
    }
    nb = {
        "cells": [cell],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))


def _pytest(args: list[str], env: dict, cwd: Path) -> float:
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--nbval",
        "--nbval-current-env",
        *args,
    ]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"pytest failed ({' '.join(args)}):\n{done.stdout[-3000:]}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        tmp = Path(tmp)
        demo = tmp / "demo.sqlite"
        subprocess.run([str(BIN / "cadre"), "demo", "--db", str(demo)], check=True, capture_output=True)
        (tmp / "one").mkdir()
        for i in range(len(notebooks)):
            _one_cell(tmp / "one" / f"one_{i}.ipynb")
        real, plain = [], []
        for run in range(args.repeat):
            work = tmp / f"run{run}"
            work.mkdir()
            shutil.copy(demo, work / "demo.sqlite")
            env = {**os.environ, "CADRE_DB_URL": str(work / "demo.sqlite")}
            sanitize = ["--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg")]
            real.append(_pytest([*sanitize, *map(str, notebooks)], env, ROOT))
            plain.append(_pytest([str(tmp / "one")], env, ROOT))
    print(
        f"strict nbval, {len(notebooks)} notebooks vs {len(notebooks)} one-cell notebooks ({args.repeat} runs each)"
    )
    print(f"{'side':<28} {'median s':>9} {'best s':>8}")
    for name, times in (("workbook notebooks", real), ("one-cell notebooks", plain)):
        print(f"{name:<28} {statistics.median(times):>9.1f} {min(times):>8.1f}")
    print(f"ratio (medians): {statistics.median(real) / statistics.median(plain):.2f}×   goal ≤ 2.5×")


if __name__ == "__main__":
    main()
