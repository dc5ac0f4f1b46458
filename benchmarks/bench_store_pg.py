"""Time storing attendance rows on PostgreSQL through Workspace bulk_insert (COPY) against a raw
psycopg COPY of the same rows, each into a fresh schema built by the same migrations."""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from urllib.parse import quote

import psycopg
import sqlalchemy as sa
from bench_store import COLUMNS, GOAL, PERSONS, attendance_rows, make_workspace

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _schema_url(url: str, schema: str) -> str:
    return f"{url}?options={quote(f'-csearch_path={schema}')}"


def _fresh(url: str, schema: str, sessions: int) -> str:
    """A new schema holding the migrated tables and the parent rows; its URL."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    target = _schema_url(url, schema)
    make_workspace(target, sessions).close()
    return target


def _drop(url: str, schema: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    engine.dispose()


def time_workspace(url: str, rows: list[tuple], sessions: int) -> float:
    from cadre_lib import Workspace

    target = _fresh(url, "bench_ws", sessions)
    ws = Workspace(target, actor="bench")
    try:
        gc.collect()
        t0 = time.perf_counter()
        with ws.transaction() as tx:
            n = tx.bulk_insert("attendance", COLUMNS, rows, note="bench")
        elapsed = time.perf_counter() - t0
        stored = ws.counts()["attendance"]
    finally:
        ws.close()
        _drop(url, "bench_ws")
    if not n == stored == len(rows):
        sys.exit(f"workspace: wrote {n}, stored {stored}, expected {len(rows)}")
    return elapsed


def time_raw(url: str, rows: list[tuple], sessions: int) -> float:
    target = _fresh(url, "bench_raw", sessions)
    plain = sa.make_url(target).set(drivername="postgresql")
    dsn = plain.render_as_string(hide_password=False)
    try:
        with psycopg.connect(dsn) as conn:
            gc.collect()
            t0 = time.perf_counter()
            with conn.cursor() as cur, cur.copy(f"COPY attendance ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            conn.commit()
            elapsed = time.perf_counter() - t0
            stored = conn.execute("SELECT COUNT(*) FROM attendance").fetchone()[0]
    finally:
        _drop(url, "bench_raw")
    if stored != len(rows):
        sys.exit(f"raw: stored {stored}, expected {len(rows)}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--url", default=DEFAULT_URL, help=f"a PostgreSQL database (default {DEFAULT_URL})")
    ap.add_argument("--rows", type=int, default=1_000_000, help="attendance rows (default 1,000,000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side, alternating (default 3)")
    args = ap.parse_args()
    sessions = -(-args.rows // PERSONS)
    rows = attendance_rows(args.rows)
    print(
        f"psycopg {psycopg.__version__}; {args.rows:,} attendance rows, {args.repeat} runs per side, alternating"
    )
    times: dict[str, list[float]] = {"workspace": [], "raw": []}
    runners = {"workspace": time_workspace, "raw": time_raw}
    for i in range(args.repeat):
        for side in ["workspace", "raw"] if i % 2 == 0 else ["raw", "workspace"]:
            t = runners[side](args.url, rows, sessions)
            times[side].append(t)
            print(f"  run {i + 1} {side:<9} {t:7.3f} s  ({args.rows / t:,.0f} rows/s)", flush=True)
    best = {k: min(v) for k, v in times.items()}
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"\n{'':<34}{'best':>9}{'median':>9}")
    print(f"{'workspace  Tx.bulk_insert (COPY)':<34}{best['workspace']:8.3f}s{med['workspace']:8.3f}s")
    print(f"{'raw        psycopg COPY':<34}{best['raw']:8.3f}s{med['raw']:8.3f}s")
    ratio = best["workspace"] / best["raw"]
    print(f"{'ratio      workspace / raw':<34}{ratio:8.2f}x{med['workspace'] / med['raw']:8.2f}x")
    print(f"goal: workspace <= {GOAL}x raw (on best times): {'met' if ratio <= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
