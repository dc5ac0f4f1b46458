"""Import a generated 100,000-row roster .xlsx and compare with pandas.read_excel(engine="calamine")."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from cadre_lib import Workspace
from cadre_lib.core.ids import synthetic_national_id
from cadre_lib.importers import RosterImporter

STAGES = ("parse", "resolve", "write")


class TimedRoster(RosterImporter):
    """The roster importer, noting how long each stage of `run` takes (what `import_roster` runs)."""

    def __init__(self, ws: Workspace):
        super().__init__(ws)
        self.times: dict[str, float] = dict.fromkeys(STAGES, 0.0)

    def _timed(self, stage: str, call, *args, **kwargs):
        t = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            self.times[stage] += time.perf_counter() - t

    def parse(self, sheet, report):
        return self._timed("parse", super().parse, sheet, report)

    def resolve(self, rows, report, **options):
        return self._timed("resolve", super().resolve, rows, report, **options)

    def write(self, tx, progress):
        return self._timed("write", super().write, tx, progress)


HEADER = [
    "序号",
    "姓名",
    "公民身份号码",
    "出生年月",
    "性别",
    "民族",
    "学历",
    "县（区）",
    "乡镇（街道）",
    "现任职务",
    "任现职时间",
    "联系电话",
]


def make_workspace(path: Path, townships: int) -> None:
    """Counties of 100 townships each, bulk-loaded: a national-scale map."""
    counties = (townships + 99) // 100
    with Workspace(path, actor="bench") as ws:
        ws.bulk_insert(
            "county", ["id", "code", "name"], ((c, f"C{c}", f"第{c}县") for c in range(1, counties + 1))
        )
        ws.bulk_insert(
            "township",
            ["id", "county_id", "code", "name", "kind"],
            ((t, (t - 1) // 100 + 1, f"T{t}", f"第{t}镇", "township") for t in range(1, townships + 1)),
        )


def make_roster(path: Path, rows: int, seed: int = 1) -> None:
    """A roster of two chiefs per township, typed with the usual variety of date spellings."""
    rng = random.Random(seed)
    seen: set[str] = set()
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("花名册")
    sheet.append(["全国乡镇党政正职花名册"])
    sheet.append(HEADER)
    for i in range(rows):
        town = i // 2 + 1
        sex = "M" if rng.random() < 0.8 else "F"
        birth = dt.date(rng.randint(1970, 1993), rng.randint(1, 12), rng.randint(1, 28))
        nid = synthetic_national_id(rng, birth, sex, region=f"{i % 10000:04d}")
        while nid in seen:  # one person a row
            nid = synthetic_national_id(rng, birth, sex, region=f"{i % 10000:04d}")
        seen.add(nid)
        sheet.append(
            [
                i + 1,
                rng.choice("王李张刘陈") + rng.choice("伟强敏静磊"),
                nid,
                (f"{birth:%Y.%m}", f"{birth.year}年{birth.month}月", birth)[i % 3],
                "男" if sex == "M" else "女",
                "汉族",
                "大学",
                f"第{(town - 1) // 100 + 1}县",
                f"第{town}镇",
                ("党委书记", "镇长")[i % 2],
                "2024-03",
                f"139{i:08d}",
            ]
        )
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out))
    try:
        roster = tmp / "roster.xlsx"
        t = time.perf_counter()
        make_roster(roster, args.rows)
        print(
            f"generated {args.rows:,} rows ({roster.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s"
        )
        base = tmp / "base.sqlite"
        make_workspace(base, (args.rows + 1) // 2)
        ours, theirs, stages = [], [], []
        for k in range(args.repeat):
            t = time.perf_counter()
            frame = pd.read_excel(roster, engine="calamine", header=1)
            theirs.append(time.perf_counter() - t)
            assert len(frame) == args.rows
            del frame
            ws_path = tmp / f"run{k}.sqlite"
            shutil.copyfile(base, ws_path)
            with Workspace(ws_path, actor="bench") as ws:
                importer = TimedRoster(ws)
                t = time.perf_counter()
                report = importer.run(roster, as_of=dt.date(2026, 11, 30))
                ours.append(time.perf_counter() - t)
                assert report.imported == args.rows, report.summary()
                del report
            # "read and the rest": reading the file, hashing it, the transaction and its commit
            stages.append({**importer.times, "read and the rest": ours[-1] - sum(importer.times.values())})
            parts = ", ".join(f"{name} {v:.2f}" for name, v in stages[-1].items())
            print(f"run {k + 1}: import {ours[-1]:.2f} s ({parts}), read_excel {theirs[-1]:.2f} s")
        a, b = statistics.median(ours), statistics.median(theirs)
        parts = ", ".join(f"{name} {statistics.median(s[name] for s in stages):.2f}" for name in stages[0])
        print(f"median stages: {parts} s")
        print(
            f"median: import_roster {a:.2f} s, pandas.read_excel(calamine) {b:.2f} s, ratio {a / b:.2f}x (goal <= 1.5x)"
        )
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
