"""Standings and warnings checked against hand-computed cases."""

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from cadre_lib import for_display
from cadre_lib.core.rules import load_rules
from cadre_lib.delivery import requirement_from_rules, standings, warnings_list

D = dt.date
AS_OF = D(2026, 9, 30)


def _frames(statuses: dict[int, list[str | None]], hours=3.0, days=None):
    days = days or [D(2026, 7, 1), D(2026, 8, 1), D(2026, 9, 1), D(2026, 10, 1)]
    sessions = pd.DataFrame({"id": range(1, len(days) + 1), "date": days, "hours": hours})
    credit = load_rules().credit
    att = [
        (sid, pid, st, hours * credit[st])
        for pid, marks in statuses.items()
        for sid, st in zip(sessions["id"], marks)
        if st
    ]
    attendance = pd.DataFrame(att, columns=["session_id", "person_id", "status", "hours_credited"])
    return sessions, attendance


YEARLY = pd.DataFrame(
    {
        "person_id": [1, 2],
        "target_hours": [90.0, 90.0],
        "credited_hours": [95.0, 60.0],
        "projected_hours": [95.0, 70.0],
        "short": [False, True],
    }
)


def Requirement(**changes):  # noqa: N802 - reads like the class it makes
    """The default rules' requirement for a training class, with `changes`."""
    return dataclasses.replace(requirement_from_rules(load_rules(), "T", "class"), **changes)


def _members(*rows):
    return pd.DataFrame(rows, columns=["person_id", "name", "status", "start_date", "end_date"])


def test_completion_gap_and_since_when():
    sessions, att = _frames({1: ["present"] * 4, 2: ["present", "late", "excused", "absent"]})
    members = _members((1, "甲", "active", D(2026, 1, 1), None), (2, "乙", "active", D(2026, 1, 1), None))
    req = Requirement(completion=0.8, residential=False)
    t = standings(members, sessions, att, AS_OF, req, YEARLY).set_index("person_id")
    # Three sessions held by 30 September: 9 hours offered.
    assert t.loc[1, "offered"] == 9 and t.loc[1, "credited"] == 9 and not t.loc[1, "below"]
    # 3 + 2.25 (late: 3/4 credit) + 0 (excused) = 5.25 of 9 hours; needs 7.2.
    assert t.loc[2, "credited"] == pytest.approx(5.25)
    assert t.loc[2, "rate"] == pytest.approx(5.25 / 9)
    assert t.loc[2, "gap_hours"] == pytest.approx(0.8 * 9 - 5.25)
    # Running rate: 3/3, 5.25/6 = 0.875, 5.25/9 = 0.58: below since the third session.
    assert t.loc[2, "below_since"] == D(2026, 9, 1)
    warn = warnings_list(t.reset_index())
    assert warn["person_id"].tolist() == [2, 2]
    assert warn["warning"].tolist() == ["yearly_shortfall", "below_completion"]  # 20 h, then 1.95 h
    assert warn["hours_short"].iloc[1] == pytest.approx(1.95)  # a number; words only for display
    assert "还差2.0学时" in for_display(warn).iloc[1].to_string()
    assert t.loc[2, "year_target"] == 90 and bool(t.loc[2, "year_short"])


def test_a_participant_who_joins_mid_year_is_held_only_to_what_came_after():
    sessions, att = _frames({3: [None, "present", "present", None]})
    members = _members((3, "丙", "active", D(2026, 7, 15), None))
    t = standings(members, sessions, att, AS_OF, Requirement(completion=0.8)).iloc[0]
    assert t["offered"] == 6 and t["rate"] == 1.0 and not t["below"]
    assert t["year_target"] is None  # no yearly figures given: none made up


def test_leave_is_held_against_one_seventh_of_a_residential_class():
    days = [D(2026, 9, d) for d in range(14, 21)]  # 7 sessions of 2 hours: 14 hours, limit 2
    sessions, att = _frames(
        {1: ["excused"] + ["present"] * 6, 2: ["excused", "excused"] + ["present"] * 5}, hours=2.0, days=days
    )
    members = _members((1, "甲", "active", days[0], days[-1]), (2, "乙", "active", days[0], days[-1]))
    req = Requirement(completion=0.5, residential=True)
    t = standings(members, sessions, att, AS_OF, req).set_index("person_id")
    assert t.loc[1, "leave_limit_hours"] == 2.0
    assert t.loc[1, "leave_hours"] == 2.0 and not t.loc[1, "leave_over"]  # exactly 1/7 is allowed
    assert t.loc[2, "leave_hours"] == 4.0 and t.loc[2, "leave_over"]
    # The class ended on 20 September: 乙 did not complete it, because of the time away.
    assert t.loc[1, "status"] == "completed"
    assert (t.loc[2, "status"], t.loc[2, "reason"]) == ("not_completed", "leave_over")
    warn = warnings_list(t.reset_index())
    assert warn[["person_id", "warning"]].values.tolist() == [[2, "not_completed"]]


def test_a_non_residential_cohort_has_no_leave_limit():
    sessions, att = _frames({1: ["excused"] * 4})
    t = standings(
        _members((1, "甲", "active", D(2026, 1, 1), None)),
        sessions,
        att,
        AS_OF,
        Requirement(residential=False),
    ).iloc[0]
    assert t["leave_hours"] == 9 and t["leave_limit_hours"] is None and not t["leave_over"]


def test_withdrawn_people_are_counted_to_their_leaving_date_and_not_warned():
    sessions, att = _frames({1: ["absent", "absent", None, None]})
    t = standings(
        _members((1, "甲", "withdrawn", D(2026, 1, 1), D(2026, 8, 15))),
        sessions,
        att,
        AS_OF,
        Requirement(completion=0.8),
    )
    assert t["offered"].iloc[0] == 6 and bool(t["below"].iloc[0])
    assert t["status"].iloc[0] == "withdrawn" and warnings_list(t).empty


def test_threshold_comes_from_the_rules_file_then_the_cohort_then_the_default(tmp_path):
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text("[training]\ncompletion.cohorts.SHXF = 0.9\ncompletion.default = 0.7\n")
    rules = load_rules(rules_file)
    assert rules.threshold("SHXF", 0.8) == 0.9
    assert rules.threshold("TC-1", 0.85) == 0.85
    assert rules.threshold("TC-2", None) == 0.7
    # A residential class has none unless the department set one for it: the leave limit decides.
    assert rules.threshold("TC-3", None, "class") is None and rules.threshold("TC-1", 0.85, "class") == 0.85
    assert rules.threshold("SHXF", None, "rotation") == 0.9 and rules.threshold("P", None, "programme") == 0.7
