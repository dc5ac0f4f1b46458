"""The care stage through its public API: the talk cadence and impact periods on hand-computed
cases around their boundaries, the talks register and the outcomes ledger refusing what a
department would not record, and the demo's figures recomputed from its raw tables."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import FIXED

from cadre_lib import InvalidEntry, Workspace, care, people
from cadre_lib.core.codes import VOCAB
from cadre_lib.core.periods import add_months
from cadre_lib.core.rules import load_rules
from cadre_lib.demo import DEMO_AS_OF

D = dt.date
EVERY = {"county_secretary": 12, "county_org_chief": 6}


def _tenures(*rows) -> pd.DataFrame:
    """(person_id, county, township, start, first day out of post or None) -> tenures rows."""
    return pd.DataFrame(
        [
            {"person_id": p, "name": f"P{p}", "county_code": c, "county": c + "县", "township": t, "post": "head",
             "start_date": s, "end_date": e}
            for p, c, t, s, e in rows
        ]
    )  # fmt: skip


def _talks(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["person_id", "date", "talker_role"])


def _row(table: pd.DataFrame, person: int, role: str, period: str) -> dict:
    found = table[
        (table["person_id"] == person) & (table["talker_role"] == role) & (table["period"] == period)
    ]
    assert len(found) <= 1
    return found.iloc[0].to_dict() if len(found) else {}


def test_the_last_day_of_a_half_year_is_still_due_and_the_next_day_overdue():
    rows = _tenures((1, "C1", "甲镇", D(2020, 1, 1), None))
    none = _talks()
    h1 = _row(care.cadence(rows, none, EVERY, D(2026, 6, 30)), 1, "county_org_chief", "2026-H1")
    assert (h1["status"], h1["days_left"]) == ("due", 0)
    next_day = care.cadence(rows, none, EVERY, D(2026, 7, 1))
    h1, h2 = (_row(next_day, 1, "county_org_chief", p) for p in ("2026-H1", "2026-H2"))
    assert (h1["status"], h1["days_overdue"]) == ("overdue", 1)
    assert (h2["status"], h2["days_left"]) == ("due", 183)
    # A talk on 30 June covers the first half, not the second.
    held = care.cadence(rows, _talks((1, D(2026, 6, 30), "county_org_chief")), EVERY, D(2026, 7, 1))
    assert _row(held, 1, "county_org_chief", "2026-H1")["status"] == "held"
    assert _row(held, 1, "county_org_chief", "2026-H2")["status"] == "due"
    # The secretary's year is still running: due, not overdue, with 183 days left.
    assert _row(next_day, 1, "county_secretary", "2026")["status"] == "due"


def test_days_overdue_count_the_leap_day_and_a_chief_appointed_mid_period_owes_it_from_half_its_days():
    rows = _tenures((1, "C1", "甲镇", D(2020, 1, 1), None), (2, "C1", "乙镇", D(2024, 2, 29), None))
    table = care.cadence(rows, _talks(), EVERY, D(2024, 3, 1))
    assert _row(table, 1, "county_secretary", "2023")["days_overdue"] == 61  # 31 + 29 + 1
    assert _row(table, 1, "county_org_chief", "2023-H2")["days_overdue"] == 61
    # Chief 2 took the post on the leap day: 123 of the 182 days of 2024-H1 and 307 of the 366 of
    # 2024 if they stay, so both are owed (first periods, new in post); chief 1's are not new.
    h1, year = _row(table, 2, "county_org_chief", "2024-H1"), _row(table, 2, "county_secretary", "2024")
    assert (h1["status"], h1["days_in_post"], h1["new_in_post"]) == ("due", 123, True)
    assert (year["days_in_post"], year["new_in_post"]) == (307, True)
    assert not _row(table, 1, "county_org_chief", "2024-H1")["new_in_post"]
    later = care.cadence(rows, _talks(), EVERY, D(2025, 1, 2))
    assert _row(later, 2, "county_secretary", "2024")["days_overdue"] == 2
    assert _row(later, 2, "county_org_chief", "2024-H2")["days_overdue"] == 2
    assert care.newly_appointed(later)[["person_id", "period"]].values.tolist() == [
        [2, "2024"],
        [2, "2024-H1"],
    ]
    # One who starts on the first day of a period owes that period, and is not new in it.
    first_day = _tenures((3, "C1", "丙镇", D(2024, 7, 1), None))
    row = _row(care.cadence(first_day, _talks(), EVERY, D(2025, 1, 1)), 3, "county_org_chief", "2024-H2")
    assert (row["status"], row["new_in_post"]) == ("overdue", False)


@pytest.mark.parametrize(
    "start, period, owed",
    [
        (D(2026, 10, 1), "2026-H2", True),  # 92 of 184 days: exactly half
        (D(2026, 10, 2), "2026-H2", False),  # 91: one day short
        (D(2026, 4, 1), "2026-H1", True),  # 91 of 181 (half is 90.5)
        (D(2026, 4, 2), "2026-H1", False),  # 90
        (D(2024, 4, 1), "2024-H1", True),  # a leap year: 91 of 182, exactly half
        (D(2024, 4, 2), "2024-H1", False),
        (D(2024, 7, 2), "2024", True),  # 183 of 366
        (D(2024, 7, 3), "2024", False),
        (D(2025, 7, 2), "2025", True),  # 183 of 365 (half is 182.5)
        (D(2025, 7, 3), "2025", False),
    ],
)
def test_a_chief_appointed_mid_period_owes_it_once_in_post_half_its_days(start, period, owed):
    role = "county_org_chief" if "-H" in period else "county_secretary"
    table = care.cadence(
        _tenures((1, "C1", "甲镇", start, None)), _talks(), EVERY, D(2027, 1, 1), D(2024, 1, 1)
    )
    row = _row(table, 1, role, period)
    assert bool(row) == owed
    if owed:
        assert (row["status"], row["new_in_post"]) == ("overdue", True)


def test_the_share_of_days_counts_tenures_that_meet_as_one_service_and_a_chief_who_leaves():
    as_of = D(2027, 1, 1)
    # Exactly half of 2026-H2 served in two townships one after the other: owed, under the county
    # of the last day in post.
    moved = _tenures(
        (1, "C1", "甲镇", D(2026, 10, 1), D(2026, 11, 1)), (1, "C2", "丁镇", D(2026, 11, 1), None)
    )
    row = _row(care.cadence(moved, _talks(), EVERY, as_of), 1, "county_org_chief", "2026-H2")
    assert (row["days_in_post"], row["county"], row["new_in_post"]) == (92, "C2县", True)
    # July, then from October: 31 + 92 days, in post on the first day: owed and not new.
    broken = _tenures(
        (1, "C1", "甲镇", D(2026, 7, 1), D(2026, 8, 1)), (1, "C1", "乙镇", D(2026, 10, 1), None)
    )
    row = _row(care.cadence(broken, _talks(), EVERY, as_of), 1, "county_org_chief", "2026-H2")
    assert (row["days_in_post"], row["new_in_post"]) == (123, False)
    # One who leaves on 1 October (their last day 30 September) served 92 days: owed, listed under
    # the county they left, kept out of the list to act on as no longer in post.
    left = _tenures((1, "C1", "甲镇", D(2020, 1, 1), D(2026, 10, 1)))
    table = care.cadence(left, _talks(), EVERY, as_of)
    row = _row(table, 1, "county_org_chief", "2026-H2")
    assert (row["status"], row["days_in_post"], row["county"], row["in_post"]) == (
        "overdue",
        92,
        "C1县",
        False,
    )
    assert care.overdue_talks(table).empty and care.newly_appointed(table).empty
    # The department's share from the rules file: 1.0 is every day of the period.
    assert not _row(
        care.cadence(moved, _talks(), EVERY, as_of, owed_from_share=1.0), 1, "county_org_chief", "2026-H2"
    )


def test_a_chief_who_changed_township_mid_year_keeps_owing_and_is_listed_under_the_new_county():
    rows = _tenures(
        (1, "C1", "甲镇", D(2020, 1, 1), D(2026, 4, 1)),
        (1, "C2", "丁镇", D(2026, 4, 1), None),
        # A break in service: out of post in April, back in May, so a new spell.
        (2, "C1", "乙镇", D(2020, 1, 1), D(2026, 4, 1)),
        (2, "C1", "丙镇", D(2026, 5, 1), None),
    )
    talks = _talks((1, D(2026, 3, 10), "county_secretary"), (2, D(2026, 3, 10), "county_secretary"))
    table = care.cadence(rows, talks, EVERY, D(2027, 1, 5))
    year = _row(table, 1, "county_secretary", "2026")
    assert (year["status"], year["county"], year["township"], year["talker"]) == (
        "held",
        "C2县",
        "丁镇",
        "C2县委书记",
    )
    h1 = _row(table, 1, "county_org_chief", "2026-H1")
    assert (h1["status"], h1["days_overdue"], h1["county"]) == ("overdue", 189, "C2县")
    # Chief 2's service broke for April, but 335 days of 2026 and 151 of its first half were
    # served: both owed, the year held by the March talk.
    assert (_row(table, 2, "county_secretary", "2026")["status"], _row(table, 2, "county_secretary", "2026")[
        "days_in_post"]) == ("held", 335)  # fmt: skip
    assert _row(table, 2, "county_org_chief", "2026-H1")["days_in_post"] == 151
    assert _row(table, 2, "county_org_chief", "2026-H2")["status"] == "overdue"


def _statuses(talk_days, as_of=DEMO_AS_OF) -> dict:
    """A chief in post since 2020 and the organization chief's talks on `talk_days`: period ->
    (status, made_up, days_late or days_overdue)."""
    rows = _tenures((1, "C1", "甲镇", D(2020, 1, 1), None))
    table = care.cadence(rows, _talks(*((1, d, "county_org_chief") for d in talk_days)), EVERY, as_of)
    org = table[table["talker_role"] == "county_org_chief"]
    out = {}
    for r in org.to_dict("records"):
        if r["status"] == "late":
            out[r["period"]] = ("late", str(r["made_up"]), r["days_late"])
        elif r["status"] == "overdue":
            out[r["period"]] = ("overdue", None, r["days_overdue"])
        else:
            out[r["period"]] = (r["status"],)
    return out


def test_one_talk_meets_one_obligation_its_own_period_first():
    """A talk counts for the period it is held in; only a second talk in a period (or one in a
    period not owed) makes up the earliest period missed before it. Hand-computed on 30 November
    2026: 2025-H2 ended 2025-12-31 (334 days before), 2026-H1 ended 2026-06-30 (153 days)."""
    # Person 17 of the demo: one talk on 7 November holds 2026-H2 and makes up nothing.
    assert _statuses([D(2026, 11, 7)]) == {
        "2025-H2": ("overdue", None, 334), "2026-H1": ("overdue", None, 153), "2026-H2": ("held",),
    }  # fmt: skip
    # A second talk in the half year makes up the earliest miss, 2025-H2 (283 days late); 2026-H1
    # stays overdue: one missed talk shows as one miss.
    assert _statuses([D(2026, 8, 3), D(2026, 10, 10)]) == {
        "2025-H2": ("late", "2026-10-10", 283), "2026-H1": ("overdue", None, 153), "2026-H2": ("held",),
    }  # fmt: skip
    # Two talks in each half: each half is held by its first; the spare of March makes up 2025-H2
    # (60 days late) and the spare of October finds nothing left to make up.
    both = _statuses([D(2026, 2, 1), D(2026, 3, 1), D(2026, 8, 3), D(2026, 10, 10)])
    assert both == {
        "2025-H2": ("late", "2026-03-01", 60), "2026-H1": ("held",), "2026-H2": ("held",),
    }  # fmt: skip
    table = care.cadence(
        _tenures((1, "C1", "甲镇", D(2020, 1, 1), None)),
        _talks((1, D(2026, 8, 3), "county_org_chief"), (1, D(2026, 10, 10), "county_org_chief")),
        EVERY, D(2026, 11, 30),
    )  # fmt: skip
    assert care.overdue_talks(table)["period"].tolist() == ["2025", "2026-H1"]
    coverage = care.talk_coverage(table).set_index(["talker_role", "period"])
    assert coverage.loc[("county_org_chief", "2025-H2"), ["held", "late", "rate"]].tolist() == [0, 1, 0.0]
    assert coverage.loc[("county_org_chief", "2026-H2"), ["held", "rate"]].tolist() == [1, 1.0]


def test_a_talk_in_a_period_not_owed_makes_up_a_period_missed_before_it():
    """A chief out of post from February to May 2026 served 61 of the 181 days of 2026-H1, which
    is not owed; a talk in it is a spare and makes up 2025-H2 (161 days late)."""
    rows = _tenures((1, "C1", "甲镇", D(2020, 1, 1), D(2026, 2, 1)), (1, "C1", "甲镇", D(2026, 6, 1), None))
    table = care.cadence(rows, _talks((1, D(2026, 6, 10), "county_org_chief")), EVERY, D(2026, 11, 30))
    assert not _row(table, 1, "county_org_chief", "2026-H1")
    late = _row(table, 1, "county_org_chief", "2025-H2")
    assert (late["status"], str(late["made_up"]), late["days_late"]) == ("late", "2026-06-10", 161)
    assert _row(table, 1, "county_org_chief", "2026-H2")["status"] == "due"


def test_a_chief_who_left_mid_period_owes_it_once_in_post_half_of_it_and_other_roles_owe_no_cadence():
    rows = _tenures((1, "C1", "甲镇", D(2020, 1, 1), D(2026, 9, 15)))
    talks = _talks((1, D(2026, 3, 1), "city_deputy"))
    table = care.cadence(rows, talks, EVERY, D(2026, 12, 1))
    # 257 days of 2026 served: the year is owed; 76 of the 184 of 2026-H2 are not half of it.
    assert set(table["period"]) == {"2025", "2025-H2", "2026", "2026-H1"}
    assert "city_deputy" not in set(table["talker_role"])


def test_a_quarterly_cadence_from_the_rules_file_counts_quarters():
    rows = _tenures((1, "C1", "甲镇", D(2020, 1, 1), None))
    table = care.cadence(rows, _talks(), {"county_org_chief": 3}, D(2026, 4, 2), since=D(2026, 1, 1))
    assert list(table["period"]) == ["2026-Q1", "2026-Q2"]
    assert list(table["status"]) == ["overdue", "due"]


@pytest.mark.parametrize(
    "decided, sanction, as_of, running",
    [
        (D(2025, 3, 10), "party_warning", D(2026, 3, 10), True),  # ends on the as-of date: still running
        (D(2025, 3, 10), "party_warning", D(2026, 3, 11), False),
        (D(2024, 2, 29), "party_warning", D(2025, 2, 28), True),  # no 29 February: the month's last day
        (D(2024, 2, 29), "party_warning", D(2025, 3, 1), False),
        (D(2023, 8, 31), "admin_warning", D(2024, 2, 29), True),  # six months to the leap day
        (D(2023, 8, 31), "admin_warning", D(2024, 3, 1), False),
        (D(2025, 3, 10), "party_serious_warning", D(2026, 9, 10), True),  # a year and a half
        (D(2025, 3, 10), "party_serious_warning", D(2026, 9, 11), False),
    ],
)
def test_impact_periods_end_as_the_sanction_and_the_rules_say(decided, sanction, as_of, running):
    ledger = pd.DataFrame(
        [{"person_id": 1, "kind": "discipline", "date": decided, "sanction": sanction, "impact_end": None}]
    )
    row = care.impact_table(ledger, load_rules(), as_of).iloc[0]
    assert bool(row["running"]) is running and bool(row["ended"]) is not running


@pytest.fixture
def town(tiny_workspace, tmp_path):
    """The tiny workspace with 张三 (enrolled in K1, marked at its 2 March session) secretary of
    乙镇 since 2020, 李四 head since 2020, and 王五 in the workspace but in no post."""
    ws = tiny_workspace(tmp_path / "ws.sqlite")
    from cadre_lib.delivery import mark_attendance

    zhang = int(people.cohort_members(ws, "K1")["person_id"].iloc[0])
    li, wang = people.add_person(ws, "李四"), people.add_person(ws, "王五")
    township = ws.id_of("township", "code", "T1")
    for pid, post in ((zhang, "secretary"), (li, "head")):
        ws.insert(
            "post_tenure",
            {"person_id": pid, "township_id": township, "post": post, "start_date": D(2020, 1, 1)},
        )
    session = int(ws.table("session")["id"].iloc[0])
    mark_attendance(ws, session, {zhang: "present"}, {zhang: None})
    ws.ids = {"张三": zhang, "李四": li, "王五": wang}
    yield ws
    ws.close()


def _counts(ws: Workspace) -> dict:
    return {t: n for t, n in ws.counts().items() if t != "audit_log"}


FOLLOW = {"action": "协调用地指标", "owner": "县自然资源局", "due_date": D(2026, 5, 1)}


def test_a_talk_is_saved_with_its_follow_ups_and_the_same_talk_again_is_matched(town):
    saved = care.record_talk(
        town, town.ids["李四"], D(2026, 3, 5), "组织部部长", concerns="用地指标紧张", concern_tags="用地、工作压力",
        follow_ups=[FOLLOW],
    )  # fmt: skip
    assert saved.action == "new" and "县（区）委组织部部长与李四谈话（2026-03-05）" in saved.message()
    assert saved.message().index("已保存") < saved.message().index("Saved")
    register = care.talks(town, D(2026, 12, 31))
    assert register.loc[0, ["talker_role", "concern_tags", "follow_ups"]].tolist() == [
        "county_org_chief", "workload,land", 1,
    ]  # fmt: skip
    again = care.record_talk(town, town.ids["李四"], D(2026, 3, 5), "county_org_chief", concerns="用地指标紧张",
                             concern_tags=["land", "workload"], follow_ups=[FOLLOW])  # fmt: skip
    assert again.action == "unchanged" and _counts(town)["talk"] == 1 and _counts(town)["follow_up"] == 1
    later = care.record_talk(
        town, town.ids["李四"], D(2026, 3, 5), "county_org_chief", concerns="用地指标紧张",
        concern_tags=["land", "workload"], follow_ups=[{**FOLLOW, "due_date": D(2026, 6, 1)}],
    )  # fmt: skip
    assert (
        later.action == "update"
        and str(care.follow_ups(town, D(2026, 12, 31))["due_date"][0]) == "2026-06-01"
    )


@pytest.mark.parametrize(
    "who, day, follow, said",
    [
        (999, D(2026, 3, 5), [], "工作区中没有"),
        ("王五", D(2026, 3, 5), [], "未任乡镇（街道）党政正职"),
        ("李四", D(2019, 6, 1), [], "未任乡镇（街道）党政正职"),
        (
            "李四",
            D(2026, 3, 5),
            [{**FOLLOW, "due_date": D(2026, 3, 4)}],
            "办理时限2026-03-04早于谈话日期2026-03-05",
        ),
        ("李四", D(2026, 3, 5), [{**FOLLOW, "due_date": None}], "办理时限为必填项"),
        ("李四", D(2027, 1, 1), [], "晚于统计日"),
    ],
)
def test_a_talk_that_cannot_be_right_is_refused_with_its_reason_and_nothing_is_saved(
    town, who, day, follow, said
):
    before = _counts(town)
    pid = town.ids.get(who, who)
    with pytest.raises(InvalidEntry) as info:
        care.record_talk(town, pid, day, "county_secretary", follow_ups=follow, as_of=D(2026, 11, 30))
    assert said in str(info.value) and str(info.value)[0] > "\u2e80"  # Chinese first
    assert _counts(town) == before


def test_a_follow_up_closed_after_the_as_of_date_is_still_open_on_it(town):
    talk = care.record_talk(town, town.ids["李四"], D(2026, 3, 5), "county_secretary", follow_ups=[FOLLOW])
    fid = int(care.follow_ups(town, D(2026, 12, 31))["id"][0])
    with pytest.raises(InvalidEntry, match="早于谈话日期"):
        care.close_follow_up(town, fid, D(2026, 3, 1))
    assert care.close_follow_up(town, fid, D(2026, 6, 10)).action == "update"
    on_june_1 = care.follow_ups(town, D(2026, 6, 1)).iloc[0]
    assert (on_june_1["status"], on_june_1["past_due"], on_june_1["days_past_due"]) == ("open", True, 31)
    assert care.follow_ups(town, D(2026, 6, 10)).iloc[0]["status"] == "done"
    assert care.follow_ups(town, D(2026, 6, 10), open_only=True).empty and talk.id == 1


def test_a_promotion_ends_the_post_and_the_open_enrolment_in_one_step(town):
    zhang = town.ids["张三"]
    with pytest.raises(InvalidEntry, match="考勤记录.*提拔日期须在该日之后"):
        care.record_outcome(town, zhang, "promotion", D(2026, 3, 2), to_post="副县长")
    assert people.chiefs(town, D(2026, 3, 3))["person_id"].tolist().count(zhang) == 1  # nothing changed
    saved = care.record_outcome(town, zhang, "提拔使用", D(2026, 4, 1), to_post="副县长")
    assert saved.action == "new" and "在训项目1个因提拔结束" in saved.message()
    assert zhang not in people.chiefs(town, D(2026, 4, 1))["person_id"].tolist()
    assert zhang in people.chiefs(town, D(2026, 3, 31))["person_id"].tolist()
    member = people.cohort_members(town, "K1").iloc[0]
    assert (member["status"], str(member["end_date"])) == ("withdrawn", "2026-03-31")
    ledger = care.outcomes(town)
    assert ledger.loc[0, ["from_post", "to_post"]].tolist() == ["乙镇党委书记", "副县长"]
    # The same decision again changes nothing; a second promotion the next day finds no post.
    assert (
        care.record_outcome(town, zhang, "promotion", D(2026, 4, 1), to_post="副县长").action == "unchanged"
    )
    with pytest.raises(InvalidEntry, match="未任乡镇"):
        care.record_outcome(town, zhang, "promotion", D(2026, 4, 2), to_post="县委常委")


@pytest.mark.parametrize(
    "fields, said",
    [
        ({"kind": "merit", "rank": "三级调研员", "award": "三等功"}, "记功嘉奖不填“职级”"),
        ({"kind": "discipline"}, "处分须填写处分或问责种类"),
        ({"kind": "discipline", "sanction": "诫勉"}, "请按“精准问责”录入"),
        (
            {"kind": "discipline", "sanction": "警告", "impact_end": D(2025, 1, 1)},
            "影响期至2025-01-01早于决定日期",
        ),
        ({"kind": "risk_filing", "detail": "先行先试", "result": "达到预期"}, "风险备案须填写结果日期"),
        ({"kind": "晋升"}, "不是有效的类别"),
    ],
)
def test_a_ledger_entry_that_does_not_fit_its_kind_is_refused(town, fields, said):
    before = _counts(town)
    with pytest.raises(InvalidEntry) as info:
        care.record_outcome(town, town.ids["李四"], date=D(2026, 2, 1), **fields)
    assert said in str(info.value)
    assert _counts(town) == before


def test_rank_history_counts_years_in_rank_and_a_rise_must_be_upward(town):
    li = town.ids["李四"]
    care.record_rank(town, li, "一级主任科员", D(2024, 2, 29))
    with pytest.raises(InvalidEntry, match="并非更高职级"):
        care.record_outcome(town, li, "rank_promotion", D(2025, 6, 1), rank="二级主任科员")
    early = care.record_outcome(town, li, "rank_promotion", D(2026, 2, 27), rank="四级调研员")
    assert "不满2年（2026-02-28满）" in early.message()  # two years from the leap day
    history = care.rank_history(town)
    assert history["rank"].tolist() == ["principal_clerk_1", "researcher_4"]
    row = care.eligibility(town, D(2026, 11, 30)).set_index("name").loc["李四"]
    assert (row["rank"], row["next_rank"], row["years_in_rank"], row["rank_eligible"]) == (
        "researcher_4", "researcher_3", 0, False,
    )  # fmt: skip
    assert str(row["rank_ready_on"]) == "2028-02-27"


def test_eligibility_follows_the_impact_period_to_its_last_day_and_the_rules_file(town, tmp_path):
    li = town.ids["李四"]
    care.record_outcome(town, li, "discipline", D(2025, 3, 10), sanction="党内警告", detail="党内警告处分")
    on_last_day = care.eligibility(town, D(2026, 3, 10)).set_index("name").loc["李四"]
    assert not on_last_day["promotion_eligible"] and "党内警告（至2026-03-10）" in on_last_day["impact"]
    assert care.just_expired(town, D(2026, 3, 10)).empty
    next_day = care.eligibility(town, D(2026, 3, 11)).set_index("name").loc["李四"]
    assert next_day["promotion_eligible"]
    expired = care.just_expired(town, D(2026, 3, 11))
    assert expired["name"].tolist() == ["李四"] and not expired.loc[0, "reviewed"]
    assert care.just_expired(town, D(2027, 3, 11)).empty  # twelve months on: no longer "just"
    promoted = care.record_outcome(town, li, "promotion", D(2026, 3, 1), to_post="副县长")
    assert "党内警告影响期至2026-03-10" in promoted.message()
    # A department that counts a warning as six months: the rules file beside the workspace.
    (tmp_path / "rules.toml").write_text("[impact]\nmonths.party_warning = 6\n", encoding="utf-8")
    with Workspace(tmp_path / "ws.sqlite", clock=lambda: FIXED) as again:
        assert care.impact_periods(again, D(2025, 9, 11)).loc[0, "ended"]


def _recount(ws: Workspace, as_of: dt.date) -> pd.DataFrame:
    """The cadence of every chief, role and period from the one holding a year before `as_of`,
    recomputed from the raw tables with plain pandas and Python: a chief owes a period when in a
    township post on at least the rules' share of its days (one in post on the as-of date counted
    to the period's end); the first talk of the role in a period owed holds it; each later talk, in
    date order, makes up the earliest period missed before it."""
    tenure, talk = ws.table("post_tenure"), ws.table("talk")
    day, share = pd.Timestamp(as_of), ws.rules.talk_owed_from_share
    served: dict[int, set] = {}
    for r in tenure.itertuples():
        end = pd.Timestamp(r.end_date) if pd.notna(r.end_date) else pd.Timestamp(as_of.year + 1, 12, 31)
        served.setdefault(r.person_id, set()).update(pd.date_range(r.start_date, end - pd.Timedelta(days=1)))
    rows = []
    for role, months in EVERY.items():
        starts = pd.date_range(f"{as_of.year - 1}-01-01", f"{as_of.year}-12-31", freq=f"{months}MS")
        periods = [(a, a + pd.DateOffset(months=months) - pd.Timedelta(days=1)) for a in starts]
        periods = [(a, b) for a, b in periods if b >= pd.Timestamp(care.default_since(as_of))]
        own = talk[(talk["talker_role"] == role) & (pd.to_datetime(talk["date"]) <= day)]
        for pid, days in served.items():
            owed = [
                (a, b)
                for a, b in periods
                if len(set(pd.date_range(a, b)) & days) >= share * ((b - a).days + 1)
            ]
            first, made = {}, {}
            for d in sorted(pd.to_datetime(own.loc[own["person_id"] == pid, "date"])):
                home = next((p for p in owed if p[0] <= d <= p[1]), None)
                if home is not None and home not in first:
                    first[home] = d
                    continue
                missed = [p for p in owed if p not in first and p not in made and p[1] < d]
                if missed:
                    made[missed[0]] = d
            for a, b in owed:
                status = ("held" if (a, b) in first else "due" if b >= day
                          else "late" if (a, b) in made else "overdue")  # fmt: skip
                made_up = made[(a, b)].date() if status == "late" else None
                rows.append((pid, role, a.date(), status, made_up, a not in days))
    columns = ["person_id", "talker_role", "period_start", "status", "made_up", "new_in_post"]
    return pd.DataFrame(rows, columns=columns)


def test_the_demos_talk_cadence_is_recomputed_from_the_raw_tables(demo_ws):
    """Every status of the demo's compliance table, recomputed with plain pandas; no talk meets
    two obligations; and the figures docs/definitions.md quotes."""
    table = care.talk_compliance(demo_ws, DEMO_AS_OF)
    mine = table[["person_id", "talker_role", "period_start", "status", "made_up", "new_in_post"]]
    expected = _recount(demo_ws, DEMO_AS_OF)
    key = ["person_id", "talker_role", "period_start"]
    both = mine.merge(expected, on=key, how="outer", suffixes=("", "_expected"), indicator=True)
    assert (both["_merge"] == "both").all()
    assert (both["status"] == both["status_expected"]).all()
    assert (both["new_in_post"] == both["new_in_post_expected"]).all()
    assert both["made_up"].fillna("-").astype(str).equals(both["made_up_expected"].fillna("-").astype(str))
    # One talk, one obligation: the talks holding periods and those making them up are all apart.
    used = pd.concat([table["first_talk"].dropna(), table["made_up"].dropna()])
    owners = pd.concat([table.loc[table["first_talk"].notna(), ["person_id", "talker_role"]],
                        table.loc[table["made_up"].notna(), ["person_id", "talker_role"]]])  # fmt: skip
    assert not owners.assign(day=used.to_numpy()).duplicated().any()
    tenure = demo_ws.table("post_tenure")
    start, end = pd.to_datetime(tenure["start_date"]), pd.to_datetime(tenure["end_date"])
    day = pd.Timestamp(DEMO_AS_OF)
    now = set(tenure.loc[(start <= day) & (end.isna() | (end > day)), "person_id"])
    overdue = expected[(expected["status"] == "overdue") & expected["person_id"].isin(now)]
    listed = care.overdue_talks(table)
    assert len(listed) == len(overdue) == 36 and listed["talker"].nunique() == 8
    assert (expected["status"] == "late").sum() == 21
    # Chiefs appointed mid-period, owed from half of it, listed apart while they wait.
    waiting = expected[expected["new_in_post"] & expected["status"].isin(["due", "overdue"])]
    waiting = waiting[waiting["person_id"].isin(now)]
    new = care.newly_appointed(table)
    assert set(zip(new["person_id"], new["period_start"])) == set(
        zip(waiting["person_id"], waiting["period_start"])
    )
    assert len(new) == 5 and (new["status"] == "overdue").sum() == 2
    from cadre_lib.care import widgets

    view = widgets.compliance_view(demo_ws, DEMO_AS_OF)
    assert "新任职干部应谈5人次" in view.new.value and all(n in view.new.value for n in new["name"])
    assert "即应谈（待部门确认）" in view.new.value and "即应谈（新任职" in care.care_rules_text(
        demo_ws.rules
    )
    talk = demo_ws.table("talk")
    counts = care.talk_counts(demo_ws, DEMO_AS_OF)
    assert counts["talks"].sum() == (pd.to_datetime(talk["date"]).dt.year == 2026).sum() == 313
    open_past = care.follow_ups(demo_ws, DEMO_AS_OF, open_only=True)
    assert open_past["past_due"].sum() > 50


def test_the_demo_ledger_gives_the_reports_eight_for_special_review(demo_ws):
    expired = care.just_expired(demo_ws, DEMO_AS_OF)
    assert len(expired) == 8 and expired["reviewed"].all() and set(expired["sanction"]) == {"party_warning"}
    table = care.eligibility(demo_ws, DEMO_AS_OF)
    barred = table[~table["promotion_eligible"]]
    assert len(barred) == 4 and barred["impact"].str.contains("至2027").all()


def test_eligibility_is_computed_from_plain_tables_read_first(demo_ws):
    """The analysis reads, then computes in a pure function: the same tables give the same
    answer, and an analyst's own edit of a table (a warning added by hand, no workspace) is
    ruled on as a stored one would be."""
    as_of = DEMO_AS_OF
    tables = (
        people.chiefs(demo_ws, as_of), people.tenures(demo_ws, begun_by=as_of), care.outcomes(demo_ws, as_of),
        care.rank_history(demo_ws, as_of),
    )  # fmt: skip
    pd.testing.assert_frame_equal(
        care.eligibility_table(*tables, demo_ws.rules, as_of), care.eligibility(demo_ws, as_of)
    )
    chiefs, tenures, ledger, ranks = tables
    free = care.eligibility(demo_ws, as_of).query("promotion_eligible").iloc[0]
    warned = pd.concat(
        [ledger, pd.DataFrame([{"id": 10**6, "person_id": free["person_id"], "name": free["name"], "kind": "discipline",
                                "date": D(2026, 9, 1), "sanction": "party_warning"}])],
        ignore_index=True,
    )  # fmt: skip
    row = care.eligibility_table(chiefs, tenures, warned, ranks, demo_ws.rules, as_of).set_index("person_id")
    assert not row.loc[free["person_id"], "promotion_eligible"]
    assert "党内警告（至2027-09-01）" in row.loc[free["person_id"], "impact"]
    later = D(2027, 9, 2)  # the day after its last day it is listed for the special review
    expired = care.expired_table(warned, tenures, demo_ws.rules, later)
    assert free["person_id"] in set(expired["person_id"])


def test_the_talk_form_refuses_with_its_reason_and_the_overdue_list_follows_a_save(fresh_demo):
    from cadre_lib.care import widgets

    form, overdue = widgets.talk_form(fresh_demo, DEMO_AS_OF), widgets.compliance_view(fresh_demo, DEMO_AS_OF)
    before, counts = len(overdue.model.overdue), _counts(fresh_demo)
    m = form.model
    m.save()
    assert not m.ok and "请选择谈话对象" in form.message.value
    late = overdue.model.overdue.iloc[0]
    form.person.value = int(late["person_id"])  # as a trainer picks from the list
    form.talker_role.value = late["talker_role"]
    form.date.value, form.action.value, form.owner.value, form.due.value = (
        "2026-11-20",
        "回访",
        "县委组织部",
        "2026-11-10",
    )
    form.save_button.click()
    assert not m.ok and "办理时限2026-11-10早于谈话日期2026-11-20" in form.message.value
    assert _counts(fresh_demo) == counts and len(overdue.model.overdue) == before
    form.due.value = "2026-12-20"
    form.save_button.click()
    assert m.ok and "已保存" in form.message.value and form.action.value == ""
    assert len(overdue.model.overdue) < before  # made up: no longer overdue, without a re-run
    assert f"逾期未谈{len(overdue.model.overdue)}人次" in overdue.summary.value


def test_the_follow_up_board_lists_a_few_and_finds_the_rest_by_search(demo_ws, monkeypatch):
    """A province has thousands of open follow-ups: the list offers the first (past due first)
    and says how many there are; a search by name, township, action or owner finds the others."""
    from cadre_lib.care.widgets import _follow_ups

    monkeypatch.setattr(_follow_ups, "OPTION_ROWS", 3)
    board = _follow_ups.follow_up_board(demo_ws, DEMO_AS_OF)
    open_now = board.model.table
    assert len(open_now) > 3
    head, *listed = board.chosen.options
    assert len(listed) == 3 and f"共{len(open_now):,}项" in head[0]
    last = open_now.iloc[-1]  # not among the first three
    board.search.value = last["name"]
    found = [v for _l, v in board.chosen.options if v]
    same = set(open_now.loc[open_now["name"] == last["name"], "id"].astype(int))
    assert int(last["id"]) in found and same <= set(found) and len(found) < len(open_now)


def test_the_follow_up_board_and_the_ledger_form_save_what_a_trainer_enters(fresh_demo):
    from cadre_lib.care import widgets

    board = widgets.follow_up_board(fresh_demo, DEMO_AS_OF)
    open_before = len(board.model.table)
    board.chosen.value = board.model.options[0][1]
    board.date.value = "2026-12-01"
    board.save_button.click()
    assert not board.model.ok and "晚于统计日" in board.message.value
    board.date.value = "2026-11-29"
    board.save_button.click()
    assert board.model.ok and len(board.model.table) == open_before - 1

    form, view = (
        widgets.outcome_form(fresh_demo, DEMO_AS_OF),
        widgets.eligibility_view(fresh_demo, DEMO_AS_OF),
    )
    form.kind.value = "merit"
    shown = {k for k, box in form.inputs.items() if box.layout.display != "none"}
    assert shown == {"award", "detail"}
    person = next(v for _l, v in form.person.options if v)
    form.person.value = person
    form.kind.value, form.date.value = "discipline", "2026-11-01"
    form.save_button.click()
    assert not form.model.ok and "处分须填写处分或问责种类" in form.message.value
    form.inputs["sanction"].value = "party_serious_warning"
    form.save_button.click()
    assert form.model.ok and "党内严重警告" in form.message.value
    assert "暂不能提拔使用5人" in view.page.value  # four in the demo, and this one


def test_the_care_stage_answers_alike_on_every_engine(any_demo, tmp_path):
    """On SQLite and on PostgreSQL: the demo's compliance, eligibility and follow-ups, a talk and
    a promotion saved, and a talk file imported, give the same figures."""
    from cadre_lib.importers import IMPORTERS
    from cadre_lib.samples import write_samples

    ws = any_demo
    table = care.talk_compliance(ws, DEMO_AS_OF)
    assert table["status"].value_counts().to_dict() == {"held": 522, "due": 96, "overdue": 61, "late": 21}
    assert len(care.overdue_talks(table)) == 36
    assert care.follow_ups(ws, DEMO_AS_OF, open_only=True)["past_due"].sum() == 124
    assert (~care.eligibility(ws, DEMO_AS_OF)["promotion_eligible"]).sum() == 4
    late = care.overdue_talks(table).iloc[0]
    care.record_talk(ws, int(late["person_id"]), D(2026, 11, 20), late["talker_role"],
                     follow_ups=[{"action": "回访", "owner": "县委组织部", "due_date": D(2026, 12, 20)}])  # fmt: skip
    assert len(care.overdue_talks(care.talk_compliance(ws, DEMO_AS_OF))) == 35  # a second talk: made up
    chief = people.chiefs(ws, DEMO_AS_OF).iloc[0]
    saved = care.record_outcome(ws, int(chief["person_id"]), "promotion", D(2026, 11, 30), to_post="副县长")
    assert saved.action == "new" and len(people.chiefs(ws, DEMO_AS_OF)) == 139
    write_samples(tmp_path / "s", ws, DEMO_AS_OF)
    report = IMPORTERS["talks"](ws).run(tmp_path / "s" / "talks_2026_november.xlsx", as_of=DEMO_AS_OF)
    assert report.imported == 4


def test_a_workspace_of_the_previous_schema_keeps_its_talks_follow_ups_and_decisions(fresh_demo):
    """Taken back to 0006 (one follow-up text per talk, the ledger's words only) and opened again:
    follow-ups, sanctions, ranks and the rank history are read back from what 0006 held."""
    import sqlite3

    from conftest import downgrade

    path = fresh_demo.url.database
    talks, follow = fresh_demo.counts()["talk"], fresh_demo.counts()["follow_up"]
    open_before = len(care.follow_ups(fresh_demo, DEMO_AS_OF, open_only=True))
    fresh_demo.close()
    downgrade(path, "0006")
    with sqlite3.connect(path) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(talk)")}
        assert {"follow_ups", "follow_up_due", "follow_up_done"} <= columns
    with Workspace(path) as ws:
        assert ws.counts()["talk"] == talks and ws.counts()["follow_up"] == follow
        assert len(care.follow_ups(ws, DEMO_AS_OF, open_only=True)) == open_before
        ledger = care.outcomes(ws)
        assert set(ledger.loc[ledger["kind"] == "rank_promotion", "rank"]) == {"researcher_3"}
        assert set(ledger.loc[ledger["kind"] == "discipline", "sanction"]) == {
            "party_warning",
            "party_serious_warning",
            "admin_demerit",
        }
        assert (ledger.loc[ledger["kind"] == "merit", "award"] == "merit_3").all()
        assert len(care.rank_history(ws)) == 22  # one per rank promotion the words name
        assert len(care.just_expired(ws, DEMO_AS_OF)) == 8


def test_the_care_report_has_a_sheet_for_each_list_with_chinese_headers_first(fresh_demo, tmp_path):
    import openpyxl

    path = care.export_care(fresh_demo, DEMO_AS_OF, tmp_path)
    book = openpyxl.load_workbook(path)
    assert path.name == "care_2026-11-30.xlsx" and len(book.worksheets) == 7
    overdue = book.worksheets[0]
    assert [c.value for c in overdue[2]][:3] == ["谈话人", "谈话周期", "姓名"]
    assert [c.value for c in overdue[3]][:3] == ["Talker", "Period", "Name"]
    rows = overdue.max_row - 3
    assert rows == len(care.overdue_talks(care.talk_compliance(fresh_demo, DEMO_AS_OF)))


def test_what_a_trainer_leaves_blank_keeps_what_is_stored(town):
    li = town.ids["李四"]
    care.record_talk(
        town, li, "2026.3.5", "组织部部长", concerns="用地指标紧张", concern_tags="用地", follow_ups=[FOLLOW]
    )
    fid = int(care.follow_ups(town, D(2026, 12, 31))["id"][0])
    care.close_follow_up(town, fid, "2026-04-01", as_of=D(2026, 11, 30))
    second = {"action": "安排轮休", "owner": "乡镇党委", "due_date": D(2026, 6, 1)}
    again = care.record_talk(town, li, D(2026, 3, 5), "county_org_chief", follow_ups=[FOLLOW, second])
    assert again.action == "update"
    talk = care.talks(town, D(2026, 12, 31)).iloc[0]
    assert (talk["concerns"], talk["concern_tags"], talk["follow_ups"]) == ("用地指标紧张", "land", 2)
    closed = care.follow_ups(town, D(2026, 12, 31)).set_index("action").loc[FOLLOW["action"]]
    assert (closed["status"], str(closed["done_date"])) == ("done", "2026-04-01")  # not reopened
    care.record_talk(town, li, D(2026, 3, 5), "county_org_chief", follow_ups=[{**FOLLOW, "status": "未办结"}])
    reopened = care.follow_ups(town, D(2026, 12, 31)).set_index("action").loc[FOLLOW["action"]]
    assert reopened["status"] == "open" and reopened["done_date"] is None


@pytest.mark.parametrize(
    "call, said",
    [
        (lambda ws, li: care.close_follow_up(ws, 1, D(2026, 12, 1), as_of=D(2026, 11, 30)), "晚于统计日"),
        (lambda ws, li: care.record_talk(ws, li, D(2026, 3, 5), "county_secretary", follow_ups=[
            {**FOLLOW, "done_date": D(2027, 5, 1)}], as_of=D(2026, 11, 30)), "办结日期2027-05-01晚于统计日"),
        (lambda ws, li: care.record_talk(ws, li, D(2030, 1, 1), "county_secretary"), "晚于统计日"),
        (lambda ws, li: care.record_talk(ws, li, "2026.13.5", "county_secretary"), "不存在13月"),
        (lambda ws, li: care.record_outcome(ws, li, "merit", D(2026, 3, 1), award="三等功", grade="一"), "没有“grade”"),
    ],
)  # fmt: skip
def test_dates_after_the_as_of_date_bad_dates_and_unknown_fields_are_refused(town, call, said):
    care.record_talk(town, town.ids["李四"], D(2026, 3, 5), "county_secretary", follow_ups=[FOLLOW])
    before = _counts(town)
    with pytest.raises(InvalidEntry) as info:
        call(town, town.ids["李四"])
    assert said in str(info.value) and _counts(town) == before


def test_the_rank_history_only_rises_and_the_top_rank_has_no_next(town):
    li = town.ids["李四"]
    care.record_rank(town, li, "一级主任科员", D(2020, 1, 1))
    care.record_outcome(town, li, "rank_promotion", D(2023, 1, 1), rank="四级调研员")
    with pytest.raises(
        InvalidEntry, match="在此之前晋升的二级调研员应低于该职级"
    ):  # backdated above a later rank
        care.record_outcome(town, li, "rank_promotion", D(2022, 1, 1), rank="二级调研员")
    with pytest.raises(InvalidEntry, match="并非更高职级"):  # the same day again, lower
        care.record_outcome(town, li, "rank_promotion", D(2023, 1, 1), rank="一级主任科员")
    jump = care.record_outcome(town, li, "rank_promotion", D(2025, 6, 1), rank="一级调研员")
    assert "由四级调研员越过2个职级晋升" in jump.message()
    assert care.rank_history(town)["rank"].tolist() == ["principal_clerk_1", "researcher_4", "researcher_1"]
    row = care.eligibility(town, D(2026, 11, 30)).set_index("name").loc["李四"]
    assert not row["rank_eligible"] and row["rank_reason"].startswith("已为最高职级")


# The seed's talkers and other leaders as registers and forms write them: (title, role read).
TITLES = [
    ("市委组织部分管副部长", "city_deputy"),
    ("市委组织部副部长", "city_deputy"),
    ("市委组织部部长", "other"),  # a city leader, never the county's organization chief
    ("市委书记", "other"),
    ("甲县委书记 王某", "county_secretary"),
    ("组织部长李某", "county_org_chief"),  # a bare 组织部长 in a county register is the county's
]


@pytest.mark.parametrize("title, role", TITLES)
def test_a_talkers_title_is_read_as_a_whole_title_and_kept_as_written(town, title, role):
    li = town.ids["李四"]
    care.record_talk(town, li, D(2026, 3, 5), None, talker_name=title)  # the role read from the title
    care.record_talk(town, li, D(2026, 3, 6), title)  # the title given as the role
    register = care.talks(town, D(2026, 12, 31))
    assert register["talker_role"].tolist() == [role, role]
    assert register["talker_name"].tolist() == [title, title]
    compliance = care.talk_compliance(town, D(2026, 7, 1), since=D(2026, 1, 1))
    assert _row(compliance, li, "county_org_chief", "2026-H1")["status"] == (
        "held" if role == "county_org_chief" else "overdue"
    )


def test_a_title_naming_another_role_than_the_one_chosen_is_refused_in_the_form(town):
    from cadre_lib.care import widgets

    form = widgets.talk_form(town, D(2026, 11, 30))
    before = _counts(town)
    form.person.value = town.ids["李四"]
    form.date.value, form.talker_role.value, form.talker_name.value = (
        "2026-03-05",
        "county_org_chief",
        "市委组织部部长",
    )
    form.save_button.click()
    assert not form.model.ok and "应记为“其他领导”" in form.message.value and _counts(town) == before
    form.talker_role.value, form.talker_name.value = "", "市委组织部分管副部长 李某"  # read from the title
    form.save_button.click()
    assert form.model.ok and "市委组织部分管副部长（四不两直）与李四谈话" in form.message.value
    talk = care.talks(town, D(2026, 11, 30)).iloc[0]
    assert (talk["talker_role"], talk["talker_name"], talk["unannounced"]) == (
        "city_deputy", "市委组织部分管副部长 李某", True,
    )  # fmt: skip
    with pytest.raises(InvalidEntry, match="纪委书记"):
        care.record_talk(town, town.ids["李四"], D(2026, 3, 7), None, talker_name="纪委书记")


def test_a_follow_up_saved_in_the_form_without_an_owner_is_to_be_assigned(town):
    from cadre_lib.care import widgets

    form = widgets.talk_form(town, D(2026, 11, 30))
    form.person.value = town.ids["李四"]
    form.date.value, form.action.value, form.due.value = "2026-03-05", "协调用地指标", "2026-05-01"
    form.save_button.click()
    assert form.model.ok, form.message.value
    listed = care.follow_ups(town, D(2026, 11, 30))
    assert listed["owner"].tolist() == [None]
    assert care.display_table(listed, ["owner"]).iloc[0, 0] == "责任人待明确 owner to be assigned"


UNCHECKED = {"admonishment", "post_adjustment", "ordered_resignation", "dismissal", "demotion"}


def test_impact_periods_cite_civil_code_article_202_and_mark_the_periods_not_checked(demo_ws, tmp_path):
    """The same-day-or-month-end rule is 民法典 第二百零二条, quoted in the rules file and named in
    the rules text (never arts. 201 or 203); the periods of admonishment and the organisational
    measures read 待部门确认 until the department confirms them, the regulations' do not."""
    import re
    from importlib import resources

    text = resources.files("cadre_lib.core").joinpath("rules_default.toml").read_text("utf-8")
    impact = text[text.index("[impact]") : text.index("[ranks]")]
    rule = "按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日。"
    assert "民法典 第二百零二条" in impact and rule in impact.replace("\n# ", "")
    assert not re.search(r"(?:articles?|arts?\.)\s*20[13]|第二百零[一三]条", text + add_months.__doc__)
    assert "第二百零二条" in add_months.__doc__
    said = care.care_rules_text(load_rules())
    assert "民法典第二百零二条" in said and "Civil Code art. 202" in said
    for code, zh in ((c, label) for c, (label, _en) in VOCAB["sanction"].items()):
        line = next(x for x in said.splitlines() if x.startswith(f"  {zh}（") or x.startswith(f"  {zh} "))
        assert ("（待部门确认）" in line) == (code in UNCHECKED), line
    barred = care.eligibility(demo_ws, DEMO_AS_OF)
    admonished = barred[barred["impact"].str.startswith("诫勉")]
    assert len(admonished) == 2 and admonished["impact"].str.contains("（待部门确认）").all()
    (tmp_path / "rules.toml").write_text('[department]\nconfirmed = ["impact.months"]\n', encoding="utf-8")
    assert (
        "待部门确认"
        not in care.care_rules_text(load_rules(tmp_path / "rules.toml"))
        .split("影响期届满")[0]
        .split("影响期（月）")[1]
    )


def test_a_county_level_citys_secretary_is_its_county_secretary(tmp_path):
    """In a prefecture with a county-level city (县级市) the register writes 海城市委书记: the
    title begins with one of the workspace's counties, so it is that county's secretary and owes
    the yearly talk, while 市委组织部分管副部长 is still the prefecture's unannounced visitor."""
    from cadre_lib import Workspace

    with Workspace(tmp_path / "ws.sqlite", actor="t", clock=lambda: dt.datetime(2026, 11, 30)) as ws:
        people.add_county(ws, "C9", "海城市")
        people.add_township(ws, "C9", "T9", "滨海镇")
        pid = people.add_person(ws, "林海")
        ws.insert("post_tenure", {"person_id": pid, "township_id": ws.id_of("township", "code", "T9"),
                                  "post": "head", "start_date": D(2020, 1, 1)})  # fmt: skip
        care.record_talk(ws, pid, D(2026, 3, 5), "海城市委书记")
        care.record_talk(ws, pid, D(2026, 3, 6), None, talker_name="海城市委组织部部长 王某")
        care.record_talk(ws, pid, D(2026, 3, 7), "市委组织部分管副部长")
        roles = care.talks(ws, D(2026, 11, 30))["talker_role"].tolist()
    assert roles == ["county_secretary", "county_org_chief", "city_deputy"]
