"""Cohorts and who is in them: enrolling, withdrawing, and the one rule of who is enrolled on a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ..core.codes import codes, label
from ..core.errors import InvalidEntry, MissingEntry
from ..core.importing import suggest
from ..core.normalize import clean_header
from ..core.problems import Problem
from ..core.schema import TABLES
from ..core.workspace import Workspace
from ._directory import place_on, tenures

__all__ = [
    "add_cohort",
    "enroll",
    "withdraw",
    "cohorts",
    "cohort_members",
    "find_cohort",
    "enrolled_on",
    "status_on",
]


def add_cohort(ws: Workspace, code: str, name: str, kind: str, start_date: dt.date, **fields: Any) -> int:
    """Add a programme run, training class or lecture series; return its id. Its first and last
    days lie in the sessions' window of the rules (as of today)."""
    for key, day in (("start_date", start_date), ("end_date", fields.get("end_date"))):
        if day is not None:
            ws.rules.check_date("session", day, ws.clock().date(), field=key, words=_COHORT_DAYS[key])
    return ws.insert(
        "cohort", {"code": code, "name": name, "kind": kind, "start_date": start_date, **fields}
    )[0]


_COHORT_DAYS = {"start_date": ("开始日期", "start date"), "end_date": ("结束日期", "end date")}


def enroll(
    ws: Workspace,
    cohort_code: str,
    person_id: int,
    start_date: dt.date,
    status: str = "active",
    end_date: dt.date | None = None,
    end_reason: str | None = None,
    as_of: dt.date | None = None,
) -> int:
    """Put a person into a cohort from `start_date`; return the enrollment id.

    `status` is what someone records: "active", or "withdrawn" with its date (without `end_date`
    no one could tell which sessions the person was still expected at, so it is refused) and
    why (`end_reason`, one of `codes("end_reason")`; default "withdrawn"). An outcome (completed
    or not) is never recorded: it is decided from the rules once the enrolment has ended
    (`end_date` for a fixed stay, else the cohort's end). Its dates lie in the rules' window of
    what is planned, as of `as_of` (default: today).
    """
    if status not in ("active", "withdrawn"):
        raise InvalidEntry(
            f"参训状态只能记为“在训”或“退出”，结业与否按规则自动判定 "
            f"an enrolment is recorded as active or withdrawn, not {status!r}: whether it was "
            "completed is decided from the rules when it ends",
            field="status",
        )
    if status != "active" and end_date is None:
        raise InvalidEntry("退出须填写退出日期 a withdrawal needs its end date", field="end_date")
    if status == "active" and end_reason is not None:
        raise InvalidEntry(
            "在训学员不填结束原因 an active enrolment has no end reason: record it as withdrawn, with its date",
            field="end_reason",
        )
    if status == "withdrawn":
        end_reason = check_end_reason(end_reason or "withdrawn")
    if end_date is not None and end_date < start_date:
        raise InvalidEntry("结束日期早于开始日期 the end date is before the start date", field="end_date")
    for key, day in (("start_date", start_date), ("end_date", end_date)):
        if day is not None:
            ws.rules.check_date("planned", day, as_of or ws.clock().date(), field=key, words=_ENROL_DAYS[key])
    cohort_id = ws.id_of("cohort", "code", cohort_code)
    _refuse_unknown_or_enrolled(ws, cohort_code, cohort_id, person_id)
    return ws.insert(
        "enrollment",
        {
            "cohort_id": cohort_id,
            "person_id": person_id,
            "status": status,
            "start_date": start_date,
            "end_date": end_date,
            "end_reason": end_reason,
        },
    )[0]


_ENROL_DAYS = {"start_date": ("参训日期", "date joined"), "end_date": ("结束日期", "last day")}


def check_end_reason(reason: object) -> str:
    """The code of why an enrolment ended early, or InvalidEntry naming the known reasons."""
    if isinstance(reason, str) and reason in codes("end_reason"):
        return reason
    known_zh = "、".join(f"{label('end_reason', c, 'zh')}（{c}）" for c in codes("end_reason"))
    raise InvalidEntry(
        f"结束原因应为{known_zh}之一 the reason an enrolment ended must be one of "
        f"{', '.join(codes('end_reason'))}, not {reason!r}",
        field="end_reason",
    )


def _refuse_unknown_or_enrolled(ws: Workspace, cohort_code: str, cohort_id: int, person_id: int) -> None:
    """Say what to do instead of letting the store refuse in its own words."""
    p, e = TABLES["person"], TABLES["enrollment"]
    with ws.engine.connect() as conn:
        if conn.execute(sa.select(p.c.id).where(p.c.id == person_id)).first() is None:
            raise MissingEntry(
                f"工作区中没有编号为{person_id}的人员，请先录入或导入花名册 "
                f"no person #{person_id} in the workspace; add them or import a roster first"
            )
        if conn.execute(
            sa.select(e.c.id).where(e.c.cohort_id == cohort_id, e.c.person_id == person_id)
        ).first():
            raise InvalidEntry(
                f"该人员已在{cohort_code}中，不能重复编入 person #{person_id} is already enrolled in "
                f"{cohort_code}; change that enrolment instead (withdraw them, with its date)",
                field="person_id",
            )


def withdraw(
    ws: Workspace,
    cohort_code: str,
    person_id: int,
    on: dt.date,
    reason: str = "withdrawn",
    as_of: dt.date | None = None,
) -> None:
    """Record that a person left a cohort on `on` (the last day they were expected), and why
    (`reason`: withdrawn 退出, transferred 调离, promoted 提拔 or other 其他; a promotion entered
    in the ledger records its own).

    Refused for an unknown reason, before they joined, and before a session of the cohort they
    are marked at: a withdrawal that hid saved marks would make the sign-in sheet contradict them.
    The date lies in the rules' window of what is planned, as of `as_of` (default: today).
    """
    reason = check_end_reason(reason)
    ws.rules.check_date(
        "planned", on, as_of or ws.clock().date(), field="end_date", words=_ENROL_DAYS["end_date"]
    )
    e, a, s = TABLES["enrollment"], TABLES["attendance"], TABLES["session"]
    cohort_id = ws.id_of("cohort", "code", cohort_code)
    with ws.transaction() as tx:
        row = tx.conn.execute(  # locked before the marks are read: a mark saved meanwhile waits
            sa.select(e.c.id, e.c.start_date)
            .where(e.c.cohort_id == cohort_id, e.c.person_id == person_id, e.c.status == "active")
            .order_by(e.c.start_date.desc())
            .with_for_update()
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
        tx.update("enrollment", row.id, {"status": "withdrawn", "end_date": on, "end_reason": reason})


def in_enrollment(start, end, day):
    """Whether `day` falls within an enrollment from `start` to `end`: joined by then and not
    yet left (the end date is the last day they were expected; none: still in). Any of the
    three may be a Series. The one rule of who is expected at a cohort's session."""
    start, end, day = pd.to_datetime(start), pd.to_datetime(end), pd.to_datetime(day)
    return (start <= day) & (pd.isna(end) | (end >= day))


def enrolled_on(members: pd.DataFrame, day: dt.date) -> pd.Series:
    """Which enrollment rows cover `day` (`in_enrollment`): who is on a session's sheet."""
    return in_enrollment(members["start_date"], members["end_date"], day)


def status_on(
    members: pd.DataFrame, day: dt.date, cohort_end: dt.date | pd.Series | None = None
) -> pd.Series:
    """Each enrollment's status in force on `day`: "active" while it runs, "withdrawn" after the
    recorded withdrawal date ("promoted" when its `end_reason` says a promotion ended it: the
    programme's success, never counted as a dropout), "ended" after its end (its own end date,
    else `cohort_end`), and "not_yet" before it starts. Stored withdrawals dated later are still
    "active" that day, so a figure for a past date is what was in force then. ("ended" becomes
    completed or not in delivery, from the rules.) `cohort_end` may be a Series, one per row."""
    day_ts = pd.Timestamp(day)
    start = pd.to_datetime(members["start_date"])
    end = pd.to_datetime(members["end_date"])
    if isinstance(cohort_end, pd.Series):  # each enrolment's own cohort's end
        end = end.fillna(pd.to_datetime(cohort_end.set_axis(members.index)))
    elif cohort_end is not None:
        end = end.fillna(pd.Timestamp(cohort_end))
    out = pd.Series("active", index=members.index, dtype=object)
    ended = end.notna() & (end < day_ts)
    out[ended] = "ended"
    left = ended & (members["status"] == "withdrawn")
    out[left] = "withdrawn"
    if "end_reason" in members:
        out[left & (members["end_reason"] == "promoted")] = "promoted"
    out[start > day_ts] = "not_yet"
    return out


def cohorts(ws: Workspace, enrolled: bool = True, code: str | None = None) -> pd.DataFrame:
    """Every cohort (or the one with `code`), oldest first, with its enrollment count unless
    `enrolled` is False (counting reads every enrolment: a picker that needs only the names of
    thousands of cohorts does without)."""
    c, e = TABLES["cohort"], TABLES["enrollment"]
    if enrolled:
        q = sa.select(c, sa.func.count(e.c.id).label("enrolled")).outerjoin(e, e.c.cohort_id == c.c.id)
        q = q.group_by(c.c.id)
    else:
        q = sa.select(c)
    if code is not None:
        q = q.where(c.c.code == code)
    return ws.frame(q.order_by(c.c.start_date, c.c.code))


def cohort_members(
    ws: Workspace,
    cohort_code: str,
    reveal_ids: bool = False,
    as_of: dt.date | None = None,
    places: bool = True,
) -> pd.DataFrame:
    """People enrolled in a cohort with their recorded status and dates, and where they serve.

    Without `as_of`: every enrollment, with the county, township and post of the person's latest
    tenure. With `as_of`: only enrollments begun by then, with the tenure in force that day (or
    the last one begun by then), and `in_post` saying whether they held a township post that day.
    `places=False` leaves out where they serve (one query fewer: a sign-in sheet needs names).
    """
    e, p = TABLES["enrollment"], TABLES["person"]
    cohort_id = ws.id_of("cohort", "code", cohort_code)
    q = (
        sa.select(
            p.c.id.label("person_id"),
            p.c.name,
            p.c.national_id,
            e.c.status,
            e.c.start_date,
            e.c.end_date,
            e.c.end_reason,
        )
        .join(e, e.c.person_id == p.c.id)
        .where(e.c.cohort_id == cohort_id)
    )
    if as_of is not None:
        q = q.where(e.c.start_date <= as_of)
    members = ws.frame(q, reveal_ids)
    if not places:
        return members.sort_values("person_id", ignore_index=True)
    held = tenures(ws, begun_by=as_of, person_ids=members["person_id"].tolist())
    places = place_on(held, as_of)[
        ["county_code", "county", "county_en", "township_code", "township", "post", "in_post"]
    ]
    out = members.merge(places, left_on="person_id", right_index=True, how="left")
    out = out.sort_values(["county_code", "township_code", "person_id"], na_position="last")
    return out.drop(columns=["county_code", "township_code"]).reset_index(drop=True)


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
