"""Training delivery in the workspace: sessions, attendance marks and feedback, with their checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from .errors import ConflictError, InvalidEntry, MissingEntry
from .rules import check_date
from .schema import TABLES
from .store import Workspace
from .vocab import codes, label

__all__ = [
    "add_session",
    "add_series",
    "edit_session",
    "attendance_sheet",
    "mark_attendance",
    "SaveResult",
    "record_feedback",
    "eligible_raters",
    "credited_hours",
    "recredit",
    "year_hours",
    "enrolled_on",
    "cohort_standing",
    "all_sessions",
    "session_feedback",
]


def _check_session(
    fmt: str, topic: str, hours: float, day: dt.date | None, rules: dict, as_of: dt.date
) -> None:
    """Refuse a session the schedule cannot hold; `day` None means the date is not being changed."""
    if fmt not in codes("format"):
        raise InvalidEntry(
            f"培训形式不对 format '{fmt}' is not one of: "
            + ", ".join(f"{c} ({label('format', c, 'zh')})" for c in codes("format")),
            field="format",
        )
    if not str(topic or "").strip():
        raise InvalidEntry("请填写主题 a session needs a topic", field="topic")
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0.5 <= float(hours) <= 24:
        raise InvalidEntry("学时应在0.5至24之间 class hours must be between 0.5 and 24", field="hours")
    if day is None:
        return
    if not isinstance(day, dt.date):
        raise InvalidEntry("日期格式不对 the date must be a date, e.g. 2026-03-18", field="date")
    check_date(rules, "session", day, as_of)


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
    the rules as of `as_of` (default: today).

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
    cohort_id = ws._id_of("cohort", "code", cohort_code)
    topics = [topics] * len(days) if isinstance(topics, str) else list(topics)
    if not days:
        raise InvalidEntry("请至少填写一个日期 give at least one date", field="date")
    if len(topics) != len(days):
        raise InvalidEntry(
            f"日期{len(days)}个而主题{len(topics)}个，请填写一个主题或每个日期一个主题 {len(days)} dates but {len(topics)} topics: give one topic, or one per date",
            field="topic",
        )
    rules, as_of = ws.rules, as_of or ws.clock().date()
    for day, topic in zip(days, topics, strict=True):
        _check_session(fmt, topic, hours, day, rules, as_of)
    rows = [
        {
            "cohort_id": cohort_id,
            "date": day,
            "format": fmt,
            "topic": str(topic).strip(),
            "hours": float(hours),
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
    A new date must lie in the session window as of `as_of` (default: today).

    Raises ConflictError when someone saved the session since it was read.
    """
    s = TABLES["session"]
    allowed = {"date", "format", "topic", "hours", "speaker", "location"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidEntry(f"课程没有这一项 a session has no field {', '.join(sorted(unknown))}")
    with ws.transaction() as tx:
        current = tx.conn.execute(sa.select(s).where(s.c.id == session_id)).mappings().first()
        if current is None:
            raise MissingEntry(
                f"该课程已不存在（可能已被删除）session #{session_id} does not exist (it may have been deleted)"
            )
        merged = {**current, **changes}
        rules = ws.rules
        _check_session(
            merged["format"],
            merged["topic"],
            merged["hours"],
            merged["date"] if "date" in changes else None,
            rules,
            as_of or ws.clock().date(),
        )
        done = tx.update("session", session_id, changes, expect_version=version)
        if "hours" in done:
            recredit(tx, session_id, merged["hours"], ws.rules["attendance"]["credit"])
        return done


def credited_hours(hours: float, status: str, credit: Mapping[str, float]) -> float:
    """Hours a status earns in a session of `hours`, by the rules' credit shares."""
    return float(hours) * float(credit[status])


def recredit(tx, session_id: int, hours: float, credit: Mapping[str, float]) -> None:
    """Recompute the credited hours of a session's marks after its hours changed."""
    a = TABLES["attendance"]
    for row in tx.conn.execute(sa.select(a.c.id, a.c.status).where(a.c.session_id == session_id)):
        tx.update("attendance", row.id, {"hours_credited": credited_hours(hours, row.status, credit)})


def enrolled_on(members: pd.DataFrame, day: dt.date) -> pd.Series:
    """Which enrollment rows cover `day` (joined by then, not yet left)."""
    start = pd.to_datetime(members["start_date"])
    end = pd.to_datetime(members["end_date"])
    return (start <= pd.Timestamp(day)) & (end.isna() | (end >= pd.Timestamp(day)))


def attendance_sheet(ws: Workspace, session_id: int) -> pd.DataFrame:
    """The sign-in sheet of one session: every participant enrolled that day, marked or not.

    Columns: person_id, name, status (None when not yet marked), hours_credited, version.
    """
    s, a = TABLES["session"], TABLES["attendance"]
    session = ws.frame(sa.select(s).where(s.c.id == session_id))
    if session.empty:
        raise MissingEntry(f"该课程不存在 session #{session_id} does not exist")
    code = ws.frame(
        sa.select(TABLES["cohort"].c.code).where(TABLES["cohort"].c.id == int(session["cohort_id"].iloc[0]))
    )["code"].iloc[0]
    members = ws.cohort_members(code)
    day = session["date"].iloc[0]
    # Withdrawn people stay on the sheets of sessions before they left (their end date).
    left_undated = (members["status"] == "withdrawn") & members["end_date"].isna()
    members = members[enrolled_on(members, day) & ~left_undated]
    marks = ws.frame(
        sa.select(a.c.person_id, a.c.status, a.c.hours_credited, a.c.version).where(
            a.c.session_id == session_id
        )
    )
    sheet = members[["person_id", "name"]].merge(marks, on="person_id", how="outer")
    names = ws.table("person").set_index("id")["name"]
    sheet["name"] = sheet["name"].fillna(sheet["person_id"].map(names))
    return sheet.astype({"version": "Int64"}).sort_values("person_id", ignore_index=True)


@dataclass
class SaveResult:
    """What a save did: rows changed (old → new), and marks not saved because someone else saved
    that person meanwhile: (person, mine, theirs, who saved theirs); theirs stands."""

    changed: list[tuple[int, str | None, str]] = field(default_factory=list)
    conflicts: list[tuple[int, str, str | None, str | None]] = field(default_factory=list)
    unchanged: int = 0

    def message(self, names: Mapping[int, str] | None = None) -> str:
        """In plain words for the trainer, Chinese first; at most 8 people named per list."""
        names = names or {}

        def zh(code: str | None) -> str:
            return label("attendance_status", code, "zh") if code else "未记"

        def listed(items: list, show, sep: str) -> str:
            return sep.join(map(show, items[:8])) + (f" (+{len(items) - 8})" if len(items) > 8 else "")

        zh_parts, en_parts = [], []
        if self.changed:
            shown = listed(self.changed, lambda c: f"{names.get(c[0], c[0])} {zh(c[1])}→{zh(c[2])}", ", ")
            zh_parts.append(f"已保存 {len(self.changed)} 处：{shown}。")
            en_parts.append(f"Saved {len(self.changed)} change(s): {shown}.")
        if self.conflicts:
            name = lambda c: names.get(c[0], c[0])  # noqa: E731
            shown_zh = listed(
                self.conflicts,
                lambda c: f"{name(c)}（您记“{zh(c[1])}”，{c[3] or '他人'}已记“{zh(c[2])}”）",
                "，",
            )
            shown_en = listed(
                self.conflicts,
                lambda c: f"{name(c)} (yours {zh(c[1])}, saved by {c[3] or 'someone else'} as {zh(c[2])})",
                ", ",
            )
            zh_parts.append(
                f"以下 {len(self.conflicts)} 处未保存，他人已先记录：{shown_zh}。现显示对方的记录，如需更改请重新标记。"
            )
            en_parts.append(
                f"Not saved for {len(self.conflicts)} person(s), marked by someone else since you opened the "
                f"sheet: {shown_en}. Their marks are shown now; mark again to replace them."
            )
        if not zh_parts:
            return "没有需要保存的修改。Nothing to save: no mark was changed."
        return "".join(zh_parts) + " " + " ".join(en_parts)


def mark_attendance(
    ws: Workspace, session_id: int, marks: Mapping[int, str], seen: Mapping[int, int | None]
) -> SaveResult:
    """Save attendance marks for one session; each mark says which version of the row it was made on.

    `seen[person]` is the row version the trainer saw (None: the person was unmarked). A row
    that moved on since is not overwritten: it comes back in `conflicts`. Bad values refuse
    the whole save with the reason.
    """
    a = TABLES["attendance"]
    sheet = attendance_sheet(ws, session_id)
    allowed = set(sheet["person_id"].astype(int))
    hours = float(
        ws.frame(sa.select(TABLES["session"].c.hours).where(TABLES["session"].c.id == session_id))[
            "hours"
        ].iloc[0]
    )
    credit = ws.rules["attendance"]["credit"]
    for person, status in marks.items():
        if status not in credit:
            raise InvalidEntry(
                f"考勤状态不对 '{status}' is not an attendance status; use one of: "
                + ", ".join(
                    f"{c} ({label('attendance_status', c, 'zh')})" for c in codes("attendance_status")
                ),
                field="status",
            )
        if int(person) not in allowed:
            raise InvalidEntry(
                f"该学员当天不在本项目参训名单中 person #{person} is not enrolled in this session's cohort on its date",
                field="person_id",
            )
    result = SaveResult()
    with ws.transaction() as tx:
        current = {
            int(r.person_id): r
            for r in tx.conn.execute(
                sa.select(a.c.id, a.c.person_id, a.c.status, a.c.version).where(a.c.session_id == session_id)
            )
        }
        # One pass in person order: two trainers saving the same sheet take their rows in the same
        # order, so on PostgreSQL neither ever waits for a row the other waits on.
        for person, status in sorted((int(p), s) for p, s in marks.items()):
            now, expected = current.get(person), seen.get(person)
            if (now is None) != (expected is None) or (now is not None and now.version != expected):
                result.conflicts.append((person, status, *_saved_mark(tx, session_id, person)))
                continue
            if now is not None and now.status == status:
                result.unchanged += 1
                continue
            values = {"status": status, "hours_credited": credited_hours(hours, status, credit)}
            if now is None:
                (new_id,) = tx.insert_unless_present(
                    "attendance",
                    [{"session_id": session_id, "person_id": person, **values}],
                    key=("session_id", "person_id"),
                )
                if new_id is None:  # someone else marked this person first: theirs stands
                    result.conflicts.append((person, status, *_saved_mark(tx, session_id, person)))
                    continue
            else:
                try:
                    tx.update("attendance", now.id, values, expect_version=expected)
                except ConflictError:
                    result.conflicts.append((person, status, *_saved_mark(tx, session_id, person)))
                    continue
            result.changed.append((person, None if now is None else now.status, status))
    return result


def _saved_mark(tx, session_id: int, person_id: int) -> tuple[str | None, str | None]:
    """The mark saved now for a person at a session, and who saved it (from the audit log)."""
    a, log = TABLES["attendance"], TABLES["audit_log"]
    row = tx.conn.execute(
        sa.select(a.c.id, a.c.status).where(a.c.session_id == session_id, a.c.person_id == person_id)
    ).first()
    if row is None:
        return None, None
    by = tx.conn.execute(
        sa.select(log.c.actor)
        .where(log.c.table_name == "attendance", log.c.row_key == str(row.id))
        .order_by(log.c.id.desc())
        .limit(1)
    ).scalar()
    return row.status, by


def record_feedback(
    ws: Workspace,
    session_id: int,
    person_id: int,
    usefulness: int,
    relevance: int,
    comment: str | None = None,
) -> int:
    """Store one participant's rating of a session (1-5 each); a second rating replaces the first."""
    for name, value in (("usefulness", usefulness), ("relevance", relevance)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidEntry(f"评分应为1至5分 {name} is rated 1 (not at all) to 5 (very)", field=name)
    if person_id not in eligible_raters(ws, session_id):
        raise InvalidEntry(
            "只有参加了该课程的学员可以评价 only participants who attended the session can rate it",
            field="person_id",
        )
    f = TABLES["session_feedback"]
    with ws.transaction() as tx:
        old = tx.conn.execute(
            sa.select(f.c.id).where(f.c.session_id == session_id, f.c.person_id == person_id)
        ).scalar()
        values = {
            "usefulness": usefulness,
            "relevance": relevance,
            "comment": (comment or "").strip() or None,
        }
        if old is not None:
            tx.update("session_feedback", old, values)
            return old
        return tx.insert("session_feedback", {"session_id": session_id, "person_id": person_id, **values})[0]


def eligible_raters(ws: Workspace, session_id: int) -> dict[int, str]:
    """Who may rate a session: those marked present, late or left early. {person_id: name}"""
    sheet = attendance_sheet(ws, session_id)
    came = sheet[sheet["status"].isin(["present", "late", "left_early"])]
    return dict(zip(came["person_id"].astype(int), came["name"], strict=True))


def year_hours(ws: Workspace, as_of: dt.date) -> pd.DataFrame:
    """Per person, this calendar year: hours credited up to `as_of` in every cohort, and hours
    still scheduled after `as_of` in the cohorts they are enrolled in (assuming full attendance).
    """
    s, a, e = TABLES["session"], TABLES["attendance"], TABLES["enrollment"]
    jan1, dec31 = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
    credited = ws.frame(
        sa.select(a.c.person_id, sa.func.sum(a.c.hours_credited).label("credited_ytd"))
        .join(s, s.c.id == a.c.session_id)
        .where(s.c.date >= jan1, s.c.date <= as_of)
        .group_by(a.c.person_id)
    )
    planned = ws.frame(
        sa.select(e.c.person_id, sa.func.sum(s.c.hours).label("scheduled_rest"))
        .join(s, s.c.cohort_id == e.c.cohort_id)
        .where(
            s.c.date > as_of,
            s.c.date <= dec31,
            e.c.status != "withdrawn",
            e.c.start_date <= s.c.date,
            sa.or_(e.c.end_date.is_(None), e.c.end_date >= s.c.date),
        )
        .group_by(e.c.person_id)
    )
    out = credited.merge(planned, on="person_id", how="outer").fillna(0.0)
    out = out.astype({"person_id": int, "credited_ytd": float, "scheduled_rest": float})
    return out.sort_values("person_id", ignore_index=True)


def cohort_standing(ws: Workspace, cohort_code: str, as_of: dt.date) -> pd.DataFrame:
    """`standing.standings` for one cohort, read from the workspace under its rules."""
    from .standing import requirement_from_rules, standings

    cohorts = ws.cohorts().set_index("code")
    if cohort_code not in cohorts.index:
        raise MissingEntry(
            f"没有该培训项目 no cohort {cohort_code!r}; the cohorts are {', '.join(cohorts.index)}"
        )
    row = cohorts.loc[cohort_code].copy()
    row["code"] = cohort_code
    return standings(
        ws.cohort_members(cohort_code),
        ws.cohort_sessions(cohort_code),
        ws.cohort_attendance(cohort_code),
        year_hours(ws, as_of),
        as_of,
        requirement_from_rules(ws.rules, row),
    )


def all_sessions(ws: Workspace) -> pd.DataFrame:
    """Every session with its cohort's code, name and kind, in date order."""
    s, c = TABLES["session"], TABLES["cohort"]
    return ws.frame(
        sa.select(s, c.c.code.label("cohort"), c.c.name.label("cohort_name"), c.c.kind)
        .join(c, c.c.id == s.c.cohort_id)
        .order_by(s.c.date, s.c.id)
    )


def session_feedback(ws: Workspace, cohort_code: str) -> pd.DataFrame:
    """Feedback rows of a cohort's sessions: session_id, person_id, usefulness, relevance, comment."""
    s, f = TABLES["session"], TABLES["session_feedback"]
    cohort_id = ws._id_of("cohort", "code", cohort_code)
    return ws.frame(
        sa.select(f.c.session_id, f.c.person_id, f.c.usefulness, f.c.relevance, f.c.comment)
        .join(s, s.c.id == f.c.session_id)
        .where(s.c.cohort_id == cohort_id)
        .order_by(f.c.session_id, f.c.person_id)
    )
