"""Change from pre to post (evaluation.assessment_change): split by any attribute of the person,
and participants who left early shown apart, never paired as if they had stayed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import FIXED

from cadre_lib import InvalidEntry, Workspace, care, evaluation, people

START = dt.date(2026, 1, 1)  # the cohort's start: ages are counted on this day
PRE_DAY, MID_DAY, POST_DAY = dt.date(2026, 1, 5), dt.date(2026, 3, 2), dt.date(2026, 6, 1)
AS_OF = dt.date(2026, 11, 30)
# name: (county, township, post, sex, birth date, cohort, pre score, post score)
PEOPLE = {
    "甲一": ("C1", "T1", "secretary", "M", dt.date(1995, 1, 2), "K1", 60, 70),  # 30: under 35
    "甲二": ("C1", "T1", "head", "F", dt.date(1991, 1, 1), "K1", 62, 66),  # 35 that very day
    "甲三": ("C1", "T2", "head", "M", dt.date(1991, 1, 2), "K1", 64, 75),  # 34 until the next day
    "乙一": ("C2", "T3", "secretary", "F", dt.date(1986, 6, 1), "K1", 66, 71),  # 39
    "乙二": ("C2", "T3", "head", "M", dt.date(1981, 1, 1), "K1", 68, 69),  # 45 that very day
    "乙三": ("C2", "T4", "secretary", "M", dt.date(1984, 3, 3), "K2", 70, 80),  # 41 at K2's start
}
DAYS = {"pre": PRE_DAY, "mid": MID_DAY, "post": POST_DAY}


def _build(path, members: dict[str, tuple]) -> Workspace:
    """Two counties of two townships each, cohorts K1 (from 1 January 2026) and K2 (from 1 March),
    a theory exam, and `members` (name: county, township, post, sex, birth date, cohort and a
    {phase: score} of their theory scores), each a chief since 2020."""
    ws = Workspace(path, actor="tester", clock=lambda: FIXED)
    for county, towns in (("C1", ("T1", "T2")), ("C2", ("T3", "T4"))):
        people.add_county(ws, county, f"{county}县")
        for town in towns:
            people.add_township(ws, county, town, f"{town}镇")
    people.add_cohort(ws, "K1", "一期", "programme", START)
    people.add_cohort(ws, "K2", "二期", "programme", dt.date(2026, 3, 1))
    evaluation.declare_instrument(ws, "exam", "理论知识测试", 0, 100, dimensions=["theory"])
    ws.ids = {}
    for name, (_c, town, post, sex, birth, code, scores) in members.items():
        pid = ws.ids[name] = people.add_person(ws, name, sex=sex, birth_date=birth)
        ws.insert(
            "post_tenure",
            {"person_id": pid, "township_id": ws.id_of("township", "code", town), "post": post,
             "start_date": dt.date(2020, 1, 1)},
        )  # fmt: skip
        people.enroll(ws, code, pid, START if code == "K1" else dt.date(2026, 3, 1))
        for phase, score in scores.items():
            day = max(DAYS[phase], dt.date(2026, 3, 2)) if code == "K2" else DAYS[phase]
            evaluation.record_assessment(ws, pid, code, "theory", phase, "exam", score, day)
    return ws


@pytest.fixture
def cohort(tmp_path):
    """Six chiefs of two counties, each with one pre and one post theory score: five in K1, one in K2."""
    ws = _build(tmp_path / "ws.sqlite", {n: (*r[:6], {"pre": r[6], "post": r[7]}) for n, r in PEOPLE.items()})
    yield ws
    ws.close()


def _raw(ws: Workspace) -> pd.DataFrame:
    """Each person's pre and post score with their attributes, from the raw tables."""
    a, p, c = ws.table("assessment"), ws.table("person"), ws.table("cohort")
    wide = a.pivot_table(index=["person_id", "cohort_id"], columns="phase", values="score")
    wide = wide.rename(columns={"pre": "before", "post": "after"}).reset_index()
    wide = wide.merge(p.rename(columns={"id": "person_id"}), on="person_id")
    wide = wide.merge(c[["id", "code", "start_date"]].rename(columns={"id": "cohort_id", "code": "cohort"}))
    t = ws.table("post_tenure").merge(ws.table("township"), left_on="township_id", right_on="id")
    t = t.merge(ws.table("county"), left_on="county_id", right_on="id", suffixes=("_town", "_county"))
    t = t.rename(columns={"name_town": "township", "name_county": "county"})
    wide = wide.merge(t[["person_id", "township", "county", "post"]], on="person_id")
    start, birth = pd.to_datetime(wide["start_date"]), pd.to_datetime(wide["birth_date"])
    before_birthday = (start.dt.month * 100 + start.dt.day) < (birth.dt.month * 100 + birth.dt.day)
    age = start.dt.year - birth.dt.year - before_birthday.astype(int)
    wide["age_band"] = pd.cut(
        age, [0, 35, 40, 45, 200], right=False, labels=["under_35", "35_39", "40_44", "45_over"]
    ).astype(str)
    wide["change"] = wide["after"] - wide["before"]
    return wide


@pytest.mark.parametrize("attribute", ["county", "township", "post", "sex", "age_band", "cohort"])
def test_the_change_can_be_split_by_any_attribute_of_the_person(cohort, attribute):
    got = evaluation.assessment_change(cohort, None, AS_OF, by=("dimension", attribute))
    assert attribute in got.columns
    keys = list(dict.fromkeys(["cohort", attribute]))  # every cohort: one row per cohort too
    expected = _raw(cohort).groupby(keys)["change"].agg(["size", "mean"])
    shown = got.set_index(keys)[["n", "mean_change"]]
    assert sorted(shown.index) == sorted(expected.index)
    assert shown["n"].to_dict() == expected["size"].to_dict()
    assert shown["mean_change"].to_dict() == pytest.approx(expected["mean"].to_dict())


def test_age_bands_are_counted_in_whole_years_on_the_cohorts_start(cohort):
    got = evaluation.assessment_change(cohort, "K1", AS_OF, by=("age_band",))
    # 甲二 turns 35 on K1's first day (35-39), 甲三 a day later (under 35); 乙二 turns 45 that day
    assert list(zip(got["age_band"], got["n"], strict=True)) == [
        ("under_35", 2),
        ("35_39", 2),
        ("45_over", 1),
    ]
    other = evaluation.assessment_change(cohort, "K2", AS_OF, by=("age_band",))
    assert other["age_band"].tolist() == ["40_44"]  # 乙三 is 41 on K2's first day


def test_a_grouping_the_scores_do_not_have_is_refused_naming_what_can_be_used(cohort):
    with pytest.raises(InvalidEntry) as refused:
        evaluation.assessment_change(cohort, "K1", AS_OF, by=("dimension", "height"))
    words = str(refused.value)
    assert "height" in words and "age_band" in words and "post" in words and "县（区）" in words


# -- participants who left early ---------------------------------------------------------------
# name: (pre, mid, post) theory scores; None where there is none
STAYERS = {"甲一": (60, 65, 70), "甲二": (62, 63, 66), "甲三": (64, 70, 75), "乙一": (66, 58, 71)}
PROMOTED, WITHDREW, MISSED = "乙二", "乙三", "丙一"  # after the mid test; before it; stayed, no post test
PROMOTED_ON, WITHDREW_ON = dt.date(2026, 4, 1), dt.date(2026, 2, 1)


def _leavers(path, with_leavers: bool = True) -> Workspace:
    """K1 with a mid test: four who stayed, 丙一 who stayed but never sat the post test, and (unless
    not `with_leavers`) 乙二 promoted after the mid test (the ledger ends the enrolment; its reason
    set as the enrolment records it) and 乙三 withdrawn before it."""
    place = ("C1", "T1", "head", "M", dt.date(1990, 1, 1), "K1")
    scores = {**STAYERS, MISSED: (61, 64, None)}
    if with_leavers:
        scores.update({PROMOTED: (68, 74, None), WITHDREW: (59, None, None)})
    members = {
        name: (*place, {k: v for k, v in zip(DAYS, triple, strict=True) if v is not None})
        for name, triple in scores.items()
    }
    ws = _build(path, members)
    if with_leavers:
        care.record_outcome(ws, ws.ids[PROMOTED], "promotion", PROMOTED_ON, to_post="副县长", as_of=AS_OF)
        ws.update("enrollment", _enrollment(ws, PROMOTED), {"end_reason": "promoted"})
        people.withdraw(ws, "K1", ws.ids[WITHDREW], WITHDREW_ON)
        ws.update("enrollment", _enrollment(ws, WITHDREW), {"end_reason": "withdrawn"})
    return ws


@pytest.fixture
def leavers(tmp_path):
    ws = _leavers(tmp_path / "ws.sqlite")
    yield ws
    ws.close()


def _enrollment(ws: Workspace, name: str) -> int:
    e = ws.table("enrollment")
    return int(e.loc[e["person_id"] == ws.ids[name], "id"].iloc[0])


PAIRED = [
    "n",
    "mean_pre",
    "mean_post",
    "mean_change",
    "sd_change",
    "ci_low",
    "ci_high",
    "t",
    "p",
    "wilcoxon_p",
]


def test_a_participant_promoted_after_the_mid_test_is_shown_apart_never_paired(leavers):
    ws = leavers
    row = evaluation.assessment_change(ws, "K1", AS_OF).iloc[0]
    stayed = pd.DataFrame(STAYERS, index=["pre", "mid", "post"]).T
    assert row["n"] == len(stayed) and row["mean_change"] == pytest.approx(
        (stayed["post"] - stayed["pre"]).mean()
    )
    # 丙一 stayed and missed the post test: unpaired. 乙二 and 乙三 left: apart, not among the unpaired
    assert (row["pre_only"], row["post_only"]) == (1, 0)
    assert (row["left_early"], row["left_early_promoted"]) == (2, 1)
    assert row["left_early_mean_pre"] == pytest.approx((68 + 59) / 2)
    assert row["left_early_mean_last"] == pytest.approx((74 + 59) / 2)  # 乙二's mid, 乙三's pre
    each = evaluation.left_early(ws, "K1", AS_OF).set_index("name")
    assert each.loc[PROMOTED, ["end_reason", "end_date", "before", "last", "last_phase"]].tolist() == [
        "promoted",
        PROMOTED_ON - dt.timedelta(days=1),
        68,
        74,
        "mid",
    ]
    assert each.loc[WITHDREW, ["end_reason", "last", "last_phase"]].tolist() == ["withdrawn", 59, "pre"]
    assert MISSED not in each.index and not set(STAYERS) & set(each.index)
    by_reason = evaluation.left_early_summary(evaluation.left_early(ws, "K1", AS_OF)).set_index("end_reason")
    assert by_reason.loc["promoted", ["left_early", "mean_pre", "mean_last"]].tolist() == [1, 68, 74]
    note = evaluation.left_early_note(evaluation.left_early(ws, "K1", AS_OF))
    assert "2名学员在训后测评前提前离开（提拔1名、退出1名）" in note and "(1 promoted, 1 withdrawn)" in note


def test_the_pairs_are_the_same_with_or_without_those_who_left(leavers, tmp_path):
    with_them = evaluation.assessment_change(leavers, "K1", AS_OF)
    with _leavers(tmp_path / "without.sqlite", with_leavers=False) as ws:
        without = evaluation.assessment_change(ws, "K1", AS_OF)
    pd.testing.assert_frame_equal(with_them[PAIRED], without[PAIRED])
    assert without["left_early"].tolist() == [0] and without["pre_only"].tolist() == [1]


def test_who_left_early_depends_on_the_phases_compared_and_the_as_of_date(leavers):
    ws = leavers
    to_mid = evaluation.assessment_change(ws, "K1", AS_OF, post="mid").iloc[0]
    # 乙二 sat the mid test before the promotion: for pre to mid they were there, and paired
    assert (to_mid["n"], to_mid["left_early"], to_mid["left_early_promoted"]) == (len(STAYERS) + 2, 1, 0)
    before = evaluation.assessment_change(ws, "K1", PROMOTED_ON - dt.timedelta(days=1)).iloc[0]
    # as of the day before the promotion only 乙三 had left; nobody had sat the post test yet
    assert (before["n"], before["left_early"], before["pre_only"]) == (0, 1, len(STAYERS) + 2)
    assert evaluation.left_early(ws, "K1", dt.date(2026, 3, 1))["name"].tolist() == [WITHDREW]
