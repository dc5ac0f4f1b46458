"""Sessions of a cohort: laying out the schedule, one session or a series, and changing one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from ..core.codes import codes, label
from ..core.errors import InvalidEntry, MissingEntry
from ..core.problems import Problem
from ..core.rules import Rules
from ..core.schema import TABLES
from ..core.workspace import Workspace
from ._attendance import off_the_sheet

__all__ = ["add_session", "add_series", "edit_session", "cohort_sessions", "all_sessions"]


def check_session(
    fmt: str, topic: str, hours: object, day: dt.date | None, rules: Rules, as_of: dt.date
) -> float:
    """Refuse a session the schedule cannot hold; return its hours. `day` None means the date is
    not being changed (an old session keeps its date, whatever the window is now)."""
    if fmt not in codes("format"):
        raise InvalidEntry(
            f"培训形式不对 format '{fmt}' is not one of: "
            + ", ".join(f"{c} ({label('format', c, 'zh')})" for c in codes("format")),
            field="format",
        )
    if not str(topic or "").strip():
        raise InvalidEntry("请填写主题 a session needs a topic", field="topic")
    hours = rules.check_hours(hours)
    if day is not None:
        if not isinstance(day, dt.date):
            raise InvalidEntry("日期格式不对 the date must be a date, e.g. 2026-03-18", field="date")
        rules.check_date("session", day, as_of)
    return hours


def add_session(
    ws: Workspace,
    cohort_code: str,
    day: dt.date,
    fmt: str,
    topic: str,
    hours: float,
    speaker: str | None = None,
    location: str | None = None,
    as_of: dt.date | None = None,
) -> int:
    """Add one session to a cohort; return its id. Its date must lie in the session window of
    the rules as of `as_of` (default: today), its hours within the rules' bounds.

    >>> # add_session(ws, "SHXF", dt.date(2026, 12, 8), "lecture", "年度履职能力提升", 3)
    """
    return add_series(ws, cohort_code, [day], fmt, [topic], hours, speaker, location, as_of)[0]


def add_series(
    ws: Workspace,
    cohort_code: str,
    days: Sequence[dt.date],
    fmt: str,
    topics: Sequence[str] | str,
    hours: float,
    speaker: str | None = None,
    location: str | None = None,
    as_of: dt.date | None = None,
) -> list[int]:
    """Lay out several sessions at once (the 7 lectures of a series): one transaction, all or none.

    `topics` is one topic for every date, or one per date; dates are checked as in `add_session`.
    """
    cohort_id = ws.id_of("cohort", "code", cohort_code)
    topics = [topics] * len(days) if isinstance(topics, str) else list(topics)
    if not days:
        raise InvalidEntry("请至少填写一个日期 give at least one date", field="date")
    if len(topics) != len(days):
        raise InvalidEntry(
            f"日期{len(days)}个而主题{len(topics)}个，请填写一个主题或每个日期一个主题 "
            f"{len(days)} dates but {len(topics)} topics: give one topic, or one per date",
            field="topic",
        )
    as_of = as_of or ws.clock().date()
    for day, topic in zip(days, topics, strict=True):
        hours = check_session(fmt, topic, hours, day, ws.rules, as_of)
    rows = [
        {
            "cohort_id": cohort_id,
            "date": day,
            "format": fmt,
            "topic": str(topic).strip(),
            "hours": hours,
            "speaker": speaker or None,
            "location": location or None,
        }
        for day, topic in zip(days, topics, strict=True)
    ]
    with ws.transaction() as tx:
        return tx.insert("session", rows)


def edit_session(
    ws: Workspace, session_id: int, version: int, as_of: dt.date | None = None, **changes
) -> dict[str, tuple]:
    """Change a session read at `version`; credited hours follow a change of its hours.
    A new date must lie in the session window as of `as_of` (default: today), and everyone marked
    at the session must still be on its sheet on that date (a session moved past a promoted
    chief's last day would hide their mark and its hours).

    Raises ConflictError when someone saved the session since it was read.
    """
    s = TABLES["session"]
    unknown = set(changes) - {"date", "format", "topic", "hours", "speaker", "location"}
    if unknown:
        raise InvalidEntry(f"课程没有这一项 a session has no field {', '.join(sorted(unknown))}")
    with ws.transaction() as tx:
        current = tx.conn.execute(sa.select(s).where(s.c.id == session_id)).mappings().first()
        if current is None:
            raise MissingEntry(
                f"该课程已不存在（可能已被删除）session #{session_id} does not exist (it may have been deleted)"
            )
        merged = {**current, **changes}
        day = merged["date"] if "date" in changes else None
        check_session(
            merged["format"], merged["topic"], merged["hours"], day, ws.rules, as_of or ws.clock().date()
        )
        if day is not None and day != current["date"]:
            _keep_marks_on_the_sheet(tx, {**current, "date": day})
        return tx.update("session", session_id, changes, expect_version=version)


def _keep_marks_on_the_sheet(tx, moved: dict) -> None:
    """Refuse moving a session to a day on which someone marked at it is no longer enrolled."""
    a, p = TABLES["attendance"], TABLES["person"]
    marked = dict(
        tx.conn.execute(
            sa.select(a.c.person_id, p.c.name)
            .join(p, p.c.id == a.c.person_id)
            .where(a.c.session_id == moved["id"])
        ).all()
    )
    gone = off_the_sheet(tx, moved, sorted(marked))
    if gone:
        names = "、".join(marked[pid] for pid in gone)
        raise InvalidEntry(
            Problem.MOVED_OFF_SHEET, field="date", day=f"{moved['date']:%Y-%m-%d}", names=names,
            why_zh="；".join(w[0] for w in gone.values()), why_en="; ".join(w[1] for w in gone.values()),
        )  # fmt: skip


def cohort_sessions(ws: Workspace, cohort_code: str, reveal_ids: bool = False) -> pd.DataFrame:
    """Sessions of a cohort in date order (ID numbers typed into their text masked)."""
    s = TABLES["session"]
    cohort_id = ws.id_of("cohort", "code", cohort_code)
    return ws.frame(sa.select(s).where(s.c.cohort_id == cohort_id).order_by(s.c.date, s.c.id), reveal_ids)


def all_sessions(ws: Workspace) -> pd.DataFrame:
    """Every session with its cohort's code, name and kind, in date order."""
    s, c = TABLES["session"], TABLES["cohort"]
    return ws.frame(
        sa.select(s, c.c.code.label("cohort"), c.c.name.label("cohort_name"), c.c.kind)
        .join(c, c.c.id == s.c.cohort_id)
        .order_by(s.c.date, s.c.id)
    )
