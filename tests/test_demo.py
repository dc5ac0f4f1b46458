"""The demo workspace: calibrated to the report's figures, and the same for the same seed."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd
import pytest

from cadre_lib import DemoSpec, Workspace, WorkspaceError, build_demo, delivery, evaluation, people
from cadre_lib.core.rules import load_rules
from cadre_lib.demo import DEMO_AS_OF


def _dump(path) -> list[str]:
    """Every row of every table, audit log included, as SQL text."""
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def test_calibrated_figures(demo_ws):
    ws = demo_ws
    chiefs = people.chiefs(ws, DEMO_AS_OF)
    assert len(chiefs) == 140 and chiefs["county"].nunique() == 6
    cohorts = people.cohorts(ws).set_index("code")
    assert cohorts.loc["SHXF", "enrolled"] == 76
    assert (cohorts["kind"] == "class").sum() == 4
    lectures = delivery.cohort_sessions(ws, "GCDJT")
    assert len(lectures) == 7 and set(lectures["format"]) == {"lecture"}
    sessions = ws.table("session")
    assert set(sessions["format"]) == {"lecture", "site_visit", "experience_sharing", "seminar"}

    talks = ws.table("talk")
    assert (pd.to_datetime(talks["date"]).dt.year == DEMO_AS_OF.year).sum() > 200

    out = ws.table("outcome")
    years = pd.to_datetime(out["date"]).dt.year
    assert ((out["kind"] == "promotion") & years.isin([2025, 2026])).sum() == 15
    assert ((out["kind"] == "rank_promotion") & (years == 2025)).sum() == 10
    assert ((out["kind"] == "rank_promotion") & (years == 2026)).sum() > 10  # "more this year"
    assert (out["kind"] == "merit").sum() == 7
    # The report's 8: party warnings (one year) whose impact period had ended, then reviewed.
    reviewed = out[(out["kind"] == "discipline") & out["reviewed_on"].notna()]
    assert len(reviewed) == 8 and set(reviewed["sanction"]) == {"party_warning"}
    ends = pd.to_datetime(reviewed["date"]) + pd.DateOffset(years=1)
    assert (ends < pd.to_datetime(reviewed["reviewed_on"])).all()
    assert (out["kind"] == "discipline").sum() == 10

    indicators = ws.table("township_indicator")
    assert indicators.query("indicator == 'projects_signed_100m'")["value"].max() == 35


def test_demo_people_are_synthetic_and_ids_masked_on_read(demo_ws):
    people = demo_ws.table("person", reveal_ids=True)
    assert people["national_id"].str.startswith("99").all()  # region 99 is unassigned
    assert demo_ws.table("person")["national_id"].str.contains(r"\*{10}").all()


def test_same_seed_same_content_and_another_seed_differs(tmp_path):
    dumps = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        with Workspace(tmp_path / f"{name}.sqlite") as ws:
            build_demo(ws, DemoSpec(seed=seed))
        dumps.append(_dump(tmp_path / f"{name}.sqlite"))
    assert len(dumps[0]) > 5_000
    assert dumps[0] == dumps[1]
    assert dumps[0] != dumps[2]


def test_scale_multiplies_the_prefecture(tmp_path):
    with Workspace(tmp_path / "x3.sqlite") as ws:
        build_demo(ws, DemoSpec(scale=3))
        assert len(people.chiefs(ws, DEMO_AS_OF)) == 3 * 140
        assert (people.cohorts(ws)["kind"] == "programme").sum() == 3
        r = evaluation.reviews(ws, "2026", DEMO_AS_OF)
        r["unit"] = r["county"].str.extract(r"（(\d+)）", expand=False)
        assert set(r["unit"]) == {"1", "2", "3"}
        for unit, own in r.groupby("unit"):  # each prefecture gives the department's split
            assert _split(_review_figures(own)) == (58, 8, 0), unit
            assert (_spreads(own) >= 2).sum() >= 5, unit


def test_demo_refuses_a_workspace_that_holds_data(tmp_path):
    with Workspace(tmp_path / "w.sqlite") as ws:
        people.add_person(ws, "某人")
        with pytest.raises(WorkspaceError, match="already holds data"):
            build_demo(ws)


def test_nothing_after_the_as_of_date(tmp_path):
    as_of = dt.date(2025, 6, 30)
    with Workspace(tmp_path / "early.sqlite") as ws:
        build_demo(ws, DemoSpec(as_of=as_of))
        for table, column in (
            ("session", "date"),
            ("talk", "date"),
            ("assessment", "date"),
            ("outcome", "date"),
            ("comment", "date"),
            ("frontline_review", "date"),
            ("enrollment", "start_date"),
        ):
            assert (pd.to_datetime(ws.table(table)[column]) <= pd.Timestamp(as_of)).all(), table
        rotations = ws.table("cohort").query("kind == 'rotation'")
        assert set(rotations["code"]) == {"LX-2024A", "LX-2024B", "LX-2025A", "LX-2025B"}
        assert ws.counts()["frontline_review"] == ws.counts()["comment"] == 0  # the 2026 review is ahead


def test_mid_season_the_review_stands_as_it_did_that_day(tmp_path):
    """On a day in the review season: only what the team had done by then, some chiefs still
    unrated (the team is still in their township), and nothing dated later."""
    as_of = dt.date(2026, 7, 15)
    with Workspace(tmp_path / "mid.sqlite") as ws:
        build_demo(ws, DemoSpec(as_of=as_of))
        r, c = ws.table("frontline_review"), ws.table("comment")
        assert 0 < len(r) < 990 and 0 < len(c) < 400
        assert (r["date"] <= as_of).all() and (c["date"] <= as_of).all()
        assert (r.groupby("person_id").size() < 15).any()
        ratings = set(evaluation.frontline_classification(ws, "2026", as_of)["rating"])
        assert {"unrated", "strong"} <= ratings


# -- the demo agrees with itself: posts, enrolments, marks and tests tell one story ----------
def _frames(ws):
    tables = (
        "post_tenure",
        "enrollment",
        "cohort",
        "session",
        "attendance",
        "session_feedback",
        "assessment",
    )
    return {t: ws.table(t) for t in tables}


def _promoted_away(t) -> pd.Series:
    """person_id -> the day their township post ended, for whoever holds no post after it."""
    last = t["post_tenure"].sort_values(["person_id", "start_date"]).drop_duplicates("person_id", keep="last")
    return last.set_index("person_id")["end_date"].dropna()


def test_promoted_chiefs_are_not_marked_tested_or_enrolled_after_their_promotion(demo_ws):
    t = _frames(demo_ws)
    gone = _promoted_away(t)
    out = demo_ws.table("outcome").query("kind == 'promotion'").set_index("person_id")["date"]
    assert len(gone) == 15 and gone.sort_index().to_dict() == out.sort_index().to_dict()
    day_of = t["session"].set_index("id")["date"]
    for table in ("attendance", "session_feedback"):
        rows = t[table][t[table]["person_id"].isin(gone.index)]
        late = rows[rows["session_id"].map(day_of) >= rows["person_id"].map(gone)]
        assert late.empty, f"{table} after a promotion:\n{late}"
    tests = t["assessment"][t["assessment"]["person_id"].isin(gone.index)]
    assert (tests["date"] < tests["person_id"].map(gone)).all()

    enrolled = t["enrollment"][t["enrollment"]["person_id"].isin(gone.index)]
    enrolled = enrolled.assign(
        promoted=enrolled["person_id"].map(gone),
        cohort_end=enrolled["cohort_id"].map(t["cohort"].set_index("id")["end_date"]),
    )
    assert (enrolled["start_date"] < enrolled["promoted"]).all()
    assert (enrolled["end_date"].notna() & (enrolled["end_date"] < enrolled["promoted"])).all()
    running = enrolled[enrolled["cohort_end"] >= enrolled["promoted"]]  # would have run past it
    assert set(running["status"]) == {"withdrawn"}
    day_before = running["promoted"] - dt.timedelta(days=1)
    assert (running["end_date"] <= day_before).all()
    # every promotion falls while the lecture series runs: left it the day before
    gcdjt = int(t["cohort"].set_index("code").loc["GCDJT", "id"])
    series = running[running["cohort_id"] == gcdjt]
    assert len(series) == 15 and (series["end_date"] == series["promoted"] - dt.timedelta(days=1)).all()


def test_successors_train_from_their_first_day_in_post(demo_ws):
    t = _frames(demo_ws)
    tenure, cohorts = t["post_tenure"], t["cohort"].set_index("code")
    first = tenure.sort_values("start_date").groupby("person_id")["start_date"].first()
    successors = first[first >= dt.date(2025, 1, 1)]
    assert len(successors) == 15
    enrolled = t["enrollment"]
    series_start = cohorts.loc["GCDJT", "start_date"]
    gcdjt = enrolled[enrolled["cohort_id"] == cohorts.loc["GCDJT", "id"]].set_index("person_id")
    for pid, start in successors.items():
        assert gcdjt.loc[pid, "start_date"] == max(series_start, start)
        assert gcdjt.loc[pid, "status"] == "active"
    shxf_start = cohorts.loc["SHXF", "start_date"]
    shxf = enrolled[enrolled["cohort_id"] == cohorts.loc["SHXF", "id"]]
    assert not (shxf["person_id"].isin(successors.index) & (shxf["start_date"] == shxf_start)).any()


def test_nobody_is_marked_or_tested_outside_their_enrolment(demo_ws):
    t = _frames(demo_ws)
    windows = t["enrollment"].set_index(["cohort_id", "person_id"])[["start_date", "end_date"]]
    marks = t["attendance"].merge(
        t["session"][["id", "cohort_id", "date"]], left_on="session_id", right_on="id"
    )
    for name, rows in (("attendance", marks), ("assessment", t["assessment"])):
        w = windows.reindex(list(zip(rows["cohort_id"], rows["person_id"], strict=True)))
        assert w["start_date"].notna().all(), f"{name} of someone not enrolled"
        day, last = rows["date"].to_numpy(), w["end_date"].fillna(dt.date.max).to_numpy()
        assert ((w["start_date"].to_numpy() <= day) & (day <= last)).all(), f"{name} outside the enrolment"


def test_stored_enrolment_status_is_active_or_withdrawn(demo_ws):
    t = _frames(demo_ws)
    enrolled = t["enrollment"].merge(
        t["cohort"][["id", "kind", "end_date"]].add_prefix("cohort_"), on="cohort_id"
    )
    assert set(enrolled["status"]) == {"active", "withdrawn"}
    fixed = enrolled[enrolled["cohort_kind"].isin(["class", "rotation"]) & (enrolled["status"] == "active")]
    assert len(fixed) > 400 and (fixed["end_date"] == fixed["cohort_end_date"]).all()
    withdrawn = enrolled[enrolled["status"] == "withdrawn"]
    assert withdrawn["end_date"].notna().all()


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_chief_in_post_takes_one_rotation_batch_a_year(demo_ws, year):
    cohorts = people.cohorts(demo_ws).set_index("code")
    enrolled = demo_ws.table("enrollment")
    batches = {}
    for batch in "AB":
        code = f"LX-{year}{batch}"
        assert cohorts.loc[code, "kind"] == "rotation"
        sessions = delivery.cohort_sessions(demo_ws, code)
        days = sorted(set(sessions["date"]))
        assert len(days) == 12 and all(d.weekday() < 5 for d in days) and days[0].weekday() == 0
        assert sessions["hours"].sum() == 90.0 and (sessions.groupby("date")["hours"].sum() == 7.5).all()
        assert (cohorts.loc[code, "start_date"], cohorts.loc[code, "end_date"]) == (days[0], days[-1])
        batches[batch] = set(enrolled.loc[enrolled["cohort_id"] == cohorts.loc[code, "id"], "person_id"])
    assert not batches["A"] & batches["B"]
    for batch in "AB":
        start = cohorts.loc[f"LX-{year}{batch}", "start_date"]
        in_post = set(people.chiefs(demo_ws, start)["person_id"])
        assert in_post <= batches["A"] | batches["B"], f"chiefs in post on {start} in no batch"
        assert batches[batch] <= in_post, f"LX-{year}{batch} enrols someone not in post on its start"


def test_late_joiners_take_the_entry_test_when_they_join(demo_ws):
    t = _frames(demo_ws)
    shxf = t["cohort"].set_index("code").loc["SHXF"]
    enrolled = t["enrollment"][t["enrollment"]["cohort_id"] == shxf["id"]].set_index("person_id")
    late = enrolled[enrolled["start_date"] > shxf["start_date"]]
    assert len(enrolled) == 76 and len(late) == 4
    tests = t["assessment"][t["assessment"]["cohort_id"] == shxf["id"]]
    dates = tests.groupby(["person_id", "phase"])["date"].agg(set).unstack()
    assert (dates["pre"].map(len) == 1).all()
    for pid, row in late.iterrows():
        assert dates.loc[pid, "pre"] == {row["start_date"]}
        mid = dates.loc[pid, "mid"]
        assert isinstance(mid, set) and min(mid) > row["start_date"]
    both = dates.dropna(subset=["pre", "mid"])
    assert len(both) > 60 and not any(both["pre"].iloc[k] & both["mid"].iloc[k] for k in range(len(both)))
    # who fills a vacancy holds a post on joining and keeps it
    tenure = t["post_tenure"].set_index("person_id")
    for pid, row in late.iterrows():
        held = tenure.loc[[pid]]
        assert ((held["start_date"] <= row["start_date"]) & held["end_date"].isna()).any()


# -- the evaluation: scores, the frontline review and comments, re-derived from the raw rows ----
SEASON = (dt.date(2026, 5, 1), dt.date(2026, 9, 28))
ARENAS = {"investment", "projects", "rural", "governance", "public_opinion"}
ROLES = {"party_member", "cadre", "company", "resident"}
# Each dimension of the programme on its own instrument, scored by its own rater role.
PROGRAMME_TESTS = {
    "theory": ("theory_exam", "training_office"),
    "party_spirit": ("party_spirit_review", "peer"),
    "professional": ("case_exercise", "trainer"),
}


def _review_figures(r: pd.DataFrame) -> pd.DataFrame:
    """Per reviewed chief, from raw ratings: ratings, mean of all, lowest arena mean."""
    arena_mean = r.groupby(["person_id", "arena"])["level"].mean()
    return pd.DataFrame(
        {
            "ratings": r.groupby("person_id").size(),
            "mean": r.groupby("person_id")["level"].mean(),
            "lowest_arena": arena_mean.groupby("person_id").min(),
        }
    )


def _strong(figures: pd.DataFrame, rule=None) -> pd.Series:
    """Which chiefs the [frontline] rule (the packaged default unless given) calls strong,
    applied here with pandas: mean of all ratings and lowest arena mean against its lines."""
    rule = rule or load_rules().frontline
    return (figures["mean"] >= rule["strong_mean"]) & (figures["lowest_arena"] >= rule["strong_arena_min"])


def _split(figures: pd.DataFrame, rule=None) -> tuple[int, int, int]:
    """(strong, average, weak) by the rule."""
    strong = _strong(figures, rule)
    weak = ~strong & (figures["mean"] < (rule or load_rules().frontline)["weak_mean"])
    return int(strong.sum()), int((~strong & ~weak).sum()), int(weak.sum())


def _spreads(r: pd.DataFrame) -> pd.Series:
    """(person_id, arena) -> highest minus lowest level of its sources."""
    return r.groupby(["person_id", "arena"])["level"].agg(lambda v: v.max() - v.min())


def _strong_ids(r: pd.DataFrame) -> set[int]:
    figures = _review_figures(r)
    return set(figures.index[_strong(figures)])


def test_every_reviewed_chief_has_each_arena_rated_once_by_each_source_in_the_season(demo_ws):
    r = demo_ws.table("frontline_review")
    assert len(r) == 990 and r["person_id"].nunique() == 66 and set(r["period"]) == {"2026"}
    assert not r.duplicated(["person_id", "arena", "source"]).any()
    per_chief = r.groupby("person_id").agg(arenas=("arena", "nunique"), sources=("source", "nunique"))
    assert (per_chief == [5, 3]).all().all() and set(r["arena"]) == ARENAS
    assert set(r["source"]) == {"look", "hear", "ask"} and r["level"].isin([1, 2, 3, 4, 5]).all()
    assert r["date"].between(*SEASON).all() and (r["date"] <= DEMO_AS_OF).all()
    # who is reviewed holds a post the whole season
    tenure = demo_ws.table("post_tenure")
    whole = tenure[
        (tenure["start_date"] <= SEASON[0]) & (tenure["end_date"].isna() | (tenure["end_date"] > SEASON[1]))
    ]
    assert set(r["person_id"]) <= set(whole["person_id"])


def test_evidence_reads_as_each_source_records_it(demo_ws):
    """Look: the sites and registers seen; hear: whose views, then what they said; ask: the
    problems asked about, then the answer. No evidence is missing or copied across chiefs whole."""
    r = demo_ws.table("frontline_review")
    opens = {
        "look": r"^(?:实地查看|查看|查阅)",
        "hear": r"^走访.*(?:企业|群众|村民|党员)",
        "ask": r"^询问.+难点：",
    }
    for source, pattern in opens.items():
        own = r[r["source"] == source]
        assert own["evidence"].str.contains(pattern).all(), own.loc[~own["evidence"].str.contains(pattern)]
    assert r["evidence"].str.len().between(12, 80).all()
    assert r["evidence"].nunique() > 500


def test_the_default_rule_gives_58_strong_and_8_average_recomputed_from_the_ratings(demo_ws):
    r = demo_ws.table("frontline_review")
    figures = _review_figures(r)
    assert (figures["ratings"] == 15).all()
    assert _split(figures) == (58, 8, 0)
    # the same from the stage's own reading, chief by chief
    computed = evaluation.frontline_classification(demo_ws, "2026", DEMO_AS_OF).set_index("person_id")[
        "rating"
    ]
    assert computed.value_counts().to_dict() == {"strong": 58, "average": 8}
    strong = _strong_ids(r)
    assert set(computed.index[computed == "strong"]) == strong
    assert set(computed.index[computed == "average"]) == set(figures.index) - strong


def test_the_split_rests_on_the_ratings_not_on_the_threshold_alone(demo_ws):
    """A stricter strong line turns some of the 58 average: the strong are not all at 5."""
    figures = _review_figures(demo_ws.table("frontline_review"))
    stricter = {"strong_mean": 4.2, "strong_arena_min": 3.0, "weak_mean": 2.5}
    strong, average, weak = _split(figures, stricter)
    assert 10 < average < 66 - 10 and weak == 0 and strong + average == 66


def test_sources_disagree_about_a_few_arenas_of_strong_and_average_chiefs(demo_ws):
    r = demo_ws.table("frontline_review")
    spread = _spreads(r)
    flagged = spread[spread >= 2]
    assert 5 <= len(flagged) <= 10
    chiefs = set(flagged.index.get_level_values("person_id"))
    assert len(chiefs) >= 5
    strong = _strong_ids(r)
    assert chiefs & strong and chiefs - strong, "flags among the strong and the average alike"
    assert len(set(flagged.index.get_level_values("arena"))) >= 3
    shown = evaluation.frontline_flags(demo_ws, "2026", DEMO_AS_OF)
    assert set(zip(shown["person_id"], shown["arena"], strict=True)) == set(flagged.index)
    # each flagged arena's sources wrote different things
    for (pid, arena), _ in flagged.items():
        own = r[(r["person_id"] == pid) & (r["arena"] == arena)]
        assert own["evidence"].nunique() == 3


def test_the_instruments_are_declared_once_with_names_and_scales(demo_ws):
    i = demo_ws.table("instrument").set_index("code")
    assert i.loc[:, ["scale_min", "scale_max"]].to_dict("index") == {
        "theory_exam": {"scale_min": 0.0, "scale_max": 100.0},
        "party_spirit_review": {"scale_min": 0.0, "scale_max": 100.0},
        "case_exercise": {"scale_min": 0.0, "scale_max": 100.0},
        "self_rating": {"scale_min": 1.0, "scale_max": 5.0},
        "class_exam": {"scale_min": 0.0, "scale_max": 100.0},
    }
    assert i["name"].str.contains(r"[\u4e00-\u9fff]").all()
    assert i["name_en"].str.fullmatch(r"[A-Z][A-Za-z -]+").all()
    assert i["dimensions"].fillna("any").to_dict() == {
        "theory_exam": "theory",
        "party_spirit_review": "party_spirit",
        "case_exercise": "professional",
        "self_rating": "any",
        "class_exam": "any",
    }


def test_every_demo_score_lies_on_its_instruments_scale_and_dimensions(demo_ws):
    a = demo_ws.table("assessment").merge(
        demo_ws.table("instrument"), left_on="instrument", right_on="code", how="left", validate="many_to_one"
    )
    assert a["scale_min"].notna().all(), "a score on an instrument that is not declared"
    assert a["score"].between(a["scale_min"], a["scale_max"]).all()
    measured = a["dimensions"].isna() | (a["dimensions"] == a["dimension"])
    assert measured.all()
    self_rated = a[a["rater_role"] == "self"]
    assert set(self_rated["instrument"]) == {"self_rating"} and set(self_rated["phase"]) == {"pre", "post"}
    assert (self_rated["score"] * 10 == (self_rated["score"] * 10).round()).all()  # one decimal
    roles = a.groupby("instrument")["rater_role"].agg(set).to_dict()
    assert roles == {
        "theory_exam": {"training_office"},
        "party_spirit_review": {"peer"},
        "case_exercise": {"trainer"},
        "self_rating": {"self"},
        "class_exam": {"training_office"},
    }


def _shxf_scores(ws) -> tuple[pd.DataFrame, pd.DataFrame]:
    cohort = int(ws.table("cohort").set_index("code").loc["SHXF", "id"])
    a, e = ws.table("assessment"), ws.table("enrollment")
    return a[a["cohort_id"] == cohort], e[e["cohort_id"] == cohort]


def test_programme_tests_per_dimension_and_phase(demo_ws):
    """Each of the 76 takes the entry test on each dimension's own instrument; four are promoted
    away before the mid test, and by the final test two have withdrawn and ten are promoted."""
    scores, enrolled = _shxf_scores(demo_ws)
    for dimension, (instrument, rater) in PROGRAMME_TESTS.items():
        own = scores[(scores["dimension"] == dimension) & (scores["rater_role"] != "self")]
        assert set(zip(own["instrument"], own["rater_role"], strict=True)) == {(instrument, rater)}
        counts = own.groupby("phase").size().to_dict()
        assert counts == {"pre": 76, "mid": 72, "post": 64}, dimension
        for phase in ("mid", "post"):
            day = own.loc[own["phase"] == phase, "date"].iloc[0]
            on = enrolled[
                (enrolled["start_date"] < day) & (enrolled["end_date"].isna() | (enrolled["end_date"] >= day))
            ]
            assert set(own.loc[own["phase"] == phase, "person_id"]) == set(on["person_id"]), phase
        rated = scores[(scores["dimension"] == dimension) & (scores["rater_role"] == "self")]
        assert rated.groupby("phase").size().to_dict() == {"pre": 76, "post": 64}


def test_self_ratings_start_high_and_gain_less_surely_than_the_tests(demo_ws):
    scores, _ = _shxf_scores(demo_ws)
    wide = scores.pivot_table(index=["person_id", "dimension", "instrument"], columns="phase", values="score")
    wide = wide.dropna(subset=["pre", "post"]).reset_index()
    wide["gain"] = wide["post"] - wide["pre"]
    per = wide.groupby("instrument").agg(
        pre_mean=("pre", "mean"), pre_sd=("pre", "std"), gain=("gain", "mean"), gain_sd=("gain", "std")
    )
    per["standardized"] = per["gain"] / per["pre_sd"]  # the gain in entry-score spreads
    per["d_z"] = per["gain"] / per["gain_sd"]
    own, tests = per.loc["self_rating"], per.drop(index="self_rating")
    assert own["pre_mean"] >= 3.7, "people rate themselves high at entry"
    assert 0 < own["gain"] and (own["standardized"] < 0.5 * tests["standardized"]).all()
    assert (own["d_z"] < 0.5 * tests["d_z"]).all()


def test_comments_are_by_role_in_the_season_and_name_no_one(demo_ws):
    c = demo_ws.table("comment")
    reviewed = set(demo_ws.table("frontline_review")["person_id"])
    assert len(c) >= 400 and set(c["person_id"]) == reviewed
    assert c.groupby("person_id").size().between(6, 7).all()
    assert set(c["commenter_role"]) == ROLES and set(c["period"]) == {"2026"}
    assert c["arena"].dropna().isin(ARENAS).all() and c["arena"].isna().any()
    assert c["date"].between(*SEASON).all() and (c["date"] <= DEMO_AS_OF).all()
    names = set(demo_ws.table("person")["name"])
    assert not [t for t in c["text"] for name in names if name in t]
    assert not c["text"].str.contains(r"\d{6,}").any(), "an ID-like run of digits in a comment"
    assert c["text"].nunique() >= 35
    assert not c.duplicated(["person_id", "text"]).any(), "the same words twice about one chief"


def test_the_themes_dictionary_reads_the_comments_and_the_average_draw_more_concerns(demo_ws):
    read = evaluation.comments(demo_ws, "2026", DEMO_AS_OF)
    themes = evaluation.theme_summary(read, evaluation.themes_for(demo_ws)).set_index("theme")
    assert (themes.drop(index="untagged")["comments"] > 0).all(), "a theme no comment has"
    assert themes.loc["untagged", "comments"] < 0.2 * len(read)
    assert set(read["tone"]) == {"positive", "neutral", "concern"}
    strong = _strong_ids(demo_ws.table("frontline_review"))
    concern = (read["tone"] == "concern").groupby(read["person_id"].isin(strong)).mean()
    assert concern[False] > 1.5 * concern[True]


def test_a_national_scale_demo_gives_every_chief_an_id_of_their_own(tmp_path):
    """Past 99 copies the region digits roll over (0199 -> 0201): IDs stay unique and valid."""
    from cadre_lib.core.ids import validate_national_id

    with Workspace(tmp_path / "x101.sqlite") as ws:
        written = build_demo(ws, DemoSpec(scale=101))
        ids = ws.table("person", reveal_ids=True)["national_id"]
        assert written["person"] == len(ids) == ids.nunique()
        assert all(validate_national_id(i)[0] == i for i in ids.sample(500, random_state=1))
        assert set(ids.str[2:6]) == {f"{1 + u // 99:02d}{1 + u % 99:02d}" for u in range(101)}
        assert len(people.chiefs(ws, DEMO_AS_OF)) == 101 * 140
        audit = ws.table("audit_log")
        assert len(audit) == len([n for n in written.values() if n])  # one entry per table loaded


@pytest.mark.postgres
def test_the_demo_on_postgresql_holds_the_same_rows_as_on_sqlite(pg_schema_url, tmp_path):
    import sqlalchemy as sa

    from cadre_lib.core.schema import TABLES

    frames = []
    for url in (str(tmp_path / "s.sqlite"), pg_schema_url):
        with Workspace(url) as ws:
            build_demo(ws, DemoSpec(scale=2))
            frames.append(
                {t: ws.frame(sa.select(TABLES[t]).order_by(TABLES[t].c.id), reveal_ids=True).astype(str)
                 for t in TABLES if t != "audit_log"}
            )  # fmt: skip
    for table, frame in frames[0].items():
        pd.testing.assert_frame_equal(frame, frames[1][table], obj=table)
