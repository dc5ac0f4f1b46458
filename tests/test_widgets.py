"""Widget models driven without a browser, and their views wired to them."""

import datetime as dt
import json

import pytest
import traitlets

from cadre_lib import delivery, people
from cadre_lib.delivery.widgets import CohortPickerModel, cohort_picker, schedule_import
from cadre_lib.demo import DEMO_AS_OF
from cadre_lib.people.widgets import roster_import


def _figure(model, name):
    return model.summary.set_index("figure").loc[name, "value"]


def test_choosing_a_cohort_updates_the_summary(demo_ws):
    model = CohortPickerModel(demo_ws, DEMO_AS_OF, "SHXF")
    assert _figure(model, "participants") == 76
    assert 0.8 < _figure(model, "attendance_rate") < 1  # a number, shown as a percentage by for_display
    model.cohort = "TC-2025A"
    assert _figure(model, "participants") == 40
    assert model.by_county["participants"].sum() == 40


def test_an_unknown_cohort_is_refused_with_the_choices(demo_ws):
    model = CohortPickerModel(demo_ws, DEMO_AS_OF)
    with pytest.raises(traitlets.TraitError, match="choose one of SHXF"):
        model.cohort = "NOPE"
    assert model.cohort == "SHXF"


def test_view_follows_the_model_and_the_dropdown_drives_it(demo_ws):
    picker = cohort_picker(demo_ws, DEMO_AS_OF, "SHXF")
    dropdown, summary, chart = picker.cohort, picker.summary, picker.chart
    assert "SHXF" in summary.value and bytes(chart.value).startswith(b"\x89PNG")
    first_chart = chart.value
    dropdown.value = "GCDJT"
    assert picker.model.cohort == "GCDJT"
    assert "港城大讲堂" in summary.value and chart.value != first_chart
    assert repr(picker) == "CohortPicker(cohort='GCDJT', as_of='2026-11-30')"


def test_import_widget_checks_on_arrival_and_writes_only_on_confirm(fresh_demo):
    from pathlib import Path

    samples = Path(__file__).resolve().parents[1] / "data" / "samples"
    widget = roster_import(fresh_demo, cohort="GCDJT", as_of=DEMO_AS_OF)
    model = widget.model
    people = fresh_demo.counts()["person"]

    model.confirm()
    assert "choose a file first" in model.status

    model.load("roster_with_mistakes.xlsx", (samples / "roster_with_mistakes.xlsx").read_bytes())
    assert model.state == "rejected" and widget.import_button.disabled
    assert "8 problem(s)" in model.status and "身份证号" in widget.table.value
    model.confirm()
    assert fresh_demo.counts()["person"] == people and "fix the problems" in model.status

    model.load("roster_clean.xlsx", (samples / "roster_clean.xlsx").read_bytes())
    assert model.state == "checked" and not widget.import_button.disabled
    assert "would import 8 new" in model.status and fresh_demo.counts()["person"] == people
    widget.import_button.click()
    assert model.state == "imported" and fresh_demo.counts()["person"] == people + 8
    assert "imported 8 new" in model.status and model.progress == 1.0
    model.confirm()
    assert "Already imported" in model.status and fresh_demo.counts()["person"] == people + 8


def test_import_widget_says_why_a_file_cannot_be_read(fresh_demo):

    widget = schedule_import(fresh_demo)
    widget.model.load("scan.xlsx", b"not a workbook")
    assert widget.model.state == "rejected" and "cannot be read as a spreadsheet" in widget.model.status
    assert widget.import_button.disabled


def test_attendance_sheet_marks_a_session_and_the_standing_follows(fresh_demo):
    from cadre_lib.delivery.widgets import sign_in_sheet as attendance_sheet

    sheet = attendance_sheet(fresh_demo, "SHXF", DEMO_AS_OF)
    model = sheet.model
    pid = int(model.sheet.loc[model.sheet["status"] == "present", "person_id"].iloc[0])
    before = model.standing.set_index("person_id").loc[pid]
    sheet.buttons_for(pid).value = "absent"  # the trainer clicks 缺勤
    assert model.pending == {pid: "absent"} and "1 change(s) not saved" in model.message
    sheet.save_button.click()
    after = model.standing.set_index("person_id").loc[pid]
    assert "Saved 1 change(s)" in model.message and "出勤→缺勤" in model.message
    hours = float(model.sessions.set_index("id").loc[model.session_id, "hours"])
    assert after["credited"] == before["credited"] - hours
    assert after["year_credited"] == before["year_credited"] - hours
    assert f'data-person="{pid}"' in sheet.standing.value


def test_all_present_then_exceptions_in_a_few_clicks(fresh_demo):
    import datetime as dt

    from cadre_lib.delivery import add_session
    from cadre_lib.delivery.widgets import sign_in_sheet as attendance_sheet

    sid = add_session(fresh_demo, "SHXF", dt.date(2026, 11, 29), "seminar", "年终研讨", 4)
    sheet = attendance_sheet(fresh_demo, "SHXF", DEMO_AS_OF, session_id=sid)
    model = sheet.model
    assert model.sheet["status"].isna().all()
    sheet.all_present_button.click()
    first, second = (int(p) for p in model.sheet["person_id"].iloc[:2])
    model.mark(first, "excused")
    model.save()
    statuses = model.sheet.set_index("person_id")["status"]
    assert statuses[first] == "excused" and (statuses.drop(first) == "present").all()


def test_all_present_leaves_marks_already_saved_alone(fresh_demo):
    from cadre_lib.delivery.widgets import sign_in_sheet as attendance_sheet

    sheet = attendance_sheet(fresh_demo, "SHXF", DEMO_AS_OF)  # the last session, already marked
    before = sheet.model.sheet.set_index("person_id")["status"]
    assert (before != "present").any()
    sheet.all_present_button.click()
    assert sheet.model.pending == {} and "already marked" in sheet.model.message
    sheet.save_button.click()
    assert sheet.model.sheet.set_index("person_id")["status"].equals(before)


def test_a_concurrent_change_is_detected_and_both_values_are_reported(fresh_demo):
    from cadre_lib.delivery.widgets import AttendanceModel

    mine = AttendanceModel(fresh_demo, "SHXF", DEMO_AS_OF)
    theirs = AttendanceModel(fresh_demo, "SHXF", DEMO_AS_OF)
    pid = int(mine.sheet["person_id"].iloc[3])
    mine.mark(pid, "late")  # not saved yet
    theirs.mark(pid, "left_early")
    theirs.save()
    # Mine follows the save at once and shows theirs, but keeps my pending mark ...
    assert mine.sheet.set_index("person_id").loc[pid, "status"] == "left_early"
    assert mine.pending == {pid: "late"}
    result = mine.save()  # ... which is then refused as a conflict, not written over theirs
    assert result.conflicts and not mine.ok
    assert "您记“迟到”，tester已记“早退”" in mine.message
    assert mine.sheet.set_index("person_id").loc[pid, "status"] == "left_early"


def test_a_mark_saved_elsewhere_in_the_kernel_is_shown_before_anyone_marks_over_it(fresh_demo):
    from cadre_lib.delivery.widgets import AttendanceModel

    mine = AttendanceModel(fresh_demo, "SHXF", DEMO_AS_OF)
    theirs = AttendanceModel(fresh_demo, "SHXF", DEMO_AS_OF)
    pid = int(mine.sheet["person_id"].iloc[3])
    theirs.mark(pid, "left_early")
    theirs.save()
    assert mine.sheet.set_index("person_id").loc[pid, "status"] == "left_early"
    mine.mark(pid, "late")  # a deliberate correction of what the sheet now shows
    assert not mine.save().conflicts and mine.ok
    assert theirs.sheet.set_index("person_id").loc[pid, "status"] == "late"


def test_schedule_model_adds_a_series_and_refuses_with_reasons(fresh_demo):
    from cadre_lib.delivery.widgets import ScheduleModel

    model = ScheduleModel(fresh_demo, "GCDJT")
    n = len(model.sessions)
    model.add("2027-03-18, 2027-04-15\n2027-05-20", "lecture", "海洋经济\n低空经济\n新质生产力", "３")
    assert model.ok and len(model.sessions) == n + 3 and "Added 3 session(s)" in model.message
    model.add("2027-06", "lecture", "x", "3")
    assert not model.ok and "needs a day" in model.message and len(model.sessions) == n + 3
    other = ScheduleModel(fresh_demo, "GCDJT")
    sid = int(model.sessions["id"].iloc[-1])
    model.selected = sid  # the form is filled from the session as it is now
    other.edit(sid, speaker="院士甲")
    assert model.sessions.set_index("id").loc[sid, "speaker"] == "院士甲"  # the list follows at once
    model.topic = "改题"
    model.save()  # but the form was filled before that change: a conflict, not an overwrite
    assert not model.ok and "someone else changed this session" in model.message
    assert model.sessions.set_index("id").loc[sid, "topic"] == "新质生产力"


def test_a_topic_shown_masked_is_kept_as_stored_when_the_session_is_edited(fresh_demo):
    from cadre_lib.delivery import add_session
    from cadre_lib.delivery.widgets import schedule_editor

    topic = "补录学员 990404198001015793 的讲座"
    sid = add_session(fresh_demo, "GCDJT", dt.date(2026, 12, 8), "lecture", topic, 3, as_of=DEMO_AS_OF)
    editor = schedule_editor(fresh_demo, "GCDJT", DEMO_AS_OF)
    assert "990404198001015793" not in editor.listing.value and "990404**********93" in editor.listing.value
    editor.session.value = sid  # the form shows the session as listed, topic masked
    editor.hours.value = "4"
    editor.save_button.click()
    assert editor.model.ok, editor.model.message
    stored = delivery.cohort_sessions(fresh_demo, "GCDJT", reveal_ids=True).set_index("id").loc[sid]
    assert stored["topic"] == topic and stored["hours"] == 4.0


def test_feedback_form_saves_a_rating_or_says_what_is_missing(fresh_demo):
    from cadre_lib.delivery import session_feedback
    from cadre_lib.delivery.widgets import feedback_form

    form = feedback_form(fresh_demo, "SHXF", DEMO_AS_OF)
    model = form.model
    name, pid = model.people()[0]
    form.person.value = pid
    form.save_button.click()
    assert not model.ok and "rate both" in model.message
    form.usefulness.value, form.relevance.value, form.comment.value = 5, 4, "案例好"
    form.save_button.click()
    assert model.ok and f"Saved {name}'s rating" in model.message and form.usefulness.value is None
    rows = session_feedback(fresh_demo, "SHXF").query("session_id == @model.session_id and person_id == @pid")
    assert rows[["usefulness", "relevance", "comment"]].values.tolist() == [[5, 4, "案例好"]]


def test_import_widget_draws_the_first_problems_and_offers_them_all_as_a_download(fresh_demo):
    import base64
    import io
    import re

    from openpyxl import load_workbook

    rows = ["姓名,公民身份号码,县（区）,乡镇（街道）,现任职务"] + [
        f"王明,12{i},甲县,乙镇,镇长" for i in range(400)
    ]
    widget = roster_import(fresh_demo, as_of=DEMO_AS_OF)
    widget.model.load("bad.csv", "\n".join(rows).encode("utf-8"))
    assert "400 problem(s)" in widget.model.status
    assert widget.table.value.count("<tr>") == 50 and "共 400 个问题" in widget.table.value
    assert widget.link.value == ""  # the file is made only when asked for
    widget.download_button.click()
    data = re.search(r"base64,([A-Za-z0-9+/=]+)", widget.link.value).group(1)
    sheet = load_workbook(io.BytesIO(base64.b64decode(data))).active
    assert sheet.max_row == 401 and sheet.cell(1, 5).value == "问题及处理 Problem and what to do"


def test_all_present_says_what_it_did_on_the_sheet(fresh_demo):
    from cadre_lib.delivery import add_session
    from cadre_lib.delivery.widgets import sign_in_sheet

    sid = add_session(fresh_demo, "SHXF", dt.date(2026, 11, 29), "seminar", "补充研讨", 3, as_of=DEMO_AS_OF)
    sheet = sign_in_sheet(fresh_demo, "SHXF", DEMO_AS_OF, session_id=sid)
    rows = len(sheet.model.sheet)
    sheet.all_present_button.click()
    # The buttons show the pending marks, and the message still says what the click did.
    assert all(sheet.buttons_for(pid).value == "present" for pid in sheet.model.sheet["person_id"])
    assert f"{rows} unmarked participant(s) marked" in sheet.model.message
    # In a browser each button echoes the value it was given back to the kernel: still the same.
    for pid in sheet.model.sheet["person_id"]:
        sheet.model.mark(int(pid), "present")
    assert f"{rows} unmarked participant(s) marked" in sheet.model.message
    assert sheet.model.pending == dict.fromkeys(sheet.model.sheet["person_id"].astype(int), "present")


def test_the_cohort_picker_lists_a_cohort_added_after_it_was_drawn(fresh_demo):
    from cadre_lib.delivery.widgets import cohort_picker

    picker = cohort_picker(fresh_demo, DEMO_AS_OF, "TC-2025A")
    people.add_cohort(fresh_demo, "NEW-1", "新班", "class", dt.date(2026, 12, 1))
    assert "NEW-1" in [value for _label, value in picker.cohort.options]
    assert picker.model.cohort == "TC-2025A" and picker.cohort.value == "TC-2025A"  # the choice stays
    picker.cohort.value = "NEW-1"
    assert picker.model.summary.set_index("figure").loc["participants", "value"] == 0


def test_yearly_view_filters_by_county_and_follows_a_save(fresh_demo):
    from cadre_lib.delivery.widgets import yearly_view

    view = yearly_view(fresh_demo, DEMO_AS_OF)
    everyone = delivery.yearly_compliance(fresh_demo, DEMO_AS_OF)
    assert len(view.model.table) == len(everyone) and f"{len(everyone)} 人" in view.headline.value
    county = view.county.options[1][1]  # the first county after 全部 All
    view.county.value = county
    assert set(view.model.table["county"]) == {county}
    assert "预计不达标 Short" in view.table.value and "本人" not in view.table.value
    # What makes a training day is the department's choice: said beside the days it decides.
    assert "排课满6学时为1天、满3学时为半天（待部门确认）" in view.children[2].value
    view.only_short.value = True
    short = everyone[(everyone["county"] == county) & everyone["short"]]
    assert view.model.table["person_id"].tolist() == short["person_id"].tolist()
    # A mark saved anywhere in the kernel shows in the yearly figures at once.
    before = everyone.set_index("person_id")["credited_hours"]
    sessions = delivery.cohort_sessions(fresh_demo, "GCDJT")
    held = sessions[sessions["date"] <= DEMO_AS_OF].iloc[-1]
    sheet = delivery.attendance_sheet(fresh_demo, int(held["id"]))
    row = sheet[sheet["status"].isin(["absent", "excused"])].iloc[0]  # credited nothing so far
    delivery.mark_attendance(
        fresh_demo, int(held["id"]), {int(row.person_id): "present"}, {int(row.person_id): int(row.version)}
    )
    after = view.model.everyone.set_index("person_id")["credited_hours"]
    assert after[row.person_id] == before[row.person_id] + float(held["hours"])


def test_the_cohort_picker_counts_who_had_joined_by_its_date(demo_ws):
    members = people.cohort_members(demo_ws, "SHXF")
    early = dt.date(2025, 6, 30)
    joined = members[members["start_date"] <= early]
    assert len(joined) < len(members)  # the late joiners came in July 2025
    model = CohortPickerModel(demo_ws, early, "SHXF")
    assert _figure(model, "participants") == len(joined) == model.by_county["participants"].sum()
    left = joined[joined["end_date"].notna() & (joined["end_date"] < early)]
    promoted = left["end_reason"] == "promoted"  # counted apart: the programme's success
    assert _figure(model, "withdrawn") == (~promoted).sum() and _figure(model, "promoted") == promoted.sum()
    assert _figure(model, "promoted") > 0


def test_the_chief_chooser_never_lists_a_province_and_finds_a_chief_by_place_or_search():
    """At provincial size the chooser offers no list of every chief: a county and a township, or
    a search by name or the ID number's last digits, narrow it; a chief chosen shows with their
    place and post, and one set by code is brought into view."""
    import pandas as pd
    import traitlets as T

    from cadre_lib.people.widgets import FLAT_LIMIT, ChiefChooser

    n = 3 * FLAT_LIMIT
    roster = pd.DataFrame(
        {
            "person_id": range(1, n + 1),
            "county": [f"县{i % 30:02d}" for i in range(n)],
            "township": [f"镇{i % 30:02d}-{i // 30:02d}" for i in range(n)],
            "name": [f"干部{i:04d}" for i in range(n)],
            "in_post_since": [dt.date(2020, 1, 1)] * n,
            "post": ["党委书记"] * n,
            "id_tail": [f"{i:04d}" for i in range(n)],
        }
    )
    roster["label"] = (
        roster["county"] + " " + roster["township"] + " " + roster["post"] + " " + roster["name"]
    )

    class Model(T.HasTraits):
        person_id = T.Int(0)
        roster = T.Instance(pd.DataFrame)

    model = Model(roster=roster)
    chooser = ChiefChooser(model, "干部 Chief")
    assert [v for _l, v in chooser.person.options] == [0]  # no province-wide list
    assert "请先选县、乡镇或查找" in chooser.person.options[0][0]
    chooser.county.value = "县07"
    chooser.township.value = chooser.township.options[1][1]
    offered = [v for _l, v in chooser.person.options if v]
    assert offered and set(roster.set_index("person_id").loc[offered, "township"]) == {chooser.township.value}
    chooser.county.value = ""
    chooser.search.value = "0457"  # the ID number's last digits
    assert [v for _l, v in chooser.person.options if v] == [458]
    chooser.search.value = "干部001"
    assert len([v for _l, v in chooser.person.options if v]) == 10
    chooser.person.value = 13
    assert model.person_id == 13 and "县12 镇12-00 党委书记 干部0012" in chooser.card.value
    chooser.search.value = ""
    model.person_id = 599  # chosen by code: shown, with its card
    assert chooser.person.value == 599 and "干部0598" in chooser.card.value
    size = len(json.dumps([*chooser.person.options, *chooser.county.options, *chooser.township.options]))
    assert size < 5_000, size
