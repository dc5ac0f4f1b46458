"""Where each participant of a cohort stands as of a date: hours, completion and leave (pure).

Every figure is the one in force on the as-of date: who had joined by then, whether they had
left, which sessions had been held, and whether each was marked. An unmarked session is missing
paperwork, not an absence: its hours are shown apart and no rate, warning or outcome counts them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.problems import Problem
from ..core.rules import Rules
from ..people import status_on
from ._analysis import expected_marks, held_sessions, unmarked_counts

__all__ = [
    "Requirement",
    "judge",
    "outcomes",
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

    completion: float | None  # share of marked hours to complete; None: no attendance threshold
    leave_limit: float
    residential: bool  # a residential class: time away is held against leave_limit
    leave_counts: frozenset[str]  # attendance statuses counted as time away
    cohort_end: dt.date | None = None  # an open-ended enrolment ends with the cohort
    completes: bool = True  # the kind ends in completion (结业) or not (an open lecture series)
    pass_mark: float | None = None  # the named assessment's pass mark; None: no test to pass
    threshold_confirmed: bool = True  # the department has confirmed its attendance threshold
    pass_confirmed: bool = True  # ... and the assessment it named


def requirement_from_rules(
    rules: Rules,
    cohort_code: str,
    kind: str,
    stored: float | None = None,
    cohort_end: dt.date | None = None,
    pass_mark: float | None = None,
) -> Requirement:
    """The Requirement of one cohort (its code, kind, stored threshold, end, and the pass mark of
    the assessment the rules name for it) under the rules."""
    completes = kind in rules.completion_kinds
    named = completes and rules.pass_instrument(cohort_code) is not None
    return Requirement(
        completion=rules.threshold(cohort_code, stored, kind) if completes else None,
        leave_limit=rules.leave_limit,
        residential=kind in rules.residential_kinds,
        leave_counts=rules.leave_counts,
        cohort_end=cohort_end,
        completes=completes,
        pass_mark=float(pass_mark) if named and pass_mark is not None and pass_mark == pass_mark else None,
        threshold_confirmed=rules.confirmed(rules.threshold_setting(cohort_code, stored)),
        pass_confirmed=rules.confirmed(f"training.completion.pass_instruments.{cohort_code}"),
    )


def _marks_of(members: pd.DataFrame, held: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """One row per participant and session held while they were in the cohort, in date order,
    with its mark: hours, credited (nothing while unmarked) and status (None while unmarked)."""
    sessions = held[["id", "date", "hours"]].rename(columns={"id": "session_id"})
    pairs = expected_marks(members, held).merge(sessions, on="session_id")
    marks = attendance[["session_id", "person_id", "status", "hours_credited"]]
    rows = pairs.merge(marks, on=["session_id", "person_id"], how="left", sort=False)
    rows["credited"] = rows["hours_credited"].astype(float).fillna(0.0)
    rows["status"] = rows["status"].astype(object).where(rows["status"].notna(), None)
    return rows.sort_values(["person_id", "date", "session_id"], kind="stable", ignore_index=True)


def _below_since(rows: pd.DataFrame, threshold: float) -> pd.Series:
    """Per person: the date from which the running rate over marked sessions has stayed below
    the threshold (missing when the last running rate is not below it)."""
    marked = rows[rows["status"].notna()]
    by = marked.groupby("person_id", sort=False)
    below = by["credited"].cumsum() / by["hours"].cumsum() < threshold - 1e-9
    # The run of "below" that reaches the last marked session starts after the last "not below".
    position = by.cumcount()
    last_ok = position.where(~below).groupby(marked["person_id"]).max().fillna(-1)
    start = position == marked["person_id"].map(last_ok) + 1
    last_below = below.groupby(marked["person_id"]).last()
    since = marked.loc[start.to_numpy(), ["person_id", "date"]].set_index("person_id")["date"]
    return since[since.index.map(last_below).to_numpy(dtype=bool)]


def _figures(
    members: pd.DataFrame, rows: pd.DataFrame, req: Requirement, limit: float | None
) -> pd.DataFrame:
    """Each participant's figures (by person_id, in the order of `members`) from `_marks_of`,
    and from `members`' `pass_score` (their score on the assessment to pass, when one is named)."""
    marked = rows["status"].notna()
    sums = (
        pd.DataFrame(
            {
                "offered": rows["hours"],
                "marked_hours": rows["hours"].where(marked, 0.0),
                "credited": rows["credited"],
                "leave_hours": rows["hours"].where(rows["status"].isin(req.leave_counts), 0.0),
            }
        )
        .groupby(rows["person_id"])
        .sum()
    )
    out = sums.reindex(members["person_id"].to_numpy(), fill_value=0.0).astype(float)
    out["threshold"], out["leave_limit_hours"] = req.completion, limit
    out["completes"], out["pass_mark"] = req.completes, req.pass_mark
    score = members["pass_score"] if "pass_score" in members else pd.Series(np.nan, index=members.index)
    out["pass_score"] = score.astype(float).to_numpy()
    out = judge(out)
    if req.completion is None:
        out["below_since"] = None
    else:
        since = _below_since(rows, req.completion)
        out["below_since"] = since.reindex(out.index).where(out["below"], None).astype(object)
    return out


def judge(fig: pd.DataFrame) -> pd.DataFrame:
    """The verdicts of figures per enrolment (offered, marked_hours, credited, leave_hours and
    each one's threshold and leave_limit_hours, missing where none applies; pass_mark and
    pass_score, missing where no assessment is to be passed or no score is in): unmarked_hours,
    rate on marked hours, below the threshold, hours short of it (gap_hours), leave over the
    limit, assessment failed. The one rule, for a cohort's standings and the overview alike."""
    out = fig.copy()
    counted, credited, threshold = out["marked_hours"], out["credited"], out["threshold"].astype(float)
    out["unmarked_hours"] = out["offered"] - counted
    out["rate"] = (credited / counted).where(counted != 0)
    out["below"] = ((counted > 0) & (credited < threshold * counted - 1e-9)).to_numpy(dtype=bool)
    out["gap_hours"] = (threshold * counted - credited).clip(lower=0.0).fillna(0.0)
    limit = out["leave_limit_hours"].astype(float)
    out["leave_over"] = (limit.notna() & (out["leave_hours"] > limit + 1e-9)).to_numpy(dtype=bool)
    mark, score = out["pass_mark"].astype(float), out["pass_score"].astype(float)
    out["pass_failed"] = (score < mark - 1e-9).to_numpy(dtype=bool)  # False where either is missing
    return out


_WHY_CODES = ("below_completion", "leave_over", "assessment_failed")


def outcomes(status: pd.Series, fig: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The status shown on the as-of date, and why an ended enrolment was not completed, from
    each enrolment's status that day (`status_on`) and its `judge`d figures (with `completes`:
    whether its kind ends in completion).

    With marks missing, an enrolment is still not completed when no missing mark could save it:
    time away already over the limit, or a rate below the threshold even if every unmarked
    session were attended in full. A failed assessment fails it; a score not entered yet is
    missing paperwork, like a mark: the enrolment is pending until the marks and the score are
    in. An enrolment whose kind does not end in completion stays "ended".
    """
    status = status.astype(object).copy()
    threshold = fig["threshold"].astype(float).to_numpy()
    ended = (status == "ended").to_numpy() & fig["completes"].to_numpy(dtype=bool)
    missing = fig["unmarked_hours"].to_numpy() > 0
    best = ((fig["credited"] + fig["unmarked_hours"]) / fig["offered"].where(fig["offered"] != 0)).to_numpy()
    with np.errstate(invalid="ignore"):
        below = np.where(missing, best < threshold - 1e-9, fig["below"].to_numpy(dtype=bool))
    no_score = fig["pass_mark"].notna().to_numpy() & fig["pass_score"].isna().to_numpy()
    flags = (below, fig["leave_over"].to_numpy(dtype=bool), fig["pass_failed"].to_numpy(dtype=bool))
    failed = ended & np.logical_or.reduce(flags)
    words = np.full(len(status), "", dtype=object)
    for code, flag in zip(_WHY_CODES, flags, strict=True):  # three reasons, each a whole column
        words = words + np.where(flag, f"{code},", "").astype(object)
    words = pd.Series(words, index=status.index).str.rstrip(",").to_numpy(dtype=object)
    reason = pd.Series(np.where(failed, words, None), index=status.index, dtype=object)
    status[failed] = "not_completed"
    waiting = missing | no_score
    status[ended & ~failed] = np.where(waiting[ended & ~failed], "pending", "completed")
    return status, reason


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
    "below since" and the outcome. `status` is the one in force that day: active, promoted (left
    for a promotion: never warned, never a dropout), withdrawn, or
    for an enrolment that has ended, completed / not_completed (with `reason`) when the cohort's
    kind ends in completion (pending while marks are missing), else ended. Computed over whole
    columns: a cohort of any size costs a few table operations, not one per participant.
    """
    held = held_sessions(sessions, as_of)
    # The limit in class hours to the hundredth, as shown and as decided: the rules file's
    # 0.142857 is 1/7 to six places, and exactly 1/7 of a class is allowed.
    limit = round(req.leave_limit * float(sessions["hours"].sum()), 2) if req.residential else None
    members = members[pd.to_datetime(members["start_date"]) <= pd.Timestamp(as_of)]
    members = members.sort_values("person_id", kind="stable")
    fig = _figures(members, _marks_of(members, held, attendance), req, limit)
    status, reason = outcomes(status_on(members, as_of, req.cohort_end).set_axis(fig.index), fig)
    table = pd.DataFrame({"person_id": members["person_id"].to_numpy()})
    for column in _PLACE:
        table[column] = members[column].to_numpy() if column in members else None
    table["status"], table["reason"] = status.to_numpy(), reason.to_numpy()
    for column in STANDING_COLUMNS[STANDING_COLUMNS.index("offered") : STANDING_COLUMNS.index("year_target")]:
        table[column] = fig[column].to_numpy()
    table = _with_yearly(table, yearly)
    table["threshold_confirmed"], table["pass_confirmed"] = req.threshold_confirmed, req.pass_confirmed
    return table


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
    "pass_mark",
    "pass_score",
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
    "pass_mark",
    "pass_score",
    "threshold_confirmed",
    "pass_confirmed",
]


def _flagged(value: pd.Series) -> pd.Series:
    """A yes/no that may be missing (NaN for someone who held no township post that year)."""
    return (
        value.map(lambda v: v is not None and v == v and bool(v), na_action="ignore")
        .fillna(False)
        .astype(bool)
    )


def warnings_list(table: pd.DataFrame) -> pd.DataFrame:
    """Who needs attention and why, from `standings`: one row per person and reason, worst first.

    Participants in training: below the completion threshold (on marked hours), short of their
    yearly requirement even if every scheduled session is attended, or over the leave limit.
    Participants whose enrolment ended: not completed, and why. `warning` is a code (a
    `Problem`); its figures stay numbers in their columns, and `for_display` words them.
    """
    active = table["status"] == "active"
    year_short = _flagged(table["year_short"]) if "year_short" in table else False
    kinds = (  # (which rows, the warning, since, hours short), in the order one person's are listed
        (table["status"] == "not_completed", Problem.NOT_COMPLETED, None, table["gap_hours"]),
        (
            active & table["below"].astype(bool),
            Problem.BELOW_COMPLETION,
            table["below_since"],
            table["gap_hours"],
        ),
        (active & year_short, Problem.YEARLY_SHORTFALL, None, "year"),
        (active & table["leave_over"].astype(bool), Problem.LEAVE_OVER, None, "leave"),
    )
    parts = []
    for order, (rows, problem, since, short) in enumerate(kinds):
        part = table[rows.to_numpy(dtype=bool)].copy()
        if isinstance(short, str) and short == "year":
            short = (part["year_target"] - part["year_projected"]).clip(lower=0.0)
        elif isinstance(short, str):
            short = part["leave_hours"] - part["leave_limit_hours"]
        part["warning"], part["order"] = problem.value, order
        part["since"] = since[part.index] if since is not None else None
        part["hours_short"] = (short[part.index] if isinstance(short, pd.Series) else short).astype(float)
        parts.append(part)
    out = (
        pd.concat(parts) if any(len(p) for p in parts) else pd.DataFrame(columns=[*WARNING_COLUMNS, "order"])
    )
    out = out.sort_values(["hours_short", "person_id", "order"], ascending=[False, True, True], kind="stable")
    return out.reindex(columns=WARNING_COLUMNS).reset_index(drop=True)


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
