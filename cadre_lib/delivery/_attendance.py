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
from ..people import cohort_members, enrolled_on

__all__ = [
    "on_the_sheet",
    "session_participants",
    "attendance_sheet",
    "mark_attendance",
    "SaveResult",
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
        return scrub_ids("".join(zh_parts) + " " + " ".join(en_parts))


def mark_attendance(
    ws: Workspace, session_id: int, marks: Mapping[int, str], seen: Mapping[int, int | None]
) -> SaveResult:
    """Save attendance marks for one session; each mark says which version of the row it was made on.

    `seen[person]` is the row version the trainer saw (None: the person was unmarked). A row
    that moved on since is not overwritten: it comes back in `conflicts`. Bad values refuse
    the whole save with the reason.
    """
    a = TABLES["attendance"]
    session, participants = session_participants(ws, session_id)
    allowed, rules = set(participants["person_id"].astype(int)), ws.rules
    for person, status in marks.items():
        if status not in rules.credit:
            raise InvalidEntry(
                f"考勤状态不对 '{status}' is not an attendance status; use one of: "
                + ", ".join(
                    f"{c} ({label('attendance_status', c, 'zh')})" for c in codes("attendance_status")
                ),
                field="status",
            )
        if int(person) not in allowed:
            raise InvalidEntry(Problem.NOT_ENROLLED, field="person_id")
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
            values = {"status": status}
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
