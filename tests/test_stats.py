"""cadre_lib.stats against published values of classic datasets, typed in from their sources.

Every reference number below is copied from printed output, never computed here (the
arithmetic of the Wilcoxon approximations is also worked by hand in comments):

- R's saved example outputs, the files R's own checks compare against (R sources,
  https://github.com/wch/r-source, trunk of October 2024):
  * tests/Examples/datasets-Ex.Rout.save, example of ?sleep (Student's sleep data, Cushny &
    Peebles 1905): `t.test(extra[group == 1], extra[group == 2], paired = TRUE)` prints
    t = -4.0621, df = 9, p-value = 0.002833, 95 percent confidence interval -2.4598858 -0.7001142,
    mean difference -1.58; `summary(extra[group == 2] - extra[group == 1])` prints Mean 1.58.
    The data are src/library/datasets/data/sleep.R.
  * tests/Examples/stats-Ex.Rout.save, example of ?wilcox.test (Hollander & Wolfe 1973, p. 29f,
    Hamilton depression scale): `wilcox.test(x, y, paired = TRUE, alternative = "greater")` prints
    "Wilcoxon signed rank exact test", V = 40, p-value = 0.01953, and
    `wilcox.test(Pair(first, second) ~ 1, data = depression)` (two-sided) V = 40, p-value = 0.03906.
  * tests/Examples/stats-Ex.Rout.save, example of ?p.adjust: 50 p-values and their Holm
    adjustment printed with `format.pval(digits = 3)`, and the ratios of the Holm-adjusted
    p-values with two of them missing to those without, `round(pN.a / p.adj, 4)`.
- The sleep data's two-sided paired Wilcoxon test as R prints it in tutorials
  (`wilcox.test(extra ~ group, data = sleep, paired = TRUE)`): "Wilcoxon signed rank test with
  continuity correction", V = 0, p-value = 0.009091 (a zero change and tied changes).
- Group means 0.75 and 2.33 of the sleep data: Cookbook for R, "t-test",
  http://www.cookbook-r.com/Statistical_analysis/t-test/ (Welch test output).
- Cohen's d_z of the paired sleep data: effectsize's `cohens_d(Pair(extra[group == 1],
  extra[group == 2]) ~ 1, data = sleep)` = -1.284558, recorded in tidystats' tests
  (https://github.com/WillemSleegers/tidystats, tests/testthat/test_effectsize.R).
- Holm–Bonferroni method, Wikipedia (https://en.wikipedia.org/wiki/Holm%E2%80%93Bonferroni_method),
  the example: four hypotheses with unadjusted p = 0.01, 0.03, 0.04, 0.005 at α = 0.05;
  hypotheses one and four are rejected, two and three are not.
- A one-sample signed-rank test with tied but no zero values, an R session at
  https://pastebin.com/80FNLWBz: `wilcox.test(c(-0.2, -0.05, 0.1, 0.15, 0.2))` prints "Wilcoxon
  signed rank test with continuity correction", V = 9.5, p-value = 0.6845 (R before 4.6).

Here pre is the first measurement and post the second, so post − pre = group 2 − group 1 and
the signs of R's t, interval and d turn.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from cadre_lib import stats

SLEEP_DRUG_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_DRUG_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
DEPRESSION_FIRST_VISIT = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_SECOND_VISIT = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
# ?p.adjust: the "none" and "holm" columns of `noquote(apply(p.adj, 2, format.pval, digits = 3))`
P_ADJUST_EXAMPLE = [
    2.35e-07, 2.10e-05, 2.58e-05, 9.81e-05, 0.000105, 0.000124, 0.000133, 0.000157, 0.000225,
    0.000380, 0.000611, 0.001614, 0.003302, 0.003538, 0.005237, 0.006832, 0.007059, 0.008805,
    0.009401, 0.011298, 0.021150, 0.049227, 0.060533, 0.062622, 0.073952, 0.082811, 0.086333,
    0.119065, 0.189080, 0.205849, 0.220921, 0.285600, 0.304889, 0.466068, 0.483081, 0.492175,
    0.531945, 0.575155, 0.578319, 0.618589, 0.636362, 0.644859, 0.655841, 0.688588, 0.718986,
    0.817954, 0.827449, 0.897130, 0.911868, 0.943789,
]  # fmt: skip
P_ADJUST_EXAMPLE_HOLM = [
    1.18e-05, 0.00103, 0.00124, 0.00461, 0.00484, 0.00559, 0.00583, 0.00674, 0.00947, 0.01556,
    0.02446, 0.06294, 0.12549, 0.13092, 0.18853, 0.23912, 0.24001, 0.29057, 0.30083, 0.35024,
    0.63451, *[1.0] * 29,
]  # fmt: skip
# ?p.adjust: the holm column of `round((pN.a / p.adj)[1:20, ], 4)`, p-values 46 and 47 missing
P_ADJUST_EXAMPLE_HOLM_RATIO_WITH_TWO_MISSING = [
    0.9600, 0.9592, 0.9583, 0.9574, 0.9565, 0.9556, 0.9545, 0.9535, 0.9524, 0.9512,
    0.9500, 0.9487, 0.9474, 0.9459, 0.9444, 0.9429, 0.9412, 0.9394, 0.9375, 0.9355,
]  # fmt: skip


def test_the_sleep_data_give_rs_paired_t_test():
    r = stats.paired_change(SLEEP_DRUG_1, SLEEP_DRUG_2)
    assert (r.n, r.df, r.dropped) == (10, 9, 0)
    assert r.t == pytest.approx(4.0621, abs=5e-5)
    assert r.p == pytest.approx(0.002833, abs=5e-7)
    assert r.ci_low == pytest.approx(0.7001142, abs=5e-8)
    assert r.ci_high == pytest.approx(2.4598858, abs=5e-8)
    assert r.mean_change == pytest.approx(1.58, abs=5e-3)
    assert (r.mean_pre, r.mean_post) == (pytest.approx(0.75, abs=5e-3), pytest.approx(2.33, abs=5e-3))


def test_the_sleep_data_give_rs_wilcoxon_with_a_zero_and_ties():
    # by hand: changes 1.2 2.4 1.3 1.3 0 1.0 1.8 0.8 4.6 1.4, the zero dropped, n = 9, V = 45;
    # z = (45 − 22.5 − 0.5) / √(9·10·19/24 − (2³ − 2)/48) = 2.6086, two-sided p = 0.00909
    r = stats.paired_change(SLEEP_DRUG_1, SLEEP_DRUG_2)
    assert r.wilcoxon_p == pytest.approx(0.009091, abs=5e-7)


def test_the_depression_scores_give_rs_exact_wilcoxon():
    r = stats.paired_change(DEPRESSION_FIRST_VISIT, DEPRESSION_SECOND_VISIT)
    assert r.wilcoxon_p == pytest.approx(0.03906, abs=5e-6)
    assert r.wilcoxon_p / 2 == pytest.approx(0.01953, abs=5e-6)  # R's one-sided p, "greater"


def test_tied_changes_without_zeros_take_the_normal_approximation():
    # by hand: ranks 4.5 1 2 3 4.5, V = 9.5; z = (9.5 − 7.5 − 0.5) / √(13.75 − 6/48), p = 0.6845
    r = stats.paired_change([0.0] * 5, [-0.2, -0.05, 0.1, 0.15, 0.2])
    assert r.wilcoxon_p == pytest.approx(0.6845, abs=5e-5)


def test_a_zero_change_takes_the_normal_approximation_as_in_r():
    # R's documented rule (?wilcox.test): with zeros the normal approximation is used. By hand:
    # changes 0 1 2 3, the zero dropped, V = 6 of n = 3; exact would be 2 × 1/8 = 0.25, the
    # approximation z = (6 − 3 − 0.5) / √(3·4·7/24) = 1.33631 gives p = 2Φ(−z) = 0.18145
    r = stats.paired_change([10.0, 10.0, 10.0, 10.0], [10.0, 11.0, 12.0, 13.0])
    assert r.wilcoxon_p == pytest.approx(0.18145, abs=5e-6)


def test_cohens_d_z_of_the_sleep_data_is_effectsizes_and_is_named():
    r = stats.paired_change(SLEEP_DRUG_1, SLEEP_DRUG_2)
    assert r.effect_size == pytest.approx(1.284558, abs=5e-7)
    assert r.effect_size == pytest.approx(r.mean_change / r.sd_change)
    assert r.effect_size_name == "Cohen's d_z (mean change / SD of the changes)"
    assert "Cohen's d_z" in r.effect_size_name_zh and "效应量" in r.effect_size_name_zh


def test_the_summary_reads_the_sleep_result_chinese_first_with_the_effect_size_named():
    r = stats.paired_change(SLEEP_DRUG_1, SLEEP_DRUG_2)
    text = str(r)
    assert text == r.summary() and text.index("配对10人") < text.index("10 pairs")
    assert "95%置信区间+0.7至+2.5" in text and "95% CI +0.7 to +2.5" in text
    assert "t(9)=4.06，p=0.003" in text and "t(9) = 4.06, p=0.003" in text
    assert "Wilcoxon符号秩检验p=0.009" in text and "Wilcoxon signed-rank p=0.009" in text
    assert "效应量 Cohen's d_z（平均变化 ÷ 变化的标准差）=1.28" in text
    assert "effect size Cohen's d_z (mean change / SD of the changes) = 1.28" in text
    assert "样本较小" in text and "only 10 pairs" in text
    assert "pairs" not in r.summary("zh") and "配对" not in r.summary("en")
    with pytest.raises(ValueError, match="lang"):
        r.summary("fr")


def test_p_below_one_in_a_thousand_reads_p_lt_0001():
    assert [stats.format_p(p) for p in (0.0004, 0.001, 0.0123, math.nan)] == [
        "p<0.001",
        "p=0.001",
        "p=0.012",
        "p=–",
    ]


def test_holm_adjustment_reproduces_rs_p_adjust_example():
    got = stats.adjust_p(P_ADJUST_EXAMPLE)
    # the inputs are printed to 3 significant digits, so the adjusted ones agree to about 0.5%
    assert got == pytest.approx(P_ADJUST_EXAMPLE_HOLM, rel=5e-3)


def test_missing_p_values_stay_missing_and_leave_the_family_as_in_rs_example():
    with_missing = list(P_ADJUST_EXAMPLE)
    with_missing[45] = with_missing[46] = math.nan
    got = stats.adjust_p(with_missing)
    assert np.isnan(got[45]) and np.isnan(got[46]) and np.isnan(got).sum() == 2
    ratio = got[:20] / stats.adjust_p(P_ADJUST_EXAMPLE)[:20]
    assert ratio == pytest.approx(P_ADJUST_EXAMPLE_HOLM_RATIO_WITH_TWO_MISSING, abs=5e-5)


def test_holm_rejects_the_hypotheses_wikipedias_example_rejects():
    adjusted = stats.adjust_p([0.01, 0.03, 0.04, 0.005])
    assert list(adjusted < 0.05) == [True, False, False, True]
    with pytest.raises(ValueError, match="between 0 and 1"):
        stats.adjust_p([0.2, 1.5])


def test_pairs_with_a_missing_value_are_dropped_and_counted():
    r = stats.paired_change(pd.Series([70, None, 68, 71, 60]), [75, 74, float("nan"), 73, pd.NA])
    assert (r.n, r.dropped) == (2, 3) and r.mean_change == pytest.approx(3.5)
    assert "另有3对因缺少成绩未计入" in r.summary() and "3 pair(s) with a score missing" in r.summary()


def test_unequal_lengths_words_and_misaligned_series_are_refused_with_a_message():
    with pytest.raises(ValueError, match=r"^训前与训后的成绩个数不同（3对2）.*differ in length \(3 vs 2\)"):
        stats.paired_change([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match=r"^训前成绩的第2个值不是数.*pre item 2 is not a number"):
        stats.paired_change([1, "八十"], [1, 2])
    with pytest.raises(ValueError, match="different indexes"):
        stats.paired_change(pd.Series([1, 2, 3], index=[7, 8, 9]), pd.Series([2, 4, 5], index=[9, 8, 7]))
    with pytest.raises(ValueError, match="confidence"):
        stats.paired_change([1, 2, 3], [2, 4, 5], confidence=95)
    same_index = stats.paired_change(
        pd.Series([1, 2, 3], index=[9, 8, 7]), pd.Series([2, 4, 5], index=[9, 8, 7])
    )
    assert same_index.n == 3


def _steady_gains(n: int) -> tuple[list[float], list[float]]:
    pre = [60.0 + i for i in range(n)]
    return pre, [p + 1 + i % 3 for i, p in enumerate(pre)]


def test_fewer_than_20_pairs_carry_a_caveat_and_20_none():
    small = stats.paired_change(*_steady_gains(19))
    assert small.caveat.startswith("注意：仅19对成绩") and "only 19 pairs" in small.caveat
    assert small.caveat.index("不稳定") < small.caveat.index("unstable")
    assert "only 19 pairs" in small.summary()
    large = stats.paired_change(*_steady_gains(20))
    assert large.caveat == "" and "注意" not in large.summary() and "Caution" not in large.summary()


def test_one_pair_no_pair_or_no_spread_give_missing_statistics_and_say_why():
    one = stats.paired_change([70], [75])
    assert one.n == 1 and one.mean_change == 5 and math.isnan(one.t) and math.isnan(one.p)
    assert math.isnan(one.wilcoxon_p) and math.isnan(one.effect_size) and math.isnan(one.ci_low)
    assert "仅1对成绩" in one.caveat and "Only 1 pair" in one.summary()
    none = stats.paired_change([], [])
    assert none.n == 0 and math.isnan(none.mean_change) and "No one has both" in none.summary()
    same = stats.paired_change([70, 71, 72], [72, 73, 74])
    assert same.sd_change == 0 and math.isnan(same.effect_size) and "Every change is the same" in same.caveat


def test_changes_equal_but_for_binary_rounding_count_as_the_same():
    # 0.3 − 0.2, 1.3 − 1.2 and 2.3 − 2.2 differ in the 16th digit; without care t ≈ 10^15
    r = stats.paired_change([0.2, 1.2, 2.2], [0.3, 1.3, 2.3])
    assert r.sd_change == 0 and math.isnan(r.t) and math.isnan(r.p)


def test_a_result_is_frozen_and_flat():
    r = stats.paired_change(SLEEP_DRUG_1, SLEEP_DRUG_2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.n = 3  # type: ignore[misc]
    row = r.as_dict()
    assert row["n"] == 10 and row["effect_size_name"] == stats.EFFECT_SIZE
    assert set(row) >= {"mean_pre", "mean_post", "sd_change", "ci_low", "ci_high", "wilcoxon_p", "caveat"}


COLUMNS = ["person_id", "dimension", "instrument", "rater_role", "phase", "score"]


def _sleep_rows(instrument="exam", rater="office", dimension="theory", **extra):
    rows = []
    for pid, (a, b) in enumerate(zip(SLEEP_DRUG_1, SLEEP_DRUG_2)):
        rows.append({"person_id": pid, "dimension": dimension, "instrument": instrument,
                     "rater_role": rater, "phase": "pre", "score": a, **extra})  # fmt: skip
        rows.append({**rows[-1], "phase": "post", "score": b})
    return rows


def _row(pid, phase, score, instrument="exam", rater="office", dimension="theory"):
    return {"person_id": pid, "dimension": dimension, "instrument": instrument, "rater_role": rater,
            "phase": phase, "score": score}  # fmt: skip


def test_a_change_table_pairs_only_on_person_dimension_instrument_and_rater_role():
    rows = _sleep_rows() + [
        _row(99, "pre", 50.0),  # nobody's post: pre only
        _row(98, "post", 4.0, rater="self"),  # another rater role: its own row, post only
        _row(98, "pre", 3.0, instrument="self_scale", rater="self"),  # another instrument: never pooled
        _row(98, "post", 4.0, instrument="self_scale", rater="self"),
        _row(98, "post", 5.0, instrument="self_scale", rater="self"),  # a second score of one key: averaged
        _row(97, "pre", 2.0, instrument="self_scale", rater="self", dimension="professional"),
        _row(97, "post", 3.0, instrument="self_scale", rater="self", dimension="theory"),
        _row(96, "follow_up", 3.0, instrument="interview"),  # neither phase compared: left out
    ]
    table = stats.change_table(pd.DataFrame(rows, columns=COLUMNS)).set_index(
        ["dimension", "instrument", "rater_role"]
    )
    exam = table.loc[("theory", "exam", "office")]
    assert (exam["n"], exam["pre_only"], exam["post_only"]) == (10, 1, 0)
    assert exam["t"] == pytest.approx(4.0621, abs=5e-5) and exam["p"] == pytest.approx(0.002833, abs=5e-7)
    assert table.loc[("theory", "exam", "self"), ["n", "pre_only", "post_only"]].tolist() == [0, 0, 1]
    scale = table.loc[("theory", "self_scale", "self")]
    assert (scale["n"], scale["mean_pre"], scale["mean_post"], scale["post_only"]) == (1, 3.0, 4.5, 1)
    assert table.loc[("professional", "self_scale", "self"), ["n", "pre_only"]].tolist() == [0, 1]
    assert len(table) == 4 and "interview" not in table.index.get_level_values("instrument")


def test_a_change_table_has_one_sorted_row_per_group_with_every_field():
    rows = _sleep_rows(dimension="theory") + _sleep_rows(dimension="party_spirit", instrument="essay")
    table = stats.change_table(pd.DataFrame(rows, columns=COLUMNS))
    assert list(table[["dimension", "instrument"]].itertuples(index=False, name=None)) == [
        ("party_spirit", "essay"),
        ("theory", "exam"),
    ]
    fields = list(stats.paired_change([1, 2], [2, 4]).as_dict())
    assert list(table.columns) == [
        "dimension",
        "instrument",
        "rater_role",
        *fields,
        "pre_only",
        "post_only",
        "p_holm",
    ]


def test_several_comparisons_get_holm_p_and_a_note():
    rows = (
        _sleep_rows(instrument="exam")
        + _sleep_rows(instrument="essay")
        + [_row(1, "pre", 3.0, instrument="scale"), _row(1, "post", 4.0, instrument="scale")]  # p missing
    )
    table = stats.change_table(pd.DataFrame(rows, columns=COLUMNS)).set_index("instrument")
    # Holm by hand over the two published p-values of 0.002833: 2 × 0.002833 for both
    assert table.loc[["essay", "exam"], "p_holm"].tolist() == pytest.approx([0.005666, 0.005666], abs=1e-6)
    assert math.isnan(table.loc["scale", "p_holm"])
    note = table.attrs["note"]
    assert note.startswith("注意：本表共做了2项比较") and "2 comparisons" in note and "p_holm" in note
    assert note.index("偶然") < note.index("by chance")
    assert stats.multiple_comparison_note(2) == note and stats.multiple_comparison_note(1) == ""


def test_one_comparison_gets_no_note():
    table = stats.change_table(pd.DataFrame(_sleep_rows(), columns=COLUMNS))
    assert table.attrs["note"] == "" and table["p_holm"].tolist() == pytest.approx([0.002833], abs=5e-7)


def test_groups_by_named_columns_pair_within_them():
    rows = _sleep_rows(cohort="A") + [
        {**_row(50, "pre", 1.0), "cohort": "A"},
        {**_row(50, "post", 9.0), "cohort": "B"},  # the same person in another cohort: no pair
    ]
    table = stats.change_table(pd.DataFrame(rows), by="cohort").set_index("cohort")
    assert list(table.columns[:2]) == ["instrument", "rater_role"]
    assert table.loc["A", ["n", "pre_only"]].tolist() == [10, 1]
    assert table.loc["B", ["n", "post_only"]].tolist() == [0, 1]


def test_a_change_table_names_a_missing_column_or_a_score_that_is_not_a_number():
    with pytest.raises(ValueError, match=r"^成绩表缺少列：rater_role.*no column rater_role"):
        stats.change_table(pd.DataFrame(_sleep_rows(), columns=COLUMNS).drop(columns=["rater_role"]))
    words = pd.DataFrame(_sleep_rows() + [_row(60, "pre", "良好")], columns=COLUMNS)
    with pytest.raises(ValueError, match="score"):
        stats.change_table(words)
    empty = stats.change_table(pd.DataFrame(columns=COLUMNS))
    assert len(empty) == 0 and "p_holm" in empty.columns and empty.attrs["note"] == ""
