"""Sessions, attendance and feedback in the workspace: the rules, the refusals, the conflicts."""

from __future__ import annotations

import datetime as dt

import pytest

from cadre_lib import ConflictError, InvalidEntry, Workspace, delivery, people
from cadre_lib.core.export import write_xlsx
from cadre_lib.delivery import export_delivery
from cadre_lib.demo import DEMO_AS_OF

D = dt.date


def test_a_series_is_laid_out_at_once_or_not_at_all(any_demo):
    before = len(delivery.cohort_sessions(any_demo, "GCDJT"))
    days = [D(2027, m, 18) for m in range(3, 10)]
    ids = delivery.add_series(any_demo, "GCDJT", days, "lecture", "院士讲座", 3)
    assert len(ids) == 7 and len(delivery.cohort_sessions(any_demo, "GCDJT")) == before + 7
    with pytest.raises(InvalidEntry, match="between 0.5 and 24"):
        delivery.add_series(any_demo, "GCDJT", days, "lecture", "x", 30)
    with pytest.raises(InvalidEntry, match="2 dates but 3 topics"):
        delivery.add_series(any_demo, "GCDJT", days[:2], "lecture", ["a", "b", "c"], 3)
    with pytest.raises(InvalidEntry, match="专题研讨"):
        delivery.add_series(any_demo, "GCDJT", days[:1], "webinar", "x", 3)
    assert len(delivery.cohort_sessions(any_demo, "GCDJT")) == before + 7


def _last_session(ws, cohort="SHXF"):
    s = delivery.cohort_sessions(ws, cohort)
    return s[s["date"] <= DEMO_AS_OF].iloc[-1]


def test_marks_credit_hours_by_the_rules_and_say_what_changed(any_demo):
    session = _last_session(any_demo)
    sheet = delivery.attendance_sheet(any_demo, int(session["id"]))
    who = sheet[sheet["status"] == "present"].iloc[0]
    result = delivery.mark_attendance(
        any_demo, int(session["id"]), {int(who.person_id): "late"}, {int(who.person_id): int(who.version)}
    )
    assert result.changed == [(int(who.person_id), "present", "late")]
    assert f"{who['name']} 出勤→迟到" in result.message({int(who.person_id): who["name"]})
    row = delivery.attendance_sheet(any_demo, int(session["id"])).set_index("person_id").loc[who.person_id]
    assert row["hours_credited"] == session["hours"] * 0.75 and row["version"] == who.version + 1


def test_a_mark_someone_else_saved_meanwhile_is_not_overwritten(any_demo):
    sid = int(_last_session(any_demo)["id"])
    sheet = delivery.attendance_sheet(any_demo, sid)
    pid, version = int(sheet["person_id"].iloc[0]), sheet["version"].iloc[0]
    seen = None if version is None or version != version else int(version)
    first = delivery.mark_attendance(any_demo, sid, {pid: "excused"}, {pid: seen})
    assert first.changed
    second = delivery.mark_attendance(
        any_demo, sid, {pid: "absent"}, {pid: seen}
    )  # read before the first save
    assert second.changed == [] and second.conflicts == [(pid, "absent", "excused", "tester")]
    assert "saved by tester as 请假" in second.message() and "tester已记“请假”" in second.message()
    assert delivery.attendance_sheet(any_demo, sid).set_index("person_id").loc[pid, "status"] == "excused"


def test_bad_marks_refuse_the_whole_save(any_demo):
    sid = int(_last_session(any_demo)["id"])
    sheet = delivery.attendance_sheet(any_demo, sid)
    good, before = int(sheet["person_id"].iloc[1]), any_demo.counts()
    with pytest.raises(InvalidEntry, match="not an attendance status"):
        delivery.mark_attendance(any_demo, sid, {good: "absent", int(sheet["person_id"].iloc[2]): "sick"}, {})
    with pytest.raises(InvalidEntry, match="not enrolled"):
        delivery.mark_attendance(any_demo, sid, {99999: "present"}, {})
    assert any_demo.counts() == before


def test_a_participant_who_joined_later_is_not_on_earlier_sheets(fresh_demo):
    members = people.cohort_members(fresh_demo, "SHXF")
    late = members[members["start_date"] == D(2025, 7, 1)]["person_id"].iloc[0]
    first = delivery.cohort_sessions(fresh_demo, "SHXF").iloc[0]
    assert late not in set(delivery.attendance_sheet(fresh_demo, int(first["id"]))["person_id"])
    assert late in set(
        delivery.attendance_sheet(fresh_demo, int(_last_session(fresh_demo)["id"]))["person_id"]
    )


def test_editing_hours_recredits_attendance_and_detects_conflicts(any_demo):
    session = _last_session(any_demo)
    sid, version = int(session["id"]), int(session["version"])
    done = delivery.edit_session(any_demo, sid, version, hours=4.0)
    assert done == {"hours": (3.0, 4.0)}
    sheet = delivery.attendance_sheet(any_demo, sid)
    assert set(sheet.loc[sheet["status"] == "present", "hours_credited"]) == {4.0}
    with pytest.raises(ConflictError):
        delivery.edit_session(any_demo, sid, version, topic="stale edit")


def test_a_rules_file_beside_the_workspace_changes_the_credit(demo_path, tmp_path):
    import shutil

    shutil.copyfile(demo_path, tmp_path / "ws.sqlite")
    (tmp_path / "rules.toml").write_text("[attendance]\ncredit.late = 0.5\n")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        assert ws.rules_path == tmp_path / "rules.toml"
        sid = int(_last_session(ws)["id"])
        sheet = delivery.attendance_sheet(ws, sid)
        pid = int(sheet.loc[sheet["status"] == "present", "person_id"].iloc[0])
        delivery.mark_attendance(
            ws, sid, {pid: "late"}, {pid: int(sheet.set_index("person_id").loc[pid, "version"])}
        )
        assert delivery.attendance_sheet(ws, sid).set_index("person_id").loc[pid, "hours_credited"] == 1.5


def test_feedback_is_rated_1_to_5_and_a_second_rating_replaces_the_first(fresh_demo):
    sid = int(_last_session(fresh_demo)["id"])
    pid = int(delivery.attendance_sheet(fresh_demo, sid)["person_id"].iloc[0])
    first = delivery.record_feedback(fresh_demo, sid, pid, 4, 5, "有用")
    assert delivery.record_feedback(fresh_demo, sid, pid, 2, 3) == first
    rows = delivery.session_feedback(fresh_demo, "SHXF").query("session_id == @sid and person_id == @pid")
    assert rows[["usefulness", "relevance"]].values.tolist() == [[2, 3]]
    with pytest.raises(InvalidEntry, match="1 \\(not at all\\) to 5"):
        delivery.record_feedback(fresh_demo, sid, pid, 6, 3)


def test_the_demo_has_a_year_of_delivery_for_every_cohort(demo_ws):
    sessions = delivery.all_sessions(demo_ws)
    for code in people.cohorts(demo_ws)["code"]:
        held = sessions[(sessions["cohort"] == code) & (sessions["date"] <= DEMO_AS_OF)]
        assert len(held) > 0, code
        assert len(delivery.cohort_attendance(demo_ws, code)) > 0, code
    assert demo_ws.counts()["session_feedback"] > 1000


def test_exports_never_run_formulas_and_mask_ids(tmp_path, fresh_demo):
    import pandas as pd
    from openpyxl import load_workbook

    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("x")', "+1", "-2", "@A1", "王伟"],
            "national_id": ["11010519491231002X"] * 5,
            "hours": [-3.0, 1, 2, 3, 4],
        }
    )
    book = load_workbook(write_xlsx(tmp_path / "x.xlsx", {"S": frame}))
    cells = list(book["S"].iter_rows(min_row=2, values_only=False))
    assert all(row[0].data_type == "s" for row in cells)  # text, not formula
    assert {row[1].value for row in cells} == {"110105**********2X"}
    assert cells[0][2].value == -3.0 and cells[0][2].data_type == "n"

    path = export_delivery(fresh_demo, "SHXF", DEMO_AS_OF, tmp_path / "exports")
    book = load_workbook(path)
    assert book.sheetnames == [
        "签到表 Sign-in",
        "未记考勤 Unmarked",
        "学时情况 Standing",
        "预警 Warnings",
        "年度要求 Yearly",
    ]
    sheet = book["签到表 Sign-in"]
    first = next(r for r in range(1, 6) if sheet.cell(r, 1).value == "姓名") + 2  # under both headers
    statuses = {c for row in sheet.iter_rows(min_row=first, min_col=2, values_only=True) for c in row}
    assert statuses - {None} <= {"出勤", "迟到", "早退", "请假", "缺勤", "未记"}


def test_the_export_is_a_report_a_trainer_can_print(tmp_path, fresh_demo):
    from openpyxl import load_workbook

    path = export_delivery(fresh_demo, "TC-2026B", DEMO_AS_OF, tmp_path)
    standing = load_workbook(path)["学时情况 Standing"]
    title = str(standing.cell(1, 1).value)
    assert "社会治理专题培训班" in title and "TC-2026B" in title and "2026-11-30" in title
    assert "学时情况" in title  # each sheet says what it is
    assert str(load_workbook(path)["年度要求 Yearly"].cell(1, 1).value).startswith("乡镇党政正职年度培训情况")
    # Under the title, the rules the figures follow: the regulation's cited, the department's marked.
    rules = str(standing.cell(2, 1).value)
    assert rules.startswith("计入学时：出勤100%、迟到75%（待部门确认）")
    assert "\n结业：请假和缺勤累计不超过总学时的1/7（《干部教育培训工作条例》）" in rules
    header = [c.value for c in standing[3]]
    english = [c.value for c in standing[4]]
    assert header[:3] == ["姓名", "县（区）", "乡镇（街道）"] and english[:3] == [
        "Name",
        "County",
        "Township",
    ]
    assert standing.freeze_panes in ("A5", "B5")
    rows = list(standing.iter_rows(min_row=5, values_only=False))
    column = {h: k for k, h in enumerate(header)}
    statuses = {r[column["状态"]].value for r in rows}
    assert statuses <= {"结业 Completed", "未结业 Not completed", "退出 Withdrawn"}
    rate = rows[0][column["出勤率"]]
    assert isinstance(rate.value, float) and rate.number_format == "0%"  # a percentage, still a number
    assert rows[0][column["获得学时"]].number_format == "0.0"
    assert {r[column["低于要求"]].value for r in rows} <= {"是", "否"}  # never TRUE/FALSE
    warnings = load_workbook(path)["预警 Warnings"]
    details = [r[7] for r in warnings.iter_rows(min_row=5, values_only=True)]
    assert details and all(d.startswith("未结业：") for d in details)


def test_text_longer_than_its_column_is_refused_on_every_database(any_demo):
    with pytest.raises(InvalidEntry, match="topic is too long: at most 256"):
        delivery.add_session(any_demo, "GCDJT", D(2027, 3, 18), "lecture", "长" * 300, 3)


def test_only_those_who_attended_can_rate_a_session(fresh_demo):
    sid = int(_last_session(fresh_demo)["id"])
    sheet = delivery.attendance_sheet(fresh_demo, sid)
    away = sheet.loc[sheet["status"].isin(["absent", "excused"]), "person_id"]
    with pytest.raises(InvalidEntry, match="only participants who attended"):
        delivery.record_feedback(fresh_demo, sid, int(away.iloc[0]), 3, 3)


def test_a_schedule_import_that_changes_hours_recredits_the_marks(fresh_demo, tmp_path):
    from cadre_lib.importers import import_sessions
    from cadre_lib.samples import write_xlsx

    session = _last_session(fresh_demo)
    rows = [
        ["培训项目", "日期", "形式", "主题", "学时"],
        ["SHXF", str(session["date"]), session["format"], session["topic"], 6],
    ]
    report = import_sessions(fresh_demo, write_xlsx(tmp_path / "s.xlsx", {"s": rows}))
    assert report.updated == 1
    sheet = delivery.attendance_sheet(fresh_demo, int(session["id"]))
    assert set(sheet.loc[sheet["status"] == "present", "hours_credited"]) == {6.0}
    assert set(sheet.loc[sheet["status"] == "late", "hours_credited"]) <= {4.5}


def test_a_cohort_with_no_participants_has_an_empty_standing_and_sheet(fresh_demo):
    from cadre_lib.delivery.widgets import sign_in_sheet as attendance_sheet

    people.add_cohort(fresh_demo, "EMPTY", "空班", "class", D(2026, 11, 1))
    delivery.add_session(fresh_demo, "EMPTY", D(2026, 11, 2), "lecture", "开班", 3)
    table = delivery.cohort_standing(fresh_demo, "EMPTY", DEMO_AS_OF)
    assert table.empty and "credited" in table.columns
    sheet = attendance_sheet(fresh_demo, "EMPTY", DEMO_AS_OF)
    assert sheet.model.sheet.empty and "<tbody></tbody>" in sheet.standing.value
