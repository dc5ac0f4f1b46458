"""The demo workspace: calibrated to the report's figures, and the same for the same seed."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd
import pytest

from cadre_lib import DemoSpec, Workspace, WorkspaceError, build_demo, delivery, people
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

    overall = ws.table("frontline_review").query("arena == 'overall'")["rating"].value_counts()
    assert (overall["strong"], overall["average"]) == (58, 8)
    arenas = set(ws.table("frontline_review")["arena"]) - {"overall"}
    assert arenas == {"investment", "projects", "rural", "governance", "public_opinion"}
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
        for table, column in (("session", "date"), ("talk", "date"), ("assessment", "date")):
            assert (pd.to_datetime(ws.table(table)[column]) <= pd.Timestamp(as_of)).all(), table
