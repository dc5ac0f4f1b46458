"""`cadre import talks|outcomes`: all or nothing, every problem on its row and column, the same
checks as the forms, a promotion in a file doing what the form does, and a second import of the
same file changing nothing."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from cadre_lib import ImportRejected, care, people
from cadre_lib.cli import main
from cadre_lib.demo import DEMO_AS_OF
from cadre_lib.importers import IMPORTERS
from cadre_lib.samples import write_samples, write_xlsx


def _dump(ws) -> list[str]:
    with sqlite3.connect(ws.url.database) as conn:
        return [line for line in conn.iterdump() if "audit_log" not in line]


@pytest.fixture
def samples(fresh_demo, tmp_path):
    write_samples(tmp_path / "samples", fresh_demo, DEMO_AS_OF)
    return tmp_path / "samples"


def _run(ws, kind, path):
    return IMPORTERS[kind](ws).run(path, as_of=DEMO_AS_OF)


def test_talks_and_decisions_import_once_and_again_change_nothing(fresh_demo, samples):
    before = fresh_demo.counts()
    talks = _run(fresh_demo, "talks", samples / "talks_2026_november.xlsx")
    ledger = _run(fresh_demo, "outcomes", samples / "outcomes_2026.xlsx")
    after = fresh_demo.counts()
    assert (talks.imported, ledger.imported) == (4, 4)
    assert after["talk"] - before["talk"] == 3 and after["follow_up"] - before["follow_up"] == 3
    assert after["outcome"] - before["outcome"] == 4
    register = care.talks(fresh_demo, DEMO_AS_OF)
    two = register[register["follow_ups"] == 2]
    assert len(two) == 1 and two["concern_tags"].iloc[0] == "workload,land"
    visit = register[register["concerns"] == "信访积案较多"]
    assert visit["talker_role"].tolist() == ["city_deputy"] and visit["unannounced"].all()
    admonished = care.impact_periods(fresh_demo, DEMO_AS_OF)
    assert (admonished["sanction"] == "admonishment").sum() == 3 and admonished["running"].sum() == 5
    dump = _dump(fresh_demo)
    for kind, name in (("talks", "talks_2026_november.xlsx"), ("outcomes", "outcomes_2026.xlsx")):
        again = _run(fresh_demo, kind, samples / name)
        assert again.imported == again.updated == 0 and again.unchanged == 4
    assert _dump(fresh_demo) == dump


def test_a_talk_file_with_mistakes_lists_each_on_its_row_and_column_and_writes_nothing(fresh_demo, samples):
    before = _dump(fresh_demo)
    with pytest.raises(ImportRejected) as rejected:
        _run(fresh_demo, "talks", samples / "talks_with_mistakes.xlsx")
    found = {(e.row, e.column, e.problem.value) for e in rejected.value.report.errors}
    assert found == {
        (2, "姓名", "unknown_person"),
        (3, "办理时限", "date_order"),
        (4, "谈话人身份", "unknown_code"),
        (5, "谈话日期", "after_as_of"),
        (6, "反映问题类别", "unknown_code"),
        (7, "办理时限", "required"),
    }
    assert _dump(fresh_demo) == before


def _chief(ws, k: int = 0):
    chiefs = people.chiefs(ws, DEMO_AS_OF).drop_duplicates("person_id")
    chiefs = chiefs[~chiefs["name"].duplicated(keep=False)]
    return chiefs.iloc[k]


def test_a_promotion_in_a_file_ends_the_post_and_enrolments_as_the_form_does(fresh_demo, tmp_path):
    c = _chief(fresh_demo, 3)
    enrolled = people.cohort_members(fresh_demo, "SHXF")
    member = enrolled[(enrolled["person_id"] == c["person_id"]) & (enrolled["status"] == "active")]
    path = write_xlsx(
        tmp_path / "promotion.xlsx",
        {
            "激励与问责": [
                ["姓名", "乡镇（街道）", "类别", "日期", "新职务"],
                [c["name"], c["township"], "提拔", "2026-11-30", "副县长"],
            ]
        },
    )
    report = _run(fresh_demo, "outcomes", path)
    assert report.imported == 1
    assert c["person_id"] not in set(people.chiefs(fresh_demo, DEMO_AS_OF)["person_id"])
    ledger = care.outcomes(fresh_demo, kind="promotion").set_index("person_id").loc[c["person_id"]]
    assert ledger["from_post"].startswith(c["township"]) and ledger["to_post"] == "副县长"
    series = people.cohort_members(fresh_demo, "GCDJT").set_index("person_id").loc[c["person_id"]]
    assert series["end_reason"] == "promoted" and str(series["end_date"]) == "2026-11-29"  # not a dropout
    if not member.empty:
        now = people.cohort_members(fresh_demo, "SHXF").set_index("person_id").loc[c["person_id"]]
        assert now["status"] == "withdrawn" and str(now["end_date"]) == "2026-11-29"
        assert now["end_reason"] == "promoted"


@pytest.mark.parametrize(
    "row, column, problem",
    [
        (["提拔", "2026-11-30", "", "", ""], "新职务", "needed_for_kind"),
        (["职级晋升", "2026-11-30", "", "一级科员", ""], "职级", "rank_not_above"),
        (["处分", "2026-11-30", "", "", "诫勉"], "处分或问责种类", "not_discipline"),
        (["记功", "2026-11-30", "县长", "", ""], "新职务", "not_for_kind"),
        (["提拔", "2024-01-01", "副县长", "", ""], "日期", "not_a_chief"),
    ],
)
def test_a_decision_that_does_not_fit_is_refused_on_its_column(fresh_demo, tmp_path, row, column, problem):
    c = _chief(fresh_demo, 5)
    header = ["姓名", "乡镇（街道）", "类别", "日期", "新职务", "职级", "处分或问责种类"]
    if problem == "not_a_chief":  # a successor who took the post in 2025
        chiefs = people.chiefs(fresh_demo, DEMO_AS_OF)
        c = chiefs[chiefs["in_post_since"].astype(str) > "2025-01-01"].iloc[0]
    path = write_xlsx(tmp_path / "bad.xlsx", {"激励与问责": [header, [c["name"], c["township"], *row]]})
    before = _dump(fresh_demo)
    with pytest.raises(ImportRejected) as rejected:
        _run(fresh_demo, "outcomes", path)
    assert [(e.column, e.problem.value) for e in rejected.value.report.errors] == [(column, problem)]
    assert _dump(fresh_demo) == before


def test_the_command_line_imports_talks_and_writes_their_template(fresh_demo, samples, tmp_path, capsys):
    db = str(fresh_demo.url.database)
    fresh_demo.close()
    code = main(
        ["import", "talks", str(samples / "talks_2026_november.xlsx"), "--db", db, "--as-of", "2026-11-30"]
    )
    assert code == 0 and "talks_2026_november.xlsx" in capsys.readouterr().out
    assert main(["template", "outcomes", "--out", str(tmp_path / "outcomes.xlsx")]) == 0
    assert main(["import", "outcomes", str(samples / "talks_with_mistakes.xlsx"), "--db", db]) != 0


def test_rows_of_one_file_are_checked_against_each_other(fresh_demo, tmp_path):
    """Two promotions of one chief, or rank promotions that would step down, in one file: refused
    on the later row with the earlier one named, and nothing is written."""
    c = _chief(fresh_demo, 7)
    header = ["姓名", "乡镇（街道）", "类别", "日期", "新职务", "职级"]
    rows = [
        [c["name"], c["township"], "提拔", "2026-11-25", "副县长", ""],
        [c["name"], c["township"], "提拔", "2026-11-26", "县委常委", ""],
        [c["name"], c["township"], "职级晋升", "2026-07-01", "", "三级调研员"],
        [c["name"], c["township"], "职级晋升", "2026-09-01", "", "一级主任科员"],
    ]
    path = write_xlsx(tmp_path / "both.xlsx", {"激励与问责": [header, *rows]})
    before = _dump(fresh_demo)
    with pytest.raises(ImportRejected) as rejected:
        _run(fresh_demo, "outcomes", path)
    found = {(e.row, e.problem.value) for e in rejected.value.report.errors}
    assert (3, "duplicate_entry") in found and (5, "rank_not_above") in found
    assert _dump(fresh_demo) == before


def test_a_file_that_only_closes_follow_ups_keeps_the_talks_details(fresh_demo, samples, tmp_path):
    _run(fresh_demo, "talks", samples / "talks_2026_november.xlsx")
    talk = care.talks(fresh_demo, DEMO_AS_OF)
    talk = talk[talk["concerns"] == "项目用地指标紧张，加班多"].iloc[0]
    day = str(talk["date"])
    closing = write_xlsx(
        tmp_path / "closing.xlsx",
        {"谈心谈话": [["姓名", "乡镇（街道）", "日期", "谈话人身份", "跟进事项", "责任人", "办理时限", "办理状态", "办结日期"],
                      [talk["name"], talk["township"], day, "县委书记", "安排轮休", "乡镇党委", "2026-12-25", "已办结", "2026-11-28"]]},
    )  # fmt: skip
    assert _run(fresh_demo, "talks", closing).updated == 1
    again = care.talks(fresh_demo, DEMO_AS_OF).set_index("id").loc[talk["id"]]
    assert (again["concerns"], again["concern_tags"]) == (talk["concerns"], talk["concern_tags"])
    # The original file again does not reopen what was closed since.
    assert _run(fresh_demo, "talks", samples / "talks_2026_november.xlsx").updated == 0
    closed = care.follow_ups(fresh_demo, DEMO_AS_OF)
    assert closed.loc[closed["action"] == "安排轮休", "status"].tolist() == ["done"]


def test_a_register_with_only_a_talker_column_has_the_role_read_from_it(fresh_demo, tmp_path):
    c = _chief(fresh_demo, 9)
    path = write_xlsx(
        tmp_path / "register.xlsx",
        {"登记": [["谈话对象", "乡镇", "谈话时间", "谈话人", "反映问题"],
                  [c["name"], c["township"], "2026年11月3日", f"{c['county']}委书记 王某", "用地紧张"],
                  [c["name"], c["township"], "2026.11.4", "纪委书记", "回访"]]},
    )  # fmt: skip
    with pytest.raises(ImportRejected) as rejected:
        _run(fresh_demo, "talks", path)
    assert [(e.row, e.column, e.problem.value) for e in rejected.value.report.errors] == [
        (3, "谈话人", "unknown_code")
    ]
    good = write_xlsx(tmp_path / "good.xlsx", {"登记": [["谈话对象", "乡镇", "谈话时间", "谈话人", "反映问题"],
                                                         [c["name"], c["township"], "2026年11月3日", "组织部长李某", "用地紧张"]]})  # fmt: skip
    assert _run(fresh_demo, "talks", good).imported == 1
    held = care.talks(fresh_demo, DEMO_AS_OF, person_id=int(c["person_id"]))
    assert held.iloc[-1][["talker_role", "talker_name"]].tolist() == ["county_org_chief", "组织部长李某"]


def test_a_register_reads_each_talkers_title_and_a_city_leader_never_counts_for_the_county(
    fresh_demo, tmp_path
):
    """The titles of the issue in a file, in the 谈话人 column only: the seed's own talker (市委组织部
    分管副部长, 市委组织部副部长) is read, and 市委组织部部长 is a city leader whose talk leaves the
    county organization chief's half year as it was."""
    table = care.talk_compliance(fresh_demo, DEMO_AS_OF)
    due = table[(table["talker_role"] == "county_org_chief") & (table["period"] == "2026-H2")]
    chiefs = set(people.chiefs(fresh_demo, DEMO_AS_OF).drop_duplicates("name", keep=False)["person_id"])
    c = due[(due["status"] == "due") & due["person_id"].isin(chiefs)].iloc[0]
    titles = {"市委组织部分管副部长": "city_deputy", "市委组织部副部长": "city_deputy", "市委组织部部长": "other",
              f"{c['county']}委书记 王某": "county_secretary"}  # fmt: skip
    rows = [[c["name"], c["township"], f"2026-11-0{k + 1}", title] for k, title in enumerate(titles)]
    path = write_xlsx(
        tmp_path / "register.xlsx", {"登记": [["谈话对象", "乡镇", "谈话时间", "谈话人"], *rows]}
    )
    assert _run(fresh_demo, "talks", path).imported == 4
    held = care.talks(fresh_demo, DEMO_AS_OF, person_id=int(c["person_id"]))
    held = held[held["date"].astype(str) >= "2026-11-01"]
    assert dict(zip(held["talker_name"], held["talker_role"], strict=True)) == titles
    after = care.talk_compliance(fresh_demo, DEMO_AS_OF).set_index(["person_id", "talker_role", "period"])
    assert after.loc[(c["person_id"], "county_org_chief", "2026-H2"), "status"] == "due"


def test_a_register_without_an_owner_column_is_imported_with_owners_to_be_assigned(fresh_demo, tmp_path):
    """A register with no 责任人 column is imported (not refused whole against its 谈话时间): the
    follow-ups are saved with no owner and listed as 责任人待明确 on the board, in the library's
    display and in the Excel export. A column the import does need is named by its own header."""
    from openpyxl import load_workbook

    from cadre_lib.care import widgets

    c = _chief(fresh_demo, 11)
    head = ["谈话对象", "乡镇", "谈话时间", "谈话人", "跟进事项", "办理时限"]
    row = [c["name"], c["township"], "2026-11-03", "组织部长", "协调解决办公用房", "2026-12-31"]
    assert (
        _run(fresh_demo, "talks", write_xlsx(tmp_path / "no_owner.xlsx", {"登记": [head, row]})).imported == 1
    )
    open_now = care.follow_ups(fresh_demo, DEMO_AS_OF, open_only=True)
    assert pd.isna(open_now.set_index("action").loc["协调解决办公用房", "owner"])
    shown = care.display_table(open_now, ["action", "owner"]).set_index("跟进事项 Follow-up")
    assert shown.loc["协调解决办公用房"].iloc[0] == "责任人待明确 owner to be assigned"
    board = widgets.follow_up_board(fresh_demo, DEMO_AS_OF)
    assert "责任人待明确1项" in board.summary.value
    assert [o for o, _ in board.model.options if "协调解决办公用房 · 责任人待明确 owner to be assigned" in o]
    sheet = load_workbook(care.export_care(fresh_demo, DEMO_AS_OF, tmp_path))["跟进事项 Follow-ups"]
    assert "责任人待明确 owner to be assigned" in {
        cell for r in sheet.iter_rows(values_only=True) for cell in r
    }
    # No 办理时限 column while a follow-up is given: refused on that column, by its own header.
    short = write_xlsx(tmp_path / "no_due.xlsx", {"登记": [head[:-1], [*row[:3], "组织部长", "回访"]]})
    before = _dump(fresh_demo)
    with pytest.raises(ImportRejected) as rejected:
        _run(fresh_demo, "talks", short)
    assert [(e.row, e.column, e.problem.value) for e in rejected.value.report.errors] == [
        (2, "办理时限", "required")
    ]
    assert _dump(fresh_demo) == before


def test_a_talker_written_once_on_a_talks_first_row_is_kept_and_a_title_never_overwrites_it(
    fresh_demo, tmp_path
):
    """Rows of one talk give the talker once; its role column holds a title on every row. The
    talker written is kept, and the title alone (a later file, or the API) does not replace it."""
    c = _chief(fresh_demo, 13)
    head = ["姓名", "乡镇（街道）", "谈话日期", "谈话人身份", "谈话人", "跟进事项", "办理时限"]
    rows = [[c["name"], c["township"], "2026-11-05", "组织部长", "组织部长李某", "回访", "2026-12-20"],
            [c["name"], c["township"], "2026-11-05", "组织部长", "", "安排轮休", "2026-12-20"]]  # fmt: skip
    assert _run(fresh_demo, "talks", write_xlsx(tmp_path / "a.xlsx", {"登记": [head, *rows]})).imported == 2
    again = [[*r[:4], "", *r[5:]] for r in rows]
    assert _run(fresh_demo, "talks", write_xlsx(tmp_path / "b.xlsx", {"登记": [head, *again]})).unchanged == 2
    care.record_talk(fresh_demo, int(c["person_id"]), DEMO_AS_OF.replace(day=5), "组织部长", as_of=DEMO_AS_OF)
    held = care.talks(fresh_demo, DEMO_AS_OF, person_id=int(c["person_id"]))
    assert held.loc[held["date"].astype(str) == "2026-11-05", "talker_name"].tolist() == ["组织部长李某"]
