"""Where each participant of a cohort stands as of a date: hours, completion and leave (pure).

Every figure is the one in force on the as-of date: who had joined by then, whether they had
left, which sessions had been held, and whether each was marked. An unmarked session is missing
paperwork, not an absence: its hours are shown apart and no rate, warning or outcome counts them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..core.problems import Problem
from ..core.rules import Rules
from ..people import in_enrollment, status_on
from ._analysis import held_sessions, unmarked_counts

__all__ = [
    "Requirement",
    "requirement_from_rules",
    "standings",
    "warnings_list",
    "unmarked_sessions",
    "STANDING_COLUMNS",
]


@dataclass(frozen=True)
class Requirement:
    """The rules a cohort's standings are measured against (from the workspace's rules: see
    `requirement_from_rules`; no number here has a default of its own)."""

    completion: float | None  # share of marked hours to complete; None: the kind has no completion
    leave_limit: float
    residential: bool  # a residential class: time away is held against leave_limit
    leave_counts: frozenset[str]  # attendance statuses counted as time away
    cohort_end: dt.date | None = None  # an open-ended enrolment ends with the cohort


def requirement_from_rules(
    rules: Rules, cohort_code: str, kind: str, stored: float | None = None, cohort_end: dt.date | None = None
) -> Requirement:
    """The Requirement of one cohort (its code, kind, stored threshold and end) under the rules."""
    return Requirement(
        completion=rules.threshold(cohort_code, stored) if kind in rules.completion_kinds else None,
        leave_limit=rules.leave_limit,
        residential=kind in rules.residential_kinds,
        leave_counts=rules.leave_counts,
        cohort_end=cohort_end,
    )


def _below_since(rows: pd.DataFrame, threshold: float) -> dt.date | None:
    """The date from which the running rate over marked sessions has stayed below the threshold."""
    rows = rows[rows["status"].notna()]
    if rows.empty:
        return None
    rate = rows["credited"].cumsum() / rows["hours"].cumsum()
    below = (rate < threshold - 1e-9).tolist()
    if not below[-1]:
        return None
    k = len(below) - 1
    while k > 0 and below[k - 1]:
        k -= 1
    return rows["date"].iloc[k]


def _own_sessions(member, held: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """The sessions held while `member` was in the cohort, with their marks (date, hours,
    credited, status; an unmarked session has status None and is credited nothing)."""
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


def _member_row(member, rows: pd.DataFrame, req: Requirement, limit: float | None) -> dict:
    """One participant's figures from their own sessions (`_own_sessions`)."""
    marked = rows["status"].notna()
    offered = float(rows["hours"].sum())
    counted = float(rows.loc[marked, "hours"].sum())  # hours that have a mark
    credited = float(rows["credited"].sum())
    threshold = req.completion
    below = threshold is not None and counted > 0 and credited < threshold * counted - 1e-9
    leave = float(rows.loc[rows["status"].isin(req.leave_counts), "hours"].sum())
    return {
        "person_id": member.person_id,
        "offered": offered,
        "unmarked_hours": offered - counted,
        "marked_hours": counted,
        "credited": credited,
        "rate": credited / counted if counted else None,
        "threshold": threshold,
        "below": bool(below),
        "gap_hours": max(0.0, threshold * counted - credited) if threshold is not None else 0.0,
        "below_since": _below_since(rows, threshold) if below else None,
        "leave_hours": leave,
        "leave_limit_hours": limit,
        "leave_over": limit is not None and leave > limit + 1e-9,
    }


def _outcome(status: str, row: dict, req: Requirement) -> tuple[str, str | None]:
    """The status shown on the as-of date, and why an ended enrolment was not completed.

    With marks missing, an enrolment is still not completed when no missing mark could save it:
    time away already over the limit, or a rate below the threshold even if every unmarked
    session were attended in full. Otherwise it is pending until the marks are in.
    """
    if status != "ended" or req.completion is None:
        return status, None
    below = row["below"]
    if row["unmarked_hours"] > 0:
        best = (row["credited"] + row["unmarked_hours"]) / row["offered"]
        below = best < req.completion - 1e-9
    reasons = [
        code for code, failed in (("below_completion", below), ("leave_over", row["leave_over"])) if failed
    ]
    if reasons:
        return "not_completed", ",".join(reasons)
    return ("pending", None) if row["unmarked_hours"] > 0 else ("completed", None)


def standings(
    members: pd.DataFrame,
    sessions: pd.DataFrame,
    attendance: pd.DataFrame,
    as_of: dt.date,
    req: Requirement,
    yearly: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per participant of a cohort who had joined by `as_of`: where they stood that day.

    members    people.cohort_members(ws, code, as_of=…): person_id, name, status, start_date,
               end_date (and county, township, post, in_post when known)
    sessions   delivery.cohort_sessions(ws, code): id, date, hours
    attendance delivery.cohort_attendance(ws, code): session_id, person_id, status, hours_credited
    yearly     delivery.yearly_compliance(ws, as_of): each chief's yearly figures, joined by person

    Offered hours are those of sessions held between joining and leaving (or `as_of`); hours not
    yet marked are shown apart (`unmarked_hours`) and left out of the rate, the completion gap,
    "below since" and the outcome. `status` is the one in force that day: active, withdrawn, or
    for an enrolment that has ended, completed / not_completed (with `reason`) when the cohort's
    kind ends in completion (pending while marks are missing), else ended.
    """
    held = held_sessions(sessions, as_of).sort_values(["date", "id"])
    marks = attendance.set_index(["session_id", "person_id"])
    # The limit in class hours to the hundredth, as shown and as decided: the rules file's
    # 0.142857 is 1/7 to six places, and exactly 1/7 of a class is allowed.
    limit = round(req.leave_limit * float(sessions["hours"].sum()), 2) if req.residential else None
    members = members[pd.to_datetime(members["start_date"]) <= pd.Timestamp(as_of)]
    status = status_on(members, as_of, req.cohort_end)
    out = []
    for m in members.sort_values("person_id").itertuples():
        row = _member_row(m, _own_sessions(m, held, marks), req, limit)
        row["status"], row["reason"] = _outcome(status[m.Index], row, req)
        out.append({**{c: getattr(m, c, None) for c in _PLACE}, **row})
    table = pd.DataFrame(out, columns=[c for c in STANDING_COLUMNS if not c.startswith("year_")])
    return _with_yearly(table, yearly)


_PLACE = ("name", "county", "township", "post")
_YEARLY = {
    "target_hours": "year_target",
    "credited_hours": "year_credited",
    "projected_hours": "year_projected",
    "short": "year_short",
}


def _with_yearly(table: pd.DataFrame, yearly: pd.DataFrame | None) -> pd.DataFrame:
    """The participants' own yearly figures (they belong to the chief, not to this cohort)."""
    if yearly is None or yearly.empty:
        for column in _YEARLY.values():
            table[column] = None
        return table
    got = yearly.set_index("person_id")[list(_YEARLY)].rename(columns=_YEARLY)
    return table.join(got, on="person_id")


STANDING_COLUMNS = [
    "person_id",
    "name",
    "county",
    "township",
    "post",
    "status",
    "reason",
    "offered",
    "unmarked_hours",
    "marked_hours",
    "credited",
    "rate",
    "threshold",
    "below",
    "gap_hours",
    "below_since",
    "leave_hours",
    "leave_limit_hours",
    "leave_over",
    "year_target",
    "year_credited",
    "year_projected",
    "year_short",
]


WARNING_COLUMNS = [
    "person_id",
    "name",
    "county",
    "township",
    "post",
    "warning",
    "since",
    "hours_short",
    "rate",
    "marked_hours",
    "threshold",
    "gap_hours",
    "reason",
    "year_credited",
    "year_projected",
    "year_target",
    "leave_hours",
    "leave_limit_hours",
]


def _warnings_of(r: dict) -> list[dict]:
    """The warnings one standing row raises: (code, since, hours short) with its figures."""
    if r["status"] == "not_completed":
        return [{**r, "warning": Problem.NOT_COMPLETED.value, "since": None, "hours_short": r["gap_hours"]}]
    if r["status"] != "active":
        return []
    rows = []
    if r["below"]:
        rows.append(
            {
                **r,
                "warning": Problem.BELOW_COMPLETION.value,
                "since": r["below_since"],
                "hours_short": r["gap_hours"],
            }
        )
    if _true(r.get("year_short")):
        short = max(0.0, r["year_target"] - r["year_projected"])
        rows.append({**r, "warning": Problem.YEARLY_SHORTFALL.value, "since": None, "hours_short": short})
    if r["leave_over"]:
        over = r["leave_hours"] - r["leave_limit_hours"]
        rows.append({**r, "warning": Problem.LEAVE_OVER.value, "since": None, "hours_short": over})
    return rows


def _true(value: object) -> bool:
    """A yes/no that may be missing (NaN for someone who held no township post that year)."""
    return value is not None and value == value and bool(value)


def warnings_list(table: pd.DataFrame) -> pd.DataFrame:
    """Who needs attention and why, from `standings`: one row per person and reason, worst first.

    Participants in training: below the completion threshold (on marked hours), short of their
    yearly requirement even if every scheduled session is attended, or over the leave limit.
    Participants whose enrolment ended: not completed, and why. `warning` is a code (a
    `Problem`); its figures stay numbers in their columns, and `for_display` words them.
    """
    rows = [w for r in table.to_dict("records") for w in _warnings_of(r)]
    out = pd.DataFrame(rows, columns=WARNING_COLUMNS)
    return out.sort_values(["hours_short", "person_id"], ascending=[False, True], ignore_index=True)


def unmarked_sessions(
    members: pd.DataFrame, sessions: pd.DataFrame, attendance: pd.DataFrame, as_of: dt.date
) -> pd.DataFrame:
    """Held sessions with marks missing: per session, how many participants on its sheet have
    no mark (the first thing to put right, before reading any warning)."""
    held = held_sessions(sessions, as_of).sort_values(["date", "id"])
    missing = unmarked_counts(members, held, attendance)
    out = held.assign(missing=held["id"].map(missing).fillna(0).astype(int))
    out = out[out["missing"] > 0].rename(columns={"id": "session_id"})
    return out[["session_id", "date", "topic", "hours", "missing"]].reset_index(drop=True)
