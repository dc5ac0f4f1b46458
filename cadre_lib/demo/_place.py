"""Where the demo goes: only where nothing is, and never over anyone's work unless told."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ..core.errors import NoWorkspace, OutdatedWorkspace, WorkspaceError
from ..core.locations import empty_workspace, resolve_url
from ..core.schema import TABLES
from ..core.workspace import Workspace
from ._build import DEMO_ACTOR, DemoSpec, build_demo

__all__ = ["WorkSummary", "work_beyond_demo", "DemoOutcome", "make_demo"]


_TABLE_ZH = {
    "import": "导入",
    "person": "人员",
    "post_tenure": "任职",
    "enrollment": "参训",
    "session": "课程",
    "attendance": "考勤",
    "session_feedback": "评课",
}


@dataclass(frozen=True)
class WorkSummary:
    """What a workspace holds beyond its demo build: somebody's work, which no everyday command
    may replace. Audit entries the demo did not write, and rows the audit log does not account
    for (someone wrote to the tables directly, or removed audit entries)."""

    entries: int
    by_kind: dict[str, int]  # "import" or a table name -> audit entries
    actors: tuple[str, ...]
    first: dt.datetime | None
    last: dt.datetime | None
    unaccounted: dict[str, int] = field(default_factory=dict)  # table -> rows more (+) or fewer (-)

    def __bool__(self) -> bool:
        return self.entries > 0 or bool(self.unaccounted)

    def describe(self) -> str:
        """'12 项不是演示数据生成的记录（导入 1、考勤 11；…）12 audit entries the demo did not write (…)'."""
        parts_zh, parts_en = [], []
        if self.entries:
            kinds_zh = "、".join(f"{_TABLE_ZH.get(k, k)} {n}" for k, n in self.by_kind.items())
            kinds_en = ", ".join(f"{k} {n}" for k, n in self.by_kind.items())
            who = ", ".join(self.actors)
            when = f"{self.first:%Y-%m-%d} – {self.last:%Y-%m-%d}"
            parts_zh.append(f"{self.entries} 项不是演示数据生成的记录（{kinds_zh}；操作人 {who}；{when}）")
            parts_en.append(
                f"{self.entries} audit entries the demo did not write ({kinds_en}; by {who}; {when})"
            )
        if self.unaccounted:
            rows = ", ".join(f"{t} {n:+d}" for t, n in self.unaccounted.items())
            parts_zh.append(f"审计日志未记录的行数变化（{rows}）")
            parts_en.append(f"rows the audit log does not account for ({rows})")
        return "；".join(parts_zh) + " " + "; ".join(parts_en)


def work_beyond_demo(ws: Workspace) -> WorkSummary:
    """What a workspace holds beyond the demo build: every audit entry not one of its bulk loads,
    and every table whose row count the audit log (loads, inserts, deletes) does not explain."""
    log = TABLES["audit_log"]
    theirs = sa.not_(sa.and_(log.c.actor == DEMO_ACTOR, log.c.action == "bulk_insert"))
    rows = ws.frame(
        sa.select(
            sa.case((log.c.action == "import", "import"), else_=log.c.table_name).label("kind"),
            log.c.actor,
            sa.func.count().label("n"),
            sa.func.min(log.c.at).label("first"),
            sa.func.max(log.c.at).label("last"),
        )
        .where(theirs)
        .group_by("kind", log.c.actor)
        .order_by("kind", log.c.actor)
    )
    changes = ws.frame(
        sa.select(log.c.table_name, log.c.action, log.c.new).where(
            log.c.action.in_(["bulk_insert", "insert", "delete"])
        )
    )
    expected: dict[str, int] = {}
    for table, action, new in changes.itertuples(index=False, name=None):
        step = json.loads(new)["rows"] if action == "bulk_insert" else 1 if action == "insert" else -1
        expected[table] = expected.get(table, 0) + step
    counts = ws.counts()
    unaccounted = {
        t: counts[t] - expected.get(t, 0)
        for t in counts
        if t != "audit_log" and counts[t] != expected.get(t, 0)
    }
    if rows.empty:
        return WorkSummary(0, {}, (), None, None, unaccounted)
    by_kind = rows.groupby("kind", sort=True)["n"].sum()
    return WorkSummary(
        int(rows["n"].sum()),
        {str(k): int(n) for k, n in by_kind.items()},
        tuple(sorted(set(rows["actor"].astype(str)))),
        rows["first"].min(),
        rows["last"].max(),
        unaccounted,
    )


@dataclass(frozen=True)
class DemoOutcome:
    """What `make_demo` did: built the demo (rows written per table) or kept what was there."""

    where: str
    written: dict[str, int] | None  # None: the workspace there was kept
    work: WorkSummary | None  # what the workspace held beyond a demo, if anything
    kept_copy: Path | None  # where a replaced SQLite workspace with work in it now is


def _look(target) -> tuple[str, bool, WorkSummary | None]:
    """(where, holds anything, its work) of the workspace at `target`, read without writing
    unless it must first be brought up to date; a file that is not a workspace is refused."""
    try:
        ws = Workspace(target, readonly=True)
    except NoWorkspace:
        return resolve_url(target).render_as_string(hide_password=True), False, None
    except OutdatedWorkspace:
        ws = Workspace(target, create=False)  # a demo command writes: upgrading is its to do
    with ws:
        holds = any(ws.counts().values())
        return ws.display_url, holds, work_beyond_demo(ws) if holds else None


def make_demo(
    target,
    spec: DemoSpec | None = None,
    *,
    if_missing: bool = False,
    replace: bool = False,
    discard_work: bool = False,
    progress=None,
) -> DemoOutcome:
    """Build the demo at `target` where there is no workspace; never lose anyone's work.

    A workspace already there is kept with `if_missing`, replaced with `replace` only if it holds
    nothing but an earlier demo, and with `discard_work` too even if it holds work (a SQLite
    file is then copied beside itself first). Otherwise WorkspaceError says what it holds.
    """
    where, holds, work = _look(target)
    if holds and if_missing:
        return DemoOutcome(where, None, work, None)
    if holds and not replace:
        raise WorkspaceError(
            f"工作区已有数据 {where} already holds data; build the demo into a new file, keep it "
            "(--if-missing), or replace an earlier demo (--replace)"
        )
    if work and not discard_work:
        raise WorkspaceError(
            f"未替换 not replaced: {where} holds work — {work.describe()}. Replacing it would lose that "
            "work; to replace it anyway add --discard-work (a SQLite file is kept beside it as a copy; "
            "a server workspace is dropped, so back it up with pg_dump first)"
        )
    kept = empty_workspace(target, keep_copy=bool(work)) if holds else None
    with Workspace(target) as ws:
        written = build_demo(ws, spec or DemoSpec(), progress)
        ws.analyze()
    return DemoOutcome(where, written, work, kept)
