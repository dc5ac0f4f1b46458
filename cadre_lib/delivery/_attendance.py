"""Attendance: who is on a session's sheet (the one rule), the sheet, and saving marks without
overwriting anyone's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from ..core.codes import codes, label
from ..core.errors import ConflictError, InvalidEntry, MissingEntry
from ..core.ids import scrub_ids
from ..core.problems import Problem
from ..core.schema import TABLES
from ..core.workspace import Workspace
from ..people import cohort_members, enrolled_on, in_enrollment

__all__ = [
    "on_the_sheet",
    "session_participants",
    "attendance_sheet",
    "mark_attendance",
    "SaveResult",
    "off_the_sheet",
    "cohort_attendance",
]


def on_the_sheet(members: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The participants expected at a session held on `day`: those enrolled that day (joined by
    then, not yet left). The sheet, marking, the sign-in import and feedback all ask this."""
    return members[enrolled_on(members, day)]


def session_participants(ws: Workspace, session_id: int) -> tuple[pd.Series, pd.DataFrame]:
    """A session's row and the members of its cohort on its sheet (`on_the_sheet`): person_id,
    name, national_id (masked), status, start_date and end_date."""
    s, c = TABLES["session"], TABLES["cohort"]
    found = ws.frame(
        sa.select(s, c.c.code.label("cohort")).join(c, c.c.id == s.c.cohort_id).where(s.c.id == session_id)
    )
    if found.empty:
        raise MissingEntry(f"该课程不存在 session #{session_id} does not exist")
    session = found.iloc[0]
    return session, on_the_sheet(cohort_members(ws, session["cohort"], places=False), session["date"])


def attendance_sheet(ws: Workspace, session_id: int) -> pd.DataFrame:
    """The sign-in sheet of one session: every participant on it, marked or not, and anyone
    marked who is not on it any more (so no saved mark is hidden).

    Columns: person_id, name, status (None when not yet marked), hours_credited, version,
    on_sheet (False for a saved mark of someone no longer enrolled on the session's date: it
    is shown, and cannot be changed here).
    """
    a, s, p = TABLES["attendance"], TABLES["session"], TABLES["person"]
    _, participants = session_participants(ws, session_id)
    marks = ws.frame(
        sa.select(
            a.c.person_id,
            p.c.name.label("marked_name"),  # for a mark of someone no longer on the sheet
            a.c.status,
            ws.rules.credit_sql(a.c.status, s.c.hours).label("hours_credited"),
            a.c.version,
        )
        .join(s, s.c.id == a.c.session_id)
        .join(p, p.c.id == a.c.person_id)
        .where(a.c.session_id == session_id)
    )
    sheet = participants[["person_id", "name"]].merge(marks, on="person_id", how="outer")
    sheet["on_sheet"] = sheet["person_id"].isin(participants["person_id"])
    sheet["name"] = sheet["name"].fillna(sheet.pop("marked_name"))
    return sheet.astype({"version": "Int64"}).sort_values("person_id", ignore_index=True)


def cohort_attendance(ws: Workspace, cohort_code: str) -> pd.DataFrame:
    """Attendance rows of a cohort's sessions, with the session date and hours offered.

    `hours_credited` is computed as it is read: the session's hours × the share the workspace's
    rules credit for the status, so a change to the rules changes every figure at once.
    """
    s, a = TABLES["session"], TABLES["attendance"]
    cohort_id = ws.id_of("cohort", "code", cohort_code)
    credited = ws.rules.credit_sql(a.c.status, s.c.hours).label("hours_credited")
    q = (
        sa.select(a.c.session_id, a.c.person_id, a.c.status, credited, s.c.date, s.c.hours)
        .join(s, s.c.id == a.c.session_id)
        .where(s.c.cohort_id == cohort_id)
        .order_by(s.c.date, a.c.session_id, a.c.person_id)
    )
    return ws.frame(q)


@dataclass
class SaveResult:
    """What a save did: rows changed (old → new); marks not saved because someone else saved
    that person meanwhile: (person, mine, theirs, who saved theirs), theirs stands; and marks not
    saved because the person left the session's sheet meanwhile (promoted or withdrawn by another
    save): (person, mine, why in Chinese, why in English)."""

    changed: list[tuple[int, str | None, str]] = field(default_factory=list)
    conflicts: list[tuple[int, str, str | None, str | None]] = field(default_factory=list)
    unchanged: int = 0
    refused: list[tuple[int, str, str, str]] = field(default_factory=list)

    def message(self, names: Mapping[int, str] | None = None) -> str:
        """In plain words for the trainer, Chinese first; at most 8 people named per list."""
        names = names or {}
        zh_parts, en_parts = [], []
        if self.changed:
            shown = _listed(self.changed, lambda c: f"{names.get(c[0], c[0])} {_zh(c[1])}→{_zh(c[2])}", ", ")
            zh_parts.append(f"已保存 {len(self.changed)} 处：{shown}。")
            en_parts.append(f"Saved {len(self.changed)} change(s): {shown}.")
        if self.conflicts:
            zh, en = _conflict_words(self.conflicts, names)
            zh_parts.append(zh)
            en_parts.append(en)
        if self.refused:
            name = lambda c: names.get(c[0], c[0])  # noqa: E731
            zh_parts.append(
                f"以下 {len(self.refused)} 人的考勤未保存：{_listed(self.refused, lambda c: f'{name(c)}（{c[2]}）', '，')}。"
            )
            en_parts.append(
                f"Not saved for {len(self.refused)} person(s): {_listed(self.refused, lambda c: f'{name(c)} ({c[3]})', ', ')}."
            )
        if not zh_parts:
            return "没有需要保存的修改。Nothing to save: no mark was changed."
        return scrub_ids("".join(zh_parts) + " " + " ".join(en_parts))


def _zh(code: str | None) -> str:
    return label("attendance_status", code, "zh") if code else "未记"


def _listed(items: list, show, sep: str) -> str:
    return sep.join(map(show, items[:8])) + (f" (+{len(items) - 8})" if len(items) > 8 else "")


def _conflict_words(conflicts: list, names: Mapping[int, str]) -> tuple[str, str]:
    name = lambda c: names.get(c[0], c[0])  # noqa: E731
    shown_zh = _listed(
        conflicts, lambda c: f"{name(c)}（您记“{_zh(c[1])}”，{c[3] or '他人'}已记“{_zh(c[2])}”）", "，"
    )
    shown_en = _listed(
        conflicts,
        lambda c: f"{name(c)} (yours {_zh(c[1])}, saved by {c[3] or 'someone else'} as {_zh(c[2])})",
        ", ",
    )
    return (
        f"以下 {len(conflicts)} 处未保存，他人已先记录：{shown_zh}。现显示对方的记录，如需更改请重新标记。",
        f"Not saved for {len(conflicts)} person(s), marked by someone else since you opened the sheet: "
        f"{shown_en}. Their marks are shown now; mark again to replace them.",
    )


def mark_attendance(
    ws: Workspace, session_id: int, marks: Mapping[int, str], seen: Mapping[int, int | None]
) -> SaveResult:
    """Save attendance marks for one session; each mark says which version of the row it was made on.

    `seen[person]` is the row version the trainer saw (None: the person was unmarked). A row
    that moved on since is not overwritten: it comes back in `conflicts`. A person who left the
    session's sheet since (a promotion or a withdrawal saved meanwhile) is not marked: it comes
    back in `refused` with the reason. Bad values refuse the whole save with the reason.
    """
    session, participants = session_participants(ws, session_id)
    _check_marks(ws, marks, set(participants["person_id"].astype(int)))
    result = SaveResult()
    with ws.transaction() as tx:
        gone = off_the_sheet(tx, session, [int(p) for p in marks])
        a = TABLES["attendance"]
        current = {
            int(r.person_id): r
            for r in tx.conn.execute(
                sa.select(a.c.id, a.c.person_id, a.c.status, a.c.version).where(a.c.session_id == session_id)
            )
        }
        # One pass in person order: two trainers saving the same sheet take their rows in the same
        # order, so on PostgreSQL neither ever waits for a row the other waits on.
        for person, status in sorted((int(p), s) for p, s in marks.items()):
            if person in gone:
                result.refused.append((person, status, *gone[person]))
                continue
            _save_mark(tx, session_id, person, status, current.get(person), seen.get(person), result)
    return result


def _check_marks(ws: Workspace, marks: Mapping[int, str], allowed: set[int]) -> None:
    """Refuse a save with a status that is none, or a mark for someone never on the sheet."""
    for person, status in marks.items():
        if status not in ws.rules.credit:
            raise InvalidEntry(
                f"考勤状态不对 '{status}' is not an attendance status; use one of: "
                + ", ".join(
                    f"{c} ({label('attendance_status', c, 'zh')})" for c in codes("attendance_status")
                ),
                field="status",
            )
        if int(person) not in allowed:
            raise InvalidEntry(Problem.NOT_ENROLLED, field="person_id")


def off_the_sheet(tx, session, persons: list[int]) -> dict[int, tuple[str, str]]:
    """Who of `persons` is no longer on the session's sheet, read again inside the saving
    transaction, with why (Chinese, English). Their enrolments are locked until it commits (a
    shared lock on PostgreSQL; SQLite's write lock holds the whole file): a promotion or a
    withdrawal saved at the same moment waits for this save, or this one sees it, never both."""
    e = TABLES["enrollment"]
    rows = tx.conn.execute(
        sa.select(e.c.person_id, e.c.start_date, e.c.end_date, e.c.end_reason)
        .where(e.c.cohort_id == int(session["cohort_id"]), e.c.person_id.in_(persons))
        .order_by(e.c.id)
        .with_for_update(read=True)
    ).all()
    day = session["date"]
    on = {int(r.person_id) for r in rows if in_enrollment(r.start_date, r.end_date, day)}
    left = {int(r.person_id): r for r in rows if int(r.person_id) not in on}
    out = {}
    for person in persons:
        if person in on:
            continue
        row = left.get(person)
        if row is None or row.end_date is None or row.end_date >= day:  # never enrolled that day
            out[person] = ("当天不在该项目参训名单中", "not enrolled in this cohort on that day")
            continue
        promoted = row.end_reason == "promoted"
        out[person] = (
            f"已{'因提拔' if promoted else ''}于{row.end_date:%Y-%m-%d}结束参训，不在该课的名单中",
            f"{'promoted' if promoted else 'withdrawn'}, last day {row.end_date:%Y-%m-%d}: no longer on "
            "this session's sheet",
        )
    return out


def _save_mark(tx, session_id: int, person: int, status: str, now, expected, result: SaveResult) -> None:
    """One person's mark, unless someone else saved theirs since the version the trainer saw."""
    if (now is None) != (expected is None) or (now is not None and now.version != expected):
        result.conflicts.append((person, status, *_saved_mark(tx, session_id, person)))
        return
    if now is not None and now.status == status:
        result.unchanged += 1
        return
    if now is None:
        (new_id,) = tx.insert_unless_present(
            "attendance", [{"session_id": session_id, "person_id": person, "status": status}],
            key=("session_id", "person_id"),
        )  # fmt: skip
        if new_id is None:  # someone else marked this person first: theirs stands
            result.conflicts.append((person, status, *_saved_mark(tx, session_id, person)))
            return
    else:
        try:
            tx.update("attendance", now.id, {"status": status}, expect_version=expected)
        except ConflictError:
            result.conflicts.append((person, status, *_saved_mark(tx, session_id, person)))
            return
    result.changed.append((person, None if now is None else now.status, status))


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
