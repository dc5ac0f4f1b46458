"""Pure analyses checked against small hand-made frames."""

import datetime as dt

import pandas as pd

from cadre_lib import analysis


def test_chiefs_by_county_counts_posts_and_townships():
    chiefs = pd.DataFrame({
        "person_id": [1, 2, 3, 4, 5],
        "county_code": ["C2", "C2", "C1", "C1", "C1"],
        "county": ["乙", "乙", "甲", "甲", "甲"], "county_en": ["B", "B", "A", "A", "A"],
        "township_code": ["T3", "T3", "T1", "T1", "T2"],
        "post": ["secretary", "head", "secretary", "head", "secretary"],
    })
    out = analysis.chiefs_by_county(chiefs)
    assert out["county_en"].tolist() == ["A", "B"]  # county-code order
    assert out[["townships", "secretaries", "heads", "chiefs"]].values.tolist() == [[2, 2, 1, 3], [1, 1, 1, 2]]


def test_cohort_summary_counts_only_what_happened_by_the_as_of_date():
    members = pd.DataFrame({"person_id": [1, 2], "status": ["active", "withdrawn"]})
    sessions = pd.DataFrame({"date": [dt.date(2026, 1, 5), dt.date(2026, 3, 1)], "hours": [4.0, 6.0]})
    attendance = pd.DataFrame({
        "date": [dt.date(2026, 1, 5)] * 2 + [dt.date(2026, 3, 1)] * 2,
        "hours": [4.0, 4.0, 6.0, 6.0], "hours_credited": [4.0, 3.0, 6.0, 0.0],
    })
    out = analysis.cohort_summary(members, sessions, attendance, dt.date(2026, 2, 1)).set_index("Figure")["Value"]
    assert out["Participants"] == "2" and out["Withdrawn"] == "1"
    assert out["Sessions held"] == "1" and out["Class hours held"] == "4.0"
    assert out["Attendance rate (hours credited / offered)"] == "87.5%"  # 7 of 8 hours
    assert out["Hours credited per participant"] == "3.5"


def test_overview_labels_every_table_in_both_languages():
    out = analysis.workspace_overview({"talk": 3, "unknown_table": 1})
    assert out.values.tolist() == [["谈心谈话", "Supervisory talks", 3], ["unknown_table", "unknown_table", 1]]
