"""P4: widget latency on a national workspace, measured in the kernel.

Three changes a trainer makes, each timed until every model that observes it has updated its
traits (tables and chart data; drawing in the browser is not included):

- choosing another cohort in the 00 picker (`CohortPickerModel.cohort`);
- choosing another session in the 02 sign-in sheet (`AttendanceModel.session_id`);
- saving one mark (`AttendanceModel.save`), which reloads the sheet, the standings and the
  picker that watch attendance.

Each is repeated (default 20) and the median reported, first on the models alone, then with
their views attached (the picker's HTML table and PNG chart, the sheet's rows of buttons,
built in the kernel), each in a fresh process.
The mark saved is changed back at the end, so the workspace holds what it held.

    .venv/bin/python benchmarks/bench_widgets.py --db build/national.sqlite \
        --pg "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dnational"
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from cadre_lib import open_workspace  # noqa: E402
from cadre_lib.delivery import widgets  # noqa: E402
from cadre_lib.delivery.widgets import AttendanceModel, CohortPickerModel  # noqa: E402


def _timed(change) -> float:
    start = time.perf_counter()
    change()
    return (time.perf_counter() - start) * 1000


def _cohorts(picker_model, n: int) -> list[str]:
    """n cohorts spread over the workspace (every prefecture copy has its own)."""
    choices = picker_model.choices
    step = max(1, len(choices) // n)
    return [choices[(i * step + 1) % len(choices)] for i in range(n)]


def run(url: str, as_of: dt.date, cohort: str, n: int, views: bool) -> None:
    """The three changes on models alone (what the goal is about) or with their views attached."""
    ws = open_workspace(url)
    if views:
        picker = widgets.cohort_picker(ws, as_of, cohort).model
        model = widgets.sign_in_sheet(ws, cohort, as_of).model
    else:
        picker = CohortPickerModel(ws, as_of, cohort)
        model = AttendanceModel(ws, cohort, as_of)
    rows = [
        (
            "00 picker: another cohort",
            [_timed(lambda c=c: setattr(picker, "cohort", c)) for c in _cohorts(picker, n)],
        )
    ]
    picker.cohort = cohort
    held = model.sessions[model.sessions["date"] <= as_of]["id"].tolist()[-(n + 1) :]
    rows.append(
        (
            "02 sign-in sheet: another session",
            [_timed(lambda s=s: setattr(model, "session_id", s)) for s in held[:n]],
        )
    )
    model.session_id = held[-1]
    person = int(model.sheet.loc[model.sheet["on_sheet"], "person_id"].iloc[0])
    before = model.sheet.set_index("person_id")["status"].get(person)
    saves = []
    for i in range(n):
        model.mark(person, "late" if i % 2 == 0 else "present")
        saves.append(_timed(model.save))
    rows.append(("02 save one mark (sheet, standings, picker reload)", saves))
    if isinstance(before, str):  # as it was
        model.mark(person, before)
        model.save()
    what = "models and their views (kernel side)" if views else "models"
    print(f"\n{url}  cohort {cohort}  as of {as_of}  {what}, {n} changes each, {len(picker.choices)} cohorts")
    print(f"{'change':<52} {'median ms':>10} {'min':>7} {'max':>7}")
    for name, times in rows:
        print(f"{name:<52} {statistics.median(times):>10.0f} {min(times):>7.0f} {max(times):>7.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="build/national.sqlite")
    ap.add_argument("--pg", default=None)
    ap.add_argument("--as-of", default="2026-11-30")
    ap.add_argument(
        "--cohort", default="SHXF-001", help="a cohort of the national demo (SHXF-001 … SHXF-550)"
    )
    ap.add_argument("--changes", type=int, default=20)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--views", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    if args.one:
        run(args.one, as_of, args.cohort, args.changes, args.views)
        return
    for url in [str(Path(args.db).resolve()), *([args.pg] if args.pg else [])]:
        for views in (False, True):  # each in a fresh process: models of one run never see the other's saves
            cmd = [sys.executable, __file__, "--one", url, "--as-of", args.as_of, "--cohort", args.cohort]
            cmd += ["--changes", str(args.changes), *(["--views"] if views else [])]
            subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
