"""The national overview: every county and every cohort on one page, computed by the database.

A provincial or national team asks the same few questions of tens of thousands of chiefs: how
many are in post in each county, how many are on track for the yearly requirement, how well do
they attend, and how many participants of each cohort completed it. Each figure is summed by
the database per chief or per enrolment (one query each) and judged by whole columns, with the
rules of the standings (`judge`, `outcomes`) and of the yearly requirement (`yearly_figures`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from ..core.schema import TABLES
from ..core.workspace import Workspace
from ..people import status_on
from ._hours import PASS_RATERS
from ._standing import judge, outcomes
from ._yearly import yearly_figures

__all__ = ["county_overview", "cohort_overview", "COUNTY_OVERVIEW_COLUMNS", "COHORT_OVERVIEW_COLUMNS"]

COUNTY_OVERVIEW_COLUMNS = [
    "county_code",
    "county",
    "chiefs_in_post",
    "on_track",
    "on_track_share",
    "attendance_rate",
    "median_hours",
]
COHORT_OVERVIEW_COLUMNS = [
    "cohort",
    "name",
    "kind",
    "participants",
    "active",
    "promoted",
    "withdrawn",
    "closed",
    "completed",
    "not_completed",
    "pending",
    "completion_rate",
]


def county_overview(ws: Workspace, as_of: dt.date) -> pd.DataFrame:
    """Per county, the chiefs in post on `as_of` (in the county of the post they held that day):

    chiefs_in_post   how many
    on_track         how many are not short of this year's requirement (`yearly_compliance`:
                     credited + unmarked + scheduled reaches the target in hours or days)
    on_track_share   on_track ÷ chiefs_in_post
    attendance_rate  hours credited ÷ hours marked this year up to `as_of`, in cohorts that count
    median_hours     the median of their hours credited this year
    """
    y = yearly_figures(ws, as_of)
    y = y[y["in_post"].astype(bool)]
    by = y.assign(on_track=~y["short"].astype(bool)).groupby(["county_code", "county"], sort=True)
    out = by.agg(
        chiefs_in_post=("person_id", "size"),
        on_track=("on_track", "sum"),
        credited=("credited_hours", "sum"),
        marked=("marked_hours", "sum"),
        median_hours=("credited_hours", "median"),
    ).reset_index()
    out["on_track"] = out["on_track"].astype(int)
    out["on_track_share"] = out["on_track"] / out["chiefs_in_post"]
    out["attendance_rate"] = (out["credited"] / out["marked"]).where(out["marked"] > 0)
    return out[COUNTY_OVERVIEW_COLUMNS]


def _enrolment_hours(ws: Workspace, as_of: dt.date) -> pd.DataFrame:
    """Per enrolment begun by `as_of`, summed by the database over the sessions held by then
    while it ran: hours offered, marked, credited and away (the statuses the leave limit counts)."""
    e, s, a, c = (TABLES[n] for n in ("enrollment", "session", "attendance", "cohort"))
    rules = ws.rules
    marked = sa.case((a.c.id.is_(None), 0.0), else_=s.c.hours)
    away = sa.case((a.c.status.in_(sorted(rules.leave_counts)), s.c.hours), else_=0.0)
    held = (
        (s.c.cohort_id == e.c.cohort_id)
        & (s.c.date <= as_of)
        & (s.c.date >= e.c.start_date)
        & (e.c.end_date.is_(None) | (s.c.date <= e.c.end_date))
    )
    q = (
        sa.select(
            e.c.cohort_id,
            e.c.person_id,
            e.c.status,
            e.c.end_reason,
            e.c.start_date,
            e.c.end_date,
            sa.func.coalesce(sa.func.sum(s.c.hours), 0.0).label("offered"),
            sa.func.coalesce(sa.func.sum(marked), 0.0).label("marked_hours"),
            sa.func.coalesce(sa.func.sum(rules.credit_sql(a.c.status, s.c.hours)), 0.0).label("credited"),
            sa.func.coalesce(sa.func.sum(away), 0.0).label("leave_hours"),
        )
        .select_from(e.join(c, c.c.id == e.c.cohort_id))
        .outerjoin(s, held)
        .outerjoin(a, (a.c.session_id == s.c.id) & (a.c.person_id == e.c.person_id))
        .where(e.c.start_date <= as_of)
        .group_by(
            e.c.id, e.c.cohort_id, e.c.person_id, e.c.status, e.c.end_reason, e.c.start_date, e.c.end_date
        )
    )
    return ws.frame(q)


def _cohort_rules(ws: Workspace) -> pd.DataFrame:
    """Per cohort (by id): code, name, kind, end, whether it ends in completion, its attendance
    threshold (missing where none applies), leave limit in hours (missing unless residential)
    and the pass mark of the assessment the rules name for it (missing where none)."""
    c, s, i = TABLES["cohort"], TABLES["session"], TABLES["instrument"]
    rules = ws.rules
    hours = sa.select(s.c.cohort_id, sa.func.sum(s.c.hours).label("hours")).group_by(s.c.cohort_id).subquery()
    got = ws.frame(
        sa.select(c.c.id, c.c.code, c.c.name, c.c.kind, c.c.end_date, c.c.completion_threshold, hours.c.hours)
        .outerjoin(hours, hours.c.cohort_id == c.c.id)
        .order_by(c.c.start_date, c.c.code)
    )
    got["completes"] = got["kind"].isin(rules.completion_kinds)
    got["threshold"] = [
        rules.threshold(code, stored, kind)
        for code, stored, kind in zip(got["code"], got["completion_threshold"], got["kind"], strict=True)
    ]
    got["threshold"] = got["threshold"].astype(float).where(got["completes"])
    limit = (rules.leave_limit * got["hours"].fillna(0.0)).round(2)
    got["leave_limit_hours"] = limit.where(got["kind"].isin(rules.residential_kinds))
    named = got["code"].map(rules.settings["training"]["completion"]["pass_instruments"])
    marks = ws.frame(sa.select(i.c.code, i.c.pass_mark)).set_index("code")["pass_mark"]
    got["pass_instrument"] = named.where(got["completes"])
    got["pass_mark"] = got["pass_instrument"].map(marks).astype(float)
    return got.set_index("id")


def _pass_scores(ws: Workspace, cohorts: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per enrolment (cohort_id, person_id) of a cohort that names an assessment to pass: the
    mean of its post-phase scores on it by `as_of`, summed by the database."""
    a = TABLES["assessment"]
    named = cohorts["pass_instrument"].dropna()
    if named.empty:
        return pd.DataFrame(columns=["cohort_id", "person_id", "pass_score"])
    which = sa.or_(*((a.c.cohort_id == int(cid)) & (a.c.instrument == code) for cid, code in named.items()))
    q = (
        sa.select(a.c.cohort_id, a.c.person_id, sa.func.avg(a.c.score).label("pass_score"))
        .where(which, a.c.phase == "post", a.c.date <= as_of, a.c.rater_role.in_(PASS_RATERS))
        .group_by(a.c.cohort_id, a.c.person_id)
    )
    return ws.frame(q)


def cohort_overview(ws: Workspace, as_of: dt.date) -> pd.DataFrame:
    """Per cohort, its participants on `as_of` (enrolments begun by then) and how each stands:
    active, promoted (left for a promotion: the programme's success, never counted as withdrawn),
    withdrawn, closed (ended in a kind that does not end in completion, a lecture series), and
    completed, not completed or pending (marks missing) by the rules of the standings.
    completion_rate is completed ÷ (completed + not completed), so neither the promoted nor the
    withdrawn are in its denominator; missing where none is decided."""
    cohorts = _cohort_rules(ws)
    rows = _enrolment_hours(ws, as_of)
    own = cohorts.loc[rows["cohort_id"]]
    for column in ("completes", "threshold", "leave_limit_hours", "pass_mark"):
        rows[column] = own[column].to_numpy()
    scores = _pass_scores(ws, cohorts, as_of)
    rows = rows.merge(scores, on=["cohort_id", "person_id"], how="left")
    rows["pass_score"] = rows["pass_score"].astype(float)
    fig = judge(rows)
    shown, _reason = outcomes(status_on(rows, as_of, own["end_date"]), fig)
    counts = pd.crosstab(rows["cohort_id"], shown).reindex(index=cohorts.index, fill_value=0)
    out = pd.DataFrame({"cohort": cohorts["code"], "name": cohorts["name"], "kind": cohorts["kind"]})
    for column in ("active", "promoted", "withdrawn", "ended", "completed", "not_completed", "pending"):
        out["closed" if column == "ended" else column] = counts[column].astype(int) if column in counts else 0
    out["participants"] = counts.sum(axis=1).astype(int)
    decided = out["completed"] + out["not_completed"]
    out["completion_rate"] = (out["completed"] / decided).where(decided > 0)
    return out[COHORT_OVERVIEW_COLUMNS].reset_index(drop=True)
