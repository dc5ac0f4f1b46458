"""A cohort's standings read from the workspace, under its rules, as of a date."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from .. import people
from ..core.errors import MissingEntry, some_of
from ..core.schema import TABLES
from ..core.workspace import Workspace
from ._attendance import cohort_attendance
from ._sessions import cohort_sessions
from ._standing import requirement_from_rules, standings, unmarked_sessions
from ._yearly import yearly_compliance

__all__ = ["cohort_standing", "cohort_requirement", "cohort_unmarked"]


def _cohort_row(ws: Workspace, cohort_code: str) -> pd.Series:
    found = people.cohorts(ws, enrolled=False, code=cohort_code)
    if found.empty:
        codes = people.cohorts(ws, enrolled=False)["code"].tolist()
        raise MissingEntry(
            f"没有该培训项目 no cohort {cohort_code!r}; the cohorts are {some_of(codes, cohort_code)}"
        )
    return found.set_index("code").loc[cohort_code]


def cohort_requirement(ws: Workspace, cohort_code: str):
    """The `Requirement` of one cohort under the workspace's rules (with the pass mark of the
    assessment they name for it, as declared with its instrument)."""
    row = _cohort_row(ws, cohort_code)
    named = ws.rules.pass_instrument(cohort_code)
    i = TABLES["instrument"]
    with ws.engine.connect() as conn:
        mark = conn.execute(sa.select(i.c.pass_mark).where(i.c.code == named)).scalar() if named else None
    return requirement_from_rules(
        ws.rules, cohort_code, row["kind"], row.get("completion_threshold"), row.get("end_date"), mark
    )


# Whose scores of a named assessment decide a pass: the training office's and the trainers'. A
# self-rating or the peers' mean is another measure, never pooled with a test (EVALUATION.md).
PASS_RATERS = ("training_office", "trainer")


def pass_scores(ws: Workspace, cohort_code: str, instrument: str, as_of: dt.date) -> pd.Series:
    """Per participant (person_id) of a cohort: the mean of their post-phase scores on an
    instrument dated by `as_of`, by its assessors (`PASS_RATERS`), over the dimensions it measures."""
    a, c = TABLES["assessment"], TABLES["cohort"]
    q = (
        sa.select(a.c.person_id, sa.func.avg(a.c.score).label("score"))
        .join(c, c.c.id == a.c.cohort_id)
        .where(
            c.c.code == cohort_code,
            a.c.instrument == instrument,
            a.c.phase == "post",
            a.c.date <= as_of,
            a.c.rater_role.in_(PASS_RATERS),
        )  # fmt: skip
        .group_by(a.c.person_id)
    )
    got = ws.frame(q)
    return got.set_index("person_id")["score"].astype(float)


def cohort_standing(ws: Workspace, cohort_code: str, as_of: dt.date) -> pd.DataFrame:
    """`standings` for one cohort as of a date, with each participant's own yearly figures
    (read for its members only, so a national workspace costs what one cohort costs) and their
    score on the assessment the rules name for it."""
    req = cohort_requirement(ws, cohort_code)
    members = people.cohort_members(ws, cohort_code, as_of=as_of)
    if req.pass_mark is not None:
        scores = pass_scores(ws, cohort_code, ws.rules.pass_instrument(cohort_code), as_of)
        members["pass_score"] = members["person_id"].map(scores)
    yearly = yearly_compliance(ws, as_of, person_ids=members["person_id"].tolist())
    return standings(
        members, cohort_sessions(ws, cohort_code), cohort_attendance(ws, cohort_code), as_of, req, yearly
    )


def cohort_unmarked(ws: Workspace, cohort_code: str, as_of: dt.date) -> pd.DataFrame:
    """`unmarked_sessions` of one cohort as of a date: held sessions with marks missing."""
    _cohort_row(ws, cohort_code)
    return unmarked_sessions(
        people.cohort_members(ws, cohort_code),
        cohort_sessions(ws, cohort_code),
        cohort_attendance(ws, cohort_code),
        as_of,
    )
