"""Statistics of change for analysts, on plain numbers: no workspace, no widgets.

`paired_change(pre, post)` gives the mean change with its confidence interval, the paired
t-test, the Wilcoxon signed-rank test and the effect size Cohen's d_z, named; `change_table`
does it per group of long-format scores, pairing on person, dimension, instrument and rater
role, never pooling instruments, and adjusting p-values for the number of comparisons
(`adjust_p`, Holm). Distributions and tests are scipy's and statsmodels'; tests/test_stats.py
checks them against R's published outputs for classic datasets. Nothing else of cadre_lib is
imported here: sequences, arrays or DataFrames in, small frozen results or DataFrames out.
"""

from ._paired import EFFECT_SIZE, EFFECT_SIZE_ZH, SMALL_N, PairedChange, format_p, paired_change
from ._tables import PAIR_ON, adjust_p, change_table, multiple_comparison_note

__all__ = [
    "paired_change",
    "PairedChange",
    "change_table",
    "adjust_p",
    "multiple_comparison_note",
    "format_p",
    "EFFECT_SIZE",
    "EFFECT_SIZE_ZH",
    "SMALL_N",
    "PAIR_ON",
]
