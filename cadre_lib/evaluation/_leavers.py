"""Participants who left their cohort early (promoted, withdrawn, transferred): the last score each
had before leaving, shown apart from the pre/post pairs and never paired as if it were post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from ..core.codes import codes, label
from ..core.schema import TABLES
from ..core.workspace import Workspace
from ..people import status_on
from ._assessments import _cohort_id, assessments
from ._instruments import instrument_names

__all__ = [
    "left_early",
    "left_early_summary",
    "left_early_note",
    "leavers",
    "left_early_rows",
    "with_left_early",
]

_MEASURE = ("person_id", "dimension", "instrument", "rater_role")
LEFT_EARLY_COLUMNS = ["left_early", "left_early_promoted", "left_early_mean_pre", "left_early_mean_last"]


def leavers(ws: Workspace, cohort: str | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """Enrolments that ended early by `as_of` (a recorded withdrawal, counted from the day after
    its date; every one without `as_of`): cohort (code), person_id, end_date (their last day) and
    end_reason (promoted, withdrawn, transferred, other; a withdrawal with no reason recorded reads
    withdrawn, as the enrolment's status says)."""
    e, c = TABLES["enrollment"], TABLES["cohort"]
    q = (
        sa.select(
            c.c.code.label("cohort"), e.c.person_id, e.c.status, e.c.start_date, e.c.end_date, e.c.end_reason
        )
        .join(c, c.c.id == e.c.cohort_id)
        .where(e.c.status == "withdrawn")
    )
    if cohort is not None:
        q = q.where(e.c.cohort_id == _cohort_id(ws, cohort))
    rows = ws.frame(q)
    if as_of is not None:
        rows = rows[status_on(rows, as_of).isin(["withdrawn", "promoted"])]  # left by then
    rows = rows.assign(end_reason=rows["end_reason"].fillna("withdrawn"))
    return rows[["cohort", "person_id", "end_date", "end_reason"]].reset_index(drop=True)


def left_early_rows(
    scores: pd.DataFrame, left: pd.DataFrame, pre: str = "pre", post: str = "post"
) -> pd.DataFrame:
    """From `assessments` rows and `leavers`: one row per participant who left early and measure
    (dimension, instrument, rater role) they have a `pre` score on and no `post` score, with the
    scores' other columns, end_date, end_reason, before (the `pre` score), and last, last_phase and
    last_date: their latest score on the measure dated by their last day (of any phase). One who
    left after sitting the `post` test is paired as anyone else and is not here."""
    keys = ["cohort", *_MEASURE]
    own = scores.merge(left, on=["cohort", "person_id"])
    phases = own.pivot_table(index=keys, columns="phase", values="score", aggfunc="mean")
    phases = phases.reindex(columns=[pre, post])
    unpaired = phases[phases[pre].notna() & phases[post].isna()][[pre]].set_axis(["before"], axis=1)
    dated = own[pd.to_datetime(own["date"]) <= pd.to_datetime(own["end_date"])]
    order = pd.Categorical(dated["phase"], categories=codes("phase"), ordered=True)
    dated = dated.assign(_order=order).sort_values([*keys, "date", "_order"], kind="stable")
    last = dated.drop_duplicates(keys, keep="last").set_index(keys)[["score", "phase", "date"]]
    last.columns = ["last", "last_phase", "last_date"]
    about = own.drop(columns=["phase", "score", "date", "scale_min", "scale_max"], errors="ignore")
    about = about.drop_duplicates(keys).set_index(keys)
    out = unpaired.join(last).join(about).reset_index()
    front = [c for c in out.columns if c not in ("before", "last", "last_phase", "last_date")]
    return out[[*front, "before", "last", "last_phase", "last_date"]]


def with_left_early(table: pd.DataFrame, rows: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """A `stats.change_table` over the same scores with those who left early taken out of
    `pre_only` and shown apart, per group: left_early (how many), left_early_promoted (of whom
    promoted), left_early_mean_pre (their mean `pre` score) and left_early_mean_last (their mean
    last score before leaving). The pairs and their statistics are as they were."""
    groups = list(dict.fromkeys(groups))
    summary = (
        rows.assign(promoted=rows["end_reason"] == "promoted")
        .groupby(groups, observed=True)
        .agg(
            left_early=("before", "size"),
            left_early_promoted=("promoted", "sum"),
            left_early_mean_pre=("before", "mean"),
            left_early_mean_last=("last", "mean"),
        )
        .reset_index()
    )
    for column in groups:  # a category (an age band) meets the table's plain values
        summary[column] = summary[column].astype(object)
    out = table.astype({g: object for g in groups}).merge(summary, on=groups, how="left")
    for column in LEFT_EARLY_COLUMNS[:2]:
        out[column] = out[column].fillna(0).astype(int)
    out["pre_only"] = out["pre_only"] - out["left_early"]
    out.attrs = table.attrs
    return out


def left_early(
    ws: Workspace,
    cohort: str | None = None,
    as_of: dt.date | None = None,
    pre: str = "pre",
    post: str = "post",
) -> pd.DataFrame:
    """Who left `cohort` (every cohort when None) early by `as_of` with a `pre` score and no `post`
    score, one row per person and measure (see `left_early_rows`): name, county, township, post,
    instrument_name, end_reason (a promotion reads promoted), end_date, before, last, last_phase, last_date. The
    programme's promoted are its success: they are listed here, never dropped and never paired.

    Example: `left_early(ws, "SHXF", as_of).query("end_reason == 'promoted'")`.
    """
    scores = assessments(ws, cohort, as_of)
    rows = left_early_rows(scores, leavers(ws, cohort, as_of), pre, post)
    rows.insert(
        list(rows.columns).index("instrument") + 1,
        "instrument_name",
        rows["instrument"].map(instrument_names(ws)),
    )
    return rows


def left_early_summary(rows: pd.DataFrame, by: Sequence[str] = ("dimension",)) -> pd.DataFrame:
    """`left_early` rows summed up per cohort, group of `by`, instrument, rater role and reason
    (promoted first): left_early (how many), mean_pre (their `pre` scores) and mean_last (their last scores before
    leaving, of whichever phase each was)."""
    measure = ["instrument", "instrument_name"] if "instrument_name" in rows.columns else ["instrument"]
    groups = list(dict.fromkeys(["cohort", *by, *measure, "rater_role"]))
    if rows.empty:
        return pd.DataFrame(columns=[*groups, "end_reason", "left_early", "mean_pre", "mean_last"])
    reasons = pd.Categorical(rows["end_reason"], categories=_REASONS, ordered=True)
    out = (
        rows.assign(end_reason=reasons)
        .groupby([*groups, "end_reason"], observed=True)
        .agg(
            left_early=("before", "size"),
            mean_pre=("before", "mean"),
            mean_last=("last", "mean"),
        )
        .reset_index()
    )
    out["end_reason"] = out["end_reason"].astype(str)
    return out


def left_early_note(rows: pd.DataFrame, post: str = "post") -> str:
    """How many participants of `left_early` rows left before the `post` test, by reason, one
    sentence per cohort, Chinese then English ("" when nobody did).

    Example: "SHXF：12名学员在训后测评前提前离开（提拔10名、退出2名）……"."""
    out = []
    when_zh, when_en = label("phase", post, "zh"), label("phase", post, "en").lower()
    for cohort, own in rows.drop_duplicates(["cohort", "person_id"]).groupby("cohort", sort=True):
        counts = own["end_reason"].value_counts()
        present = [r for r in _REASONS if counts.get(r, 0)]
        zh = "、".join(f"{label('end_reason', r, 'zh')}{counts[r]}名" for r in present)
        en = ", ".join(f"{counts[r]} {label('end_reason', r, 'en').lower()}" for r in present)
        n = len(own)
        success = ("；提拔是培养的成果，不是流失", "; a promotion is the programme's success, not a dropout")
        success = success if counts.get("promoted", 0) else ("", "")
        out.append(
            f"{cohort}：{n}名学员在{when_zh}测评前提前离开（{zh}），其成绩不与前测配对，单列为“提前离开”"
            f"{success[0]}。 {n} participant{'s' if n != 1 else ''} left {cohort} before the {when_en} test "
            f"({en}): their scores are not paired but shown apart as left early{success[1]}."
        )
    return "\n".join(out)


_REASONS = ("promoted", "transferred", "withdrawn", "other")
