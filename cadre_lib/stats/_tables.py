"""Tables of paired change over groups of long-format scores, with p-values adjusted for the
number of comparisons shown."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from ._paired import PairedChange, paired_change

__all__ = ["change_table", "adjust_p", "multiple_comparison_note", "PAIR_ON"]

PAIR_ON = ("person_id", "dimension", "instrument", "rater_role")
# Every table is split by these: a mean change on a 1-5 self-rating and one on a 0-100 test
# cannot be added, nor a trainer's rating pooled with a self-rating.
_NEVER_POOLED = ("instrument", "rater_role")


def adjust_p(pvalues: Sequence[float] | np.ndarray | pd.Series, method: str = "holm") -> np.ndarray:
    """p-values adjusted for multiple comparisons by statsmodels' `multipletests` (Holm by
    default; any of its methods, e.g. "fdr_bh"), in the order given. A missing p (None or NaN)
    stays missing and is not counted in the family. A p outside 0–1 raises ValueError.

    Example: `adjust_p([0.01, 0.04, float("nan"), 0.03])` gives `[0.03, 0.06, nan, 0.06]`.
    """
    p = np.asarray(pd.to_numeric(pd.Series(list(pvalues), dtype=object)), dtype=float)
    present = ~np.isnan(p)
    if ((p[present] < 0) | (p[present] > 1)).any():
        raise ValueError("p值须在0与1之间 p-values must lie between 0 and 1")
    out = np.full(p.shape, np.nan)
    if present.any():
        out[present] = multipletests(p[present], method=method)[1]
    return out


def multiple_comparison_note(k: int) -> str:
    """What a reader should know when `k` tests are shown together ("" for one or none),
    Chinese then English. Example: `multiple_comparison_note(6)` starts "注意：本表共做了6项比较"."""
    if k <= 1:
        return ""
    return (
        f"注意：本表共做了{k}项比较。比较越多，越可能有个别p值仅因偶然而较小；请看按Holm法校正后的p值"
        f"（p_holm）。 Note: this table makes {k} comparisons; the more there are, the more likely some "
        "small p-values arise by chance alone. Read p_holm, the Holm-adjusted p, instead."
    )


def change_table(
    scores: pd.DataFrame,
    *,
    by: Sequence[str] = ("dimension",),
    pre: str = "pre",
    post: str = "post",
    keys: Sequence[str] = PAIR_ON,
    phase: str = "phase",
    score: str = "score",
) -> pd.DataFrame:
    """`paired_change` per group of long-format `scores` (one row per score).

    A score whose `phase` is `pre` and one whose phase is `post` pair when every column of
    `keys` (person, dimension, instrument and rater role) and of the groups matches; several
    scores of one key and phase are averaged first; other phases, and rows with a key or group
    value missing, are left out. Groups are `by` plus instrument and rater role, always: scores on different
    instruments are never pooled (a mean change on a 1-5 scale and one on a 0-100 scale cannot
    be added), nor a self-rating with a trainer's rating.

    One row per group, sorted by the group columns: the group columns, every `PairedChange`
    field (`as_dict`), `pre_only` and `post_only` (scores of one phase without a partner), and
    `p_holm`, the paired-t p Holm-adjusted over the table's rows (`adjust_p`). `attrs["note"]`
    holds `multiple_comparison_note` when more than one row has a p, else "". A missing column
    or a score that is not a number raises ValueError naming it.

    Example: `change_table(scores, by=("cohort", "dimension"))[["cohort", "dimension",
    "instrument", "n", "mean_change", "p", "p_holm"]]`.
    """
    by, keys = _names(by), _names(keys)
    groups = list(dict.fromkeys([*by, *_NEVER_POOLED]))
    index = list(dict.fromkeys([*groups, *keys]))
    keyed = _checked(scores, [*index, phase, score], score)
    keyed = keyed[keyed[phase].isin([pre, post])]
    wide = keyed.pivot_table(index=index, columns=phase, values=score, aggfunc="mean", observed=True)
    wide = wide.reindex(columns=[pre, post])
    rows = []
    for group, own in wide.groupby(level=list(range(len(groups))), sort=True):
        both = own.dropna()
        result: PairedChange = paired_change(both[pre].to_numpy(), both[post].to_numpy())
        rows.append(
            {
                **dict(zip(groups, group if isinstance(group, tuple) else (group,), strict=True)),
                **result.as_dict(),
                "pre_only": int((own[pre].notna() & own[post].isna()).sum()),
                "post_only": int((own[post].notna() & own[pre].isna()).sum()),
            }
        )
    table = pd.DataFrame(rows, columns=[*groups, *PairedChange.__dataclass_fields__, "pre_only", "post_only"])
    table["p_holm"] = adjust_p(table["p"]) if len(table) else np.array([], dtype=float)
    table.attrs["note"] = multiple_comparison_note(int(table["p"].notna().sum()))
    return table


def _names(columns: Sequence[str] | str) -> list[str]:
    """Column names; one name alone is one column, not a sequence of letters."""
    return [columns] if isinstance(columns, str) else list(columns)


def _checked(scores: pd.DataFrame, needed: list[str], score: str) -> pd.DataFrame:
    """`scores` with `score` as numbers, or ValueError naming what is missing or wrong."""
    missing = [c for c in dict.fromkeys(needed) if c not in scores.columns]
    if missing:
        names = ", ".join(missing)
        raise ValueError(f"成绩表缺少列：{names} the scores have no column {names}")
    values = pd.to_numeric(scores[score], errors="coerce")
    bad = scores.index[scores[score].notna() & values.isna()]
    if len(bad):
        raise ValueError(
            f"成绩列 {score} 中有非数字的值（行 {list(bad[:5])}） column {score} holds values that are not "
            f"numbers (rows {list(bad[:5])})"
        )
    return scores.assign(**{score: values})
