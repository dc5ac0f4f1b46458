"""Session feedback (Kirkpatrick level 1): who may rate a session, and their ratings."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from ..core.errors import InvalidEntry
from ..core.schema import TABLES
from ..core.workspace import Workspace
from ..people import check_identity
from ._attendance import attendance_sheet

__all__ = ["record_feedback", "eligible_raters", "session_feedback"]


def record_feedback(
    ws: Workspace,
    session_id: int,
    person_id: int,
    usefulness: int,
    relevance: int,
    comment: str | None = None,
    *,
    name: str | None = None,
    national_id: str | None = None,
) -> int:
    """Store one participant's rating of a session (1-5 each); a second rating replaces the first.
    A `name` or `national_id` given beside `person_id` must be theirs."""
    for what, value in (("usefulness", usefulness), ("relevance", relevance)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidEntry(f"评分应为1至5分 {what} is rated 1 (not at all) to 5 (very)", field=what)
    if person_id not in eligible_raters(ws, session_id):
        raise InvalidEntry(
            "只有参加了该课程的学员可以评价 only participants who attended the session can rate it",
            field="person_id",
        )
    f = TABLES["session_feedback"]
    with ws.transaction() as tx:
        check_identity(tx, person_id, name=name, national_id=national_id)
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
    """Who may rate a session: those on its sheet marked with a status the rules let rate
    (present, late or left early by default). {person_id: name}"""
    sheet = attendance_sheet(ws, session_id)
    came = sheet[sheet["on_sheet"] & sheet["status"].isin(ws.rules.may_rate)]
    return dict(zip(came["person_id"].astype(int), came["name"], strict=True))


def session_feedback(ws: Workspace, cohort_code: str) -> pd.DataFrame:
    """Feedback rows of a cohort's sessions: session_id, person_id, usefulness, relevance, comment."""
    s, f = TABLES["session"], TABLES["session_feedback"]
    cohort_id = ws.id_of("cohort", "code", cohort_code)
    return ws.frame(
        sa.select(f.c.session_id, f.c.person_id, f.c.usefulness, f.c.relevance, f.c.comment)
        .join(s, s.c.id == f.c.session_id)
        .where(s.c.cohort_id == cohort_id)
        .order_by(f.c.session_id, f.c.person_id)
    )
