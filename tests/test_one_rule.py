"""One rule, one place: every path that decides the same thing decides it alike.

- Who is on a session's sheet: the sheet, marking, the sign-in import and feedback agree, for
  a withdrawal too (an undated one in an older workspace gets a date when it is upgraded).
- Which header names a field: a header accepted for a field by one importer is accepted by all.
- Widgets of one workspace follow each other: a session added in the schedule editor appears in
  the sign-in sheet's and the feedback form's lists without re-running their cells.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from conftest import downgrade

from cadre_lib import Workspace, check_file, delivery, people
from cadre_lib.delivery import attendance_sheet, eligible_raters, mark_attendance
from cadre_lib.delivery.widgets import feedback_form, schedule_editor
from cadre_lib.delivery.widgets import sign_in_sheet as sheet_widget
from cadre_lib.demo import DEMO_AS_OF
from cadre_lib.importers import IMPORTERS
from cadre_lib.samples import write_xlsx


def _sessions(ws, code="SHXF"):
    return delivery.cohort_sessions(ws, code).query("date <= @DEMO_AS_OF").reset_index(drop=True)


def test_an_undated_withdrawal_gets_a_date_and_every_path_then_agrees(fresh_demo, tmp_path):
    held = _sessions(fresh_demo)
    cut = held["date"].iloc[len(held) // 2]  # they stopped coming halfway through
    later = held[held["date"] > cut].iloc[0]
    person = int(attendance_sheet(fresh_demo, int(later["id"]))["person_id"].iloc[0])
    name = fresh_demo.table("person").set_index("id").loc[person, "name"]
    path = fresh_demo.url.database
    fresh_demo.close()
    with sqlite3.connect(path) as conn:  # as an older version left it: withdrawn, no date
        conn.execute(
            "DELETE FROM attendance WHERE person_id = ? AND session_id IN "
            "(SELECT id FROM session WHERE date > ?)",
            (person, cut.isoformat()),
        )
        conn.execute(
            "UPDATE enrollment SET status = 'withdrawn', end_date = NULL WHERE person_id = ? AND "
            "cohort_id = (SELECT id FROM cohort WHERE code = 'SHXF')",
            (person,),
        )
    downgrade(path, "0003")  # the schema that version had (0005 computes credit when read)

    with Workspace(path, actor="tester") as ws:  # opening for writing brings it up to date
        members = people.cohort_members(ws, "SHXF").set_index("person_id")
        assert members.loc[person, "end_date"] == cut  # the date of their last mark
        sid = int(later["id"])
        assert person not in set(attendance_sheet(ws, sid)["person_id"])
        with pytest.raises(Exception, match="not enrolled"):
            mark_attendance(ws, sid, {person: "present"}, {person: None})
        assert person not in eligible_raters(ws, sid)
        rows = [["日期", "主题", "姓名", "考勤"], [later["date"], later["topic"], name, "出勤"]]
        report = check_file(ws, "attendance", write_xlsx(tmp_path / "s.xlsx", {"s": rows}), cohort="SHXF")
        assert [e.row for e in report.errors] == [2] and "not enrolled" in report.errors[0].reason


def test_a_withdrawal_without_a_date_is_refused(fresh_demo):
    pid = people.add_person(fresh_demo, "新学员")
    with pytest.raises(Exception, match="退出日期|end date"):
        people.enroll(fresh_demo, "SHXF", pid, dt.date(2026, 1, 5), status="withdrawn")


def test_a_header_accepted_for_a_field_anywhere_is_accepted_everywhere():
    headers: dict[str, set[str]] = {}
    for importer in IMPORTERS.values():
        for field in importer.fields:
            headers.setdefault(field.key, set()).update(field.headers)
    for kind, importer in IMPORTERS.items():
        for field in importer.fields:
            assert field.headers == headers[field.key], f"{kind}: {field.key}"


def test_a_sign_in_sheet_headed_like_a_schedule_imports(fresh_demo, tmp_path):
    held = _sessions(fresh_demo)
    last = held.iloc[-1]
    sheet = attendance_sheet(fresh_demo, int(last["id"]))
    rows = [["时间", "课程", "姓名", "签到"], [last["date"], last["topic"], sheet["name"].iloc[0], "出勤"]]
    report = check_file(fresh_demo, "attendance", write_xlsx(tmp_path / "s.xlsx", {"s": rows}), cohort="SHXF")
    assert report.ok, report.errors


def test_a_session_added_in_the_schedule_appears_in_the_sheet_and_the_feedback_form(fresh_demo):
    schedule = schedule_editor(fresh_demo, "SHXF", DEMO_AS_OF)
    sheet = sheet_widget(fresh_demo, "SHXF", DEMO_AS_OF)
    feedback = feedback_form(fresh_demo, "SHXF", DEMO_AS_OF)
    before = len(sheet.model.sessions)
    schedule.model.add("2026-11-29", "seminar", "补充研讨", "3")
    assert schedule.model.ok, schedule.model.message
    new = int(schedule.model.sessions.query("topic == '补充研讨'")["id"].iloc[0])
    assert len(sheet.model.sessions) == before + 1 and new in set(sheet.model.sessions["id"])
    assert new in set(feedback.model.sessions["id"])
    # What the trainer sees follows too: the new session is in both dropdowns, and can be marked.
    assert new in [value for _title, value in sheet.session.options]
    assert new in [value for _title, value in feedback.session.options]
    sheet.session.value = new
    first = int(sheet.model.sheet["person_id"].iloc[0])
    sheet.all_present_button.click()
    sheet.buttons_for(first).value = "late"
    sheet.save_button.click()
    assert sheet.model.ok, sheet.model.message
    marks = delivery.attendance_sheet(fresh_demo, new).set_index("person_id")["status"]
    assert marks[first] == "late" and (marks.drop(first) == "present").all()


def test_following_keeps_what_the_trainer_chose_and_has_not_saved(fresh_demo):
    schedule = schedule_editor(fresh_demo, "SHXF", DEMO_AS_OF)
    sheet = sheet_widget(fresh_demo, "SHXF", DEMO_AS_OF)
    feedback = feedback_form(fresh_demo, "SHXF", DEMO_AS_OF)
    shown, first = sheet.model.session_id, int(sheet.model.sheet["person_id"].iloc[0])
    sheet.buttons_for(first).value = "excused"  # marked, not saved yet
    rater = feedback.person.options[1][1]
    feedback.person.value = rater
    edited = int(schedule.model.sessions["id"].iloc[0])
    schedule.session.value = edited
    # New options in every list (ipywidgets would move each dropdown to its first option) ...
    schedule.model.add("2026-11-29", "seminar", "补充研讨", "3")
    assert schedule.model.ok, schedule.model.message
    # ... and every widget still shows what the trainer chose, with what is not saved yet.
    assert sheet.model.session_id == shown and sheet.session.value == shown
    assert sheet.model.pending == {first: "excused"} and sheet.buttons_for(first).value == "excused"
    assert feedback.model.person_id == rater and feedback.person.value == rater
    assert schedule.model.selected == edited and schedule.session.value == edited


def test_a_withdrawal_cannot_hide_marks_already_saved(fresh_demo):
    held = _sessions(fresh_demo)
    last = held.iloc[-1]
    person = int(attendance_sheet(fresh_demo, int(last["id"]))["person_id"].iloc[0])
    with pytest.raises(Exception, match="考勤记录"):
        people.withdraw(fresh_demo, "SHXF", person, held["date"].iloc[-2])
    people.withdraw(fresh_demo, "SHXF", person, last["date"])
    members = people.cohort_members(fresh_demo, "SHXF").set_index("person_id")
    assert members.loc[person, "status"] == "withdrawn" and members.loc[person, "end_date"] == last["date"]
    with pytest.raises(Exception, match="not in training"):
        people.withdraw(fresh_demo, "SHXF", person, last["date"])  # once is enough


def test_a_saved_mark_off_the_sheet_is_shown_but_not_changed_and_others_still_save(fresh_demo):
    held = _sessions(fresh_demo)
    last = held.iloc[-1]
    sid = int(last["id"])
    gone, other = (int(p) for p in attendance_sheet(fresh_demo, sid)["person_id"].iloc[:2])
    path = fresh_demo.url.database
    with sqlite3.connect(path) as conn:  # as an older version could leave it: left before a marked session
        conn.execute(
            "UPDATE enrollment SET status = 'withdrawn', end_date = ? WHERE person_id = ? AND "
            "cohort_id = (SELECT id FROM cohort WHERE code = 'SHXF')",
            (held["date"].iloc[-2].isoformat(), gone),
        )
    sheet = sheet_widget(fresh_demo, "SHXF", DEMO_AS_OF, session_id=sid)
    rows = sheet.model.sheet.set_index("person_id")
    assert not rows.loc[gone, "on_sheet"] and rows.loc[other, "on_sheet"]
    assert sheet.buttons_for(gone).disabled and not sheet.buttons_for(other).disabled
    sheet.model.mark(gone, "absent")
    assert not sheet.model.ok and "not on this session's sheet" in sheet.model.message
    sheet.model.mark(other, "absent")
    sheet.save_button.click()
    assert sheet.model.ok, sheet.model.message
    saved = attendance_sheet(fresh_demo, sid).set_index("person_id")["status"]
    assert saved[other] == "absent" and saved[gone] == rows.loc[gone, "status"]


# -- a name is a name, however it comes in --------------------------------------------------------

BAD_NAMES = [
    "<script>alert(8)</script>",
    "<b>王伟</b>",
    "990101198507060031",
    "王\x1b[2J伟",
    "王伟\u202e",
    "=1+2",
]


@pytest.mark.parametrize("typed", BAD_NAMES)
def test_the_api_and_the_roster_import_refuse_the_same_names(fresh_demo, tmp_path, typed):
    """people.add_person and the roster import share one check: a name is letters (any script),
    spaces and the middle dot; markup, an ID number, control characters or a formula are not."""
    from cadre_lib import InvalidEntry, Problem
    from cadre_lib.core.ids import check_character

    with pytest.raises(InvalidEntry) as refused:
        people.add_person(fresh_demo, typed)
    assert refused.value.problem is Problem.NAME
    first17 = "99010119870502003"
    row = [typed, first17 + check_character(first17), "西岭县", "青山镇", "镇长"]
    path = write_xlsx(
        tmp_path / "r.xlsx", {"s": [["姓名", "公民身份号码", "县（区）", "乡镇（街道）", "现任职务"], row]}
    )
    report = check_file(fresh_demo, "roster", path, as_of=DEMO_AS_OF)
    assert [e.problem for e in report.errors] == [Problem.NAME]
    assert people.add_person(fresh_demo, "阿依古丽·买买提")  # a minority name with its middle dot


def test_control_characters_typed_into_text_are_not_shown_in_tables(fresh_demo):
    """Text is stored as typed, but a table a trainer reads (for_display, a widget's table) drops
    ESC sequences and bidirectional overrides, as the command line does."""
    from cadre_lib import evaluation, for_display
    from cadre_lib.core.widgets import rows_html

    pid = int(people.chiefs(fresh_demo, DEMO_AS_OF)["person_id"].iloc[0])
    evaluation.record_comment(fresh_demo, pid, "2026", "resident", "很好\x1b[31m\u202e反转", DEMO_AS_OF)
    stored = evaluation.comments(fresh_demo, "2026")
    assert stored["text"].str.contains("\x1b").any()  # the record keeps what was typed
    for shown in (for_display(stored).to_html(), rows_html(stored, "条", "comments")):
        assert "\x1b" not in shown and "\u202e" not in shown and "很好[31m反转" in shown
