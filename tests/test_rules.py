"""The rules file: defaults, overrides, and every value checked for its kind and range."""

from __future__ import annotations

import datetime as dt

import pytest

from cadre_lib import InvalidEntry, Workspace, people
from cadre_lib.core.errors import RulesError
from cadre_lib.core.rules import SPECS, load_rules


def _rules(tmp_path, text: str) -> dict:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return load_rules(path)


def test_every_default_has_a_kind_and_a_range():
    def leaves(tree, where=""):
        for key, value in tree.items():
            if isinstance(value, dict):
                yield from leaves(value, f"{where}{key}.")
            else:
                yield f"{where}{key}"

    rules = load_rules()
    assert all(name in SPECS or name.rsplit(".", 1)[0] + ".*" in SPECS for name in leaves(rules.settings))
    assert rules.days_per_year == 12 and rules.day_hours == (6.0, 3.0) and rules.session_hours == (0.5, 24.0)
    assert rules.may_rate == {"present", "late", "left_early"} and rules.residential_kinds == {
        "class",
        "rotation",
    }


def test_an_override_changes_only_what_it_names(tmp_path):
    rules = _rules(tmp_path, "[attendance]\ncredit.late = 0.5\n[training]\ncompletion.cohorts.SHXF = 0.85\n")
    assert rules.credit["late"] == 0.5 and rules.credit["present"] == 1.0
    assert rules.threshold("SHXF") == 0.85 and rules.threshold("OTHER") == 0.8


@pytest.mark.parametrize(
    "text, said",
    [
        ("[attendance]\ncredit.late = true", "not true"),
        ("[attendance]\ncredit.late = -1.0", "from 0 to 1"),
        ("[attendance]\ncredit.late = 1.5", "from 0 to 1"),
        ("[training]\ncompletion.default = 8.0", "greater than 0 and at most 1"),
        ("[training]\ncompletion.default = 0", "greater than 0 and at most 1"),
        ("[training]\ncompletion.cohorts.SHXF = 85", "greater than 0 and at most 1"),
        ("[training]\ncompletion.pass_instruments.TC-1 = 60", "must be a code in quotes"),
        ("[training]\nrequired_hours_per_year = -90", "greater than 0"),
        ("[training]\nrequired_days_per_year = 12.5", "a whole number"),
        ("[training]\nrequired_days_per_year = 400", "from 1 to 366"),
        ("[training]\nfull_day_hours = '6'", "not '6'"),
        ("[training]\nhalf_day_hours = 7.0", "half_day_hours (7) is above training.full_day_hours (6)"),
        # the setting of an earlier version: refused, saying what to set instead
        ("[training]\nhours_per_day = 7.5", "set training.full_day_hours (a full day, default 6) and"),
        ("[talks]\nevery_months.county_secretary = 0", "from 1 to 12"),
        ("[talks]\nevery_months.county_org_chief = 5", "must divide a year"),
        ("[impact]\nmonths.party_warning = -1", "from 0 to 120"),
        ("[impact]\nmonths.warning = 12", "unknown setting 'impact.months.warning'"),
        ("[ranks]\nmin_years.clerk_2 = 2", "unknown setting 'ranks.min_years.clerk_2'"),
        ("[talks]\nevery_months.county_org_chief = true", "not true"),
        ("[dates]\nbirth_earliest = '1940-01-01'", "a date"),
        ("[dates]\nmin_age = -1", "from 16 to 40"),
        ("[dates]\nbirth_earliest = 2100-01-01", "from 1900-01-01 to 1980-12-31"),
        ("[attendance]\ncredit.present = 0", "greater than 0 and at most 1"),
        ("[attendance]\ncredit.late = nan", "not nan"),
        ("[attendance]\ncredit.lateness = 0.5", "unknown setting 'attendance.credit.lateness'"),
        ("[training]\ncompletion = 0.8", "a table of settings"),
        ("[training\n", "cannot be read"),
    ],
)
def test_a_value_of_the_wrong_kind_or_range_is_refused_by_name(tmp_path, text, said):
    with pytest.raises(RulesError, match="rules file") as info:
        _rules(tmp_path, text)
    assert said in str(info.value)
    assert str(info.value).startswith("规则文件")  # Chinese first


def test_a_bad_rules_file_is_refused_when_the_workspace_opens_naming_every_bad_setting(tmp_path):
    """Not only by the command that happens to read the broken section: opening the workspace,
    for reading or for writing, refuses the file and names every setting at fault at once."""
    with Workspace(tmp_path / "ws.sqlite") as ws:
        people.add_county(ws, "C1", "甲县")
    (tmp_path / "rules.toml").write_text(
        "[talks]\nevery_months.county_org_chief = 5\n[impact]\nmonths.party_warning = -1\n"
        "[attendance]\ncredit.lateness = 0.5\ncredit.late = 2\n",
        encoding="utf-8",
    )
    for readonly in (False, True):
        with pytest.raises(RulesError) as refused:
            Workspace(tmp_path / "ws.sqlite", readonly=readonly)
        said = str(refused.value)
        for name in ("talks.every_months.county_org_chief", "impact.months.party_warning",
                     "attendance.credit.lateness", "attendance.credit.late"):  # fmt: skip
            assert name in said, name
        assert said.startswith("规则文件") and "4" in said


@pytest.mark.parametrize(
    "text, said",
    [
        ("[attendance]\ncredit.late = 1.0\ncredit.present = 0.9\n", "attendance.credit.late"),
        ("[attendance]\ncredit.left_early = 0.95\ncredit.present = 0.9\n", "attendance.credit.left_early"),
        ("[attendance]\ncredit.absent = 0.5\ncredit.late = 0.25\n", "attendance.credit.absent"),
    ],
)
def test_credit_shares_out_of_order_are_refused(tmp_path, text, said):
    """Being present earns the most and being absent the least: a late mark credited more than a
    present one (or an absence more than a late mark) is a typo, refused by name."""
    with pytest.raises(RulesError, match=said) as refused:
        _rules(tmp_path, text)
    assert str(refused.value).startswith("规则文件")


def test_a_rules_file_saved_with_a_byte_order_mark_or_in_gbk_says_so(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[attendance]\ncredit.late = 0.5\n", encoding="utf-8-sig")
    with pytest.raises(RulesError, match="UTF-8 with BOM") as refused:
        load_rules(path)
    assert "带BOM" in str(refused.value)
    path.write_text("# 规则\n[attendance]\ncredit.late = 0.5\n", encoding="gbk")
    with pytest.raises(RulesError, match="not UTF-8"):
        load_rules(path)


def test_date_windows_follow_the_rules_and_the_as_of_date(tmp_path):
    rules = load_rules()
    as_of = dt.date(2026, 11, 30)
    assert rules.date_window("birth", as_of) == (dt.date(1940, 1, 1), dt.date(2008, 11, 30))
    assert rules.date_window("post", as_of) == (dt.date(1980, 1, 1), as_of)
    assert rules.date_window("session", as_of) == (dt.date(2000, 1, 1), dt.date(2028, 11, 30))
    for what, day in (
        ("birth", dt.date(2090, 1, 1)),
        ("birth", dt.date(1900, 1, 1)),
        ("post", dt.date(2090, 1, 1)),
    ):
        with pytest.raises(InvalidEntry, match="不在合理范围"):
            rules.check_date(what, day, as_of)
    older = _rules(tmp_path, "[dates]\nbirth_earliest = 1930-01-01\n")
    older.check_date("birth", dt.date(1935, 5, 1), as_of)


def test_settings_of_the_departments_choice_read_to_be_confirmed_until_it_confirms_them(tmp_path):
    """Regulation needs no confirming; the department's own choices (partial credit, completion
    thresholds, the frontline rule, years in rank) are marked until its rules file lists them."""
    rules = load_rules()
    assert rules.unconfirmed("training.required_hours_per_year") == ("", "")
    assert rules.unconfirmed("impact.months.party_warning") == ("", "")
    for name in (
        "attendance.credit.late",
        "training.completion.cohorts.SHXF",
        "frontline.strong_mean",
        "training.full_day_hours",
        "training.completion.pass_instruments.TC-1",
    ):
        assert rules.unconfirmed(name)[0] == "（待部门确认）", name
    confirmed = _rules(tmp_path, '[department]\nconfirmed = ["frontline", "training.completion"]\n')
    assert confirmed.unconfirmed("frontline.weak_mean") == ("", "")
    assert confirmed.unconfirmed("training.completion.cohorts.SHXF") == ("", "")
    assert confirmed.unconfirmed("attendance.credit.late")[0] == "（待部门确认）"
    with pytest.raises(RulesError, match="department.confirmed"):
        _rules(tmp_path, '[department]\nconfirmed = ["frontlin"]\n')
