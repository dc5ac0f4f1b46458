"""P3: the national overview through the library against one hand-written SQL statement per
table on the workspace's own engine, with the two results checked equal and the peak memory
of each side. DuckDB reading the same SQLite file is a further reference (the bench extra).

Build the national workspace first (see docs/workspaces.md), then:

    .venv/bin/python benchmarks/bench_overview.py --db build/national.sqlite \
        --pg "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dnational"
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
SIDES = ("library", "sql", "duckdb")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _library(url: str, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    from cadre_lib import delivery, open_workspace

    ws = open_workspace(url, readonly=True)
    return delivery.county_overview(ws, as_of), delivery.cohort_overview(ws, as_of)


def _raw(url: str, as_of: dt.date, side: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from overview_sql import cohort_sql, county_sql

    from cadre_lib import open_workspace

    rules = open_workspace(url, readonly=True).rules  # the same rules, written into the SQL
    if side == "duckdb":
        import duckdb
        import duckdb_ext

        con = duckdb.connect()
        ext = next(Path(list(duckdb_ext.__path__)[0]).rglob("sqlite_scanner.duckdb_extension"))
        con.execute(f"LOAD '{ext}'")
        con.execute(f"ATTACH '{url}' AS ws (TYPE sqlite, READ_ONLY)")
        con.execute("USE ws")
        run, dialect = (lambda q: con.execute(q).df()), "duckdb"
    elif "://" in url:
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        conn = engine.raw_connection()
        run, dialect = (lambda q: _fetch(conn, q)), "postgresql"
    else:
        import sqlite3

        conn = sqlite3.connect(f"file:{url}?mode=ro", uri=True)
        run, dialect = (lambda q: _fetch(conn, q)), "sqlite"
    return run(county_sql(rules, as_of, dialect)), run(cohort_sql(rules, as_of, dialect))


def _fetch(conn, query: str) -> pd.DataFrame:
    cur = conn.cursor()
    cur.execute(query)
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])


def child(url: str, as_of: dt.date, side: str, out: Path) -> None:
    """One timed run in a fresh process: prints seconds and peak memory, saves the results."""
    base = _peak_mb()
    start = time.perf_counter()
    counties, cohorts = _library(url, as_of) if side == "library" else _raw(url, as_of, side)
    seconds = time.perf_counter() - start
    counties.to_pickle(out / f"{side}_counties.pkl")
    cohorts.to_pickle(out / f"{side}_cohorts.pkl")
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb(), "before_mb": base}))


def _same(out: Path, side: str) -> str:
    """'equal' when a side's tables equal the library's (floats to 1e-9), else the first difference."""
    for part, keys in (("counties", ["county_code", "county"]), ("cohorts", ["cohort"])):
        a = pd.read_pickle(out / f"library_{part}.pkl").sort_values(keys, ignore_index=True)
        b = pd.read_pickle(out / f"{side}_{part}.pkl").sort_values(keys, ignore_index=True)
        b = b[list(a.columns)].astype({c: float for c in a.columns if a[c].dtype.kind in "fi"})
        try:
            pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=1e-9, atol=1e-9)
        except AssertionError as exc:
            return f"{part} differ: {str(exc).splitlines()[0]}"
    return "equal"


def bench(url: str, as_of: dt.date, repeat: int, sides: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory(dir=HERE) as tmp:
        out = Path(tmp)
        runs: dict[str, list[dict]] = {s: [] for s in sides}
        for _ in range(repeat):
            for side in sides:  # alternating, fresh process each
                cmd = [
                    sys.executable,
                    __file__,
                    "--child",
                    side,
                    "--url",
                    url,
                    "--as-of",
                    str(as_of),
                    "--out",
                    tmp,
                ]
                done = subprocess.run(cmd, capture_output=True, text=True, check=True)
                runs[side].append(json.loads(done.stdout.strip().splitlines()[-1]))
        lib = statistics.median(r["seconds"] for r in runs["library"])
        print(f"\n{url}  as of {as_of}  ({repeat} runs per side, medians)")
        print(
            f"{'side':<10} {'median s':>9} {'best s':>8} {'peak RSS MB':>12} {'ratio lib/side':>15}  result"
        )
        for side in sides:
            med = statistics.median(r["seconds"] for r in runs[side])
            best = min(r["seconds"] for r in runs[side])
            peak = max(r["peak_mb"] for r in runs[side])
            same = "—" if side == "library" else _same(out, side)
            print(f"{side:<10} {med:>9.2f} {best:>8.2f} {peak:>12.0f} {lib / med:>14.2f}×  {same}")
        base = max(r["before_mb"] for rs in runs.values() for r in rs)
        print(f"(peak RSS of a process that has only imported pandas and the library: about {base:.0f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="build/national.sqlite", help="the SQLite workspace (scale 550)")
    ap.add_argument("--pg", default=None, help="the same workspace on PostgreSQL (a database URL)")
    ap.add_argument("--as-of", default="2026-11-30")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-duckdb", action="store_true")
    ap.add_argument("--child", choices=SIDES)
    ap.add_argument("--url")
    ap.add_argument("--out")
    args = ap.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    if args.child:
        import cadre_lib.delivery  # noqa: F401  (imports are not what is measured)

        child(args.url, as_of, args.child, Path(args.out))
        return
    db = str(Path(args.db).resolve())
    bench(db, as_of, args.repeat, ("library", "sql") if args.no_duckdb else SIDES)
    if args.pg:
        bench(args.pg, as_of, args.repeat, ("library", "sql"))


if __name__ == "__main__":
    main()
