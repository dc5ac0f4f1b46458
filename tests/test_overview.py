"""The national overview (by county, by cohort) and what national scale asks of the analyses:
figures from the database equal to a hand-written SQL statement and to each cohort's own
standings, and messages that stay short with thousands of cohorts."""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from cadre_lib import Workspace, delivery, people

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from overview_sql import cohort_sql, county_sql  # noqa: E402  (the benchmark's reference)

AS_OF = dt.date(2026, 11, 30)
DATES = [AS_OF, dt.date(2025, 6, 30), dt.date(2024, 12, 31)]


def _sql(ws: Workspace, query: str) -> pd.DataFrame:
    with ws.engine.connect() as conn:
        result = conn.exec_driver_sql(query)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _equal(mine: pd.DataFrame, theirs: pd.DataFrame, keys: list[str]) -> None:
    mine = mine.sort_values(keys, ignore_index=True)
    theirs = theirs[list(mine.columns)].sort_values(keys, ignore_index=True)
    theirs = theirs.astype({c: float for c in mine.columns if mine[c].dtype.kind in "fi"})
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("as_of", DATES)
def test_the_overview_equals_one_hand_written_sql_statement_per_table(demo_path, as_of):
    ws = Workspace(demo_path, readonly=True)
    dialect = ws.engine.dialect.name
    counties = delivery.county_overview(ws, as_of)
    _equal(counties, _sql(ws, county_sql(ws.rules, as_of, dialect)), ["county_code"])
    cohorts = delivery.cohort_overview(ws, as_of)
    _equal(cohorts, _sql(ws, cohort_sql(ws.rules, as_of, dialect)), ["cohort"])
    assert counties["chiefs_in_post"].sum() == len(people.chiefs(ws, as_of))


def test_the_overview_equals_its_sql_when_classes_name_an_assessment_and_a_threshold(
    url, tmp_path, monkeypatch
):
    """A department that names an assessment for some classes (one with scores, some failing and
    one missing; one with none yet) and an attendance threshold for a rotation: the overview, the
    hand-written SQL and each cohort's standings still agree, on SQLite and PostgreSQL."""
    from cadre_lib import build_demo, evaluation

    monkeypatch.setenv("CADRE_RULES", str(tmp_path / "rules.toml"))
    (tmp_path / "rules.toml").write_text(
        "[training]\ncompletion.cohorts.LX-2025B = 0.85\n"
        'completion.pass_instruments.TC-2025A = "strict_exam"\n'
        'completion.pass_instruments.TC-2026B = "strict_exam"\n'
        'completion.pass_instruments.TC-2025B = "class_exam"\n',
        encoding="utf-8",
    )
    with Workspace(url, clock=lambda: dt.datetime(2026, 11, 30, 9)) as ws:
        build_demo(ws)
        evaluation.declare_instrument(ws, "strict_exam", "结业测试（严）", 0, 100, pass_mark=75)
        members = people.cohort_members(ws, "TC-2025A")["person_id"].tolist()
        end = people.cohorts(ws).set_index("code").loc["TC-2025A", "end_date"]
        scores = {pid: 60 + (k * 7) % 35 for k, pid in enumerate(members[:-3])}  # three without
        evaluation.record_scores(
            ws, "TC-2025A", scores, instrument="strict_exam", dimension="theory", phase="post", date=end
        )
        cohorts = delivery.cohort_overview(ws, AS_OF)
        _equal(cohorts, _sql(ws, cohort_sql(ws.rules, AS_OF, ws.engine.dialect.name)), ["cohort"])
        got = cohorts.set_index("cohort")
        for code in ("TC-2025A", "TC-2026B", "TC-2025B", "LX-2025B"):
            status = delivery.cohort_standing(ws, code, AS_OF)["status"].value_counts()
            for column in ("completed", "not_completed", "pending"):
                assert got.loc[code, column] == status.get(column, 0), (code, column)
    # No score yet on its assessment: nobody has completed; those not failed already are waiting.
    assert got.loc["TC-2026B", "completed"] == 0 < got.loc["TC-2026B", "pending"]
    failing = sum(score < 75 for score in scores.values())
    assert got.loc["TC-2025A", "not_completed"] >= failing + 3 > 3


@pytest.mark.parametrize("as_of", DATES)
def test_each_cohorts_row_counts_what_its_own_standings_say(demo_path, as_of):
    ws = Workspace(demo_path, readonly=True)
    overview = delivery.cohort_overview(ws, as_of).set_index("cohort")
    for code, row in overview.iterrows():
        status = delivery.cohort_standing(ws, code, as_of)["status"].value_counts()
        assert row["participants"] == status.sum(), code
        for column, shown in (("closed", "ended"), ("completed", "completed"), ("pending", "pending")):
            assert row[column] == status.get(shown, 0), (code, column)
        for column in ("active", "promoted", "withdrawn", "not_completed"):
            assert row[column] == status.get(column, 0), (code, column)
        decided = row["completed"] + row["not_completed"]
        assert (
            row["completion_rate"] == pytest.approx(row["completed"] / decided)
            if decided
            else pd.isna(row["completion_rate"])
        )
    assert overview.loc["LX-2024A", ["completed", "not_completed"]].tolist() != [0, 0] or as_of.year < 2025


def test_a_countys_figures_recomputed_from_the_raw_tables(demo_path):
    """Chiefs in post, the attendance rate and the median hours this year, from the tables."""
    ws = Workspace(demo_path, readonly=True)
    t = ws.table("post_tenure")
    t = t[(pd.to_datetime(t["start_date"]) <= pd.Timestamp(AS_OF))]
    running = t[t["end_date"].isna() | (pd.to_datetime(t["end_date"]) > pd.Timestamp(AS_OF))]
    town = ws.table("township").set_index("id")["county_id"]
    county = ws.table("county").set_index("id")["name"]
    chiefs = running.drop_duplicates("person_id").assign(
        county=lambda f: f["township_id"].map(town).map(county)
    )
    s, a, c = ws.table("session"), ws.table("attendance"), ws.table("cohort")
    s = s[
        (pd.to_datetime(s["date"]).dt.year == AS_OF.year) & (pd.to_datetime(s["date"]) <= pd.Timestamp(AS_OF))
    ]
    s = s[s["cohort_id"].map(c.set_index("id")["kind"]).isin(ws.rules.counts_toward_yearly)]
    marks = a.merge(s[["id", "hours"]], left_on="session_id", right_on="id")
    marks["credited"] = marks["hours"] * marks["status"].map(dict(ws.rules.credit)).astype(float)
    per = marks.groupby("person_id")[["credited", "hours"]].sum()
    chiefs = chiefs.join(per, on="person_id").fillna({"credited": 0.0, "hours": 0.0})
    expected = chiefs.groupby("county").agg(
        chiefs_in_post=("person_id", "size"),
        median_hours=("credited", "median"),
        c=("credited", "sum"),
        h=("hours", "sum"),
    )
    got = delivery.county_overview(ws, AS_OF).set_index("county")
    assert got["chiefs_in_post"].to_dict() == expected["chiefs_in_post"].to_dict()
    assert got["median_hours"].to_dict() == pytest.approx(expected["median_hours"].to_dict())
    assert got["attendance_rate"].to_dict() == pytest.approx((expected["c"] / expected["h"]).to_dict())
    yearly = delivery.yearly_compliance(ws, AS_OF)
    on_track = (
        yearly[yearly["in_post"]].groupby("county")["short"].apply(lambda x: int((~x.astype(bool)).sum()))
    )
    assert got["on_track"].to_dict() == on_track.to_dict()


@pytest.mark.postgres
def test_the_overview_answers_alike_on_postgresql(pg_schema_url, demo_path):
    from cadre_lib import build_demo

    with Workspace(pg_schema_url) as ws:
        build_demo(ws)
    ws = Workspace(pg_schema_url)
    lite = Workspace(demo_path, readonly=True)
    counties = delivery.county_overview(ws, AS_OF)
    _equal(counties, delivery.county_overview(lite, AS_OF), ["county_code"])
    _equal(counties, _sql(ws, county_sql(ws.rules, AS_OF, "postgresql")), ["county_code"])
    cohorts = delivery.cohort_overview(ws, AS_OF)
    _equal(cohorts, delivery.cohort_overview(lite, AS_OF), ["cohort"])
    _equal(cohorts, _sql(ws, cohort_sql(ws.rules, AS_OF, "postgresql")), ["cohort"])


def test_days_in_post_count_overlapping_posts_once():
    tenures = pd.DataFrame(
        {
            "person_id": [1, 1, 1, 2, 3],
            "start_date": ["2026-01-01", "2026-03-01", "2026-02-01", "2025-06-01", "2026-12-01"],
            "end_date": ["2026-04-01", None, "2026-02-11", "2026-01-11", None],
        }
    )
    days = delivery.post_days(tenures, dt.date(2026, 11, 30))
    # 1: Jan to March, then from March on to the year's end: every day of 2026 once.
    # 2: ten days of January. 3: starts after the as-of date: not counted.
    assert days.to_dict() == {1: 365.0, 2: 10.0}


def test_an_unknown_cohort_is_named_with_the_closest_and_not_with_thousands(tmp_path):
    with Workspace(tmp_path / "ws.sqlite") as ws:
        rows = [(i, f"K-{i:04d}", f"班{i}", "class", dt.date(2026, 1, 1)) for i in range(1, 3001)]
        ws.bulk_insert("cohort", ["id", "code", "name", "kind", "start_date"], rows)
        with pytest.raises(Exception) as refused:
            delivery.cohort_standing(ws, "K-12345", AS_OF)
    message = str(refused.value)
    assert message.startswith("没有该培训项目 no cohort 'K-12345'")
    assert "K-1234" in message and "(3,000 in all)" in message and len(message) < 300


def test_the_indexes_of_a_national_workspace_come_and_go_with_their_migration(demo_path, tmp_path):
    from conftest import downgrade

    path = tmp_path / "demo.sqlite"
    path.write_bytes(demo_path.read_bytes())
    downgrade(path, "0007")
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "ix_session_cohort_date" not in names
    with Workspace(path) as ws:
        inspector = sa.inspect(ws.engine)
        found = {
            i["name"] for t in ("session", "post_tenure", "enrollment") for i in inspector.get_indexes(t)
        }
        assert {
            "ix_session_cohort_date",
            "ix_session_date",
            "ix_post_tenure_person",
            "ix_enrollment_person",
        } <= found
        assert len(delivery.cohort_standing(ws, "SHXF", AS_OF)) == 76


def test_migration_0009_reads_why_earlier_withdrawals_ended(demo_path, tmp_path):
    """A workspace of the version before end reasons: each withdrawal ended the day before (or
    on) a promotion of the same person in the ledger is read as promoted, any other as withdrawn,
    and an enrolment still running has none, so its figures show the promoted apart at once."""
    from conftest import downgrade

    path = tmp_path / "demo.sqlite"
    path.write_bytes(demo_path.read_bytes())
    with sqlite3.connect(path) as conn:  # a withdrawal the demo did not write: no promotion follows
        conn.execute(
            "UPDATE enrollment SET status = 'withdrawn', end_date = '2025-06-30' WHERE id = "
            "(SELECT MIN(id) FROM enrollment WHERE status = 'active' AND cohort_id = "
            "(SELECT id FROM cohort WHERE code = 'SHXF'))"
        )
    downgrade(path, "0008")
    with sqlite3.connect(path) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(enrollment)")}
    assert "end_reason" not in columns
    with Workspace(path) as ws:  # opened for writing: upgraded to the newest schema
        e = ws.table("enrollment").set_index("id")
        promotions = ws.table("outcome").query("kind == 'promotion'")
        promoted_on = set(zip(promotions["person_id"], promotions["date"], strict=True))
        expected = {}
        for row in e[e["status"] == "withdrawn"].itertuples():
            days = (row.end_date, row.end_date + dt.timedelta(days=1))
            promoted = any((row.person_id, day) in promoted_on for day in days)
            expected[row.Index] = "promoted" if promoted else "withdrawn"
        assert e["end_reason"].dropna().to_dict() == expected
        # The demo wrote the reasons it knew; the migration read the same from the ledger.
        with Workspace(demo_path, readonly=True) as demo:
            written = demo.table("enrollment").set_index("id")["end_reason"].dropna().to_dict()
        assert {k: v for k, v in expected.items() if k in written} == written
        assert sorted(set(expected) - set(written)) == [
            int(e.index[e["end_date"] == dt.date(2025, 6, 30)][0])
        ]
        assert list(expected.values()).count("promoted") > 10
        shxf = delivery.cohort_overview(ws, AS_OF).set_index("cohort").loc["SHXF"]
        in_shxf = e.index[e["cohort_id"] == ws.id_of("cohort", "code", "SHXF")]
        reasons = pd.Series(expected).reindex(in_shxf).value_counts()
        assert (shxf["promoted"], shxf["withdrawn"]) == (reasons["promoted"], reasons["withdrawn"])


def test_a_sheet_with_no_marks_yet_reads_unmarked_for_everyone_enrolled():
    members = pd.DataFrame(
        {
            "person_id": [2, 1],
            "name": ["乙", "甲"],
            "start_date": ["2026-01-01", "2026-03-05"],
            "end_date": [None, None],
        }
    )
    sessions = pd.DataFrame(
        {
            "id": [7, 8],
            "date": ["2026-03-02", "2026-03-09"],
            "format": "lecture",
            "topic": "讲座",
            "hours": 3.0,
        }
    )
    no_marks = pd.DataFrame(columns=["session_id", "person_id", "status", "hours_credited", "hours"])
    grid = delivery.attendance_matrix(members, sessions, no_marks)
    assert grid.index.tolist() == ["甲", "乙"]
    assert pd.isna(grid.iloc[0, 0])  # 甲 joined after the first session: not on its sheet
    assert grid.iloc[0, 1] == "unmarked" and grid.iloc[1].tolist() == ["unmarked", "unmarked"]
    by_session = delivery.attendance_by_session(sessions, no_marks, members).set_index("session_id")
    assert by_session["missing"].to_dict() == {7: 1, 8: 2}


@pytest.fixture(scope="module")
def seven_prefectures(tmp_path_factory):
    """The demo built seven times over: 42 counties, 980 chiefs, 84 cohorts."""
    from cadre_lib import build_demo
    from cadre_lib.demo import DemoSpec

    path = tmp_path_factory.mktemp("scale") / "ws.sqlite"
    with Workspace(path) as ws:
        build_demo(ws, DemoSpec(scale=7))
    return path


def test_charts_of_many_counties_or_cohorts_draw_forty_and_say_how_many_in_all(seven_prefectures):
    import matplotlib

    matplotlib.use("Agg")
    ws = Workspace(seven_prefectures, readonly=True)
    ax = people.plot_chiefs_by_county(people.chiefs_by_county(people.chiefs(ws, AS_OF)))
    assert (
        len(ax.get_yticklabels()) == 40 and "共42个" in ax.get_title() and "first 40 of 42" in ax.get_title()
    )
    ax = delivery.plot_format_mix(delivery.format_mix(delivery.all_sessions(ws)))
    assert len(ax.get_yticklabels()) == 40 and "latest 40 of 84" in ax.get_title()
    assert ax.get_yticklabels()[-1].get_text() == delivery.format_mix(delivery.all_sessions(ws)).index[-1]
    small = people.plot_chiefs_by_county(people.chiefs_by_county(people.chiefs(ws, AS_OF)).head(6))
    assert "共" not in small.get_title()  # nothing left out, nothing said


def test_a_widgets_table_of_a_national_list_shows_two_hundred_and_says_how_many(seven_prefectures):
    from cadre_lib.delivery.widgets import yearly_view

    view = yearly_view(Workspace(seven_prefectures, readonly=True), AS_OF)
    shown = view.table.value
    assert "显示前 200 人，共 " in shown and "Showing the first 200 of" in shown
    assert shown.count("<tr") == 201  # the header and 200 chiefs
