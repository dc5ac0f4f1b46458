"""cadre_lib.stats against published values of classic datasets, typed in from their sources.

- Student's sleep data (Cushny & Peebles 1905; R's `datasets::sleep`): extra hours of sleep of
  10 patients under drug 1 and drug 2. R's documentation example
  `t.test(extra ~ group, data = sleep, paired = TRUE)` prints t = -4.0621, df = 9,
  p-value = 0.002833, 95 percent confidence interval -2.4598858 -0.7001142, mean difference
  -1.58 (group 1 − group 2; here post − pre = group 2 − group 1, so the signs turn), and
  `wilcox.test(extra ~ group, data = sleep, paired = TRUE)` prints "Wilcoxon signed rank test
  with continuity correction", V = 0, p-value = 0.009091 (one zero change and ties).
- Hollander & Wolfe (1973), p. 29: Hamilton depression scale of 9 patients at admission (x) and
  after a week of treatment (y); R's `?wilcox.test` example
  `wilcox.test(x, y, paired = TRUE, alternative = "greater")` prints V = 40, p-value = 0.01953
  (exact: 10/512), so the two-sided p is 20/512 = 0.0390625.
- Cohen's d_z of paired data is t / √n (Lakens 2013, "Calculating and reporting effect sizes",
  Frontiers in Psychology 4:863, formula 7), so the sleep data's is 4.0621 / √10 = 1.2845 from
  the published t.
- Holm (1979): adjusted p_(i) = max over j ≤ i of (m − j + 1) p_(j), capped at 1; worked by hand
  for four p-values below.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cadre_lib import stats

SLEEP_DRUG_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_DRUG_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
DEPRESSION_ADMISSION = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_WEEK_1 = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]


def test_the_sleep_data_give_the_published_paired_t_test():
    r = stats.paired_change(SLEEP_DRUG_1, SLEEP_DRUG_2)
    assert r.n == 10 and r.df == 9 and r.dropped == 0
    assert r.t == pytest.approx(4.0621, abs=5e-5)
    assert r.p == pytest.approx(0.002833, abs=5e-7)
    assert (r.ci_low, r.ci_high) == (pytest.approx(0.7001142, abs=5e-8), pytest.approx(2.4598858, abs=5e-8))
    assert r.mean_change == pytest.approx(1.58, abs=5e-3)


def test_the_sleep_data_give_the_published_wilcoxon_with_ties_and_a_zero():
    assert stats.paired_change(SLEEP_DRUG_1, SLEEP_DRUG_2).wilcoxon_p == pytest.approx(0.009091, abs=5e-7)


def test_the_depression_scores_give_the_published_exact_wilcoxon():
    r = stats.paired_change(DEPRESSION_ADMISSION, DEPRESSION_WEEK_1)
    assert r.wilcoxon_p == pytest.approx(20 / 512, abs=1e-12)


def test_cohens_d_z_is_the_published_t_over_root_n_and_is_named():
    r = stats.paired_change(SLEEP_DRUG_1, SLEEP_DRUG_2)
    assert r.effect_size == pytest.approx(4.0621 / math.sqrt(10), abs=5e-5)
    assert "Cohen's d_z" in r.effect_size_name and "SD of the changes" in r.effect_size_name
    text = r.summary()
    assert "Cohen's d_z" in text and text.index("配对") < text.index("pairs")
    assert "=1.28" in text and "t(9)=4.06" in text and "p=0.003" in text


def test_holm_adjustment_as_worked_by_hand_and_missing_p_kept_missing():
    # sorted: 0.005×4 = 0.02; 0.01×3 = 0.03; 0.03×2 = 0.06; 0.04×1 = 0.04 → max so far 0.06
    got = stats.adjust_p([0.01, 0.04, math.nan, 0.03, 0.005])
    assert np.allclose(got[[0, 1, 3, 4]], [0.03, 0.06, 0.06, 0.02]) and math.isnan(got[2])


def test_pairs_with_a_missing_value_are_dropped_and_counted():
    r = stats.paired_change(pd.Series([70, None, 68, 71]), [75, 74, float("nan"), 73])
    assert (r.n, r.dropped) == (2, 2) and r.mean_change == pytest.approx(3.5)


def test_unequal_lengths_and_words_are_refused_with_a_message():
    with pytest.raises(ValueError, match=r"个数不同（3对2）.*differ in length \(3 vs 2\)"):
        stats.paired_change([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="not a number"):
        stats.paired_change([1, "八十"], [1, 2])


def test_a_small_sample_carries_a_caveat_and_a_large_one_none():
    rng = np.random.default_rng(1)
    pre = rng.normal(70, 5, 25)
    post = pre + rng.normal(3, 2, 25)
    assert stats.paired_change(pre[:19], post[:19]).caveat.startswith("注意：仅19对")
    assert "19 pairs" in stats.paired_change(pre[:19], post[:19]).summary()
    assert stats.paired_change(pre[:20], post[:20]).caveat == ""


def test_one_pair_or_no_variation_gives_missing_statistics_and_says_why():
    one = stats.paired_change([70], [75])
    assert one.n == 1 and math.isnan(one.t) and math.isnan(one.p) and "Only 1 pair" in one.summary()
    same = stats.paired_change([70, 71, 72], [72, 73, 74])
    assert math.isnan(same.effect_size) and same.mean_change == pytest.approx(2) and "same" in same.caveat
    none = stats.paired_change([], [])
    assert none.n == 0 and math.isnan(none.mean_change)


def _scores(rows):
    return pd.DataFrame(
        rows, columns=["person_id", "dimension", "instrument", "rater_role", "phase", "score"]
    )


def test_a_change_table_pairs_only_on_person_dimension_instrument_and_rater_role():
    rows = []
    for pid, (a, b) in enumerate(zip(SLEEP_DRUG_1, SLEEP_DRUG_2, strict=True)):
        rows += [(pid, "theory", "exam", "office", "pre", a), (pid, "theory", "exam", "office", "post", b)]
    rows += [
        (99, "theory", "exam", "office", "pre", 50.0),  # no post: pre only
        (98, "theory", "exam", "self", "post", 4.0),  # another rater role: its own row, post only
        (0, "theory", "self_scale", "self", "pre", 3.0),  # another instrument: never pooled
        (0, "theory", "self_scale", "self", "post", 4.0),
        (0, "theory", "self_scale", "self", "post", 5.0),  # a second score of one key: averaged
    ]
    table = stats.change_table(_scores(rows)).set_index(["instrument", "rater_role"])
    exam = table.loc[("exam", "office")]
    assert exam["n"] == 10 and exam["pre_only"] == 1 and exam["post_only"] == 0
    assert exam["t"] == pytest.approx(4.0621, abs=5e-5)
    assert table.loc[("exam", "self"), "post_only"] == 1 and table.loc[("exam", "self"), "n"] == 0
    assert table.loc[("self_scale", "self"), "mean_change"] == pytest.approx(1.5)
    assert table["p_holm"].notna().sum() == 1 and table.attrs["note"] == ""


def test_several_comparisons_get_holm_p_and_a_note():
    rows = []
    for dim, shift in (("theory", 1.0), ("professional", 0.5), ("party_spirit", 0.0)):
        for pid, (a, b) in enumerate(zip(SLEEP_DRUG_1, SLEEP_DRUG_2, strict=True)):
            rows += [
                (pid, dim, "exam", "office", "pre", a),
                (pid, dim, "exam", "office", "post", b + shift * pid),
            ]
    table = stats.change_table(_scores(rows), by=("dimension",))
    assert list(table["dimension"]) == ["party_spirit", "professional", "theory"]
    assert np.allclose(table["p_holm"], stats.adjust_p(table["p"]))
    assert (table["p_holm"] >= table["p"]).all()
    assert "3项比较" in table.attrs["note"] and "3 comparisons" in table.attrs["note"]


def test_a_change_table_names_a_missing_column():
    with pytest.raises(ValueError, match="rater_role"):
        stats.change_table(_scores([]).drop(columns=["rater_role"]))
