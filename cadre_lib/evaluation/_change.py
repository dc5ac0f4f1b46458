"""Change between two phases of assessment: scores paired on person, dimension, instrument and
rater role, and the statistics of `cadre_lib.stats` over them."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import stats
from ..core.workspace import Workspace
from ._assessments import assessments
from ._instruments import instrument_names

__all__ = ["paired_scores", "assessment_change", "PAIR_KEYS"]

# A pre score and a post score are the same person's on the same measure only when all match.
PAIR_KEYS = ("person_id", "dimension", "instrument", "rater_role")


def paired_scores(
    ws: Workspace,
    cohort: str | None = None,
    as_of: dt.date | None = None,
    pre: str = "pre",
    post: str = "post",
) -> pd.DataFrame:
    """One row per person and measure scored at both phases: cohort, person_id, name, county,
    dimension, instrument, instrument_name, rater_role, before (the `pre` phase's score), after
    (the `post` phase's) and change (after − before). Several scores of one
    key and phase (none in a workspace, where one replaces the other) are averaged."""
    scores = assessments(ws, cohort, as_of)
    keys = ["cohort", *PAIR_KEYS]
    wide = (
        scores[scores["phase"].isin([pre, post])]
        .pivot_table(index=keys, columns="phase", values="score", aggfunc="mean")
        .reindex(columns=[pre, post])
        .dropna()
    )
    wide.columns = ["before", "after"]
    wide["change"] = wide["after"] - wide["before"]
    who = scores.drop_duplicates("person_id").set_index("person_id")[["name", "county"]]
    out = wide.reset_index().join(who, on="person_id")
    columns = ["cohort", "person_id", "name", "county", "dimension", "instrument", "rater_role"]
    return (
        out[[*columns, "before", "after", "change"]]
        .sort_values(columns[:2] + columns[4:])
        .reset_index(drop=True)
    )


def assessment_change(
    ws: Workspace,
    cohort: str | None = None,
    as_of: dt.date | None = None,
    by: tuple[str, ...] = ("dimension",),
    pre: str = "pre",
    post: str = "post",
) -> pd.DataFrame:
    """`stats.change_table` over the scores of `cohort` (all cohorts, one row per cohort, when
    None) dated by `as_of`: per group of `by` (and always per instrument and rater role: scales
    are never pooled) the pairs, mean change with its 95% CI, paired t, Wilcoxon p, Cohen's d_z,
    the unpaired scores of each phase, Holm-adjusted p, and the multiple-comparison note in
    `.attrs["note"]`; `instrument_name` is the instrument's name beside its code."""
    scores = assessments(ws, cohort, as_of)
    groups = tuple(by) if cohort is not None or "cohort" in by else ("cohort", *by)
    table = stats.change_table(scores, by=groups, pre=pre, post=post)
    table.insert(
        list(table.columns).index("instrument") + 1,
        "instrument_name",
        table["instrument"].map(instrument_names(ws)),
    )
    return table
