"""Training figures a department can defend, on a small workspace built through the public API:
the yearly requirement belongs to the chief, everything is as of a date, an unmarked session is
missing paperwork, credit follows the rules file, time away and completion follow the cohort's
kind as the rules file says."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from cadre_lib import Workspace, delivery, for_display, people

D = dt.date
AS_OF = D(2026, 6, 30)


def _chief(ws, name: str, township: str, start: D, end: D | None = None) -> int:
    pid = people.add_person(ws, name)
    tid = ws.id_of("township", "code", township)
    ws.insert(
        "post_tenure",
        {"person_id": pid, "township_id": tid, "post": "head", "start_date": start, "end_date": end},
    )
    return pid


@pytest.fixture
def small(tmp_path):
    """County 甲县 with three townships; chiefs 甲 (in two cohorts), 乙 (in none) and 丙 (in post
    from 1 April); a residential class K (5 days of 7.5 h in March, threshold 0.8) and an open
    lecture series L (three 3 h lectures)."""
    ws = Workspace(tmp_path / "ws.sqlite", actor="tester", clock=lambda: dt.datetime(2026, 6, 30, 9))
    people.add_county(ws, "C1", "甲县")
    for t in ("T1", "T2", "T3"):
        people.add_township(ws, "C1", t, f"{t}镇")
    ids = {
        "甲": _chief(ws, "甲", "T1", D(2020, 1, 1)),
        "乙": _chief(ws, "乙", "T2", D(2020, 1, 1)),
        "丙": _chief(ws, "丙", "T3", D(2026, 4, 1)),
    }
    people.add_cohort(
        ws, "K", "培训班", "class", D(2026, 3, 2), end_date=D(2026, 3, 6), completion_threshold=0.8
    )
    people.add_cohort(ws, "L", "大讲堂", "lecture_series", D(2026, 1, 1), end_date=D(2026, 12, 31))
    days = [D(2026, 3, d) for d in range(2, 7)]
    delivery.add_series(ws, "K", days, "lecture", "专题", 7.5, as_of=AS_OF)
    delivery.add_series(
        ws, "L", [D(2026, 2, 10), D(2026, 5, 10), D(2026, 9, 10)], "lecture", "讲座", 3.0, as_of=AS_OF
    )
    people.enroll(ws, "K", ids["甲"], D(2026, 3, 2), end_date=D(2026, 3, 6))
    people.enroll(ws, "L", ids["甲"], D(2026, 1, 1))
    people.enroll(ws, "L", ids["丙"], D(2026, 4, 1))
    yield ws, ids
    ws.close()


def _mark(ws, cohort: str, day: D, marks: dict[int, str]) -> None:
    sessions = delivery.cohort_sessions(ws, cohort)
    sid = int(sessions.loc[sessions["date"] == day, "id"].iloc[0])
    delivery.mark_attendance(ws, sid, marks, {p: None for p in marks})


def test_the_yearly_requirement_belongs_to_the_chief_and_names_those_in_no_cohort(small):
    ws, ids = small
    for d in range(2, 7):
        _mark(ws, "K", D(2026, 3, d), {ids["甲"]: "present"})
    yearly = delivery.yearly_compliance(ws, AS_OF).set_index("name")
    # 乙 is in no cohort: owed the whole 90 h, credited nothing, short even with all scheduled.
    assert yearly.loc["乙", "target_hours"] == 90.0 and yearly.loc["乙", "credited_hours"] == 0
    assert bool(yearly.loc["乙", "short"]) and not bool(yearly.loc["乙", "complies"])
    # 丙 took the post on 1 April: owes 90 h × 275 / 365.
    assert yearly.loc["丙", "target_hours"] == round(90 * 275 / 365, 1)
    assert yearly.loc["丙", "target_days"] == round(12 * 275 / 365, 1)
    # 甲: five full days in March (37.5 h) are five training days.
    assert yearly.loc["甲", "credited_hours"] == 37.5 and yearly.loc["甲", "credited_days"] == 5
    # The same target for 甲 in both cohorts: it is the chief's, not the cohort's.
    k = delivery.cohort_standing(ws, "K", AS_OF).set_index("person_id")
    lec = delivery.cohort_standing(ws, "L", AS_OF).set_index("person_id")
    assert k.loc[ids["甲"], "year_target"] == lec.loc[ids["甲"], "year_target"] == 90.0


def test_twelve_days_comply_even_when_the_hours_do_not(small, tmp_path):
    ws, ids = small
    for d in range(2, 7):
        _mark(ws, "K", D(2026, 3, d), {ids["甲"]: "present"})
    (tmp_path / "rules.toml").write_text("[training]\nrequired_days_per_year = 5\n")
    with Workspace(tmp_path / "ws.sqlite") as again:
        got = delivery.yearly_compliance(again, AS_OF).set_index("name")
    assert got.loc["甲", "credited_hours"] < got.loc["甲", "target_hours"]  # 37.5 h of 90
    assert got.loc["甲", "credited_days"] >= got.loc["甲", "target_days"]  # 5 days of 5
    assert bool(got.loc["甲", "complies"]) and not bool(got.loc["甲", "short"])


def test_a_full_day_partly_attended_counts_by_its_share_rounded_down_to_the_half_day(small):
    ws, ids = small
    _mark(ws, "K", D(2026, 3, 2), {ids["甲"]: "present"})  # 7.5 of 7.5 h: a day
    _mark(ws, "K", D(2026, 3, 3), {ids["甲"]: "left_early"})  # 3.75 of 7.5 h: half a day
    _mark(ws, "K", D(2026, 3, 4), {ids["甲"]: "excused"})  # nothing
    _mark(ws, "K", D(2026, 3, 5), {ids["甲"]: "late"})  # 5.625 of 7.5 h: 0.75 of a day, half
    got = delivery.yearly_compliance(ws, AS_OF).set_index("name")
    assert got.loc["甲", "credited_days"] == 1 + 0.5 + 0 + 0.5


def _class_of_days(ws, code: str, hours_by_day: dict[D, list[float]]) -> dict[D, list[int]]:
    """A residential class whose days hold sessions of the given class hours; their ids by day."""
    days = sorted(hours_by_day)
    people.add_cohort(ws, code, "专题班", "class", days[0], end_date=days[-1])
    return {
        day: [delivery.add_session(ws, code, day, "lecture", "专题", h, as_of=AS_OF) for h in hours]
        for day, hours in hours_by_day.items()
    }


def _mark_ids(ws, sids: list[int], marks: dict[int, str]) -> None:
    for sid in sids:
        delivery.mark_attendance(ws, sid, marks, {p: None for p in marks})


def test_a_fully_attended_class_counts_every_day_whatever_its_class_hours(small):
    """The issue's class: days of 6, 10, 6, 9 and 7 class hours, attended in full, are 5 days
    (7.5 credited hours a day made them 3.5)."""
    ws, ids = small
    hours = {D(2026, 4, 6): [6], D(2026, 4, 7): [4, 6], D(2026, 4, 8): [3, 3], D(2026, 4, 9): [3, 6]}
    sids = _class_of_days(ws, "K2", {**hours, D(2026, 4, 10): [3, 4]})
    people.enroll(ws, "K2", ids["乙"], D(2026, 4, 6), end_date=D(2026, 4, 10))
    before = delivery.yearly_compliance(ws, AS_OF).set_index("name").loc["乙"]
    assert before["credited_days"] == 0 and before["projected_days"] == 5  # unmarked: as if attended
    _mark_ids(ws, [s for day in sids.values() for s in day], {ids["乙"]: "present"})
    got = delivery.yearly_compliance(ws, AS_OF).set_index("name").loc["乙"]
    assert got["credited_hours"] == 38 and got["credited_days"] == 5 and got["projected_days"] == 5


def test_a_half_day_session_counts_half_and_a_shorter_day_none(small):
    ws, ids = small
    _mark(ws, "L", D(2026, 2, 10), {ids["甲"]: "present"})  # a 3 h lecture: half a day
    sids = _class_of_days(ws, "K2", {D(2026, 4, 6): [2.5]})  # below half a day
    people.enroll(ws, "K2", ids["甲"], D(2026, 4, 6), end_date=D(2026, 4, 6))
    _mark_ids(ws, sids[D(2026, 4, 6)], {ids["甲"]: "present"})
    _mark(ws, "L", D(2026, 5, 10), {ids["甲"]: "late", ids["丙"]: "present"})  # a half day in part: none
    got = delivery.yearly_compliance(ws, AS_OF).set_index("name")
    assert got.loc["甲", "credited_hours"] == 3 + 2.5 + 2.25 and got.loc["甲", "credited_days"] == 0.5
    assert got.loc["丙", "credited_days"] == 0.5


def test_partly_attended_days_count_by_the_share_credited_rounded_down(small):
    ws, ids = small
    sids = _class_of_days(
        ws, "K2", {D(2026, 4, 6): [4, 6], D(2026, 4, 7): [6], D(2026, 4, 8): [4, 2], D(2026, 4, 9): [3, 3]}
    )
    people.enroll(ws, "K2", ids["乙"], D(2026, 4, 6), end_date=D(2026, 4, 9))
    me = ids["乙"]
    _mark_ids(ws, sids[D(2026, 4, 6)][:1], {me: "absent"})  # 6 of 10 h: half a day
    _mark_ids(ws, sids[D(2026, 4, 6)][1:], {me: "present"})
    _mark_ids(ws, sids[D(2026, 4, 7)], {me: "late"})  # 4.5 of 6 h: half a day
    _mark_ids(ws, sids[D(2026, 4, 8)][:1], {me: "excused"})  # 2 of 6 h: none
    _mark_ids(ws, sids[D(2026, 4, 8)][1:], {me: "present"})
    _mark_ids(ws, sids[D(2026, 4, 9)][:1], {me: "present"})  # 9 April: the other 3 h unmarked
    got = delivery.yearly_compliance(ws, AS_OF).set_index("name").loc["乙"]
    # 9 April: 3 of 6 h credited is half a day; projected as attended it is a day.
    assert got["credited_days"] == 0.5 + 0.5 + 0 + 0.5
    assert got["projected_days"] == 0.5 + 0.5 + 0 + 1


def test_sessions_of_two_cohorts_on_one_date_make_one_day(small):
    """A chief's cohorts' sessions of one date add up: 3 h of lectures and 4 h of a class are a
    full day; 2 h and 2 h half a day attended in full, none with one of them missed (each
    alone would be no day at all)."""
    ws, ids = small
    people.add_cohort(ws, "M", "讲座", "lecture_series", D(2026, 1, 1), end_date=D(2026, 12, 31))
    people.enroll(ws, "M", ids["乙"], D(2026, 1, 1))
    people.enroll(ws, "M", ids["丙"], D(2026, 4, 1))
    days = (D(2026, 4, 6), D(2026, 4, 7))
    lectures = {
        d: [delivery.add_session(ws, "M", d, "lecture", "讲座", h, as_of=AS_OF)] for d, h in zip(days, (3, 2))
    }
    sids = _class_of_days(ws, "K2", {days[0]: [4], days[1]: [2]})
    for pid in (ids["乙"], ids["丙"]):
        people.enroll(ws, "K2", pid, days[0], end_date=days[1])
    both = [ids["乙"], ids["丙"]]
    _mark_ids(ws, lectures[days[0]] + sids[days[0]], dict.fromkeys(both, "present"))
    _mark_ids(ws, lectures[days[1]], dict.fromkeys(both, "present"))
    _mark_ids(ws, sids[days[1]], {ids["乙"]: "present", ids["丙"]: "absent"})
    got = delivery.yearly_compliance(ws, AS_OF).set_index("name")
    assert got.loc["乙", "credited_days"] == 1 + 0.5
    assert got.loc["丙", "credited_days"] == 1 + 0  # 7 April: 2 of 4 h, part of a half day


def test_a_class_day_attended_in_full_is_a_day_though_another_cohorts_lecture_was_missed(small):
    """6 h of a class attended in full and a 3 h lecture of another cohort missed the same day:
    together 6 of 9 h would be half a day, but the class day alone is a day attended, and the
    date counts the larger."""
    ws, ids = small
    day = D(2026, 4, 6)
    people.add_cohort(ws, "M", "讲座", "lecture_series", D(2026, 1, 1), end_date=D(2026, 12, 31))
    people.enroll(ws, "M", ids["乙"], D(2026, 1, 1))
    lecture = delivery.add_session(ws, "M", day, "lecture", "讲座", 3, as_of=AS_OF)
    sids = _class_of_days(ws, "K2", {day: [6]})
    people.enroll(ws, "K2", ids["乙"], day, end_date=day)
    _mark_ids(ws, sids[day], {ids["乙"]: "present"})
    _mark_ids(ws, [lecture], {ids["乙"]: "absent"})
    got = delivery.yearly_compliance(ws, AS_OF).set_index("name")
    assert got.loc["乙", "credited_days"] == 1 and got.loc["乙", "credited_hours"] == 6


def test_a_promotion_during_training_is_shown_apart_and_never_as_a_dropout(small):
    """A chief promoted mid-class ends the enrolment as 提拔: their own status in the standings,
    their own count in the summary and the overview, outside the completion rate, never warned,
    never 退出; one who leaves for another reason is 退出."""
    from cadre_lib import care

    ws, ids = small
    others = {n: _chief(ws, n, "T2", D(2020, 1, 1)) for n in ("戊", "己")}
    for pid in others.values():
        people.enroll(ws, "K", pid, D(2026, 3, 2), end_date=D(2026, 3, 6))
    for d in range(2, 5):
        _mark(ws, "K", D(2026, 3, d), {ids["甲"]: "present", **dict.fromkeys(others.values(), "present")})
    care.record_outcome(ws, ids["甲"], "promotion", D(2026, 3, 5), to_post="副县长", as_of=AS_OF)
    people.withdraw(ws, "K", others["己"], D(2026, 3, 4))  # left, not promoted
    for d in range(5, 7):
        _mark(ws, "K", D(2026, 3, d), {others["戊"]: "present"})
    enrolments = ws.table("enrollment").set_index(["cohort_id", "person_id"])["end_reason"]
    k = ws.id_of("cohort", "code", "K")
    assert enrolments[(k, ids["甲"])] == "promoted" and enrolments[(k, others["己"])] == "withdrawn"
    table = delivery.cohort_standing(ws, "K", AS_OF).set_index("person_id")
    assert table.loc[ids["甲"], "status"] == "promoted" and table.loc[others["己"], "status"] == "withdrawn"
    assert table.loc[ids["甲"], "credited"] == 3 * 7.5  # their hours stay in the cohort's figures
    assert ids["甲"] not in set(delivery.warnings_list(table.reset_index())["person_id"])
    row = delivery.cohort_overview(ws, AS_OF).set_index("cohort").loc["K"]
    assert (row["participants"], row["promoted"], row["withdrawn"], row["completed"]) == (3, 1, 1, 1)
    assert row["completion_rate"] == 1.0  # 戊 of 戊: neither the promoted nor the withdrawn count
    summary = delivery.cohort_summary(
        people.cohort_members(ws, "K"),
        delivery.cohort_sessions(ws, "K"),
        delivery.cohort_attendance(ws, "K"),
        AS_OF,
    ).set_index("figure")["value"]
    assert (summary["promoted"], summary["withdrawn"]) == (1, 1)
    shown = for_display(table.reset_index(), columns=["person_id", "status"]).set_index("编号 No.")
    assert shown.loc[ids["甲"], "状态 Status"] == "提拔 Promoted"
    assert shown.loc[others["己"], "状态 Status"] == "退出 Withdrawn"
    overview = for_display(delivery.cohort_overview(ws, AS_OF), columns=["cohort", "promoted", "withdrawn"])
    assert list(overview.columns) == ["培训项目 Cohort", "提拔 Promoted", "退出 Withdrawn"]


def test_a_withdrawal_says_why_and_an_unknown_reason_is_refused(small):
    from cadre_lib import InvalidEntry

    ws, ids = small
    with pytest.raises(
        InvalidEntry, match="结束原因应为提拔（promoted）、退出（withdrawn）、调离（transferred）"
    ):
        people.withdraw(ws, "L", ids["甲"], D(2026, 3, 1), reason="dropout")
    with pytest.raises(InvalidEntry, match="在训学员不填结束原因"):
        people.enroll(ws, "K", ids["乙"], D(2026, 3, 2), end_reason="withdrawn")
    assert ws.table("enrollment")["end_reason"].isna().all()  # nothing written
    people.withdraw(ws, "L", ids["甲"], D(2026, 3, 1), reason="transferred")
    people.enroll(ws, "K", ids["乙"], D(2026, 3, 2), status="withdrawn", end_date=D(2026, 3, 3))
    reasons = ws.table("enrollment").set_index(["cohort_id", "person_id"])["end_reason"]
    k, lec = (ws.id_of("cohort", "code", c) for c in ("K", "L"))
    assert reasons[(lec, ids["甲"])] == "transferred" and pd.isna(reasons[(k, ids["甲"])])
    assert reasons[(k, ids["乙"])] == "withdrawn"  # a withdrawal entered without a reason
    status = delivery.cohort_standing(ws, "L", AS_OF).set_index("person_id").loc[ids["甲"], "status"]
    assert status == "withdrawn"  # transferred away: left, not promoted


def _class_k3(ws, ids) -> dict[str, int]:
    """A residential class K3 of five 7.5 h days in April with no threshold of its own, and
    three more chiefs in it; their ids by name."""
    days = [D(2026, 4, d) for d in range(6, 11)]
    people.add_cohort(ws, "K3", "专题班", "class", days[0], end_date=days[-1])
    delivery.add_series(ws, "K3", days, "lecture", "专题", 7.5, as_of=AS_OF)
    them = {n: _chief(ws, n, "T2", D(2020, 1, 1)) for n in ("戊", "己", "庚")}
    for pid in them.values():
        people.enroll(ws, "K3", pid, days[0], end_date=days[-1])
    return them


def _mark_days(ws, cohort: str, days: list[D], marks: dict[int, list[str]]) -> None:
    for k, day in enumerate(days):
        _mark(ws, cohort, day, {pid: statuses[k] for pid, statuses in marks.items()})


def test_a_residential_class_completes_within_the_leave_limit_without_an_attendance_share(small, tmp_path):
    """The regulation's rule for a residential class is the 1/7 leave limit; no share of hours
    attended is required unless the department sets one for the class (then it applies)."""
    ws, ids = small
    them = _class_k3(ws, ids)
    days = [D(2026, 4, d) for d in range(6, 11)]
    _mark_days(
        ws,
        "K3",
        days,
        {
            them["戊"]: ["late", "late", "late", "left_early", "left_early"],  # 65% credited, no time away
            them["己"]: ["absent", "present", "present", "present", "present"],  # 7.5 h away of 5.36
            them["庚"]: ["present"] * 5,
        },
    )
    table = delivery.cohort_standing(ws, "K3", AS_OF).set_index("person_id")
    assert table["threshold"].isna().all()
    assert table.loc[them["戊"], "status"] == "completed"  # 65% attended, within the leave limit
    assert (table.loc[them["己"], "status"], table.loc[them["己"], "reason"]) == (
        "not_completed",
        "leave_over",
    )
    assert table.loc[them["庚"], "status"] == "completed"
    # The programme and other kinds that are not residential keep the department's threshold.
    people.add_cohort(ws, "P", "培养行动", "programme", D(2026, 1, 1), end_date=D(2026, 12, 31))
    assert delivery.cohort_requirement(ws, "P").completion == 0.8
    (tmp_path / "rules.toml").write_text("[training]\ncompletion.cohorts.K3 = 0.9\n", encoding="utf-8")
    with Workspace(tmp_path / "ws.sqlite") as again:
        set_by_department = delivery.cohort_standing(again, "K3", AS_OF).set_index("person_id")
        row = delivery.cohort_overview(again, AS_OF).set_index("cohort").loc["K3"]
    assert set_by_department.loc[them["戊"], "reason"] == "below_completion"
    assert (row["completed"], row["not_completed"]) == (1, 2)


def test_a_class_that_names_an_assessment_needs_it_passed_and_a_missing_score_waits(small, tmp_path):
    from cadre_lib import InvalidEntry, evaluation

    ws, ids = small
    them = _class_k3(ws, ids)
    days = [D(2026, 4, d) for d in range(6, 11)]
    _mark_days(ws, "K3", days, {pid: ["present"] * 5 for pid in them.values()})
    with pytest.raises(InvalidEntry, match="合格分应在0至100分之间"):
        evaluation.declare_instrument(ws, "k3_exam", "结业测试", 0, 100, pass_mark=160)
    evaluation.declare_instrument(ws, "k3_exam", "结业测试", 0, 100, pass_mark=60)
    (tmp_path / "rules.toml").write_text(
        '[training]\ncompletion.pass_instruments.K3 = "k3_exam"\n', encoding="utf-8"
    )
    with Workspace(tmp_path / "ws.sqlite", clock=lambda: dt.datetime(2026, 6, 30, 9)) as ws:
        waiting = delivery.cohort_standing(ws, "K3", AS_OF)
        assert set(waiting["status"]) == {"pending"}  # no score yet: waiting, not failed
        for dim, scores in (("theory", (70, 55)), ("professional", (80, 60))):
            evaluation.record_scores(
                ws, "K3", dict(zip((them["戊"], them["己"]), scores, strict=True)),
                instrument="k3_exam", dimension=dim, phase="post", date=D(2026, 4, 10),
            )  # fmt: skip
        evaluation.record_assessment(
            ws, them["己"], "K3", "theory", "post", "k3_exam", 100, D(2026, 4, 10), rater_role="self"
        )
        table = delivery.cohort_standing(ws, "K3", AS_OF).set_index("person_id")
        overview = delivery.cohort_overview(ws, AS_OF).set_index("cohort").loc["K3"]
        before = delivery.cohort_standing(ws, "K3", D(2026, 4, 9)).set_index("person_id")
    assert table.loc[them["戊"], "pass_score"] == 75 and table.loc[them["戊"], "status"] == "completed"
    # 己: (55 + 60) / 2 = 57.5 below 60 (their self-rating of 100 is another measure, not pooled);
    # 庚 has no score yet: missing paperwork, pending like a missing mark, never failed for it.
    assert (table.loc[them["己"], "status"], table.loc[them["己"], "reason"]) == (
        "not_completed",
        "assessment_failed",
    )
    assert table.loc[them["庚"], "status"] == "pending" and pd.isna(table.loc[them["庚"], "reason"])
    assert (overview["completed"], overview["not_completed"], overview["pending"]) == (1, 1, 1)
    assert set(before["status"]) == {"active"}
    shown = for_display(delivery.warnings_list(table.reset_index())).set_index("姓名 Name")["说明 Detail"]
    assert shown["己"].startswith("未结业：结业考核57.5分，未达合格分60（待部门确认）")
    assert "庚" not in shown.index


def test_a_threshold_of_the_departments_choice_reads_to_be_confirmed_until_confirmed(small, tmp_path):
    """Stored with a cohort or set by default, an attendance threshold is the department's
    choice: shown with 待部门确认 beside it until its rules file confirms it."""
    ws, ids = small
    for d, status in zip(range(2, 7), ["present", "present", "present", "late", "excused"], strict=True):
        _mark(ws, "K", D(2026, 3, d), {ids["甲"]: status})  # K stores 0.8 with the cohort
    table = delivery.cohort_standing(ws, "K", AS_OF)
    shown = for_display(table, columns=["name", "threshold"]).set_index("姓名 Name")
    assert shown.loc["甲", "结业要求 Threshold"] == "80%（待部门确认）"
    detail = for_display(delivery.warnings_list(table))["说明 Detail"].iloc[0]
    assert "低于结业要求80%（待部门确认）" in detail and "(to be confirmed by the department)" in detail
    text = delivery.training_rules_text(ws, "K")
    assert "请假和缺勤累计不超过总学时的1/7（《干部教育培训工作条例》）" in text
    assert "不低于80%（待部门确认）" in text
    (tmp_path / "rules.toml").write_text(
        '[department]\nconfirmed = ["training.completion"]\n', encoding="utf-8"
    )
    with Workspace(tmp_path / "ws.sqlite") as again:
        table = delivery.cohort_standing(again, "K", AS_OF)
        text = delivery.training_rules_text(again, "K")
    shown = for_display(table, columns=["name", "threshold"]).set_index("姓名 Name")
    assert shown.loc["甲", "结业要求 Threshold"] == "80%" and "不低于80%。" in text
    assert "待部门确认" not in for_display(delivery.warnings_list(table))["说明 Detail"].iloc[0]


def test_part_credit_for_late_and_left_early_says_it_is_the_departments_choice_where_shown(small, tmp_path):
    """Late ¾ and left early ½ are the department's shares, not a regulation's: beside the
    credited hours in the notebook, the sign-in sheet, the yearly view and the export."""
    from openpyxl import load_workbook

    from cadre_lib.delivery import widgets

    ws, ids = small
    text = delivery.credit_text(ws.rules)
    assert text.startswith(
        "计入学时：出勤100%、迟到75%（待部门确认）、早退50%（待部门确认）、请假0%、缺勤0%。"
    )
    assert "late 75% (to be confirmed by the department)" in text
    assert delivery.training_rules_text(ws, "K").splitlines()[0] == text
    sheet = widgets.sign_in_sheet(ws, "K", AS_OF)
    assert any(text in str(getattr(child, "value", "")) for child in sheet.children)
    yearly = widgets.yearly_view(ws, AS_OF)
    assert any(text in str(getattr(child, "value", "")) for child in yearly.children)
    book = load_workbook(delivery.export_delivery(ws, "K", AS_OF, tmp_path / "exports"))
    for name in ("学时情况 Standing", "预警 Warnings", "年度要求 Yearly"):
        assert "迟到75%（待部门确认）" in str(book[name].cell(2, 1).value), name
    (tmp_path / "rules.toml").write_text(
        '[attendance]\ncredit.late = 0.5\n[department]\nconfirmed = ["attendance.credit"]\n', encoding="utf-8"
    )
    with Workspace(tmp_path / "ws.sqlite") as again:
        assert delivery.credit_text(again.rules).startswith(
            "计入学时：出勤100%、迟到50%、早退50%、请假0%、缺勤0%。"
        )


def test_status_and_membership_are_those_in_force_on_the_as_of_date(small):
    ws, ids = small
    late = _chief(ws, "丁", "T2", D(2020, 1, 1))
    people.enroll(ws, "L", late, D(2026, 8, 1))  # joins after the as-of date
    _mark(ws, "L", D(2026, 5, 10), {ids["甲"]: "present", ids["丙"]: "present"})
    people.withdraw(ws, "L", ids["甲"], D(2026, 12, 1))
    table = delivery.cohort_standing(ws, "L", AS_OF).set_index("person_id")
    assert late not in table.index  # not counted, not warned
    assert table.loc[ids["甲"], "status"] == "active"  # leaves in December: in training on 30 June
    later = delivery.cohort_standing(ws, "L", D(2026, 12, 15)).set_index("person_id")
    assert later.loc[ids["甲"], "status"] == "withdrawn"
    summary = delivery.cohort_summary(
        people.cohort_members(ws, "L"),
        delivery.cohort_sessions(ws, "L"),
        delivery.cohort_attendance(ws, "L"),
        AS_OF,
    ).set_index("figure")["value"]
    assert summary["participants"] == 2 and summary["withdrawn"] == 0


def test_an_unmarked_session_is_listed_and_never_counted_as_missed(small):
    ws, ids = small
    _mark(ws, "L", D(2026, 2, 10), {ids["甲"]: "present"})  # 10 May is held but not marked
    table = delivery.cohort_standing(ws, "K", AS_OF)  # nobody in K marked: 37.5 h unmarked
    assert delivery.warnings_list(table).empty
    row = table.set_index("person_id").loc[ids["甲"]]
    assert row["unmarked_hours"] == 37.5 and row["marked_hours"] == 0
    assert not row["below"] and row["below_since"] is None
    assert row["status"] == "pending" and row["reason"] is None  # missing marks decide nothing
    assert delivery.warnings_list(table).empty
    missing = delivery.cohort_unmarked(ws, "K", AS_OF)
    assert missing["missing"].tolist() == [1] * 5 and missing["hours"].sum() == 37.5
    lec = delivery.cohort_unmarked(ws, "L", AS_OF)
    assert lec[["date", "missing"]].values.tolist() == [[D(2026, 5, 10), 2]]
    # In the yearly figures the unmarked hours are shown apart and projected, not missed.
    yearly = delivery.yearly_compliance(ws, AS_OF).set_index("name")
    assert yearly.loc["甲", "unmarked_hours"] == 37.5 + 3.0
    assert yearly.loc["甲", "projected_hours"] == 3.0 + 40.5 + 3.0


def test_credit_follows_the_rules_file_when_read(small, tmp_path):
    ws, ids = small
    _mark(ws, "K", D(2026, 3, 2), {ids["甲"]: "late"})
    before = delivery.cohort_standing(ws, "K", AS_OF).set_index("person_id").loc[ids["甲"], "credited"]
    assert before == 7.5 * 0.75
    (tmp_path / "rules.toml").write_text("[attendance]\ncredit.late = 0.5\n")
    with Workspace(tmp_path / "ws.sqlite") as again:
        after = delivery.cohort_standing(again, "K", AS_OF).set_index("person_id").loc[ids["甲"], "credited"]
        assert after == 7.5 * 0.5
        yearly = delivery.yearly_compliance(again, AS_OF).set_index("name").loc["甲", "credited_hours"]
    assert yearly == 7.5 * 0.5


def test_absence_counts_against_the_leave_limit_as_the_rules_file_says(small, tmp_path):
    ws, ids = small
    # 37.5 h in the class: the limit is 1/7 of it, 5.36 h; one absent day (7.5 h) is over it.
    for d, status in zip(range(2, 7), ["absent", "present", "present", "present", "present"], strict=True):
        _mark(ws, "K", D(2026, 3, d), {ids["甲"]: status})
    row = delivery.cohort_standing(ws, "K", AS_OF).set_index("person_id").loc[ids["甲"]]
    assert row["leave_hours"] == 7.5 and row["leave_over"]
    assert row["status"] == "not_completed" and "leave_over" in row["reason"]
    (tmp_path / "rules.toml").write_text('[training]\nresidential_leave_counts = ["excused"]\n')
    with Workspace(tmp_path / "ws.sqlite") as again:
        row = delivery.cohort_standing(again, "K", AS_OF).set_index("person_id").loc[ids["甲"]]
    assert row["leave_hours"] == 0 and not row["leave_over"]


def test_an_open_lecture_series_has_no_completion(small):
    ws, ids = small
    _mark(ws, "L", D(2026, 2, 10), {ids["甲"]: "absent"})
    _mark(ws, "L", D(2026, 5, 10), {ids["甲"]: "absent", ids["丙"]: "absent"})
    table = delivery.cohort_standing(ws, "L", AS_OF)
    assert table["threshold"].isna().all() and not table["below"].any()
    assert "below_completion" not in set(delivery.warnings_list(table)["warning"])
    ended = delivery.cohort_standing(ws, "L", D(2027, 1, 5))
    assert set(ended["status"]) == {"ended"}  # neither completed nor not


def test_the_outcome_of_an_ended_class_is_decided_from_the_rules(small):
    ws, ids = small
    for d, status in zip(range(2, 7), ["present", "present", "present", "late", "excused"], strict=True):
        _mark(ws, "K", D(2026, 3, d), {ids["甲"]: status})
    during = delivery.cohort_standing(ws, "K", D(2026, 3, 4)).set_index("person_id").loc[ids["甲"]]
    assert during["status"] == "active"
    row = delivery.cohort_standing(ws, "K", AS_OF).set_index("person_id").loc[ids["甲"]]
    # 7.5 × 3 + 5.625 = 28.125 of 37.5 h = 75% < 80%: not completed, and why.
    assert row["status"] == "not_completed" and row["reason"] == "below_completion,leave_over"
    shown = for_display(delivery.warnings_list(delivery.cohort_standing(ws, "K", AS_OF))).iloc[0]
    assert shown["说明 Detail"].startswith("未结业：出勤率75%（已记考勤37.5学时），低于结业要求80%")
    with pytest.raises(Exception, match="结业与否按规则自动判定"):
        people.enroll(ws, "K", ids["乙"], D(2026, 3, 2), status="completed", end_date=D(2026, 3, 6))


def test_every_enrolment_outcome_of_the_demo_rederived_from_the_raw_tables(demo_ws):
    """Outcomes recomputed from the stored rows and the definitions in docs/definitions.md, not the library's."""
    from cadre_lib.demo import DEMO_AS_OF

    rules = demo_ws.rules
    cohorts = demo_ws.table("cohort").set_index("id")
    sessions, marks = demo_ws.table("session"), demo_ws.table("attendance")
    marks = marks.merge(sessions[["id", "hours"]], left_on="session_id", right_on="id")
    marks["credited"] = marks["hours"] * marks["status"].map(dict(rules.credit))
    checked, standing = 0, {}
    for e in demo_ws.table("enrollment").itertuples():
        c = cohorts.loc[e.cohort_id]
        end = e.end_date or c["end_date"]
        if (
            c["kind"] not in rules.completion_kinds
            or end is None
            or end >= DEMO_AS_OF
            or e.status == "withdrawn"
        ):
            continue
        held = sessions[(sessions["cohort_id"] == e.cohort_id) & (sessions["date"] >= e.start_date)]
        held = held[(held["date"] <= end) & (held["date"] <= DEMO_AS_OF)]
        mine = marks[marks["session_id"].isin(held["id"]) & (marks["person_id"] == e.person_id)]
        # An attendance threshold: the department's, for the programme (and a residential class
        # only where it set one); a residential class is decided by the leave limit.
        threshold = c["completion_threshold"]
        if c["code"] in rules.settings["training"]["completion"]["cohorts"]:
            threshold = rules.settings["training"]["completion"]["cohorts"][c["code"]]
        elif threshold != threshold or threshold is None:
            residential = c["kind"] in rules.residential_kinds
            threshold = None if residential else rules.settings["training"]["completion"]["default"]
        unmarked = held.loc[~held["id"].isin(mine["session_id"]), "hours"].sum()
        # below even if every unmarked session were attended in full
        below = threshold is not None and (
            mine["credited"].sum() + unmarked < threshold * held["hours"].sum() - 1e-9
        )
        away = mine.loc[mine["status"].isin(rules.leave_counts), "hours"].sum()
        limit = round(
            rules.leave_limit * sessions.loc[sessions["cohort_id"] == e.cohort_id, "hours"].sum(), 2
        )
        over = c["kind"] in rules.residential_kinds and away > limit + 1e-9
        why = ",".join(w for w, bad in (("below_completion", below), ("leave_over", over)) if bad)
        if why:
            expected = ("not_completed", why)
        else:
            expected = ("pending", None) if unmarked else ("completed", None)
        if c["code"] not in standing:
            standing[c["code"]] = delivery.cohort_standing(demo_ws, c["code"], DEMO_AS_OF).set_index(
                "person_id"
            )
        got = standing[c["code"]].loc[e.person_id]
        reason = got["reason"] if isinstance(got["reason"], str) else None
        assert (got["status"], reason) == expected, (c["code"], e.person_id)
        checked += 1
    assert checked > 500


def test_the_demo_yearly_figures_rederived_from_the_raw_tables(demo_ws):
    from cadre_lib.demo import DEMO_AS_OF

    rules = demo_ws.rules
    sessions, marks = demo_ws.table("session"), demo_ws.table("attendance")
    marks = marks.merge(sessions[["id", "date", "hours"]], left_on="session_id", right_on="id")
    marks = marks[(marks["date"] >= D(2026, 1, 1)) & (marks["date"] <= DEMO_AS_OF)]
    marks["credited"] = marks["hours"] * marks["status"].map(dict(rules.credit))
    # A date's scheduled hours: its sessions in the counting cohorts each chief was enrolled in.
    cohorts = demo_ws.table("cohort").set_index("id")
    counting = sessions[sessions["cohort_id"].map(cohorts["kind"]).isin(rules.counts_toward_yearly)]
    counting = counting[(counting["date"] >= D(2026, 1, 1)) & (counting["date"] <= DEMO_AS_OF)]
    on = demo_ws.table("enrollment").merge(counting, on="cohort_id")
    on = on[(on["start_date"] <= on["date"]) & (on["end_date"].isna() | (on["end_date"] >= on["date"]))]

    def rule(by: list[str]) -> pd.Series:  # a date's days by its hours in the cohorts `by` groups
        planned = on.groupby(by)["hours"].sum()
        got_h = marks.groupby(by)["credited"].sum()
        share = got_h.reindex(planned.index).fillna(0.0) / planned
        value = (planned >= 6) * 1.0 + ((planned < 6) & (planned >= 3)) * 0.5
        return (value * share * 2 + 1e-9).apply(math.floor).div(2)

    marks = marks.merge(
        sessions[["id", "cohort_id"]], left_on="session_id", right_on="id", suffixes=("", "_s")
    )
    together = rule(["person_id", "date"])
    alone = rule(["person_id", "date", "cohort_id"]).groupby(level=["person_id", "date"]).max()
    days = together.where(together >= alone, alone).groupby(level=0).sum()
    assert days.sum() > 1000
    got = delivery.yearly_compliance(demo_ws, DEMO_AS_OF).set_index("person_id")
    hours = marks.groupby("person_id")["credited"].sum().reindex(got.index).fillna(0.0)
    assert got["credited_hours"].to_numpy() == pytest.approx(hours.to_numpy())
    assert got["credited_days"].to_numpy() == pytest.approx(days.reindex(got.index).fillna(0.0).to_numpy())
    tenure = demo_ws.table("post_tenure").set_index("person_id")
    for pid, row in got.iterrows():
        t = tenure.loc[[pid]]
        start = max(D(2026, 1, 1), t["start_date"].min())
        ended = t["end_date"].dropna()
        stop = ended.max() if len(ended) == len(t) and ended.max() <= DEMO_AS_OF else D(2027, 1, 1)
        assert row["target_hours"] == round(90 * (stop - start).days / 365, 1), pid
        assert row["complies"] == (
            row["credited_hours"] >= row["target_hours"] or row["credited_days"] >= row["target_days"]
        )
    in_post = set(people.chiefs(demo_ws, DEMO_AS_OF)["person_id"])
    left = tenure[(tenure["end_date"] > D(2026, 1, 1)) & (tenure["end_date"] <= DEMO_AS_OF)].index
    assert set(got.index) == in_post | set(left)  # in post now, or for part of this year


def test_a_past_date_projects_the_sessions_still_to_come_that_day_even_if_marked_since(small):
    ws, ids = small
    _mark(ws, "L", D(2026, 9, 10), {ids["甲"]: "present"})  # marked after 30 June
    people.withdraw(ws, "L", ids["丙"], D(2026, 7, 1))  # left after 30 June: not known that day
    got = delivery.yearly_compliance(ws, AS_OF).set_index("name")
    assert got.loc["甲", "scheduled_hours"] == 3.0 and got.loc["甲", "credited_hours"] == 0
    assert got.loc["丙", "scheduled_hours"] == 3.0
    later = delivery.yearly_compliance(ws, D(2026, 8, 1)).set_index("name")
    assert later.loc["丙", "scheduled_hours"] == 0  # by 1 August the withdrawal had happened


def test_a_missing_mark_leaves_pending_only_what_it_could_change(small):
    ws, ids = small
    other = _chief(ws, "戊", "T2", D(2020, 1, 1))
    people.enroll(ws, "K", other, D(2026, 3, 2), end_date=D(2026, 3, 6))
    # 甲: two days absent (15 h away, over the 5.36 h limit) and one day unmarked: fails anyway.
    # 戊: four days present and one unmarked: that day decides.
    for d, status in zip(range(2, 6), ["absent", "absent", "present", "present"], strict=True):
        _mark(ws, "K", D(2026, 3, d), {ids["甲"]: status, other: "present"})
    table = delivery.cohort_standing(ws, "K", AS_OF).set_index("person_id")
    assert table.loc[ids["甲"], "status"] == "not_completed"
    assert table.loc[ids["甲"], "reason"] == "below_completion,leave_over"
    assert table.loc[other, "status"] == "pending"
    assert delivery.warnings_list(table.reset_index())["person_id"].tolist() == [ids["甲"]]


def test_enrolling_twice_or_an_unknown_person_says_what_to_do(small):
    from cadre_lib import InvalidEntry, MissingEntry

    ws, ids = small
    with pytest.raises(InvalidEntry, match="已在K中，不能重复编入"):
        people.enroll(ws, "K", ids["甲"], D(2026, 3, 2), end_date=D(2026, 3, 6))
    with pytest.raises(MissingEntry, match="工作区中没有编号为999的人员"):
        people.enroll(ws, "K", 999, D(2026, 3, 2))
    assert len(people.cohort_members(ws, "K")) == 1  # nothing written
