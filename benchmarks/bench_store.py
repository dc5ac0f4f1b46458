"""Time storing attendance rows through Workspace bulk_insert against raw sqlite3 executemany."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cadre_lib import Workspace

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
GOAL = 1.5
PERSONS = 1000  # attendance rows per session; sessions = ceil(rows / PERSONS)
COLUMNS = ["session_id", "person_id", "status"]
STATUSES = ["present", "present", "present", "late", "left_early", "excused", "absent"]


def attendance_rows(n: int) -> list[tuple]:
    """n deterministic (session_id, person_id, status) rows, session by session."""
    person_ids = list(range(1, PERSONS + 1))
    rows: list[tuple] = []
    session_id = 0
    while len(rows) < n:
        session_id += 1
        for pid in person_ids[: n - len(rows)]:
            status = STATUSES[(session_id * 31 + pid * 17) % len(STATUSES)]
            rows.append((session_id, pid, status))
    return rows


def make_workspace(path: Path, sessions: int) -> Workspace:
    """A fresh migrated workspace holding the parent rows: 1 cohort, the sessions, the persons."""
    ws = Workspace(path, actor="bench", clock=lambda: dt.datetime(2026, 11, 28))
    start = dt.date(2026, 1, 5)
    with ws.transaction() as tx:
        tx.bulk_insert(
            "cohort",
            ["id", "code", "name", "kind", "start_date"],
            [(1, "B01", "Bench class", "class", start)],
            note="bench parents",
        )
        tx.bulk_insert(
            "session",
            ["id", "cohort_id", "date", "format", "topic", "hours"],
            (
                (s, 1, start + dt.timedelta(days=s), "lecture", f"Topic {s}", 3.0)
                for s in range(1, sessions + 1)
            ),
            note="bench parents",
        )
        tx.bulk_insert(
            "person",
            ["id", "name"],
            ((p, f"Person {p:04d}") for p in range(1, PERSONS + 1)),
            note="bench parents",
        )
    return ws


def time_workspace(path: Path, rows: list[tuple], sessions: int) -> float:
    ws = make_workspace(path, sessions)
    try:
        gc.collect()
        t0 = time.perf_counter()
        with ws.transaction() as tx:
            n = tx.bulk_insert("attendance", COLUMNS, rows, note="bench")
        elapsed = time.perf_counter() - t0
    finally:
        ws.close()
    check_count(path, n, len(rows))
    return elapsed


def time_raw(path: Path, rows: list[tuple], sessions: int) -> float:
    # Same schema and parents: a second workspace file, then closed and written with plain sqlite3.
    make_workspace(path, sessions).close()
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        sql = f"INSERT INTO attendance ({', '.join(COLUMNS)}) VALUES (?, ?, ?)"
        gc.collect()
        t0 = time.perf_counter()
        with conn:  # one transaction, committed on exit
            cur = conn.executemany(sql, rows)
        elapsed = time.perf_counter() - t0
        n = cur.rowcount
    finally:
        conn.close()
    check_count(path, n, len(rows))
    return elapsed


def check_count(path: Path, reported: int, expected: int) -> None:
    with sqlite3.connect(path) as conn:
        stored = conn.execute("SELECT COUNT(*) FROM attendance").fetchone()[0]
    if not reported == stored == expected:
        sys.exit(f"{path.name}: wrote {reported}, stored {stored}, expected {expected} rows")


def schema_of(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--rows", type=int, default=1_000_000, help="attendance rows to store (default 1,000,000)"
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side, alternating (default 3)")
    args = ap.parse_args()
    if args.rows < 1 or args.repeat < 1:
        ap.error("--rows and --repeat must be positive")

    sessions = -(-args.rows // PERSONS)
    rows = attendance_rows(args.rows)
    print(
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; "
        f"{args.rows:,} attendance rows ({sessions:,} sessions x up to {PERSONS:,} persons), "
        f"{args.repeat} runs per side, alternating"
    )

    OUT.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench_store_", dir=OUT))
    times: dict[str, list[float]] = {"workspace": [], "raw": []}
    try:
        # Confirm both sides get the same tables, indexes and constraints.
        probe_a, probe_b = tmp / "probe_a.sqlite", tmp / "probe_b.sqlite"
        make_workspace(probe_a, 1).close()
        make_workspace(probe_b, 1).close()
        if schema_of(probe_a) != schema_of(probe_b):
            sys.exit("the two workspace files do not have the same schema")

        runners = {"workspace": time_workspace, "raw": time_raw}
        for i in range(args.repeat):
            order = ["workspace", "raw"] if i % 2 == 0 else ["raw", "workspace"]
            for side in order:
                path = tmp / f"{side}_{i}.sqlite"
                t = runners[side](path, rows, sessions)
                times[side].append(t)
                print(f"  run {i + 1} {side:<9} {t:7.3f} s  ({args.rows / t:,.0f} rows/s)", flush=True)
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            OUT.rmdir()  # only if nothing else is in it
        except OSError:
            pass

    best = {k: min(v) for k, v in times.items()}
    med = {k: statistics.median(v) for k, v in times.items()}
    print()
    print(f"{'':<34}{'best':>9}{'median':>9}")
    print(f"{'workspace  Tx.bulk_insert':<34}{best['workspace']:8.3f}s{med['workspace']:8.3f}s")
    print(f"{'raw        sqlite3.executemany':<34}{best['raw']:8.3f}s{med['raw']:8.3f}s")
    ratio_best = best["workspace"] / best["raw"]
    ratio_med = med["workspace"] / med["raw"]
    print(f"{'ratio      workspace / raw':<34}{ratio_best:8.2f}x{ratio_med:8.2f}x")
    verdict = "met" if ratio_best <= GOAL else "NOT met"
    print(f"goal: workspace <= {GOAL}x raw (on best times): {verdict}")


if __name__ == "__main__":
    main()
