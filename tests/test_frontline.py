"""The frontline split and how fragile it is: each chief's margin to the threshold that decides
their class, the split when the thresholds move, and a provisional reading of an unrated chief.
Hand-made ratings at the boundaries, and the demo recomputed with plain pandas."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cadre_lib import evaluation
from cadre_lib.core.rules import load_rules
from cadre_lib.demo import DEMO_AS_OF

ARENAS = ("investment", "projects", "rural", "governance", "public_opinion")
RULE = dict(load_rules().frontline)  # 3.8, 3.0, 2.5; two sources an arena


def _ratings(chiefs: dict[str, list]) -> pd.DataFrame:
    """`reviews`-shaped rows: chief name -> one (look, hear, ask) per arena in order (None: not
    rated by that source; fewer than five: the rest not rated at all)."""
    rows = []
    for pid, (name, arenas) in enumerate(chiefs.items(), start=1):
        for arena, levels in zip(ARENAS, arenas, strict=False):
            for source, level in zip(("look", "hear", "ask"), levels, strict=True):
                if level is not None:
                    rows.append((pid, name, "甲县", "乙镇", arena, source, float(level)))
    columns = ["person_id", "name", "county", "township", "arena", "source", "level"]
    return pd.DataFrame(rows, columns=columns)


EDGE = {
    "at_3.80": [(4, 4, 4)] * 3 + [(4, 4, 3), (4, 3, 3)],  # mean 57/15 = 3.80 exactly, lowest 3.33
    "at_3.7999": [(3.7999,) * 3] * 5,  # a hair under the strong mean
    "arena_at_3.0": [(5, 5, 5)] * 4 + [(3, 3, 3)],  # mean 4.6, lowest arena exactly 3.0
    "arena_at_2.9999": [(5, 5, 5)] * 4 + [(2.9999,) * 3],
    "weak_2.0": [(2, 2, 2)] * 5,  # mean 2.0
    "at_2.5": [(2.5,) * 3] * 5,  # exactly on the weak line: average
    "partly_rated": [(4, 4, 4)] * 3 + [(5, None, None)],  # 3 arenas done, one by one source, one not rated
    "partly_low": [(5, 5, 5), (2, 2, 3), (4, 4, 4)],  # 3 done, one under 3.0 so far
}


def _classes(chiefs=EDGE, rule=RULE) -> pd.DataFrame:
    arenas = evaluation.arena_levels(_ratings(chiefs), rule["disagreement_levels"])
    return evaluation.classify(arenas, rule).set_index("name")


def test_each_chief_reads_their_margin_to_the_threshold_that_decides_their_class():
    got = _classes()
    expect = {  # rating, margin, the line it is measured to
        "at_3.80": ("strong", 0.0, "strong_mean"),
        "at_3.7999": ("average", -0.0001, "strong_mean"),
        "arena_at_3.0": ("strong", 0.0, "strong_arena_min"),
        "arena_at_2.9999": ("average", -0.0001, "strong_arena_min"),
        "weak_2.0": ("weak", -0.5, "weak_mean"),
        "at_2.5": ("average", 0.0, "weak_mean"),
    }
    for name, (rating, margin, line) in expect.items():
        row = got.loc[name]
        assert (row["rating"], row["margin_to"]) == (rating, line), name
        assert row["margin"] == pytest.approx(margin, abs=1e-12), name


def test_an_unrated_chief_gets_a_provisional_reading_never_counted_with_the_rated():
    got = _classes()
    part, low = got.loc["partly_rated"], got.loc["partly_low"]
    assert (part["rating"], part["arenas_complete"], part["partial"]) == ("unrated", 3, "strong")
    assert "按已评完的3个领域暂为担当有力（部分领域，暂定）" in part["why"]
    assert "provisionally strong" in part["why"]
    assert (low["rating"], low["partial"]) == ("unrated", "average")  # 2.33 in one arena so far
    assert pd.isna(part["margin"]) and pd.isna(got.loc["at_3.80", "partial"])
    counts = evaluation.rating_counts(got.reset_index()).set_index("rating")["count"].to_dict()
    assert counts == {"strong": 2, "average": 3, "weak": 1, "unrated": 2}


def _split(means: pd.DataFrame, sm: float, sam: float, wm: float) -> dict[str, int]:
    """The rule applied with plain pandas to per-chief mean and lowest arena mean."""
    strong = (means["mean"] >= sm) & (means["low"] >= sam)
    weak = ~strong & (means["mean"] < wm)
    return {"strong": int(strong.sum()), "average": int((~strong & ~weak).sum()), "weak": int(weak.sum())}


def _means(ratings: pd.DataFrame) -> pd.DataFrame:
    """Per fully rated chief: the mean of all ratings and the lowest arena mean, from raw rows."""
    arena = ratings.groupby(["person_id", "arena"])["level"].mean()
    out = pd.DataFrame(
        {"mean": ratings.groupby("person_id")["level"].mean(), "low": arena.groupby("person_id").min()}
    )
    return out[ratings.groupby("person_id")["arena"].nunique() == len(ARENAS)]


def test_the_split_when_the_thresholds_move_together_or_alone():
    ratings = _ratings(EDGE)
    got = evaluation.split_sensitivity(evaluation.arena_levels(ratings, 2), RULE)
    means = _means(ratings)
    assert set(zip(got["moved"], got["shift"], strict=True)) == {
        (m, s)
        for m in ("all", "strong_mean", "strong_arena_min", "weak_mean")
        for s in (-0.1, -0.05, 0, 0.05, 0.1)
    }
    base = _split(means, 3.8, 3.0, 2.5)
    for row in got.itertuples():
        lines = {k: v + (row.shift if row.moved in ("all", k) else 0) for k, v in
                 (("strong_mean", 3.8), ("strong_arena_min", 3.0), ("weak_mean", 2.5))}  # fmt: skip
        assert row.strong_mean == pytest.approx(lines["strong_mean"])
        expected = _split(means, *(round(v, 10) for v in lines.values()))
        assert {k: getattr(row, k) for k in expected} == expected, row
        assert row.unrated == 2
    together = got[got["moved"] == "all"].set_index("shift")["changed"]
    # +0.05: the two exactly on a strong line fall, the one exactly on the weak line becomes weak;
    # -0.05: the two a hair under a strong line rise
    assert together.to_dict() == {-0.1: 2, -0.05: 2, 0.0: 0, 0.05: 3, 0.1: 3}
    assert base == {"strong": 2, "average": 3, "weak": 1}


def test_chiefs_within_a_margin_are_exactly_those_a_move_of_it_reclassifies():
    classes = _classes().reset_index()
    near = classes[(classes["margin"] >= -0.05) & (classes["margin"] < 0.05)]
    assert set(near["name"]) == {"at_3.80", "at_3.7999", "arena_at_3.0", "arena_at_2.9999", "at_2.5"}
    note = evaluation.split_note(classes, 0.05)
    assert "6名已评定干部中，5名距最近的评定线不足0.05（担当有力2名、表现一般3名）" in note
    assert "另有2名考察未完成" in note and "Of 6 chiefs classified, 5 sit within 0.05" in note


def test_the_demo_margins_and_its_split_at_five_hundredths_recomputed_from_the_ratings(demo_ws):
    ratings = evaluation.reviews(demo_ws, "2026", DEMO_AS_OF)
    means = _means(ratings)
    classes = evaluation.frontline_classification(demo_ws, "2026", DEMO_AS_OF).set_index("person_id")
    to_strong = pd.concat([means["mean"] - 3.8, means["low"] - 3.0], axis=1).min(axis=1)
    to_weak = means["mean"] - 2.5
    strong = classes["rating"] == "strong"
    expected = to_strong.where(strong | (to_strong.abs() <= to_weak.abs()), to_weak)
    assert classes["margin"].to_dict() == pytest.approx(expected.to_dict(), abs=1e-9)
    near = int(((expected >= -0.05) & (expected < 0.05)).sum())
    at_mean_line = int(((means["mean"] >= 3.8) & (means["mean"] < 3.85)).sum())
    assert near >= at_mean_line >= 10, "the demo's split sits on its strong line"
    got = evaluation.frontline_sensitivity(demo_ws, "2026", DEMO_AS_OF).set_index(["moved", "shift"])
    for shift in (-0.05, 0.05):
        counts = _split(means, round(3.8 + shift, 10), round(3.0 + shift, 10), round(2.5 + shift, 10))
        assert got.loc[("all", shift), ["strong", "average", "weak"]].to_dict() == counts
    assert got.loc[("all", 0.0), ["strong", "average"]].tolist() == [58, 8]
    assert got.loc[("all", 0.05), "changed"] + got.loc[("all", -0.05), "changed"] == near
    assert f"66名已评定干部中，{near}名距最近的评定线不足0.05" in evaluation.split_note(classes.reset_index())


def test_a_period_with_no_ratings_has_an_empty_sensitivity(demo_path):
    from cadre_lib import Workspace

    with Workspace(demo_path, readonly=True) as ws:
        assert evaluation.frontline_sensitivity(ws, "2026-H1", dt.date(2026, 11, 30)).empty


# -- the thresholds are the department's choice: said so wherever they are shown -------------------
@pytest.fixture
def reviewed(tiny_workspace, tmp_path):
    """The tiny workspace's 张三, chief of 乙镇, rated 4 by every source in every arena of 2026."""
    from cadre_lib import people

    ws = tiny_workspace(tmp_path / "ws.sqlite")
    pid = int(people.cohort_members(ws, "K1")["person_id"].iloc[0])
    ws.insert(
        "post_tenure",
        {"person_id": pid, "township_id": ws.id_of("township", "code", "T1"), "post": "secretary",
         "start_date": dt.date(2020, 1, 1)},
    )  # fmt: skip
    for arena in ARENAS:
        evaluation.record_ratings(ws, pid, "2026", arena, {s: (4, None) for s in ("look", "hear", "ask")})
    ws.pid = pid
    yield ws
    ws.close()


def _shown(ws) -> dict[str, str]:
    """Every place the frontline rule or its thresholds are shown: the rule in words, the note on
    the split, the chief's digest and its widget."""
    from cadre_lib.evaluation import widgets

    classes = evaluation.frontline_classification(ws, "2026")
    digest = widgets.digest_view(ws, "2026", dt.date(2026, 11, 30), person_id=ws.pid)
    return {
        "rule": evaluation.frontline_rule_text(ws.rules),
        "note": evaluation.split_note(classes, 0.05, ws.rules),
        "digest": evaluation.person_digest(ws, ws.pid, "2026").text(),
        "widget": digest.page.value,
    }


def test_the_thresholds_read_to_be_confirmed_until_the_department_confirms_them(reviewed):
    from cadre_lib import Workspace

    shown = _shown(reviewed)
    assert all("待部门确认" in text for text in shown.values()), shown
    assert "担当有力均分线3.8、担当有力最低领域线3、表现较差均分线2.5" in shown["rule"]
    assert "(to be confirmed by the department)" in shown["rule"] + shown["note"]
    assert "thresholds to be confirmed by the department" in shown["digest"]
    folder = reviewed.folder
    (folder / "rules.toml").write_text(
        '[department]\nconfirmed = ["frontline.strong_mean", "frontline.strong_arena_min", "frontline.weak_mean"]\n',
        "utf-8",
    )
    with Workspace(reviewed.url.database) as ws:  # the rules are read when a workspace is opened
        ws.pid = reviewed.pid
        shown = _shown(ws)
    assert "担当有力均分线" not in shown["rule"]  # the class lines confirmed; the other two are not
    assert "其中每个领域至少评价方式数2、看听问不一致的等次差2（待部门确认）" in shown["rule"]
    assert not any("待部门确认" in shown[k] or "confirmed" in shown[k] for k in ("note", "digest", "widget"))
    (folder / "rules.toml").write_text('[department]\nconfirmed = ["frontline"]\n', "utf-8")
    with Workspace(reviewed.url.database) as ws:
        assert "待部门确认" not in evaluation.frontline_rule_text(ws.rules)


def test_a_rule_given_by_hand_is_nobodys_confirmed_rule():
    assert "担当有力均分线4.2" in evaluation.frontline_rule_text({**RULE, "strong_mean": 4.2})
    assert "待部门确认" in evaluation.split_note(_classes().reset_index(), 0.05)


def test_the_flags_and_the_county_means_are_computed_from_plain_ratings(demo_ws):
    """Read, then compute: the same ratings give the same tables without a workspace, and an
    analyst's edit of the ratings (one source moved three levels) is flagged as a stored one is."""
    ratings = evaluation.reviews(demo_ws, "2026")
    rule = demo_ws.rules.frontline["disagreement_levels"]
    pd.testing.assert_frame_equal(
        evaluation.flags_table(ratings, rule), evaluation.frontline_flags(demo_ws, "2026")
    )
    pd.testing.assert_frame_equal(
        evaluation.county_arena_means(ratings), evaluation.arena_by_county(demo_ws, "2026")
    )
    flagged = set(map(tuple, evaluation.flags_table(ratings, rule)[["person_id", "arena"]].values))
    calm = ratings[~ratings.set_index(["person_id", "arena"]).index.isin(flagged)].iloc[0]
    moved = ratings.copy()
    at = (
        (moved["person_id"] == calm["person_id"])
        & (moved["arena"] == calm["arena"])
        & (moved["source"] == "look")
    )
    others = ratings[(ratings["person_id"] == calm["person_id"]) & (ratings["arena"] == calm["arena"])][
        "level"
    ]
    moved.loc[at, "level"] = 1 if others.min() >= 4 else 5
    assert (calm["person_id"], calm["arena"]) in set(
        map(tuple, evaluation.flags_table(moved, rule)[["person_id", "arena"]].values)
    )
