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

__all__ = [
    "yearly_compliance",
    "yearly_figures",
    "year_hours",
    "post_days",
    "training_days",
    "YEARLY_COLUMNS",
]

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
    t = tenures[pd.to_datetime(tenures["start_date"]) <= pd.Timestamp(as_of)]
    end = pd.to_datetime(t["end_date"])
    t = pd.DataFrame(
        {
            "person_id": t["person_id"],
            "s": pd.to_datetime(t["start_date"]).clip(lower=jan1),
            "e": end.where(end.notna() & (end <= pd.Timestamp(as_of)), next_jan1).clip(upper=next_jan1),
        }
    )
    t = t[t["e"] > t["s"]].sort_values(["person_id", "s", "e"])
    # Each tenure adds only the days after the latest end of that person's earlier tenures.
    covered = t.groupby("person_id")["e"].cummax().groupby(t["person_id"]).shift()
    new = (t["e"] - t["s"].where(covered.isna() | (covered < t["s"]), covered)).clip(lower=pd.Timedelta(0))
    return new.dt.days.groupby(t["person_id"]).sum().astype(float).rename("post_days")


def training_days(per_date: pd.DataFrame, full_day_hours: float, half_day_hours: float) -> pd.Series:
    """Training days per person from their hours per date (`person_id`, `date`, `credited`, and
    `scheduled`: the class hours of that date's sessions in the cohorts they were enrolled in).

    A date whose scheduled hours reach `full_day_hours` is a full day, one reaching
    `half_day_hours` half a day, else no day. Attended in full it counts in full; partly
    attended it counts by the share credited, rounded down to the half day. The rule is applied
    to the date's hours in all their cohorts together and to each cohort's alone (`cohort`
    column, when given), and the date counts the larger: a 6-hour class day attended in full is a
    day even when another cohort's lecture that date was missed.

    >>> d = pd.DataFrame({"person_id": 1, "date": ["03-02", "03-03", "03-04", "03-05", "03-06", "03-06"],
    ...                   "cohort": ["K", "K", "K", "K", "K", "L"], "credited": [10.0, 3.0, 2.5, 4.5, 6.0, 0.0],
    ...                   "scheduled": [10.0, 3.0, 2.5, 6.0, 6.0, 3.0]})
    >>> float(training_days(d, 6.0, 3.0).loc[1])  # 1 + 1/2 + 0 + 1/2 (4.5 of 6 h) + 1 (the class)
    3.0
    """
    cohort = ["cohort"] if "cohort" in per_date else []
    each = per_date.groupby(["person_id", "date", *cohort])[["credited", "scheduled"]].sum()
    alone = _days(each["credited"], each["scheduled"], full_day_hours, half_day_hours)
    alone = alone.groupby(level=["person_id", "date"]).max()
    h = each.groupby(level=["person_id", "date"]).sum()
    together = _days(h["credited"], h["scheduled"], full_day_hours, half_day_hours)
    return together.where(together >= alone, alone).groupby(level="person_id").sum()


def _days(got: pd.Series, planned: pd.Series, full_day_hours: float, half_day_hours: float) -> pd.Series:
    """A date's days by the rule of `training_days`, from the hours credited and scheduled."""
    value = (planned >= full_day_hours - 1e-9) * 1.0 + (
        (planned < full_day_hours - 1e-9) & (planned >= half_day_hours - 1e-9)
    ) * 0.5
    # value × share credited, rounded down to the half day: value itself in full, else half a
    # day for a full day at least half attended, else nothing.
    return value.where(got >= planned - 1e-9, ((value == 1.0) & (got >= planned / 2 - 1e-9)) * 0.5)


def _day_sql(got, planned, day_hours: tuple[float, float]):
    """`training_days`' rule for one date, in SQL: `got` hours credited (or projected) of the
    `planned` class hours scheduled that date."""
    full, half = day_hours
    whole = got >= planned - 1e-9
    return sa.case(
        (planned >= full - 1e-9, sa.case((whole, 1.0), (got >= planned / 2 - 1e-9, 0.5), else_=0.0)),
        (planned >= half - 1e-9, sa.case((whole, 0.5), else_=0.0)),
        else_=0.0,
    )


def _year_rows(as_of: dt.date, rules: Rules, person_ids: list[int] | None):
    """Hours per (person, date) this year in cohorts that count, one row per mark or expected
    session, tagged: credited by marks up to `as_of` (with the marked session's hours), held but
    not yet marked while enrolled, and scheduled after `as_of` while enrolled."""
    s, a, c, e = (TABLES[n] for n in ("session", "attendance", "cohort", "enrollment"))
    jan1, dec31 = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
    counting = c.c.kind.in_(sorted(rules.counts_toward_yearly))
    credited = (
        sa.select(
            a.c.person_id,
            s.c.date,
            rules.credit_sql(a.c.status, s.c.hours).label("hours"),
            s.c.hours.label("marked"),
            s.c.cohort_id,
            sa.literal("credited").label("part"),
        )
        .join(s, s.c.id == a.c.session_id)
        .join(c, c.c.id == s.c.cohort_id)
        .where(counting, s.c.date >= jan1, s.c.date <= as_of)
    )
    enrolled = (
        sa.select(e.c.person_id, s.c.date, s.c.hours, sa.literal(0.0).label("marked"), s.c.cohort_id)
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
    unmarked = no_mark.add_columns(sa.literal("unmarked").label("part")).where(
        a.c.id.is_(None), s.c.date >= jan1, s.c.date <= as_of
    )
    scheduled = enrolled.add_columns(sa.literal("scheduled").label("part")).where(
        s.c.date > as_of, s.c.date <= dec31
    )
    parts = (credited, unmarked, scheduled)
    if person_ids is not None:
        # Marks are made only on the sheet of a cohort the person is enrolled in (every path that
        # writes one checks it, and enrolments are never deleted): naming those cohorts changes
        # no figure, and spares the planner hashing every session of the year.
        theirs = sa.select(e.c.cohort_id).where(e.c.person_id.in_(person_ids))
        credited = credited.where(a.c.person_id.in_(person_ids), s.c.cohort_id.in_(theirs))
        unmarked, scheduled = (q.where(e.c.person_id.in_(person_ids)) for q in (unmarked, scheduled))
        parts = (credited, unmarked, scheduled)
    return sa.union_all(*parts).subquery("year_rows")


def year_hours(ws: Workspace, as_of: dt.date, person_ids: list[int] | None = None) -> pd.DataFrame:
    """Per person (the index), summed by the database: this year's credited, marked, unmarked
    and scheduled hours in cohorts that count, and credited and projected training days.
    `person_ids`: only these people's (a cohort's members)."""
    rules = ws.rules
    rows = _year_rows(as_of, rules, person_ids)
    part = rows.c.part

    def hours_of(name: str):
        return sa.func.sum(sa.case((part == name, rows.c.hours), else_=0.0))

    per_cohort = (
        sa.select(
            rows.c.person_id,
            rows.c.date,
            hours_of("credited").label("credited_hours"),
            sa.func.sum(rows.c.marked).label("marked_hours"),
            hours_of("unmarked").label("unmarked_hours"),
            hours_of("scheduled").label("scheduled_hours"),
            sa.func.sum(rows.c.hours).label("all_hours"),
        )
        .group_by(rows.c.person_id, rows.c.date, rows.c.cohort_id)
        .subquery("per_cohort")
    )
    c = per_cohort.c
    # that date's class hours in the cohort: sessions marked, and those held or to come
    alone = c.marked_hours + c.unmarked_hours + c.scheduled_hours
    summed = (c.credited_hours, c.marked_hours, c.unmarked_hours, c.scheduled_hours, c.all_hours)
    per_date = (
        sa.select(
            c.person_id,
            *(sa.func.sum(col).label(col.name) for col in summed),
            sa.func.max(_day_sql(c.credited_hours, alone, rules.day_hours)).label("credited_alone"),
            sa.func.max(_day_sql(c.all_hours, alone, rules.day_hours)).label("projected_alone"),
        )
        .group_by(c.person_id, c.date)
        .subquery("per_date")
    )
    d = per_date.c
    planned = d.marked_hours + d.unmarked_hours + d.scheduled_hours  # in all their cohorts
    q = sa.select(
        d.person_id,
        *(sa.func.sum(col).label(col.name) for col in (d.credited_hours, d.marked_hours)),
        *(sa.func.sum(col).label(col.name) for col in (d.unmarked_hours, d.scheduled_hours)),
        sa.func.sum(_larger(_day_sql(d.credited_hours, planned, rules.day_hours), d.credited_alone)).label(
            "credited_days"
        ),
        sa.func.sum(_larger(_day_sql(d.all_hours, planned, rules.day_hours), d.projected_alone)).label(
            "projected_days"
        ),
    ).group_by(d.person_id)
    return ws.frame(q).set_index("person_id").astype(float)


def _larger(a, b):
    """The larger of two SQL expressions (SQLite and PostgreSQL name their function otherwise)."""
    return sa.case((a >= b, a), else_=b)


def yearly_compliance(
    ws: Workspace, as_of: dt.date, county: str | None = None, person_ids: list[int] | None = None
) -> pd.DataFrame:
    """`yearly_figures` in the columns shown (YEARLY_COLUMNS)."""
    return yearly_figures(ws, as_of, county, person_ids)[YEARLY_COLUMNS]


def yearly_figures(
    ws: Workspace, as_of: dt.date, county: str | None = None, person_ids: list[int] | None = None
) -> pd.DataFrame:
    """Every chief who held a township post in the year of `as_of` (by then): their target, what
    they have been credited, and whether they comply now and will by the year's end.

    target_hours / target_days  the yearly requirement × days in post that year ÷ days in the year
    credited_hours / _days      from marks up to `as_of` (days: `training_days`, a date of
                                ≥ full_day_hours scheduled is a day, of ≥ half_day_hours half)
    unmarked_hours              held while enrolled, not yet marked (not counted as missed)
    scheduled_hours             after `as_of` to 31 December, in the cohorts they are enrolled in
    projected_hours / _days     credited + unmarked + scheduled, as if attended in full
    marked_hours                hours of the sessions marked (the rate's denominator)
    complies                    credited hours or days have reached the target
    short                       the projected hours and days both stay below it
    `county` (a code or a name) keeps one county's chiefs; `person_ids` only these chiefs (the
    members of a cohort), read from the database alone.
    """
    rules = ws.rules
    held = people.tenures(ws, begun_by=as_of, running_after=dt.date(as_of.year, 1, 1), person_ids=person_ids)
    place = people.place_on(held, as_of)
    if county:
        place = place[(place["county_code"] == county) | (place["county"] == county)]
    year_days = (dt.date(as_of.year + 1, 1, 1) - dt.date(as_of.year, 1, 1)).days
    out = place.join(post_days(held, as_of)).fillna({"post_days": 0.0})
    share = out["post_days"] / year_days
    out["target_hours"] = (rules.hours_per_year * share).round(1)
    out["target_days"] = (rules.days_per_year * share).round(1)
    got = year_hours(ws, as_of, person_ids)
    for column in (
        "credited_hours",
        "marked_hours",
        "unmarked_hours",
        "scheduled_hours",
        "credited_days",
        "projected_days",
    ):
        out[column] = got[column].reindex(out.index).fillna(0.0).astype(float)
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
    return out.sort_values(["county_code", "township_code", "post"]).reset_index()
