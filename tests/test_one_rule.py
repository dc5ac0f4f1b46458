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


# -- a record names one person --------------------------------------------------------------------


def _two_participants(ws):
    """Two SHXF participants in post on the demo's day, in different townships, with their raw IDs."""
    members = people.cohort_members(ws, "SHXF", reveal_ids=True)
    members = members[members["in_post"] & (members["status"] == "active")]
    a = members.iloc[0]
    b = members[(members["township"] != a["township"]) & (members["county"] != a["county"])].iloc[0]
    return a, b


def _row(kind: str, who, national_id: str, township: str | None = None, county: str | None = None) -> dict:
    """A good row of `kind` about `who` (a member row), giving `national_id` and the place."""
    session = "2026-11-22"
    person = {"姓名": who["name"], "公民身份号码": national_id}
    if township:
        person["乡镇（街道）"] = township
    if county:
        person["县（区）"] = county
    rows = {
        "attendance": {"培训项目": "SHXF", "日期": session, **person, "考勤": "出勤"},
        "assessments": {"培训项目": "SHXF", **person, "测评工具": "theory_exam", "测评维度": "理论素养",
                        "测评阶段": "训后", "成绩": "88", "日期": session},
        "reviews": {**person, "考察期": "2026", "考察领域": "招商引资", "考察方式": "看", "等次": "4",
                    "日期": "2026-11-20"},
        "comments": {**person, "考察期": "2026", "评价人身份": "群众", "评价意见": "作风扎实", "日期": "2026-11-20"},
        "talks": {**person, "谈话日期": "2026-11-20", "谈话人身份": "县委书记", "反映问题": "用地紧张"},
        "outcomes": {**person, "类别": "记功", "决定日期": "2026-11-20", "奖励": "三等功", "事由": "招商突出"},
        "roster": {**person, "县（区）": county or who["county"], "乡镇（街道）": township or who["township"],
                   "现任职务": "党委书记" if who["post"] == "secretary" else "镇长"},
    }  # fmt: skip
    return rows[kind]


KINDS = ["attendance", "assessments", "reviews", "comments", "talks", "outcomes", "roster"]


def _checked(ws, tmp_path, kind: str, row: dict):
    from cadre_lib import ImportRejected
    from cadre_lib.importers import IMPORTERS

    path = write_xlsx(tmp_path / f"{kind}.xlsx", {"表": [list(row), list(row.values())]})
    before = {name: len(ws.table(name)) for name in ("attendance", "assessment", "frontline_review",
                                                       "comment", "talk", "outcome", "person")}  # fmt: skip
    with pytest.raises(ImportRejected) as refused:
        IMPORTERS[kind](ws).run(path, cohort="SHXF", as_of=DEMO_AS_OF)
    after = {name: len(ws.table(name)) for name in before}
    assert after == before  # nothing written
    return refused.value.report


@pytest.mark.parametrize("kind", KINDS)
def test_a_row_whose_name_and_id_disagree_is_refused_naming_both_people(fresh_demo, tmp_path, kind):
    """周军's name with 高峰's ID is never recorded against 高峰 (or anyone): every importer that
    finds a person refuses the row and names both, the ID masked."""
    from cadre_lib import Problem
    from cadre_lib.core.ids import mask_national_id

    a, b = _two_participants(fresh_demo)
    report = _checked(fresh_demo, tmp_path, kind, _row(kind, a, b["national_id"]))
    (error,) = report.errors
    assert error.problem is Problem.ID_OF_ANOTHER
    assert a["name"] in error.reason and b["name"] in error.reason
    assert mask_national_id(b["national_id"]) in error.reason and b["national_id"] not in error.reason


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "roster"])
@pytest.mark.parametrize("place", ["township", "county"])
def test_a_row_whose_township_or_county_is_not_the_persons_is_refused(fresh_demo, tmp_path, kind, place):
    """Name and ID agree, but the township (or county) is someone else's: the row may be about
    another person, so it is refused on that column, saying where they did hold their post."""
    from cadre_lib import Problem

    a, b = _two_participants(fresh_demo)
    wrong = {"township": b["township"]} if place == "township" else {"county": b["county"]}
    report = _checked(fresh_demo, tmp_path, kind, _row(kind, a, a["national_id"], **wrong))
    (error,) = report.errors
    assert error.problem is Problem.PLACE_MISMATCH and error.column == (
        "乡镇(街道)" if place == "township" else "县(区)"
    )
    assert a[place] in error.reason and b[place] in error.reason


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "roster"])
def test_a_row_whose_name_id_township_and_county_agree_is_checked_clean(fresh_demo, kind):
    from cadre_lib.importers import check_file

    a, _b = _two_participants(fresh_demo)
    row = _row(kind, a, a["national_id"], township=a["township"], county=a["county"])
    path = write_xlsx(fresh_demo.folder / f"{kind}.xlsx", {"表": [list(row), list(row.values())]})
    report = check_file(fresh_demo, kind, path, cohort="SHXF", as_of=DEMO_AS_OF)
    assert report.ok, [e.reason for e in report.errors]


def _api_calls(a):
    """Every record_* call about person `a`, as (name, call taking the extra keywords)."""
    from cadre_lib import care, evaluation
    from cadre_lib.delivery import record_feedback

    pid, day = int(a["person_id"]), dt.date(2026, 11, 20)
    return [
        ("record_talk", lambda **k: care.record_talk(_WS[0], pid, day, "county_secretary", **k)),
        ("record_outcome", lambda **k: care.record_outcome(_WS[0], pid, "merit", day, award="merit_3", **k)),
        ("record_rank", lambda **k: care.record_rank(_WS[0], pid, "researcher_2", day, **k)),
        ("record_assessment", lambda **k: evaluation.record_assessment(
            _WS[0], pid, "SHXF", "theory", "post", "theory_exam", 88, dt.date(2026, 11, 22), **k)),
        ("record_review", lambda **k: evaluation.record_review(_WS[0], pid, "2026", "investment", "look", 4, **k)),
        ("record_ratings", lambda **k: evaluation.record_ratings(
            _WS[0], pid, "2026", "investment", {"look": (4, None)}, **k)),
        ("record_comment", lambda **k: evaluation.record_comment(_WS[0], pid, "2026", "resident", "好", day, **k)),
        ("record_feedback", lambda **k: record_feedback(_WS[0], 30, pid, 4, 4, None, **k)),
    ]  # fmt: skip


_WS: list = []


@pytest.mark.parametrize("call", range(8))
def test_every_record_call_checks_a_name_or_id_given_beside_the_person(fresh_demo, call):
    """record_*(…, name=, national_id=): when given, they must be the person's, or nothing is
    saved and the refusal names both; given correctly, the entry is saved."""
    from cadre_lib import InvalidEntry, Problem

    a, b = _two_participants(fresh_demo)
    _WS[:] = [fresh_demo]
    what, save = _api_calls(a)[call]
    audit = len(fresh_demo.table("audit_log"))
    for wrong in ({"name": b["name"]}, {"national_id": b["national_id"]}):
        with pytest.raises(InvalidEntry) as refused:
            save(**wrong)
        assert refused.value.problem is Problem.NOT_THIS_PERSON, what
        assert a["name"] in str(refused.value) and b["name"] in str(refused.value), what
        assert b["national_id"] not in str(refused.value)
    assert len(fresh_demo.table("audit_log")) == audit  # nothing saved
    save(name=a["name"], national_id=a["national_id"])


# -- every date goes through one check ------------------------------------------------------------

FAR = ["1900-01-01", "2090-01-01"]
# (kind, the column typed, what else the row needs for that column to be read)
DATED_COLUMNS = [
    ("comments", "日期", {}),
    ("reviews", "日期", {}),
    ("assessments", "日期", {}),
    ("talks", "谈话日期", {}),
    ("talks", "办理时限", {"跟进事项": "回访", "责任人": "组织部"}),
    ("talks", "办结日期", {"跟进事项": "回访", "责任人": "组织部", "办理时限": "2026-12-20", "办理状态": "已办结"}),
    ("outcomes", "决定日期", {}),
    ("outcomes", "影响期至", {"类别": "处分", "处分或问责种类": "党内警告", "奖励": "", "事由": "违纪"}),
    ("outcomes", "期满评价日期", {"类别": "处分", "处分或问责种类": "党内警告", "奖励": "", "事由": "违纪"}),
    ("attendance", "日期", {}),
    ("roster", "任现职时间", {}),
]  # fmt: skip


@pytest.mark.parametrize("typed", FAR)
@pytest.mark.parametrize("kind, column, extra", DATED_COLUMNS)
def test_every_date_of_every_importer_is_checked_against_its_window(
    fresh_demo, tmp_path, kind, column, extra, typed
):
    """1900 and 2090 are refused on the column that holds them, in words about that date (a
    score's date is not a "session date", nor reported against 成绩), and nothing is written."""
    from cadre_lib import Problem

    a, _b = _two_participants(fresh_demo)
    row = {**_row(kind, a, a["national_id"]), **extra, column: typed}
    report = _checked(fresh_demo, tmp_path, kind, row)
    found = [e for e in report.errors if e.column == column]
    assert found and {e.problem for e in found} <= {
        Problem.DATE_WINDOW,
        Problem.AFTER_AS_OF,
        Problem.DATE_ORDER,
    }
    assert any(e.problem in (Problem.DATE_WINDOW, Problem.AFTER_AS_OF) for e in found), found
    if kind not in ("attendance", "sessions"):
        assert "上课日期" not in found[0].reason and "session date" not in found[0].reason


def _dated_calls(ws, a, day):
    """Every library call that records a date about person `a`, with `day` as that date."""
    from cadre_lib import care, evaluation

    pid = int(a["person_id"])
    talk = care.record_talk(ws, pid, dt.date(2026, 11, 1), "county_secretary", as_of=DEMO_AS_OF, follow_ups=[
        {"action": "回访", "owner": "组织部", "due_date": dt.date(2026, 12, 1)}])  # fmt: skip
    follow = int(care.follow_ups(ws, DEMO_AS_OF).query("talk_id == @talk.id")["id"].iloc[0])
    return {
        "record_talk": lambda: care.record_talk(ws, pid, day, "county_secretary", as_of=DEMO_AS_OF),
        "record_talk due": lambda: care.record_talk(ws, pid, dt.date(2026, 11, 2), "county_secretary", as_of=DEMO_AS_OF,
                                                    follow_ups=[{"action": "办", "owner": "甲", "due_date": day}]),
        "add_follow_up": lambda: care.add_follow_up(ws, talk.id, "再办", "甲", day),
        "close_follow_up": lambda: care.close_follow_up(ws, follow, day, as_of=DEMO_AS_OF),
        "record_outcome": lambda: care.record_outcome(ws, pid, "merit", day, award="merit_3", as_of=DEMO_AS_OF),
        "record_outcome impact_end": lambda: care.record_outcome(
            ws, pid, "discipline", dt.date(2026, 6, 1), sanction="party_warning", impact_end=day, as_of=DEMO_AS_OF),
        "record_rank": lambda: care.record_rank(ws, pid, "researcher_2", day),
        "record_assessment": lambda: evaluation.record_assessment(
            ws, pid, "SHXF", "theory", "post", "theory_exam", 80, day, as_of=DEMO_AS_OF),
        "record_scores": lambda: evaluation.record_scores(
            ws, "SHXF", {pid: 80}, instrument="theory_exam", dimension="theory", phase="post", date=day, as_of=DEMO_AS_OF),
        "record_review": lambda: evaluation.record_review(ws, pid, "2026", "investment", "look", 4, None, day, as_of=DEMO_AS_OF),
        "record_ratings": lambda: evaluation.record_ratings(
            ws, pid, "2026", "investment", {"look": (4, None)}, day, as_of=DEMO_AS_OF),
        "record_comment": lambda: evaluation.record_comment(ws, pid, "2026", "resident", "好", day, as_of=DEMO_AS_OF),
        "add_session": lambda: delivery.add_session(ws, "SHXF", day, "lecture", "讲座", 3, as_of=DEMO_AS_OF),
        "add_cohort": lambda: people.add_cohort(ws, "NEW-1", "新班", "class", day),
        "enroll": lambda: people.enroll(ws, "SHXF", pid, day, as_of=DEMO_AS_OF),
        "withdraw": lambda: people.withdraw(ws, "SHXF", pid, day, as_of=DEMO_AS_OF),
    }  # fmt: skip


@pytest.mark.parametrize("typed", [dt.date(1900, 1, 1), dt.date(2090, 1, 1)])
def test_every_library_call_checks_its_dates_against_the_same_windows(fresh_demo, typed):
    from cadre_lib import InvalidEntry, Problem

    a, _b = _two_participants(fresh_demo)
    calls = _dated_calls(fresh_demo, a, typed)
    audit = len(fresh_demo.table("audit_log"))
    for what, call in calls.items():
        with pytest.raises(InvalidEntry) as refused:
            call()
        assert refused.value.problem in (Problem.DATE_WINDOW, Problem.AFTER_AS_OF), (what, str(refused.value))
    assert len(fresh_demo.table("audit_log")) == audit  # nothing saved


def test_every_form_refuses_a_date_out_of_its_window(fresh_demo):
    """The forms type dates as text and go through the same checks: each answers with the window."""
    from cadre_lib.care.widgets import follow_up_board, outcome_form, talk_form
    from cadre_lib.evaluation.widgets import comment_form, review_form, score_sheet

    a, _b = _two_participants(fresh_demo)
    pid = int(a["person_id"])
    forms = [
        (talk_form(fresh_demo, DEMO_AS_OF), {"person_id": pid}),
        (outcome_form(fresh_demo, DEMO_AS_OF), {"person_id": pid, "kind": "merit", "award": "merit_3"}),
        (comment_form(fresh_demo, "2026", DEMO_AS_OF), {"person_id": pid, "text": "好"}),
        (review_form(fresh_demo, "2026", DEMO_AS_OF), {"person_id": pid, "levels": {"look": "4"}}),
        (score_sheet(fresh_demo, "SHXF", DEMO_AS_OF), {"instrument": "theory_exam", "scores": {pid: "80"}}),
        (follow_up_board(fresh_demo, DEMO_AS_OF), {}),
    ]
    for view, values in forms:
        model = view.model
        for key, value in values.items():
            setattr(model, key, value)
        if hasattr(model, "options") and model.options:
            model.chosen = model.options[0][1]
        for typed in FAR:
            model.date = typed
            assert model.save() is False, (type(model).__name__, typed)
            assert "合理范围" in model.message or "晚于统计日" in model.message, model.message


def test_a_session_is_not_moved_past_the_last_day_of_someone_marked_at_it(fresh_demo):
    """Moving a session's date must keep everyone marked at it on its sheet: moved past a
    promoted chief's last day, the mark (and its hours) would no longer count anywhere."""
    from cadre_lib import InvalidEntry, Problem, care

    held = _sessions(fresh_demo)
    last = held.iloc[-1]
    sheet = attendance_sheet(fresh_demo, int(last["id"]))
    person = int(sheet.loc[sheet["status"].notna(), "person_id"].iloc[0])
    promoted_on = last["date"] + dt.timedelta(days=1)
    care.record_outcome(fresh_demo, person, "promotion", promoted_on, to_post="副县长", as_of=DEMO_AS_OF)
    session = delivery.cohort_sessions(fresh_demo, "SHXF").set_index("id").loc[int(last["id"])]
    with pytest.raises(InvalidEntry) as refused:
        delivery.edit_session(fresh_demo, int(last["id"]), int(session["version"]), DEMO_AS_OF,
                              date=promoted_on + dt.timedelta(days=2))  # fmt: skip
    assert refused.value.problem is Problem.MOVED_OFF_SHEET and "提拔" in str(refused.value)
    assert person in set(attendance_sheet(fresh_demo, int(last["id"]))["person_id"])  # nothing moved
    delivery.edit_session(
        fresh_demo,
        int(last["id"]),
        int(session["version"]),
        DEMO_AS_OF,
        date=last["date"] - dt.timedelta(days=1),
    )
