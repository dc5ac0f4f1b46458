"""Change from pre to post (evaluation.assessment_change): split by any attribute of the person,
and participants who left early shown apart, never paired as if they had stayed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import FIXED

from cadre_lib import InvalidEntry, Workspace, evaluation, people

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


@pytest.fixture
def cohort(tmp_path):
    """Two counties of two townships each, cohorts K1 and K2, six chiefs each with one pre and one
    post theory score (K2 starts on 1 March 2026)."""
    ws = Workspace(tmp_path / "ws.sqlite", actor="tester", clock=lambda: FIXED)
    for county, towns in (("C1", ("T1", "T2")), ("C2", ("T3", "T4"))):
        people.add_county(ws, county, f"{county}县")
        for town in towns:
            people.add_township(ws, county, town, f"{town}镇")
    people.add_cohort(ws, "K1", "一期", "programme", START)
    people.add_cohort(ws, "K2", "二期", "programme", dt.date(2026, 3, 1))
    evaluation.declare_instrument(ws, "exam", "理论知识测试", 0, 100, dimensions=["theory"])
    ws.ids = {}
    for name, (_c, town, post, sex, birth, code, before, after) in PEOPLE.items():
        pid = people.add_person(ws, name, sex=sex, birth_date=birth)
        ws.ids[name] = pid
        ws.insert(
            "post_tenure",
            {"person_id": pid, "township_id": ws.id_of("township", "code", town), "post": post,
             "start_date": dt.date(2020, 1, 1)},
        )  # fmt: skip
        people.enroll(ws, code, pid, START if code == "K1" else dt.date(2026, 3, 1))
        for phase, score, day in (("pre", before, PRE_DAY), ("post", after, POST_DAY)):
            if code == "K2":
                day = max(day, dt.date(2026, 3, 2))
            evaluation.record_assessment(ws, pid, code, "theory", phase, "exam", score, day)
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
    assert list(zip(got["age_band"], got["n"], strict=True)) == [("under_35", 2), ("35_39", 2), ("45_over", 1)]
    other = evaluation.assessment_change(cohort, "K2", AS_OF, by=("age_band",))
    assert other["age_band"].tolist() == ["40_44"]  # 乙三 is 41 on K2's first day


def test_a_grouping_the_scores_do_not_have_is_refused_naming_what_can_be_used(cohort):
    with pytest.raises(InvalidEntry) as refused:
        evaluation.assessment_change(cohort, "K1", AS_OF, by=("dimension", "height"))
    words = str(refused.value)
    assert "height" in words and "age_band" in words and "post" in words and "县（区）" in words
