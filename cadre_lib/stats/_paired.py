"""The change between paired measurements: its mean and interval, the paired t and Wilcoxon
signed-rank tests, and the effect size Cohen's d_z, named."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

__all__ = ["PairedChange", "paired_change", "EFFECT_SIZE", "EFFECT_SIZE_ZH", "SMALL_N", "format_p"]

EFFECT_SIZE = "Cohen's d_z (mean change / SD of the changes)"
EFFECT_SIZE_ZH = "效应量 Cohen's d_z（平均变化 ÷ 变化的标准差）"
SMALL_N = 20  # below this many pairs, a caveat goes with the figures


@dataclass(frozen=True)
class PairedChange:
    """The change from `pre` to `post` over `n` pairs (`dropped`: pairs with a value missing).

    `mean_change` is post − pre, with its `confidence` interval (`ci_low`, `ci_high`) from the t
    distribution with `df` = n − 1; `t` and `p` are the two-sided paired t-test; `wilcoxon_p` the
    two-sided Wilcoxon signed-rank test (zero changes dropped; exact without ties or zeros and
    under 50 pairs, otherwise the normal approximation with continuity correction, as R's
    `wilcox.test(paired = TRUE)`); `effect_size` is Cohen's d_z = mean change ÷ SD of the changes
    (named in `effect_size_name`). `caveat` is a plain-language warning, or "".
    """

    n: int
    dropped: int
    mean_pre: float
    mean_post: float
    mean_change: float
    sd_change: float
    ci_low: float
    ci_high: float
    confidence: float
    t: float
    df: int
    p: float
    wilcoxon_p: float
    effect_size: float
    effect_size_name: str = EFFECT_SIZE
    effect_size_name_zh: str = EFFECT_SIZE_ZH
    caveat: str = ""

    def as_dict(self) -> dict:
        """Every field, flat, for a DataFrame row."""
        return asdict(self)

    def summary(self, lang: str = "both") -> str:
        """The result in a sentence or two a trainer can read, Chinese first (`lang` "zh" or "en"
        for one language), the effect size named."""
        if self.n < 2 or math.isnan(self.t):
            zh = f"配对{self.n}人，无法计算变化的统计量。"
            en = f"{self.n} pair(s): the statistics of change cannot be computed."
        else:
            level = f"{self.confidence:.0%}"
            zh = (
                f"配对{self.n}人：平均变化{self.mean_change:+.1f}分（{level}置信区间{self.ci_low:+.1f}至"
                f"{self.ci_high:+.1f}），配对t检验t({self.df})={self.t:.2f}，{format_p(self.p)}；"
                f"Wilcoxon符号秩检验{format_p(self.wilcoxon_p)}；{self.effect_size_name_zh}={self.effect_size:.2f}。"
            )
            en = (
                f"{self.n} pairs: mean change {self.mean_change:+.1f} ({level} CI {self.ci_low:+.1f} to "
                f"{self.ci_high:+.1f}), paired t({self.df}) = {self.t:.2f}, {format_p(self.p)}; Wilcoxon "
                f"signed-rank {format_p(self.wilcoxon_p)}; effect size {self.effect_size_name} = "
                f"{self.effect_size:.2f}."
            )
        if self.caveat:
            zh_caveat, _, en_caveat = self.caveat.partition(" | ")
            zh, en = f"{zh}{zh_caveat}", f"{en} {en_caveat}"
        return {"zh": zh, "en": en}.get(lang, f"{zh} {en}")

    def __str__(self) -> str:
        return self.summary()


def format_p(p: float) -> str:
    """p as a reader expects it: "p<0.001", or to three decimals; "p=–" when there is none."""
    if p != p:
        return "p=–"
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def _values(values: Sequence[float] | pd.Series | np.ndarray, name: str) -> np.ndarray:
    try:
        return np.asarray(pd.to_numeric(pd.Series(list(values), dtype=object), errors="raise"), dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"{'训前' if name == 'pre' else '训后'}成绩中有非数字的值 {name} holds a value that is not a number"
        ) from None


def paired_change(
    pre: Sequence[float] | pd.Series | np.ndarray,
    post: Sequence[float] | pd.Series | np.ndarray,
    *,
    confidence: float = 0.95,
) -> PairedChange:
    """The change from `pre` to `post`, paired by position (the i-th pre with the i-th post; a
    Series' index is not used, so sort both the same way first). A pair with a value missing
    (None or NaN) on either side is dropped and counted. Different lengths raise ValueError.

    Example: `paired_change([70, 72, 68], [75, 74, 73]).summary()`.
    """
    a, b = _values(pre, "pre"), _values(post, "post")
    if len(a) != len(b):
        raise ValueError(
            f"训前与训后的成绩个数不同（{len(a)}对{len(b)}），无法配对 pre and post differ in length "
            f"({len(a)} vs {len(b)}): they cannot be paired"
        )
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    n, d = len(a), b - a
    base = {
        "n": n,
        "dropped": int((~keep).sum()),
        "mean_pre": float(a.mean()) if n else math.nan,
        "mean_post": float(b.mean()) if n else math.nan,
        "mean_change": float(d.mean()) if n else math.nan,
        "confidence": confidence,
        "df": max(n - 1, 0),
    }
    sd = float(d.std(ddof=1)) if n >= 2 else math.nan
    if n < 2 or sd == 0:
        return PairedChange(
            **base, sd_change=sd, ci_low=math.nan, ci_high=math.nan, t=math.nan, p=math.nan,
            wilcoxon_p=math.nan, effect_size=math.nan, caveat=_caveat(n, sd),
        )  # fmt: skip
    test = sps.ttest_rel(b, a)
    ci = test.confidence_interval(confidence_level=confidence)
    return PairedChange(
        **base,
        sd_change=sd,
        ci_low=float(ci.low),
        ci_high=float(ci.high),
        t=float(test.statistic),
        p=float(test.pvalue),
        wilcoxon_p=_wilcoxon(d),
        effect_size=float(d.mean() / sd),
        caveat=_caveat(n, sd),
    )


def _wilcoxon(d: np.ndarray) -> float:
    """Two-sided signed-rank p of the changes, zeros dropped (R's default); NaN when all are 0."""
    if not np.any(d != 0):
        return math.nan
    nonzero = d[d != 0]
    ties = len(np.unique(np.abs(nonzero))) < len(nonzero)
    exact = len(nonzero) < 50 and not ties and len(nonzero) == len(d)
    method = "exact" if exact else "asymptotic"
    result = sps.wilcoxon(d, zero_method="wilcox", correction=not exact, method=method)
    return float(result.pvalue)


def _caveat(n: int, sd: float) -> str:
    """Chinese and English caveats joined by " | " (the summary splits them)."""
    if n < 2:
        return f"仅{n}对成绩，无法计算变化的统计量。 | Only {n} pair(s): the statistics of change cannot be computed."
    if sd == 0:
        return (
            "每人的变化都相同，无法计算检验和效应量。 | Every change is the same: no test or effect size "
            "can be computed."
        )
    if n < SMALL_N:
        return (
            f"注意：仅{n}对成绩，样本较小，p值和置信区间不稳定，少数几人就可能改变结论。 | Caution: only {n} "
            "pairs; with so few, the p-value and the interval are unstable and a few people can change them."
        )
    return ""
