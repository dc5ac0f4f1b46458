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
# Changes are compared (all the same? zero? tied?) after rounding to this many decimals: in binary
# 0.3 − 0.2 and 1.3 − 1.2 differ in the 16th digit, a difference no typed score has.
_DECIMALS = 9
_LANGS = ("both", "zh", "en")

Numbers = Sequence[float] | np.ndarray | pd.Series


@dataclass(frozen=True)
class PairedChange:
    """The change from `pre` to `post` over `n` pairs (`dropped`: pairs with a value missing).

    `mean_change` is post − pre (`mean_pre` and `mean_post` over the same pairs), `sd_change` the
    sample SD of the changes (ddof 1), with the `confidence` interval of the mean change
    (`ci_low`, `ci_high`) from the t distribution with `df` = n − 1; `t` and `p` are the
    two-sided paired t-test; `wilcoxon_p` the two-sided Wilcoxon signed-rank test; `effect_size`
    is Cohen's d_z = mean change ÷ SD of the changes (= t ÷ √n), named in `effect_size_name`
    and `effect_size_name_zh`. `caveat` is a plain-language warning, Chinese then English, or "".

    The Wilcoxon test follows R's `wilcox.test(paired = TRUE)` as it was up to R 4.5: zero
    changes are dropped; with fewer than 50 changes left and no zeros or ties, the p is exact;
    otherwise it is the normal approximation with continuity correction and the variance
    corrected for ties. (R 4.6 computes an exact p under ties too; here ties keep the normal
    approximation.) Changes equal to 9 decimal places count as tied.

    With fewer than 2 pairs, or when every change is the same, there is no spread to test
    against: the interval, tests and effect size are NaN and `caveat` says why.
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
        """Every field, flat, for a DataFrame row: `pd.DataFrame([r.as_dict() for r in results])`."""
        return asdict(self)

    def summary(self, lang: str = "both") -> str:
        """The result in a paragraph a trainer can read, Chinese first, the effect size named;
        `lang` "zh" or "en" gives one language. Example: `print(paired_change(pre, post).summary())`.
        """
        if lang not in _LANGS:
            raise ValueError(
                f'lang 只能是 "both"、"zh" 或 "en" lang must be "both", "zh" or "en", not {lang!r}'
            )
        zh, en = self._sentences()
        zh_caveat, en_caveat = _caveat_parts(self.n, self.sd_change)
        if self.dropped:
            zh += f"另有{self.dropped}对因缺少成绩未计入。"
            en += f" {self.dropped} pair(s) with a score missing were left out."
        if zh_caveat:
            zh, en = f"{zh}{zh_caveat}", f"{en} {en_caveat}"
        return {"zh": zh, "en": en}.get(lang, f"{zh} {en}")

    def _sentences(self) -> tuple[str, str]:
        if self.n == 0:
            return "配对0人。", "0 pairs."
        if not self.sd_change > 0:  # one pair, or every change the same: the mean change only
            return (
                f"配对{self.n}人：平均变化{self.mean_change:+.1f}分。",
                f"{self.n} pair(s): mean change {self.mean_change:+.1f}.",
            )
        level = _percent(self.confidence)
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
        return zh, en

    def __str__(self) -> str:
        return self.summary()


def format_p(p: float) -> str:
    """p as a reader expects it: "p<0.001", else to three decimals ("p=0.003"); "p=–" for none."""
    if p != p:
        return "p=–"
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def _percent(level: float) -> str:
    return f"{level * 100:g}%"  # 95%, 90%, 97.5%


def paired_change(pre: Numbers, post: Numbers, *, confidence: float = 0.95) -> PairedChange:
    """The change from `pre` to `post`, paired by position: the i-th pre score with the i-th
    post score, so put both in the same order of people first. Two pandas Series must have the
    same index (then their positions agree); Series with different indexes are refused rather
    than paired by position against pandas' own alignment: `post.reindex(pre.index)` aligns
    them, `.to_numpy()` pairs by position. A pair with a value missing (None or NaN) on either
    side is dropped and counted in `dropped`. Different lengths, or a value that is not a
    number, raise ValueError. Never raises for 0 or 1 pairs: the statistics are NaN and the
    caveat says why.

    Example: `paired_change([70, 72, 68, 75], [75, 74, 73, 79]).summary()` reads
    "配对4人：平均变化+4.0分（95%置信区间…） … 4 pairs: mean change +4.0 (95% CI …) …".
    """
    if not 0 < confidence < 1:
        raise ValueError(f"置信水平须在0与1之间 confidence must be between 0 and 1, not {confidence!r}")
    a, b = _pairs(pre, post)
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    d = b - a
    n, sd = len(d), _sd(d)
    known = {
        "n": n,
        "dropped": int((~keep).sum()),
        "mean_pre": float(a.mean()) if n else math.nan,
        "mean_post": float(b.mean()) if n else math.nan,
        "mean_change": float(d.mean()) if n else math.nan,
        "sd_change": sd,
        "confidence": confidence,
        "df": max(n - 1, 0),
        "caveat": " ".join(part for part in _caveat_parts(n, sd) if part),
    }
    if not sd > 0:
        nan = math.nan
        return PairedChange(**known, ci_low=nan, ci_high=nan, t=nan, p=nan, wilcoxon_p=nan, effect_size=nan)
    test = sps.ttest_rel(b, a)
    ci = test.confidence_interval(confidence_level=confidence)
    return PairedChange(
        **known,
        ci_low=float(ci.low),
        ci_high=float(ci.high),
        t=float(test.statistic),
        p=float(test.pvalue),
        wilcoxon_p=_wilcoxon(d),
        effect_size=float(d.mean() / sd),
    )


def _pairs(pre: Numbers, post: Numbers) -> tuple[np.ndarray, np.ndarray]:
    """Both sides as float arrays of one length (NaN where missing), or ValueError saying why."""
    if isinstance(pre, pd.Series) and isinstance(post, pd.Series) and not pre.index.equals(post.index):
        raise ValueError(
            "训前与训后两列的索引不同，无法确定谁与谁配对；请先对齐（post.reindex(pre.index)），或用 .to_numpy() "
            "按位置配对 pre and post are Series with different indexes: align them first "
            "(post.reindex(pre.index)) or pass .to_numpy() to pair by position"
        )
    a, b = _numbers(pre, "训前", "pre"), _numbers(post, "训后", "post")
    if len(a) != len(b):
        raise ValueError(
            f"训前与训后的成绩个数不同（{len(a)}对{len(b)}），无法配对 pre and post differ in length "
            f"({len(a)} vs {len(b)}): they cannot be paired"
        )
    return a, b


def _numbers(values: Numbers, zh: str, en: str) -> np.ndarray:
    if getattr(values, "ndim", 1) != 1:
        raise ValueError(f"{zh}成绩须是一列数 {en} must be one column of numbers")
    raw = pd.Series(list(values), dtype=object)
    numbers = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.flatnonzero((raw.notna().to_numpy() & np.isnan(numbers)) | np.isinf(numbers))
    if len(bad):
        i = int(bad[0])
        raise ValueError(
            f"{zh}成绩的第{i + 1}个值不是数：{raw.iloc[i]!r} {en} item {i + 1} is not a number: {raw.iloc[i]!r}"
        )
    return numbers


def _sd(d: np.ndarray) -> float:
    """Sample SD of the changes: NaN below 2 pairs, 0.0 when every change is the same."""
    if len(d) < 2:
        return math.nan
    if np.ptp(np.round(d, _DECIMALS)) == 0:
        return 0.0
    return float(d.std(ddof=1))


def _wilcoxon(d: np.ndarray) -> float:
    """Two-sided signed-rank p of the changes, as R's `wilcox.test` up to 4.5 (see PairedChange)."""
    rounded = np.round(d, _DECIMALS)
    nonzero = rounded[rounded != 0]
    if not len(nonzero):
        return math.nan
    ties = len(np.unique(np.abs(nonzero))) < len(nonzero)
    exact = len(nonzero) < 50 and len(nonzero) == len(d) and not ties
    result = sps.wilcoxon(nonzero, correction=not exact, method="exact" if exact else "asymptotic")
    return float(result.pvalue)


def _caveat_parts(n: int, sd: float) -> tuple[str, str]:
    """What a reader should know about `n` pairs whose changes have SD `sd`: (Chinese, English)."""
    if n == 0:
        return (
            "没有训前训后都有成绩的人，无法计算变化。",
            "No one has both a pre and a post score: no change can be computed.",
        )
    if n == 1:
        return (
            "仅1对成绩，无法计算标准差、置信区间、检验和效应量。",
            "Only 1 pair: no SD, interval, test or effect size can be computed.",
        )
    if sd == 0:
        return (
            "每人的变化都相同（标准差为0），无法计算置信区间、检验和效应量。",
            "Every change is the same (SD 0): no interval, test or effect size can be computed.",
        )
    if n < SMALL_N:
        return (
            f"注意：仅{n}对成绩，样本较小，p值和置信区间不稳定，少数几人就可能改变结论。",
            f"Caution: only {n} pairs; with so few, the p-value and the interval are unstable and a few "
            "people can change them.",
        )
    return "", ""
