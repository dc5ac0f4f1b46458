"""Impact periods and years in rank, as the rules count them (the rules file's [impact] and
[ranks] sections). Pure, except `running_impacts`, which reads one chief's decisions."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from ..core.codes import codes, label
from ..core.periods import add_months
from ..core.rules import Rules
from ..core.schema import TABLES

__all__ = [
    "IMPACT_KINDS", "impact_end", "impact_table", "running_impacts", "years_needed", "rank_ready_on", "care_rules_text",
]  # fmt: skip

IMPACT_KINDS = ("discipline", "accountability")  # the decisions that may carry an impact period


def impact_end(decided: dt.date, sanction: str | None, own_end: dt.date | None, rules: Rules) -> tuple:
    """(last day of the impact period, where it comes from): the decision's own end when it set
    one ("decision"), else the decision date plus the rules' months for its sanction ("rules");
    (None, "none") for a sanction of 0 months, (None, "unknown") when the sanction is unknown."""
    if own_end is not None:
        return own_end, "decision"
    months = rules.impact_months.get(sanction) if sanction else None
    if months is None:
        return None, "unknown"
    if months == 0:
        return None, "none"
    return add_months(decided, months), "rules"


def impact_table(ledger: pd.DataFrame, rules: Rules, as_of: dt.date) -> pd.DataFrame:
    """The ledger's decisions that may carry an impact period, with impact_until (its last day),
    end_source (decision, rules, none or unknown), running (on `as_of`: from the decision
    through its last day) and ended (its last day before `as_of`)."""
    rows = ledger[ledger["kind"].isin(IMPACT_KINDS)].copy()
    ends = [
        impact_end(d, s if isinstance(s, str) else None, e if isinstance(e, dt.date) else None, rules)
        for d, s, e in zip(rows["date"], rows["sanction"], rows["impact_end"], strict=True)
    ]
    rows["impact_until"] = [e for e, _ in ends]
    rows["end_source"] = [s for _, s in ends]
    until = pd.to_datetime(rows["impact_until"])
    day = pd.Timestamp(as_of)
    rows["running"] = (pd.to_datetime(rows["date"]) <= day) & until.notna() & (until >= day)
    rows["ended"] = until.notna() & (until < day)
    return rows.reset_index(drop=True)


def running_impacts(conn, rules: Rules, person_id: int, day: dt.date) -> list[tuple[str, dt.date, str]]:
    """(sanction in Chinese, last day, in English) of every impact period of the person running on
    `day`."""
    o = TABLES["outcome"]
    rows = conn.execute(
        sa.select(o.c.date, o.c.sanction, o.c.impact_end).where(
            o.c.person_id == person_id, o.c.kind.in_(IMPACT_KINDS), o.c.date <= day
        )
    ).all()
    out = []
    for r in rows:
        end, _source = impact_end(r.date, r.sanction, r.impact_end, rules)
        if end is not None and end >= day:
            name = r.sanction or "sanction"
            out.append((label("sanction", name, "zh"), end, label("sanction", name, "en")))
    return out


def rank_ready_on(since: dt.date, years: int) -> dt.date:
    """The first day on which `years` whole years in a rank held from `since` are complete."""
    return add_months(since, 12 * years)


def years_needed(rules: Rules, held, rank: str, day: dt.date) -> tuple[str, str] | None:
    """A note when a rise to `rank` on `day` comes before the years the rules ask in the rank
    below (held: a row with rank and start_date, or None when no rank is recorded)."""
    ladder = codes("rank")
    if held is None:
        return None
    skipped = ladder.index(rank) - ladder.index(held.rank) - 1
    if skipped > 0:
        return (
            f"由{label('rank', held.rank, 'zh')}越过{skipped}个职级晋升",
            f"from the rank of {label('rank', held.rank, 'en').lower()}, skipping {skipped} rank(s)",
        )
    years = rules.rank_min_years.get(rank, 0)
    ready = rank_ready_on(held.start_date, years)
    if day >= ready:
        return None
    return (
        f"任{label('rank', held.rank, 'zh')}不满{years}年（{ready:%Y-%m-%d}满）",
        f"fewer than {years} years in the rank of {label('rank', held.rank, 'en').lower()} (complete on {ready:%Y-%m-%d})",
    )


def care_rules_text(rules: Rules) -> str:
    """The care rules in force, in words (Chinese, then English): the talk cadence and the share of
    a period from which a talk is owed, the impact period of each sanction (how it is counted, 民法典
    第二百零二条), and the years in rank; each setting of the department's own choice, or not
    confirmed against a text, reads 待部门确认 until the department confirms it."""
    every = rules.talk_every_months
    lines = ["谈话频次 Talk cadence:"]
    for role, months in every.items():
        zh = {12: "每个自然年", 6: "每半年（1–6月、7–12月）", 3: "每季度", 1: "每月"}.get(
            months, f"每{months}个月"
        )
        lines.append(
            f"  {label('talker_role', role, 'zh')}：{zh}至少与每名乡镇（街道）党政正职谈话一次 "
            f"{label('talker_role', role, 'en')}: at least one talk with each chief every {months} months (calendar periods)"
        )
    share, (zh, en) = rules.talk_owed_from_share, rules.unconfirmed("talks.owed_from_share")
    lines.append(
        f"  在任满一个周期天数的{share:.0%}即应谈（新任职、周期中离任或中断的均按在任天数计）{zh} "
        f"a chief owes a period's talk once in post for {share:.0%} of its days (appointed, leaving or "
        f"interrupted mid-period alike){en}"
    )
    lines.append(
        "  一次谈话只算一个周期：先算其所在周期，同一周期的第二次谈话才补此前最早未谈的周期 "
        "one talk meets one obligation: its own period first; a second talk in a period makes up the "
        "earliest period missed before it"
    )
    lines.append(
        "影响期（月），自决定之日起至期满月的对应日止，没有对应日的至该月末日（民法典第二百零二条） "
        "Impact periods (months), from the decision through the same day of the last month, or its last "
        "day when it has none (Civil Code art. 202):"
    )
    for code, months in rules.impact_months.items():
        zh, en = rules.unconfirmed(f"impact.months.{code}")
        lines.append(f"  {label('sanction', code, 'zh')}{zh} {label('sanction', code, 'en')}{en}: {months}")
    lines.append(
        f"影响期届满后{rules.just_expired_months}个月内列入专项评价名单 listed for special review for "
        f"{rules.just_expired_months} months after an impact period ends"
    )
    lines.append(
        "职级晋升最低任职年限（默认值，须由本部门确认） Least years in the rank below (defaults: to be confirmed by your department):"
    )
    for code, years in rules.rank_min_years.items():
        lines.append(f"  {label('rank', code, 'zh')} {label('rank', code, 'en')}: {years}")
    return "\n".join(lines)
