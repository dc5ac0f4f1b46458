"""Whether supervisory talks happen on their cadence, as of a date.

The rule (rules file, [talks]): a talker role with `every_months` owes each township chief of
its county one talk in every calendar period of that many months (12: the year, 6: each half).
A chief owes a talk for a period when in a township post on at least `owed_from_share` of its
days (0.5 by default, the department's choice): days count however they fall, so a chief
appointed mid-period owes it once in post for the share (one in post on the as-of date counted
as staying to the period's end), as does one who leaves after serving it; tenures that meet (a
move between townships) are one service. A talk by that role in the period covers it, whichever
county's holder held it; the chief is listed under the holder of the county they are in on their
last day in post in the period (on the as-of date for the period still running). A period without a talk is overdue from the day after it ends: on the
as-of date it is `as_of - last day` days overdue. The period holding the as-of date is due (not
overdue) until its last day has passed.

One talk meets one obligation, its own period first: a talk counts for the period it is held in
when that period is owed and has no earlier talk; only a talk left over (a second talk in its
period, or one in a period not owed) makes up the earliest period of the same role and chief
missed before it, which is then late rather than overdue. Own period first, so that one missed
talk shows as one miss: were every talk to make up the oldest miss first, a single miss would
push every later period of the chief late in turn.

`cadence` is pure (DataFrames in, DataFrame out); `talk_compliance` reads the workspace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import sqlalchemy as sa

from ..core.codes import codes, label
from ..core.periods import period_label, period_starts, periods_between
from ..core.rules import load_rules
from ..core.schema import TABLES
from ..core.workspace import Workspace
from ..people import service_spells, tenures

__all__ = [
    "cadence",
    "talk_compliance",
    "overdue_talks",
    "talk_coverage",
    "talk_counts",
    "default_since",
    "talker_titles",
    "newly_appointed",
]

_COLUMNS = [
    "person_id", "name", "county_code", "county", "county_en", "township", "post", "talker_role", "talker", "period",
    "period_start", "period_end", "talks", "first_talk", "status", "days_overdue", "made_up", "days_late",
    "days_left", "in_post", "days_in_post", "new_in_post",
]  # fmt: skip


def default_since(as_of: dt.date) -> dt.date:
    """The first day looked at by default: one year before the as-of date, so the periods shown
    are those that ended in the last twelve months and the one running."""
    try:
        return as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - 1, day=28)


def _owed(spells: pd.DataFrame, periods: pd.DataFrame, as_of: pd.Timestamp, share: float) -> pd.DataFrame:
    """Person × period pairs owed: in a township post on at least `share` of the period's days
    (a chief in post on the as-of date is counted as staying to the period's end). Columns:
    person_id, period_start, period_end, days_in_post, checked (the last day in post in the
    period, at most the as-of date) and new_in_post (not in post on the period's first day)."""
    pairs = spells.merge(periods, how="cross")
    after = pairs["period_end"] + pd.Timedelta(days=1)
    stays = pairs["until"].isna() | (pairs["until"] > as_of)
    start = pairs[["first", "period_start"]].max(axis=1)
    end = pairs["until"].where(~stays, after).clip(upper=after)
    pairs = pairs.assign(
        days=(end - start).dt.days, start=start, checked=(end - pd.Timedelta(days=1)).clip(upper=as_of)
    )
    pairs = pairs[pairs["days"] > 0]
    out = (
        pairs.groupby(["person_id", "period_start", "period_end"])
        .agg(days_in_post=("days", "sum"), checked=("checked", "max"), start=("start", "min"))
        .reset_index()
    )
    length = (out["period_end"] - out["period_start"]).dt.days + 1
    out = out[out["days_in_post"] >= share * length - 1e-9]
    out = out.assign(new_in_post=out["start"] > out["period_start"])
    return out[["person_id", "period_start", "period_end", "days_in_post", "checked", "new_in_post"]]


def _place_on_day(owed: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Each owed pair with the tenure in force on its checked day (county, township, post)."""
    columns = [
        "person_id",
        "name",
        "county_code",
        "county",
        "county_en",
        "township",
        "post",
        "start_date",
        "end_date",
    ]
    place = rows[[c for c in columns if c in rows.columns]]
    both = owed.merge(place, on="person_id")
    start, end = pd.to_datetime(both["start_date"]), pd.to_datetime(both["end_date"])
    both = both[(start <= both["checked"]) & (end.isna() | (end > both["checked"]))]
    return both.drop_duplicates(["person_id", "period_start"], keep="last").drop(
        columns=["start_date", "end_date"]
    )


def cadence(
    rows: pd.DataFrame,
    talks: pd.DataFrame,
    every_months: Mapping[str, int],
    as_of: dt.date,
    since: dt.date | None = None,
    owed_from_share: float | None = None,
) -> pd.DataFrame:
    """One row per chief, talker role with a cadence, and period from the one holding `since`
    (default: a year before `as_of`) to the one holding `as_of`.

    `rows`: township tenures (person_id, name, county_code, county, township, post, start_date,
    end_date: the first day out of post). `talks`: person_id, date, talker_role. Columns: those
    of `_COLUMNS`; status is held, due (the running period, none yet) or overdue, with
    days_overdue (from the period's end) or days_left (to its end); in_post: whether the chief
    still holds a township post on `as_of`; talks: how many of the role the period holds;
    days_in_post: the days served in the period; new_in_post: not in post on its first day. A
    period missed and then made up by a talk of the same role that its own period did not need
    (see the module) is `late` (made_up: that talk's date; days_late: from the period's end), no
    longer overdue, and not counted as held. `owed_from_share`: the share of a period's days in
    post from which it is owed (default: the packaged rules')."""
    day = pd.Timestamp(as_of)
    since = since or default_since(as_of)
    share = load_rules().talk_owed_from_share if owed_from_share is None else owed_from_share
    spells = service_spells(rows)
    dated = talks.assign(date=pd.to_datetime(talks["date"]))
    dated = dated[(dated["date"] <= day)]
    parts = []
    for role in [r for r in codes("talker_role") if r in every_months]:
        months = every_months[role]
        bounds = periods_between(since, as_of, months)
        periods = pd.DataFrame(
            [(pd.Timestamp(a), pd.Timestamp(b), period_label(a, months)) for a, b in bounds],
            columns=["period_start", "period_end", "period"],
        )
        owed = _place_on_day(_owed(spells, periods[["period_start", "period_end"]], day, share), rows)
        own = dated[dated["talker_role"] == role]
        own = own.assign(period_start=period_starts(own["date"], months))
        held = (
            own.groupby(["person_id", "period_start"])["date"]
            .agg(talks="size", first_talk="min")
            .reset_index()
        )
        part = owed.merge(periods, on=["period_start", "period_end"]).merge(
            held, on=["person_id", "period_start"], how="left"
        )
        part["talker_role"] = role
        parts.append(_made_up(part, own, day))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*_COLUMNS, "checked"])
    if "county_en" not in out.columns:  # tenures given without English names
        out["county_en"] = out["county"]
    now = spells[spells["first"] <= day]
    now = now[now["until"].isna() | (now["until"] > day)]
    out["in_post"] = out["person_id"].isin(now["person_id"])
    return _status(out, day)


def spare_talks(part: pd.DataFrame, own: pd.DataFrame) -> pd.DataFrame:
    """The talks (person_id, date) not spent on their own period: every talk after the first in
    a period owed, and every talk in a period not owed (`own` carries each talk's period_start)."""
    owed = part[["person_id", "period_start"]].assign(_owed=True)
    talks = own[["person_id", "date", "period_start"]].merge(
        owed, on=["person_id", "period_start"], how="left"
    )
    first = talks.groupby(["person_id", "period_start"])["date"].transform("min")
    spare = talks["_owed"].isna() | (talks["date"] > first)
    return talks.loc[spare, ["person_id", "date"]]


def _made_up(part: pd.DataFrame, own: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """`made_up`: the talk that made up each period missed (ended without a talk of its own).

    One talk meets one obligation. A talk counts for the period it is held in when that period is
    owed; a talk left over (a second one in its period, or one in a period not owed) makes up the
    earliest period of the same role and chief that was missed before it and is not made up yet.
    Spare talks are taken in date order."""
    part = part.assign(made_up=pd.NaT)
    missed = part[part["talks"].isna() & (part["period_end"] < day)]
    if missed.empty or own.empty:
        return part
    waiting: dict[int, list] = {}
    for end, index, pid in sorted(zip(missed["period_end"], missed.index, missed["person_id"], strict=True)):
        waiting.setdefault(pid, []).append((end, index))
    made: dict = {}
    spare = spare_talks(part, own).sort_values(["person_id", "date"])
    for pid, date in zip(spare["person_id"], spare["date"], strict=True):
        queue = waiting.get(pid)
        if queue and queue[0][0] < date:  # the earliest missed period still open ended before it
            made[queue.pop(0)[1]] = date
    if made:
        part.loc[list(made), "made_up"] = pd.to_datetime(list(made.values()))
    return part


def _status(out: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    out["talks"] = out["talks"].fillna(0).astype(int)
    ended = out["period_end"] < day
    late = pd.to_datetime(out["made_up"])
    out["status"] = "held"
    out.loc[(out["talks"] == 0) & ended & late.notna(), "status"] = "late"
    out.loc[(out["talks"] == 0) & ended & late.isna(), "status"] = "overdue"
    out.loc[(out["talks"] == 0) & ~ended, "status"] = "due"
    out["days_late"] = (late - out["period_end"]).dt.days.where(out["status"] == "late").astype("Int64")
    out["made_up"] = late.dt.date.where(out["status"] == "late", None)
    out["days_overdue"] = (day - out["period_end"]).dt.days.where(out["status"] == "overdue").astype("Int64")
    out["days_left"] = (out["period_end"] - day).dt.days.where(out["status"] == "due").astype("Int64")
    out["talker"] = talker_titles(out["county"], out["talker_role"])
    for column in ("period_start", "period_end", "first_talk"):
        out[column] = pd.to_datetime(out[column]).dt.date
    order = {r: k for k, r in enumerate(codes("talker_role"))}
    out = out.assign(_role=out["talker_role"].map(order)).sort_values(
        ["county_code", "_role", "period_start", "township", "post", "person_id"]
    )
    out = out[_COLUMNS].reset_index(drop=True)
    out.attrs["as_of"] = day.date()
    return out


_TITLE = {"county_secretary": "委书记", "county_org_chief": "委组织部部长"}


def talker_titles(county: pd.Series, role: pd.Series) -> pd.Series:
    """Who holds a role for a county, as a department writes it: 西岭县委书记, 东川区委组织部部长."""
    return county + role.map(lambda r: _TITLE.get(r) or label("talker_role", r, "zh"))


def _cadence_talks(ws: Workspace, as_of: dt.date) -> pd.DataFrame:
    t = TABLES["talk"]
    return ws.frame(sa.select(t.c.person_id, t.c.date, t.c.talker_role).where(t.c.date <= as_of))


def talk_compliance(ws: Workspace, as_of: dt.date, since: dt.date | None = None) -> pd.DataFrame:
    """`cadence` over the workspace, with its rules: every chief, talker role and period owed from
    the one holding `since` (default: a year before `as_of`) through the one running on `as_of`."""
    rows = tenures(ws, begun_by=as_of)
    rules = ws.rules
    return cadence(
        rows, _cadence_talks(ws, as_of), rules.talk_every_months, as_of, since, rules.talk_owed_from_share
    )


def newly_appointed(compliance: pd.DataFrame) -> pd.DataFrame:
    """The periods owed by chiefs new in post (not in post on the period's first day, owed by the
    rules' share of days) and still waiting for their talk (due or overdue), of chiefs in post on
    the as-of date: listed apart, so a talker sees whom they owe a first talk. By talker, then
    overdue before due."""
    order = {r: k for k, r in enumerate(codes("talker_role"))}
    new = compliance[
        compliance["new_in_post"] & compliance["in_post"] & compliance["status"].isin(["due", "overdue"])
    ]
    new = new.assign(_role=new["talker_role"].map(order), _due=new["status"] == "due")
    new = new.sort_values(["county_code", "_role", "_due", "period_start", "township", "person_id"])
    return new.drop(columns=["_role", "_due"]).reset_index(drop=True)


def overdue_talks(compliance: pd.DataFrame, in_post_only: bool = True) -> pd.DataFrame:
    """The overdue rows of a compliance table, by talker (county, then role), longest overdue
    first within each. `in_post_only`: only chiefs still in a township post on the as-of date
    (those the talker can still talk with; a chief since promoted away stays in the compliance
    table and its coverage, as the period was missed all the same)."""
    order = {r: k for k, r in enumerate(codes("talker_role"))}
    late = compliance[(compliance["status"] == "overdue") & (compliance["in_post"] | (not in_post_only))]
    late = late.assign(_role=late["talker_role"].map(order)).sort_values(
        ["county_code", "_role", "days_overdue", "township", "person_id"],
        ascending=[True, True, False, True, True],
    )
    return late.drop(columns="_role").reset_index(drop=True)


def talk_coverage(compliance: pd.DataFrame) -> pd.DataFrame:
    """Per county, talker role (and `talker`, its holder's title) and period: owed (chiefs owed
    a talk), held (in the period),
    late (made up after it), due, overdue, rate (held / owed; for a period still running, the
    share held so far) and running (the period holds the compliance table's as-of date)."""
    counts = pd.crosstab(
        [compliance["county_code"], compliance["county"], compliance["talker_role"], compliance["period"]],
        compliance["status"],
    )
    for status in ("held", "late", "due", "overdue"):
        if status not in counts:
            counts[status] = 0
    out = counts[["held", "late", "due", "overdue"]].reset_index()
    out.columns.name = None
    out["owed"] = out[["held", "late", "due", "overdue"]].sum(axis=1)
    out["rate"] = out["held"] / out["owed"]
    out["talker"] = talker_titles(out["county"], out["talker_role"])
    ends = compliance.groupby("period")["period_end"].max()
    as_of = compliance.attrs.get("as_of")
    out["running"] = (out["period"].map(ends) >= as_of) if as_of is not None else False
    order = {r: k for k, r in enumerate(codes("talker_role"))}
    out = out.assign(_role=out["talker_role"].map(order)).sort_values(["_role", "period", "county_code"])
    cols = [
        "county_code",
        "county",
        "talker_role",
        "talker",
        "period",
        "owed",
        "held",
        "late",
        "due",
        "overdue",
        "rate",
        "running",
    ]
    return out[cols].reset_index(drop=True)


def talk_counts(ws: Workspace, as_of: dt.date, year: int | None = None) -> pd.DataFrame:
    """Talks held in a calendar year up to `as_of` (default: the as-of date's year), per county
    and talker role, every role counted (the city leaders' unannounced visits too): county_code,
    county, talker_role, talks, chiefs_talked (how many chiefs), unannounced."""
    year = year or as_of.year
    t = TABLES["talk"]
    q = sa.select(t.c.person_id, t.c.date, t.c.talker_role, t.c.unannounced).where(
        t.c.date >= dt.date(year, 1, 1), t.c.date <= min(as_of, dt.date(year, 12, 31))
    )
    held = ws.frame(q)
    rows = tenures(ws, begun_by=as_of)
    held = held.assign(date=pd.to_datetime(held["date"])).merge(
        rows[["person_id", "county_code", "county", "start_date", "end_date"]], on="person_id"
    )
    start, end = pd.to_datetime(held["start_date"]), pd.to_datetime(held["end_date"])
    held = held[(start <= held["date"]) & (end.isna() | (end > held["date"]))]
    out = (
        held.groupby(["county_code", "county", "talker_role"])
        .agg(
            talks=("date", "size"), chiefs_talked=("person_id", "nunique"), unannounced=("unannounced", "sum")
        )
        .reset_index()
    )
    out["unannounced"] = out["unannounced"].astype(int)
    order = {r: k for k, r in enumerate(codes("talker_role"))}
    return out.sort_values(
        ["county_code", "talker_role"], key=lambda s: s.map(order) if s.name == "talker_role" else s
    ).reset_index(drop=True)
