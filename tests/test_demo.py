"""The demo workspace: calibrated to the report's figures, and the same for the same seed."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd
import pytest

from cadre_lib import DemoSpec, Workspace, WorkspaceError, build_demo, delivery, evaluation, people
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

    classes = evaluation.frontline_classification(ws, "2026", DEMO_AS_OF)["rating"].value_counts()
    assert classes.to_dict() == {"strong": 58, "average": 8}
    assert set(ws.table("frontline_review")["arena"]) == {
        "investment",
        "projects",
        "rural",
        "governance",
        "public_opinion",
    }
    assert ws.counts()["comment"] > 400

    talks = ws.table("talk")
    assert (pd.to_datetime(talks["date"]).dt.year == DEMO_AS_OF.year).sum() > 200

    out = ws.table("outcome")
    years = pd.to_datetime(out["date"]).dt.year
    assert ((out["kind"] == "promotion") & years.isin([2025, 2026])).sum() == 15
    assert ((out["kind"] == "rank_promotion") & (years == 2025)).sum() == 10
    assert ((out["kind"] == "rank_promotion") & (years == 2026)).sum() > 10  # "more this year"
    assert (out["kind"] == "merit").sum() == 7
    reviewed = out[(out["kind"] == "discipline") & out["reviewed_on"].notna()]
    assert len(reviewed) == 8 and (pd.to_datetime(reviewed["impact_end"]) < pd.Timestamp(DEMO_AS_OF)).all()

    assessments = ws.table("assessment")
    for phase in ("pre", "mid", "post"):
        scores = assessments[assessments["phase"] == phase]
        assert set(scores["dimension"]) == {"party_spirit", "theory", "professional"}
    shxf = people.cohorts(ws).set_index("code").loc["SHXF", "id"]
    tests = assessments[(assessments["cohort_id"] == shxf) & (assessments["rater_role"] != "self")]
    per_phase = tests.groupby(["dimension", "phase"]).size().unstack()
    assert (
        (per_phase["pre"] == 76).all() and (per_phase["mid"] <= 76).all() and (per_phase["post"] > 60).all()
    )
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
            ("enrollment", "start_date"),
        ):
            assert (pd.to_datetime(ws.table(table)[column]) <= pd.Timestamp(as_of)).all(), table
        rotations = ws.table("cohort").query("kind == 'rotation'")
        assert set(rotations["code"]) == {"LX-2024A", "LX-2024B", "LX-2025A", "LX-2025B"}


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


def test_the_demo_review_split_rederived_from_the_raw_ratings(demo_ws):
    """58 strong and 8 average by the default [frontline] rule, recomputed here from the stored
    ratings with pandas; at least five arenas whose sources are two levels apart."""
    r = demo_ws.table("frontline_review")
    assert set(r["source"]) == {"look", "hear", "ask"} and r["level"].between(1, 5).all()
    per_chief = r.groupby("person_id")
    assert (per_chief.size() == 15).all() and len(per_chief) == 66
    assert (r.groupby(["person_id", "arena"])["source"].nunique() == 3).all()
    days = pd.to_datetime(r["date"])
    assert days.between("2026-05-01", "2026-09-28").all() and (days <= pd.Timestamp(DEMO_AS_OF)).all()
    mean = per_chief["level"].mean()
    lowest_arena = r.groupby(["person_id", "arena"])["level"].mean().groupby("person_id").min()
    strong = (mean >= 3.8) & (lowest_arena >= 3.0)
    weak = mean < 2.5
    assert (int(strong.sum()), int((~strong & ~weak).sum()), int(weak.sum())) == (58, 8, 0)
    computed = evaluation.frontline_classification(demo_ws, "2026", DEMO_AS_OF).set_index("person_id")[
        "rating"
    ]
    assert (computed[strong[strong].index] == "strong").all() and (
        computed[strong[~strong].index] == "average"
    ).all()
    spread = r.groupby(["person_id", "arena"])["level"].agg(lambda v: v.max() - v.min())
    assert (spread >= 2).sum() >= 5 and (spread >= 2).groupby("person_id").any().sum() >= 5
    assert len(evaluation.frontline_flags(demo_ws, "2026", DEMO_AS_OF)) == (spread >= 2).sum()


def test_every_demo_score_lies_on_its_instruments_scale_and_dimensions(demo_ws):
    a = demo_ws.table("assessment").merge(
        demo_ws.table("instrument"), left_on="instrument", right_on="code", how="left", validate="many_to_one"
    )
    assert a["scale_min"].notna().all(), "a score on an instrument that is not declared"
    assert a["score"].between(a["scale_min"], a["scale_max"]).all()
    measured = a["dimensions"].isna() | a.apply(
        lambda r: r["dimension"] in str(r["dimensions"]).split(","), axis=1
    )
    assert measured.all()
    assert set(a["rater_role"]) <= {"self", "peer", "trainer", "training_office", "supervisor"}
    self_rated = a[a["rater_role"] == "self"]
    assert set(self_rated["instrument"]) == {"self_rating"} and set(self_rated["phase"]) == {"pre", "post"}


def test_demo_comments_name_no_one_and_are_read_by_the_dictionary(demo_ws):
    c = demo_ws.table("comment")
    assert len(c) > 400 and set(c["commenter_role"]) <= {"party_member", "cadre", "company", "resident"}
    names = set(demo_ws.table("person")["name"])
    assert not any(name in text for text in c["text"] for name in names)
    read = evaluation.comments(demo_ws, "2026", DEMO_AS_OF)
    tones = read["tone"].value_counts()
    assert tones["positive"] > tones["concern"] > 50
    themes = evaluation.theme_summary(read, evaluation.themes_for(demo_ws)).set_index("theme")
    assert (themes.drop(index="untagged")["comments"] > 0).all()
    assert themes.loc["untagged", "comments"] < len(read) * 0.2
