"""Where each participant stands as of a date: hours, requirement, completion and leave (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..core.problems import Problem
from ..core.rules import Rules
from ..people import in_enrollment
from ._analysis import held_sessions

__all__ = ["Requirement", "requirement_from_rules", "standings", "warnings_list", "STANDING_COLUMNS"]


@dataclass(frozen=True)
class Requirement:
    """The rules a standing is measured against (from the workspace's rules: see
    `requirement_from_rules`; no number here has a default of its own)."""

    hours_per_year: float
    completion: float
    leave_limit: float
    residential: bool  # a residential class: leave is held against leave_limit


def requirement_from_rules(
    rules: Rules, cohort_code: str, kind: str, stored: float | None = None
) -> Requirement:
    """The Requirement of one cohort (its code, kind and stored threshold) under the rules."""
    return Requirement(
        hours_per_year=rules.hours_per_year,
        completion=rules.threshold(cohort_code, stored),
        leave_limit=rules.leave_limit,
        residential=kind in rules.residential_kinds,
    )


def _share_of_year(start: dt.date, end: dt.date) -> float:
    """Share of the calendar year of `end` covered from `start` to `end`, both days included."""
    jan1 = dt.date(end.year, 1, 1)
    days = (dt.date(end.year, 12, 31) - jan1).days + 1
    return max(0, (end - max(start, jan1)).days + 1) / days


def _below_since(rows: pd.DataFrame, threshold: float) -> dt.date | None:
    """The session date from which the running completion rate has stayed below the threshold."""
    rate = rows["credited"].cumsum() / rows["hours"].cumsum()
    below = (rate < threshold - 1e-9).tolist()
    if not below or not below[-1]:
        return None
    k = len(below) - 1
    while k > 0 and below[k - 1]:
        k -= 1
    return rows["date"].iloc[k]


def _own_sessions(member, held: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """The sessions held while `member` was in the cohort, with their marks (date, hours,
    credited, status; an unmarked session is credited nothing)."""
    mine = held[in_enrollment(member.start_date, member.end_date, held["date"]).to_numpy(dtype=bool)]
    got = marks.reindex(list(zip(mine["id"], [member.person_id] * len(mine), strict=True)))
    return pd.DataFrame(
        {
            "date": mine["date"].to_numpy(),
            "hours": mine["hours"].to_numpy(),
            "credited": got["hours_credited"].fillna(0.0).to_numpy(),
            "status": got["status"].to_numpy(),
        }
    )


def standings(
    members: pd.DataFrame,
    sessions: pd.DataFrame,
    attendance: pd.DataFrame,
    year: pd.DataFrame,
    as_of: dt.date,
    req: Requirement,
) -> pd.DataFrame:
    """One row per participant of a cohort: where they stand on `as_of`.

    members    people.cohort_members(ws, code): person_id, name, status, start_date, end_date
    sessions   delivery.cohort_sessions(ws, code): id, date, hours
    attendance delivery.cohort_attendance(ws, code): session_id, person_id, status, hours_credited
    year       delivery.year_hours(ws, as_of): person_id, credited_ytd, scheduled_rest

    Offered hours count only sessions held between joining and leaving (a participant who
    joins mid-year is not held to sessions before); an unmarked session counts as offered and
    not credited. The yearly requirement is pro-rated from the later of 1 January and joining.
    """
    held = held_sessions(sessions, as_of).sort_values(["date", "id"])
    marks = attendance.set_index(["session_id", "person_id"])
    year = year.set_index("person_id")
    out = []
    for m in members.sort_values("person_id").itertuples():
        start = m.start_date
        rows = _own_sessions(m, held, marks)
        offered, credited = float(rows["hours"].sum()), float(rows["credited"].sum())
        leave = float(rows.loc[rows["status"] == "excused", "hours"].sum())
        # The limit in class hours to the hundredth, as shown and as decided: the rules file's
        # 0.142857 is 1/7 to six places, and exactly 1/7 of a class is allowed.
        limit = round(req.leave_limit * float(sessions["hours"].sum()), 2) if req.residential else None
        ytd = float(year["credited_ytd"].get(m.person_id, 0.0))
        rest = float(year["scheduled_rest"].get(m.person_id, 0.0))
        needed_now = req.hours_per_year * _share_of_year(start, as_of)
        needed_year = req.hours_per_year * _share_of_year(start, dt.date(as_of.year, 12, 31))
        out.append(
            {
                "person_id": m.person_id,
                "name": m.name,
                "status": m.status,
                "offered": offered,
                "credited": credited,
                "rate": credited / offered if offered else None,
                "threshold": req.completion,
                "below": bool(offered) and credited < req.completion * offered - 1e-9,
                "gap_hours": max(0.0, req.completion * offered - credited),
                "below_since": _below_since(rows, req.completion) if offered else None,
                "year_credited": ytd,
                "year_required_to_date": round(needed_now, 1),
                "year_shortfall": round(max(0.0, needed_now - ytd), 1),
                "projected_year_end": ytd + rest,
                "year_required": round(needed_year, 1),
                "projected_shortfall": round(max(0.0, needed_year - ytd - rest), 1),
                "leave_hours": leave,
                "leave_limit_hours": limit,
                "leave_over": limit is not None and leave > limit + 1e-9,
            }
        )
    return pd.DataFrame(out, columns=STANDING_COLUMNS)


STANDING_COLUMNS = [
    "person_id",
    "name",
    "status",
    "offered",
    "credited",
    "rate",
    "threshold",
    "below",
    "gap_hours",
    "below_since",
    "year_credited",
    "year_required_to_date",
    "year_shortfall",
    "projected_year_end",
    "year_required",
    "projected_shortfall",
    "leave_hours",
    "leave_limit_hours",
    "leave_over",
]


WARNING_COLUMNS = [
    "person_id",
    "name",
    "warning",
    "since",
    "hours_short",
    "rate",
    "offered",
    "threshold",
    "gap_hours",
    "year_credited",
    "projected_year_end",
    "year_required",
    "leave_hours",
    "leave_limit_hours",
]


def warnings_list(table: pd.DataFrame) -> pd.DataFrame:
    """Who needs attention and why, from `standings`: one row per person and reason, worst first.

    `warning` is a code (a `Problem`: below_completion, yearly_shortfall, leave_over); the
    figures behind it stay as numbers in their columns, and `for_display` words them.
    """
    rows = []
    for r in table[table["status"] != "withdrawn"].to_dict("records"):
        if r["below"]:
            rows.append(
                {
                    **r,
                    "warning": Problem.BELOW_COMPLETION.value,
                    "since": r["below_since"],
                    "hours_short": r["gap_hours"],
                }
            )
        if r["projected_shortfall"] > 0:
            rows.append(
                {
                    **r,
                    "warning": Problem.YEARLY_SHORTFALL.value,
                    "since": None,
                    "hours_short": r["projected_shortfall"],
                }
            )
        if r["leave_over"]:
            over = r["leave_hours"] - r["leave_limit_hours"]
            rows.append({**r, "warning": Problem.LEAVE_OVER.value, "since": None, "hours_short": over})
    out = pd.DataFrame(rows, columns=WARNING_COLUMNS)
    return out.sort_values(["hours_short", "person_id"], ascending=[False, True], ignore_index=True)
