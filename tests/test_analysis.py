"""Pure analyses checked against small hand-made frames."""

import datetime as dt

import pandas as pd

from cadre_lib import analysis


def test_chiefs_by_county_counts_posts_and_townships():
    chiefs = pd.DataFrame(
        {
            "person_id": [1, 2, 3, 4, 5],
            "county_code": ["C2", "C2", "C1", "C1", "C1"],
            "county": ["乙", "乙", "甲", "甲", "甲"],
            "county_en": ["B", "B", "A", "A", "A"],
            "township_code": ["T3", "T3", "T1", "T1", "T2"],
            "post": ["secretary", "head", "secretary", "head", "secretary"],
        }
    )
    out = analysis.chiefs_by_county(chiefs)
    assert out["county_en"].tolist() == ["A", "B"]  # county-code order
    assert out[["townships", "secretaries", "heads", "chiefs"]].values.tolist() == [
        [2, 2, 1, 3],
        [1, 1, 1, 2],
    ]


def test_cohort_summary_counts_only_what_happened_by_the_as_of_date():
    members = pd.DataFrame({"person_id": [1, 2], "status": ["active", "withdrawn"]})
    sessions = pd.DataFrame({"date": [dt.date(2026, 1, 5), dt.date(2026, 3, 1)], "hours": [4.0, 6.0]})
    attendance = pd.DataFrame(
        {
            "date": [dt.date(2026, 1, 5)] * 2 + [dt.date(2026, 3, 1)] * 2,
            "hours": [4.0, 4.0, 6.0, 6.0],
            "hours_credited": [4.0, 3.0, 6.0, 0.0],
        }
    )
    out = analysis.cohort_summary(members, sessions, attendance, dt.date(2026, 2, 1)).set_index("Figure")[
        "Value"
    ]
    assert out["Participants"] == "2" and out["Withdrawn"] == "1"
    assert out["Sessions held"] == "1" and out["Class hours held"] == "4.0"
    assert out["Attendance rate (hours credited / offered)"] == "87.5%"  # 7 of 8 hours
    assert out["Hours credited per participant"] == "3.5"


def test_overview_labels_every_table_in_both_languages():
    out = analysis.workspace_overview({"talk": 3, "unknown_table": 1})
    assert out.values.tolist() == [
        ["谈心谈话", "Supervisory talks", 3],
        ["unknown_table", "unknown_table", 1],
    ]


def test_for_display_gives_two_language_headers_and_labels_instead_of_codes():
    from cadre_lib import for_display

    frame = pd.DataFrame(
        {
            "name": ["王伟"],
            "status": ["withdrawn"],
            "format": ["site_visit"],
            "action": ["update"],
            "post": ["head"],
            "custom": [1],
        }
    )
    out = for_display(frame)
    assert list(out.columns) == [
        "姓名 Name",
        "状态 Status",
        "形式 Format",
        "操作 Action",
        "职务 Post",
        "custom",
    ]
    assert out.iloc[0].tolist() == [
        "王伟",
        "退出 Withdrawn",
        "专场观摩 On-site visit",
        "更新 update",
        "乡镇长/街道主任 Township head",
        1,
    ]
    assert for_display(pd.DataFrame({"status": ["late"]})).iloc[0, 0] == "迟到 Late"
    assert list(for_display(frame[["name"]], name_label="名称 Name").columns) == ["名称 Name"]
