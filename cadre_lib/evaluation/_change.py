"""Change between two phases of assessment: scores paired on person, dimension, instrument and
rater role, and the statistics of `cadre_lib.stats` over them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from .. import stats
from ..core.codes import COLUMN_LABELS
from ..core.errors import InvalidEntry
from ..core.schema import TABLES
from ..core.workspace import Workspace
from ..people import cohorts
from ._assessments import assessments
from ._instruments import instrument_names
from ._leavers import leavers, left_early_rows, with_left_early

__all__ = ["paired_scores", "assessment_change", "with_person", "PAIR_KEYS", "GROUPINGS", "AGE_BANDS"]

# A pre score and a post score are the same person's on the same measure only when all match.
PAIR_KEYS = ("person_id", "dimension", "instrument", "rater_role")
# What a change can be split by: the scores' own columns, and who the person is (see `with_person`).
GROUPINGS = (
    "cohort",
    "dimension",
    "instrument",
    "rater_role",
    "county",
    "township",
    "post",
    "sex",
    "age_band",
)
# Age bands by whole years of age on the cohort's first day: under 35, 35-39, 40-44, 45 and over.
AGE_BANDS = {"under_35": 0, "35_39": 35, "40_44": 40, "45_over": 45}
_NO_POST = "无乡镇任职 no township post"


def with_person(ws: Workspace, scores: pd.DataFrame, names: tuple[str, ...] = GROUPINGS) -> pd.DataFrame:
    """`assessments` rows with the person's columns of `names` they lack: `sex` (M, F) and
    `age_band` (whole years of age on the cohort's first day, a baseline the programme cannot have
    changed: under_35, 35_39, 40_44, 45_over, an ordered category). County, township and post are
    already there, those of the as-of date. A value not recorded reads "unknown" (sex, age band)
    or "无乡镇任职 no township post" (place and post), so nobody drops out of a split unseen."""
    out = scores.copy()
    wanted = [n for n in ("sex", "age_band") if n in names and n not in out.columns]
    if wanted:
        p = TABLES["person"]
        who = ws.frame(sa.select(p.c.id.label("person_id"), p.c.sex, p.c.birth_date)).set_index("person_id")
        starts = cohorts(ws, enrolled=False).set_index("code")["start_date"]
        if "sex" in wanted:
            out["sex"] = out["person_id"].map(who["sex"]).fillna("unknown")
        if "age_band" in wanted:
            birth = pd.to_datetime(out["person_id"].map(who["birth_date"]))
            out["age_band"] = _age_band(birth, pd.to_datetime(out["cohort"].map(starts)))
    for name in ("county", "township", "post"):
        if name in names and name in out.columns:
            out[name] = out[name].fillna(_NO_POST)
    return out


def _age_band(birth: pd.Series, day: pd.Series) -> pd.Series:
    """Whole years from `birth` to `day` (a birthday on `day` counts), as an ordered band."""
    before_birthday = day.dt.month * 100 + day.dt.day < birth.dt.month * 100 + birth.dt.day
    age = day.dt.year - birth.dt.year - before_birthday.astype(int)
    bands = pd.cut(age, [*AGE_BANDS.values(), 200], right=False, labels=list(AGE_BANDS))
    return bands.cat.add_categories("unknown").fillna("unknown")


def _groupings(by: tuple[str, ...] | str) -> tuple[str, ...]:
    """`by` as a tuple of names, or InvalidEntry naming those a change can be split by."""
    by = (by,) if isinstance(by, str) else tuple(by)
    unknown = [b for b in by if b not in GROUPINGS]
    if unknown:
        usable = "、".join(f"{COLUMN_LABELS.get(g, g).split(' ')[0]}（{g}）" for g in GROUPINGS)
        raise InvalidEntry(
            f"不能按“{'、'.join(map(str, unknown))}”分组，可用：{usable} cannot split the change by "
            f"{', '.join(map(repr, unknown))}; use any of {', '.join(GROUPINGS)}",
            field="by",
        )
    return by


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
    the unpaired scores of each phase (`pre_only`, `post_only`), Holm-adjusted p, and the
    multiple-comparison note in `.attrs["note"]`; `instrument_name` is the instrument's name
    beside its code.

    Participants who left the cohort early by `as_of` (promoted, withdrawn, transferred) with a
    `pre` score and no `post` score are not among the unpaired: `left_early` counts them,
    `left_early_promoted` those promoted, `left_early_mean_pre` and `left_early_mean_last` give
    the mean of their `pre` scores and of the last score each had before leaving (see
    `left_early`). Their last score is never paired as if it were post.

    `by` may name any of `GROUPINGS`: the scores' cohort, dimension, instrument and rater role,
    and the person's county, township and post (on `as_of`), sex and age band (on the cohort's
    first day; see `with_person`). Another name is refused, saying which can be used.

    Example: `assessment_change(ws, "SHXF", as_of, by=("dimension", "age_band"))`.
    """
    by = _groupings(by)
    scores = with_person(ws, assessments(ws, cohort, as_of), by)
    groups = tuple(by) if cohort is not None or "cohort" in by else ("cohort", *by)
    table = stats.change_table(scores, by=groups, pre=pre, post=post)
    left = left_early_rows(scores, leavers(ws, cohort, as_of), pre, post)
    table = with_left_early(table, left, [*groups, "instrument", "rater_role"])
    table.insert(
        list(table.columns).index("instrument") + 1,
        "instrument_name",
        table["instrument"].map(instrument_names(ws)),
    )
    return table
