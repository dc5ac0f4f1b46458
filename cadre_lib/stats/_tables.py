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
_NEVER_POOLED = ("instrument", "rater_role")


def adjust_p(pvalues: Sequence[float], method: str = "holm") -> np.ndarray:
    """p-values adjusted for multiple comparisons (statsmodels `multipletests`, Holm by
    default); a missing p (NaN) stays missing and is not counted in the family."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    present = ~np.isnan(p)
    if present.any():
        out[present] = multipletests(p[present], method=method)[1]
    return out


def multiple_comparison_note(k: int) -> str:
    """What a reader should know when `k` tests are shown together ("" for one or none)."""
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

    A `pre` score and a `post` score pair when every column of `keys` matches (person, dimension,
    instrument and rater role); several scores of one key and phase are averaged first. Groups
    are `by` plus instrument and rater role: scores on different instruments are never pooled
    (a mean change on a 1-5 scale and one on a 0-100 scale cannot be added), nor a self-rating
    with a test. One row per group, sorted: the group columns, every `PairedChange` field,
    `pre_only` and `post_only` (scores without a partner), and `p_holm` (Holm-adjusted over the
    table's rows). `attrs["note"]` holds the multiple-comparison note when there are several.
    """
    groups = list(dict.fromkeys([*by, *(c for c in _NEVER_POOLED if c in keys)]))
    needed = list(dict.fromkeys([*keys, *groups, phase, score]))
    missing = [c for c in needed if c not in scores.columns]
    if missing:
        raise ValueError(f"成绩表缺少列：{', '.join(missing)} the scores have no column {', '.join(missing)}")
    keyed = scores[scores[phase].isin([pre, post])]
    wide = keyed.pivot_table(
        index=list(dict.fromkeys([*groups, *keys])), columns=phase, values=score, aggfunc="mean"
    )
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
    columns = [*groups, *PairedChange.__dataclass_fields__, "pre_only", "post_only"]
    table = pd.DataFrame(rows, columns=columns)
    table["p_holm"] = adjust_p(table["p"].to_numpy()) if len(table) else []
    table.attrs["note"] = multiple_comparison_note(int(table["p"].notna().sum()))
    return table
