"""A cohort's standings read from the workspace, under its rules, as of a date."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import people
from ..core.errors import MissingEntry, some_of
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
    """The `Requirement` of one cohort under the workspace's rules."""
    row = _cohort_row(ws, cohort_code)
    return requirement_from_rules(
        ws.rules, cohort_code, row["kind"], row.get("completion_threshold"), row.get("end_date")
    )


def cohort_standing(ws: Workspace, cohort_code: str, as_of: dt.date) -> pd.DataFrame:
    """`standings` for one cohort as of a date, with each participant's own yearly figures
    (read for its members only, so a national workspace costs what one cohort costs)."""
    req = cohort_requirement(ws, cohort_code)
    members = people.cohort_members(ws, cohort_code, as_of=as_of)
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
