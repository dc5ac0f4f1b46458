"""Where each participant stands as of a date: hours, requirement, completion and leave (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .analysis import held_sessions

RESIDENTIAL = ("class", "rotation")  # cohort kinds held as residential classes

__all__ = [
    "RESIDENTIAL",
    "Requirement",
    "requirement_from_rules",
    "standings",
    "warnings_list",
    "threshold_for",
]


@dataclass(frozen=True)
class Requirement:
    """The rules a standing is measured against."""

    hours_per_year: float = 90.0
    completion: float = 0.8
    leave_limit: float = 1 / 7
    residential: bool = False  # a residential class: leave is held against leave_limit


def threshold_for(rules: dict, cohort_code: str, stored: float | None) -> float:
    """Completion threshold of a cohort: the rules file's entry for it, else the one stored
    with the cohort, else the rules' default."""
    completion = rules["training"]["completion"]
    if cohort_code in completion["cohorts"]:
        return float(completion["cohorts"][cohort_code])
    if stored is not None and stored == stored:  # not None, not NaN
        return float(stored)
    return float(completion["default"])


def requirement_from_rules(rules: dict, cohort: pd.Series) -> Requirement:
    """The Requirement for one cohort row (from `Workspace.cohorts()`) under a rules dict."""
    training = rules["training"]
    return Requirement(
        hours_per_year=float(training["required_hours_per_year"]),
        completion=threshold_for(rules, cohort["code"], cohort.get("completion_threshold")),
        leave_limit=float(training["residential_leave_limit"]),
        residential=cohort["kind"] in RESIDENTIAL,
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


def standings(
    members: pd.DataFrame,
    sessions: pd.DataFrame,
    attendance: pd.DataFrame,
    year: pd.DataFrame,
    as_of: dt.date,
    req: Requirement,
) -> pd.DataFrame:
    """One row per participant of a cohort: where they stand on `as_of`.

    members    Workspace.cohort_members(code): person_id, name, status, start_date, end_date
    sessions   Workspace.cohort_sessions(code): id, date, hours
    attendance Workspace.cohort_attendance(code): session_id, person_id, status, hours_credited
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
        end = m.end_date if m.end_date == m.end_date and m.end_date is not None else None
        mine = held[
            (pd.to_datetime(held["date"]) >= pd.Timestamp(start))
            & ((end is None) | (pd.to_datetime(held["date"]) <= pd.Timestamp(end or as_of)))
        ]
        keys = list(zip(mine["id"], [m.person_id] * len(mine), strict=True))
        got = marks.reindex(keys)
        rows = pd.DataFrame(
            {
                "date": mine["date"].to_numpy(),
                "hours": mine["hours"].to_numpy(),
                "credited": got["hours_credited"].fillna(0.0).to_numpy(),
                "status": got["status"].to_numpy(),
            }
        )
        offered, credited = float(rows["hours"].sum()), float(rows["credited"].sum())
        leave = float(rows.loc[rows["status"] == "excused", "hours"].sum())
        total_hours = float(sessions["hours"].sum())
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
                "leave_limit_hours": round(req.leave_limit * total_hours, 1) if req.residential else None,
                "leave_over": bool(req.residential and leave > req.leave_limit * total_hours + 1e-9),
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


def warnings_list(table: pd.DataFrame) -> pd.DataFrame:
    """Who needs attention and why, from `standings`: one row per person and reason, worst first."""
    rows = []
    for r in table.itertuples():
        if r.status == "withdrawn":
            continue
        if r.below:
            rows.append(
                (
                    r.person_id,
                    r.name,
                    "below completion threshold 低于结业要求",
                    f"{r.rate:.0%} of {r.offered:g} h, needs {r.threshold:.0%}; {r.gap_hours:.1f} h short",
                    r.below_since,
                    r.gap_hours,
                )
            )
        if r.projected_shortfall > 0:
            rows.append(
                (
                    r.person_id,
                    r.name,
                    "short of the yearly requirement 年度学时不足",
                    f"{r.year_credited:g} h credited, {r.projected_year_end:g} h by year end if all "
                    f"scheduled sessions are attended; {r.year_required:g} h required",
                    None,
                    r.projected_shortfall,
                )
            )
        if r.leave_over:
            rows.append(
                (
                    r.person_id,
                    r.name,
                    "leave over 1/7 of the class 请假超过1/7",
                    f"{r.leave_hours:g} h of leave; the limit is {r.leave_limit_hours:g} h",
                    None,
                    r.leave_hours - r.leave_limit_hours,
                )
            )
    out = pd.DataFrame(rows, columns=["person_id", "name", "warning", "detail", "since", "hours_short"])
    return out.sort_values(["hours_short", "person_id"], ascending=[False, True], ignore_index=True)
