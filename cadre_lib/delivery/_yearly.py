"""The yearly training requirement of every township chief, enrolled in anything or not.

The requirement belongs to the chief (干部教育培训工作条例, 2023): at least `required_hours_per_year`
class hours OR `required_days_per_year` days of centralized training a year, counted across every
cohort whose kind counts toward it, and owed in proportion to the days the chief held a township
post that year. Figures are those in force on the as-of date.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from .. import people
from ..core.rules import Rules
from ..core.schema import TABLES
from ..core.workspace import Workspace

__all__ = ["yearly_compliance", "post_days", "training_days", "YEARLY_COLUMNS"]

YEARLY_COLUMNS = [
    "person_id",
    "county",
    "township",
    "post",
    "name",
    "in_post",
    "post_days",
    "target_hours",
    "target_days",
    "credited_hours",
    "credited_days",
    "unmarked_hours",
    "scheduled_hours",
    "projected_hours",
    "projected_days",
    "complies",
    "short",
    "hours_short",
]


def post_days(tenures: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Days each person held a township post in the calendar year of `as_of`, by person_id.

    A tenure runs from its start date up to (not including) its end date. A tenure that had not
    ended by `as_of` is assumed to run to the year's end (a chief in post stays); overlapping
    tenures (two posts at once) count each day once.
    """
    jan1, next_jan1 = pd.Timestamp(as_of.year, 1, 1), pd.Timestamp(as_of.year + 1, 1, 1)
    t = tenures[pd.to_datetime(tenures["start_date"]) <= pd.Timestamp(as_of)].copy()
    end = pd.to_datetime(t["end_date"])
    t["s"] = pd.to_datetime(t["start_date"]).clip(lower=jan1)
    t["e"] = end.where(end.notna() & (end <= pd.Timestamp(as_of)), next_jan1).clip(upper=next_jan1)
    t = t[t["e"] > t["s"]]
    single = ~t["person_id"].duplicated(keep=False)
    days = ((t.loc[single, "e"] - t.loc[single, "s"]).dt.days).groupby(t.loc[single, "person_id"]).sum()
    several = {}
    for pid, rows in t[~single].groupby("person_id"):  # rare: count each day once
        covered: set[pd.Timestamp] = set()
        for r in rows.itertuples():
            covered.update(pd.date_range(r.s, r.e - pd.Timedelta(days=1)))
        several[pid] = len(covered)
    return pd.concat([days.astype(float), pd.Series(several, dtype=float)]).rename("post_days")


def training_days(per_date: pd.DataFrame, hours_per_day: float) -> pd.Series:
    """Training days per person from hours per (person_id, date): a date is a whole day when at
    least `hours_per_day` hours, half a day when at least half of that, else nothing."""
    h = per_date.groupby(["person_id", "date"])["hours"].sum()
    day = (h >= hours_per_day - 1e-9) * 1.0 + (
        (h < hours_per_day - 1e-9) & (h >= hours_per_day / 2 - 1e-9)
    ) * 0.5
    return day.groupby(level="person_id").sum()


def _hours_by_date(ws: Workspace, as_of: dt.date, rules: Rules) -> dict[str, pd.DataFrame]:
    """Hours per (person, date) this year in cohorts that count: credited by marks up to `as_of`,
    held but not yet marked while enrolled, and scheduled after `as_of` while enrolled."""
    s, a, c, e = (TABLES[n] for n in ("session", "attendance", "cohort", "enrollment"))
    jan1, dec31 = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
    counting = c.c.kind.in_(sorted(rules.counts_toward_yearly))
    credited = ws.frame(
        sa.select(a.c.person_id, s.c.date, rules.credit_sql(a.c.status, s.c.hours).label("hours"))
        .join(s, s.c.id == a.c.session_id)
        .join(c, c.c.id == s.c.cohort_id)
        .where(counting, s.c.date >= jan1, s.c.date <= as_of)
    )
    enrolled = (
        sa.select(e.c.person_id, s.c.date, s.c.hours)
        .join(s, s.c.cohort_id == e.c.cohort_id)
        .join(c, c.c.id == s.c.cohort_id)
        .where(
            counting,
            e.c.start_date <= s.c.date,
            sa.or_(
                e.c.end_date.is_(None),
                e.c.end_date >= s.c.date,
                # a withdrawal dated after `as_of` was not known that day
                (e.c.status == "withdrawn") & (e.c.end_date > as_of),
            ),
        )
    )
    # Held by `as_of` with no mark yet; after it, every session is still to come (a mark saved
    # since does not take it out of what was scheduled that day).
    no_mark = enrolled.outerjoin(a, (a.c.session_id == s.c.id) & (a.c.person_id == e.c.person_id))
    unmarked = ws.frame(no_mark.where(a.c.id.is_(None), s.c.date >= jan1, s.c.date <= as_of))
    scheduled = ws.frame(enrolled.where(s.c.date > as_of, s.c.date <= dec31))
    return {"credited": credited, "unmarked": unmarked, "scheduled": scheduled}


def yearly_compliance(ws: Workspace, as_of: dt.date, county: str | None = None) -> pd.DataFrame:
    """Every chief who held a township post in the year of `as_of` (by then): their target, what
    they have been credited, and whether they comply now and will by the year's end.

    target_hours / target_days  the yearly requirement × days in post that year ÷ days in the year
    credited_hours / _days      from marks up to `as_of` (a day: ≥ hours_per_day credited that
                                date; half a day: ≥ half of it)
    unmarked_hours              held while enrolled, not yet marked (not counted as missed)
    scheduled_hours             after `as_of` to 31 December, in the cohorts they are enrolled in
    projected_hours / _days     credited + unmarked + scheduled, as if attended in full
    complies                    credited hours or days have reached the target
    short                       the projected hours and days both stay below it
    `county` (a code or a name) keeps one county's chiefs.
    """
    rules = ws.rules
    held = people.tenures(ws, begun_by=as_of, running_after=dt.date(as_of.year, 1, 1))
    place = people.place_on(held, as_of)
    if county:
        place = place[(place["county_code"] == county) | (place["county"] == county)]
    year_days = (dt.date(as_of.year + 1, 1, 1) - dt.date(as_of.year, 1, 1)).days
    out = place.join(post_days(held, as_of)).fillna({"post_days": 0.0})
    share = out["post_days"] / year_days
    out["target_hours"] = (rules.hours_per_year * share).round(1)
    out["target_days"] = (rules.days_per_year * share).round(1)
    h = _hours_by_date(ws, as_of, rules)
    projected = pd.concat([h["credited"], h["unmarked"], h["scheduled"]])
    for column, frame, fn in (
        ("credited_hours", h["credited"], lambda f: f.groupby("person_id")["hours"].sum()),
        ("unmarked_hours", h["unmarked"], lambda f: f.groupby("person_id")["hours"].sum()),
        ("scheduled_hours", h["scheduled"], lambda f: f.groupby("person_id")["hours"].sum()),
        ("credited_days", h["credited"], lambda f: training_days(f, rules.hours_per_day)),
        ("projected_days", projected, lambda f: training_days(f, rules.hours_per_day)),
    ):
        out[column] = fn(frame).reindex(out.index).fillna(0.0).astype(float)
    out["projected_hours"] = out["credited_hours"] + out["unmarked_hours"] + out["scheduled_hours"]
    tol = 1e-9
    out["complies"] = (out["credited_hours"] >= out["target_hours"] - tol) | (
        out["credited_days"] >= out["target_days"] - tol
    )
    out["short"] = (out["projected_hours"] < out["target_hours"] - tol) & (
        out["projected_days"] < out["target_days"] - tol
    )
    out["hours_short"] = (
        (out["target_hours"] - out["projected_hours"]).clip(lower=0.0).where(out["short"], 0.0)
    )
    out = out.sort_values(["county_code", "township_code", "post"]).reset_index()
    return out[YEARLY_COLUMNS]
