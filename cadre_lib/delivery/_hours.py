"""Hours over a year and a cohort's standings, read from the workspace."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from .. import people
from ..core.errors import MissingEntry
from ..core.schema import TABLES
from ..core.workspace import Workspace
from ._attendance import cohort_attendance
from ._sessions import cohort_sessions
from ._standing import requirement_from_rules, standings

__all__ = ["year_hours", "cohort_standing"]


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
            e.c.start_date <= s.c.date,
            sa.or_(e.c.end_date.is_(None), e.c.end_date >= s.c.date),
        )
        .group_by(e.c.person_id)
    )
    out = credited.merge(planned, on="person_id", how="outer").fillna(0.0)
    out = out.astype({"person_id": int, "credited_ytd": float, "scheduled_rest": float})
    return out.sort_values("person_id", ignore_index=True)


def cohort_standing(ws: Workspace, cohort_code: str, as_of: dt.date) -> pd.DataFrame:
    """`standings` for one cohort, read from the workspace under its rules."""
    cohorts = people.cohorts(ws).set_index("code")
    if cohort_code not in cohorts.index:
        raise MissingEntry(
            f"没有该培训项目 no cohort {cohort_code!r}; the cohorts are {', '.join(cohorts.index)}"
        )
    row = cohorts.loc[cohort_code]
    return standings(
        people.cohort_members(ws, cohort_code),
        cohort_sessions(ws, cohort_code),
        cohort_attendance(ws, cohort_code),
        year_hours(ws, as_of),
        as_of,
        requirement_from_rules(ws.rules, cohort_code, row["kind"], row.get("completion_threshold")),
    )
