"""Pure analyses checked against small hand-made frames, and how for_display shows them."""

import datetime as dt

import pandas as pd

from cadre_lib import delivery, for_display, people


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
    out = people.chiefs_by_county(chiefs)
    assert out["county_en"].tolist() == ["A", "B"]  # county-code order
    assert out[["townships", "secretaries", "heads", "chiefs"]].values.tolist() == [
        [2, 2, 1, 3],
        [1, 1, 1, 2],
    ]


def test_cohort_summary_counts_only_what_happened_by_the_as_of_date():
    members = pd.DataFrame(
        {
            "person_id": [1, 2, 3],
            "status": ["active", "withdrawn", "active"],
            "start_date": [dt.date(2026, 1, 1)] * 2 + [dt.date(2026, 3, 1)],  # 3 joins after the date
            "end_date": [None, dt.date(2026, 1, 20), None],
        }
    )
    sessions = pd.DataFrame(
        {"id": [1, 2], "date": [dt.date(2026, 1, 5), dt.date(2026, 3, 1)], "hours": [4.0, 6.0]}
    )
    attendance = pd.DataFrame(
        {
            "session_id": [1, 1, 2, 2],
            "person_id": [1, 2, 1, 3],
            "date": [dt.date(2026, 1, 5)] * 2 + [dt.date(2026, 3, 1)] * 2,
            "hours": [4.0, 4.0, 6.0, 6.0],
            "hours_credited": [4.0, 3.0, 6.0, 0.0],
        }
    )
    out = delivery.cohort_summary(members, sessions, attendance, dt.date(2026, 2, 1))
    figures = out.set_index("figure")["value"]
    assert figures["participants"] == 2 and figures["withdrawn"] == 1
    assert figures["sessions_held"] == 1 and figures["hours_held"] == 4.0
    assert figures["attendance_rate"] == 7 / 8  # a number: 7 of 8 hours
    assert figures["hours_per_participant"] == 3.5
    assert figures["sessions_unmarked"] == 0 and figures["marks_missing"] == 0
    shown = for_display(out).set_index("指标 Figure")["数值 Value"]
    assert shown["出勤率 Attendance rate (hours credited / hours marked)"] == "88%"
    assert shown["参训人数 Participants"] == "2"


def test_the_overview_labels_every_table_in_both_languages(demo_ws):
    shown = for_display(demo_ws.overview()).set_index("内容 What")["行数 Rows"]
    assert shown["谈心谈话 Supervisory talks"] == demo_ws.counts()["talk"]


def test_warnings_are_codes_and_numbers_worded_for_display():
    table = pd.DataFrame(
        {
            "person_id": [1],
            "name": ["王伟"],
            "county": ["甲县"],
            "township": ["乙镇"],
            "post": ["head"],
            "status": ["active"],
            "reason": [None],
            "below": [True],
            "rate": [0.5],
            "marked_hours": [10.0],
            "threshold": [0.8],
            "gap_hours": [3.0],
            "below_since": [dt.date(2026, 3, 1)],
            "leave_over": [False],
            "leave_hours": [0.0],
            "leave_limit_hours": [None],
            "year_target": [90.0],
            "year_credited": [5.0],
            "year_projected": [95.0],
            "year_short": [False],
        }
    )
    warnings = delivery.warnings_list(table)
    assert warnings[["warning", "hours_short"]].values.tolist() == [["below_completion", 3.0]]
    shown = for_display(warnings).iloc[0]
    assert shown["预警 Warning"] == "低于结业要求 Below the completion threshold"
    assert shown["职务 Post"] == "乡镇长/街道主任 Township head" and shown["县（区） County"] == "甲县"
    assert shown["说明 Detail"].startswith("出勤率50%（已记考勤10.0学时），低于结业要求80%，还差3.0学时 ")
    assert shown["缺口学时 Hours short"] == "3.0" and shown["出勤率 Rate"] == "50%"


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
