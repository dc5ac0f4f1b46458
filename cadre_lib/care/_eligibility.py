"""Who is eligible for what as of a date, from the ledger, the rank history and the rules.

- Promotion: barred while an impact period runs (the rules file's [impact] section): from the
  decision date through its last day; on the day after, the chief is eligible again and is
  listed among those whose period has just expired, for the special review of renewed
  incentives. A decision of unknown sanction and no end of its own is shown, never guessed.
- Rank promotion: the next rank needs the rules' whole years in the rank held ([ranks]; the
  defaults are to be confirmed by the department) and no impact period running.
Years in post are shown beside (unbroken service as a township chief), not ruled on.

Each public analysis reads the records first and then computes in a pure function of plain
DataFrames (`eligibility_table`, `expired_table`), which an analyst can call on tables of their own.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..core.codes import codes, label
from ..core.periods import add_months, add_months_each
from ..core.rules import Rules
from ..core.workspace import Workspace
from ..people import chiefs, place_on, service_spells, tenures
from ._impact import impact_table
from ._ledger import outcomes, rank_history

__all__ = ["impact_periods", "eligibility", "eligibility_table", "just_expired", "expired_table"]


def impact_periods(ws: Workspace, as_of: dt.date) -> pd.DataFrame:
    """Every discipline and accountability decision made by `as_of`, with impact_until,
    end_source, running and ended (see `impact_table`)."""
    return impact_table(outcomes(ws, as_of), ws.rules, as_of)


def _running_text(rows: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Per person: the impact periods running, in words, and the last day of the latest. An end
    computed from months the department has not confirmed says so."""
    if rows.empty:
        return pd.DataFrame(columns=["impact", "impact_until"])

    def said(s: str, u, source: str) -> str:
        zh, en = rules.unconfirmed(f"impact.months.{s}") if source == "rules" else ("", "")
        return f"{label('sanction', s, 'zh')}（至{u:%Y-%m-%d}）{zh} {label('sanction', s, 'en').lower()} to {u:%Y-%m-%d}{en}"

    words = rows.assign(
        w=[
            said(s, u, e)
            for s, u, e in zip(
                rows["sanction"].fillna("unknown"), rows["impact_until"], rows["end_source"], strict=True
            )
        ]
    )
    return words.groupby("person_id").agg(impact=("w", "；".join), impact_until=("impact_until", "max"))


def _ranks(history: pd.DataFrame, rules: Rules, as_of: dt.date) -> pd.DataFrame:
    """Per person with a rank: rank, rank_since, next_rank (None at the top), years_needed,
    rank_ready_on and years_in_rank (whole columns: a national workspace has 77,000)."""
    held = history.drop_duplicates("person_id", keep="last").set_index("person_id")
    ladder = codes("rank")
    following = dict(zip(ladder, [*ladder[1:], None], strict=True))
    out = pd.DataFrame({"rank": held["rank"], "rank_since": held["start_date"]}, index=held.index)
    out["next_rank"] = held["rank"].map(following).astype(object)
    out["years_needed"] = out["next_rank"].map(dict(rules.rank_min_years)).astype("Int64")
    since = pd.to_datetime(held["start_date"])
    ready = add_months_each(since, 12 * out["years_needed"].astype(float))
    out["rank_ready_on"] = ready.dt.date.astype(object).where(ready.notna(), None)
    years = as_of.year - since.dt.year
    anniversary = add_months_each(since, 12 * years)
    out["years_in_rank"] = (years - (anniversary > pd.Timestamp(as_of)).astype(int)).astype(int)
    out.index.name = "person_id"
    return out


def eligibility(ws: Workspace, as_of: dt.date) -> pd.DataFrame:
    """One row per township chief in post on `as_of`: person_id, name, county, township, post,
    in_post_since (unbroken service), years_in_post, impact (the impact periods running, in
    words), impact_until, promotion_eligible and promotion_reason; rank, rank_since,
    years_in_rank, next_rank, years_needed, rank_ready_on, rank_eligible and rank_reason."""
    return eligibility_table(
        chiefs(ws, as_of),
        tenures(ws, begun_by=as_of),
        outcomes(ws, as_of),
        rank_history(ws, as_of),
        ws.rules,
        as_of,
    )


def eligibility_table(
    chiefs: pd.DataFrame,
    tenures: pd.DataFrame,
    ledger: pd.DataFrame,
    ranks: pd.DataFrame,
    rules: Rules,
    as_of: dt.date,
) -> pd.DataFrame:
    """`eligibility` computed from tables as `people.chiefs`, `people.tenures`, `care.outcomes`
    and `care.rank_history` return them (by `as_of`): no workspace, the same columns."""
    ch = chiefs.drop_duplicates("person_id").set_index("person_id")
    out = ch[["name", "county_code", "county", "township", "post"]].copy()
    spells = service_spells(tenures)
    spells = spells[spells["until"].isna() | (spells["until"] > pd.Timestamp(as_of))]
    out["in_post_since"] = (
        spells.drop_duplicates("person_id", keep="last").set_index("person_id")["first"].dt.date
    )
    out["years_in_post"] = (
        (pd.Timestamp(as_of) - pd.to_datetime(out["in_post_since"])).dt.days / 365.25
    ).round(1)
    imp = impact_table(ledger, rules, as_of)
    out = out.join(_running_text(imp[imp["running"]], rules))
    out["impact"] = out["impact"].fillna("")
    blocked = out["impact"] != ""
    out["promotion_eligible"] = ~blocked
    out["promotion_reason"] = ("影响期内：" + out["impact"]).where(
        blocked, "无影响期 no impact period running"
    )
    out = out.join(_ranks(ranks, rules, as_of))
    ready_on = pd.to_datetime(out["rank_ready_on"])
    ready = ready_on.notna() & (ready_on <= pd.Timestamp(as_of))
    out["rank_eligible"] = out["next_rank"].notna() & ready & ~blocked
    out["rank_reason"] = _rank_reasons(out, ready)
    out = out.reset_index().sort_values(["county_code", "township", "post", "person_id"])
    return out.drop(columns="county_code").reset_index(drop=True)


def _rank_reasons(out: pd.DataFrame, ready: pd.Series) -> pd.Series:
    """Why each chief may or may not rise to the next rank, in words (Chinese, then English)."""
    zh = {c: label("rank", c, "zh") for c in codes("rank")}
    en = {c: label("rank", c, "en").lower() for c in codes("rank")}
    held_zh, held_en = out["rank"].map(zh).fillna(""), out["rank"].map(en).fillna("")
    years = out["years_needed"].astype(str)
    on = pd.to_datetime(out["rank_ready_on"]).dt.strftime("%Y-%m-%d").fillna("")
    short = (
        "任" + held_zh + "不满" + years + "年（" + on + "满） fewer than " + years
        + " years in the rank of " + held_en + " (complete on " + on + ")"
    )  # fmt: skip
    done = (
        "任" + held_zh + "已满" + years + "年，可晋升" + out["next_rank"].map(zh).fillna("") + " " + years
        + " years in the rank of " + held_en + " complete"
    )  # fmt: skip
    reason = done.where(out["impact"].fillna("") == "", "影响期内 impact period running")
    reason = reason.where(ready, short)
    reason = reason.where(
        out["next_rank"].map(lambda v: isinstance(v, str)), "已为最高职级 already at the highest rank"
    )
    return reason.where(out["rank"].map(lambda v: isinstance(v, str)), "未录入职级 no rank recorded")


def just_expired(ws: Workspace, as_of: dt.date, months: int | None = None) -> pd.DataFrame:
    """Impact periods that ended in the `months` before `as_of` (default: the rules'
    just_expired_months), for the special review of renewed incentives: person_id, name, county,
    township, in_post, kind, sanction, date, impact_until, end_source, reviewed_on, reviewed,
    still_barred (another impact period of theirs is running). Latest ended first."""
    return expired_table(outcomes(ws, as_of), tenures(ws, begun_by=as_of), ws.rules, as_of, months)


def expired_table(
    ledger: pd.DataFrame, tenures: pd.DataFrame, rules: Rules, as_of: dt.date, months: int | None = None
) -> pd.DataFrame:
    """`just_expired` computed from tables as `care.outcomes` and `people.tenures` return them
    (by `as_of`): no workspace, the same columns."""
    months = months or rules.just_expired_months
    imp = impact_table(ledger, rules, as_of)
    running = set(imp.loc[imp["running"], "person_id"])
    since = add_months(as_of, -months)
    until = pd.to_datetime(imp["impact_until"])
    done = imp[imp["ended"] & (until >= pd.Timestamp(since))].copy()
    places = place_on(tenures, as_of)
    done["in_post"] = done["person_id"].map(places["in_post"]).fillna(False).astype(bool)
    done["reviewed"] = done["reviewed_on"].notna()
    done["still_barred"] = done["person_id"].isin(running)
    done = done.sort_values(["impact_until", "person_id"], ascending=[False, True])
    cols = [
        "person_id", "name", "county", "township", "in_post", "kind", "sanction", "date", "impact_until",
        "end_source", "reviewed_on", "reviewed", "still_barred",
    ]  # fmt: skip
    return done[cols].reset_index(drop=True)
