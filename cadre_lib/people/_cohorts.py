"""Cohorts and who is in them: enrolling, withdrawing, and the one rule of who is enrolled on a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ..core.errors import InvalidEntry, MissingEntry
from ..core.importing import suggest
from ..core.normalize import clean_header
from ..core.problems import Problem
from ..core.schema import TABLES
from ..core.workspace import Workspace

__all__ = [
    "add_cohort",
    "enroll",
    "withdraw",
    "cohorts",
    "cohort_members",
    "find_cohort",
    "enrolled_on",
]


def add_cohort(ws: Workspace, code: str, name: str, kind: str, start_date: dt.date, **fields: Any) -> int:
    """Add a programme run, training class or lecture series; return its id."""
    return ws.insert(
        "cohort", {"code": code, "name": name, "kind": kind, "start_date": start_date, **fields}
    )[0]


def enroll(
    ws: Workspace,
    cohort_code: str,
    person_id: int,
    start_date: dt.date,
    status: str = "active",
    end_date: dt.date | None = None,
) -> int:
    """Put a person into a cohort from `start_date`; return the enrollment id.

    A withdrawal or a completion is dated: without `end_date` no one could tell which sessions
    the person was still expected at, so it is refused.
    """
    if status != "active" and end_date is None:
        raise InvalidEntry(
            f"“{status}”须填写退出或结业日期 a {status} enrollment needs its end date", field="end_date"
        )
    if end_date is not None and end_date < start_date:
        raise InvalidEntry("结束日期早于开始日期 the end date is before the start date", field="end_date")
    return ws.insert(
        "enrollment",
        {
            "cohort_id": ws.id_of("cohort", "code", cohort_code),
            "person_id": person_id,
            "status": status,
            "start_date": start_date,
            "end_date": end_date,
        },
    )[0]


def withdraw(ws: Workspace, cohort_code: str, person_id: int, on: dt.date) -> None:
    """Record that a person left a cohort on `on` (the last day they were expected).

    Refused before they joined, and before a session of the cohort they are marked at: a
    withdrawal that hid saved marks would make the sign-in sheet contradict them.
    """
    e, a, s = TABLES["enrollment"], TABLES["attendance"], TABLES["session"]
    cohort_id = ws.id_of("cohort", "code", cohort_code)
    with ws.transaction() as tx:
        row = tx.conn.execute(
            sa.select(e.c.id, e.c.start_date)
            .where(e.c.cohort_id == cohort_id, e.c.person_id == person_id, e.c.status == "active")
            .order_by(e.c.start_date.desc())
        ).first()
        if row is None:
            raise MissingEntry(
                f"该学员不在{cohort_code}中参训 person #{person_id} is not in training in {cohort_code}"
            )
        if on < row.start_date:
            raise InvalidEntry(
                "退出日期早于参训日期 the withdrawal is before the person joined", field="end_date"
            )
        last = tx.conn.execute(
            sa.select(sa.func.max(s.c.date))
            .select_from(a.join(s, s.c.id == a.c.session_id))
            .where(a.c.person_id == person_id, s.c.cohort_id == cohort_id)
        ).scalar()
        if last is not None and on < last:
            raise InvalidEntry(
                f"该学员{last}仍有考勤记录，退出日期不能更早 the person is marked at a session on {last}; "
                "the withdrawal cannot be earlier",
                field="end_date",
            )
        tx.update("enrollment", row.id, {"status": "withdrawn", "end_date": on})


def in_enrollment(start, end, day):
    """Whether `day` falls within an enrollment from `start` to `end`: joined by then and not
    yet left (the end date is the last day they were expected; none: still in). Any of the
    three may be a Series. The one rule of who is expected at a cohort's session."""
    start, end, day = pd.to_datetime(start), pd.to_datetime(end), pd.to_datetime(day)
    return (start <= day) & (pd.isna(end) | (end >= day))


def enrolled_on(members: pd.DataFrame, day: dt.date) -> pd.Series:
    """Which enrollment rows cover `day` (`in_enrollment`): who is on a session's sheet."""
    return in_enrollment(members["start_date"], members["end_date"], day)


def cohorts(ws: Workspace) -> pd.DataFrame:
    """Every cohort with its enrollment count, oldest first."""
    c, e = TABLES["cohort"], TABLES["enrollment"]
    q = (
        sa.select(c, sa.func.count(e.c.id).label("enrolled"))
        .outerjoin(e, e.c.cohort_id == c.c.id)
        .group_by(c.c.id)
        .order_by(c.c.start_date, c.c.code)
    )
    return ws.frame(q)


def cohort_members(ws: Workspace, cohort_code: str, reveal_ids: bool = False) -> pd.DataFrame:
    """People enrolled in a cohort with status, dates and the county of their latest post."""
    e, p, pt, tw, co = (TABLES[n] for n in ("enrollment", "person", "post_tenure", "township", "county"))
    cohort_id = ws.id_of("cohort", "code", cohort_code)
    latest = (
        sa.select(pt.c.person_id, sa.func.max(pt.c.id).label("tenure_id")).group_by(pt.c.person_id).subquery()
    )
    q = (
        sa.select(
            p.c.id.label("person_id"),
            p.c.name,
            p.c.national_id,
            e.c.status,
            e.c.start_date,
            e.c.end_date,
            co.c.name.label("county"),
            co.c.name_en.label("county_en"),
            tw.c.name.label("township"),
            pt.c.post,
        )
        .join(e, e.c.person_id == p.c.id)
        .outerjoin(latest, latest.c.person_id == p.c.id)
        .outerjoin(pt, pt.c.id == latest.c.tenure_id)
        .outerjoin(tw, tw.c.id == pt.c.township_id)
        .outerjoin(co, co.c.id == tw.c.county_id)
        .where(e.c.cohort_id == cohort_id)
        .order_by(co.c.code, tw.c.code, p.c.id)
    )
    return ws.frame(q, reveal_ids)


def find_cohort(ws: Workspace, value: str | None) -> tuple[int, dt.date] | None:
    """(id, start date) of the cohort named by code or name, None for no name; refused with the
    closest known name when there is no such cohort."""
    if not value:
        return None
    c = TABLES["cohort"]
    key = clean_header(value)
    rows = ws.frame(sa.select(c.c.id, c.c.code, c.c.name, c.c.start_date), reveal_ids=True)
    for r in rows.itertuples():
        if key in (clean_header(r.code), clean_header(r.name)):
            return int(r.id), r.start_date
    raise InvalidEntry(
        Problem.UNKNOWN_COHORT,
        value=value,
        suggestion=suggest(value, rows["code"].tolist() + rows["name"].tolist()),
    )
