"""Roster and schedule imports through the public API and the CLI, with the project's messy files."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
import xlwt
from openpyxl import load_workbook

from cadre_lib import ImportRejected, InvalidEntry, delivery, people
from cadre_lib.cli import main
from cadre_lib.demo import DEMO_AS_OF
from cadre_lib.importers import IMPORTERS, check_file, import_roster, import_sessions
from cadre_lib.samples import SAMPLE_FILES, new_people, roster_rows, write_samples, write_template, write_xlsx

DATA = Path(__file__).resolve().parents[1] / "data"


def _dump(ws) -> list[str]:
    with sqlite3.connect(ws.url.database) as conn:
        return list(conn.iterdump())


def _places(ws):
    towns = ws.frame(
        "SELECT c.name AS county, t.name AS township FROM township t "
        "JOIN county c ON c.id = t.county_id ORDER BY t.code"
    )
    return list(towns.itertuples(index=False, name=None))


def _rejected(ws, path, **options):
    with pytest.raises(ImportRejected) as info:
        import_roster(ws, path, **options)
    return info.value.report


# -- the committed sample files ------------------------------------------------------------


def test_clean_sample_imports_then_changes_nothing_the_second_time(fresh_demo):
    ws = fresh_demo
    before = ws.counts()
    report = import_roster(ws, DATA / "samples" / "roster_clean.xlsx", cohort="GCDJT", as_of=DEMO_AS_OF)
    assert (report.imported, report.updated, report.unchanged) == (8, 4, 0)
    assert report.unknown_columns == ["籍贯"] and report.skipped_rows == [17]
    after = ws.counts()
    assert after["person"] == before["person"] + 8
    enrolled = [p for p in report.plan if p["action"] == "new" or "enrollment" in p["changes"]]
    assert len(enrolled) >= 8 and after["enrollment"] == before["enrollment"] + len(enrolled)
    chiefs = people.chiefs(ws, DEMO_AS_OF)
    assert len(chiefs) == 140  # new chiefs replace the old holders of their posts
    assert not chiefs.duplicated(["township_code", "post"]).any()
    persons = ws.table("person")
    assert persons["name"].isin(["张敏"]).any() and not persons["name"].str.contains("　").any()
    assert persons.set_index("name").loc["张敏", "notes"] == "籍贯: 本市"

    dump = _dump(ws)
    again = import_roster(ws, DATA / "samples" / "roster_clean.xlsx", cohort="GCDJT", as_of=DEMO_AS_OF)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 12)
    changed = [line for line in _dump(ws) if line not in dump]
    assert len(changed) == 1 and "'import','roster'" in changed[0]  # only the record of the import


def test_every_mistake_is_reported_at_once_and_nothing_is_written(fresh_demo):
    dump = _dump(fresh_demo)
    report = _rejected(fresh_demo, DATA / "samples" / "roster_with_mistakes.xlsx")
    found = {(e.row, e.column): e for e in report.errors}
    assert set(found) == {
        (3, "身份证号"),
        (4, "出生年月"),
        (5, "姓 名"),
        (7, "身份证号"),
        (8, "乡镇(街道)"),
        (9, "性别"),
        (10, "姓 名"),
        (11, "任现职时间"),
    }
    assert "check character" in found[3, "身份证号"].reason
    assert found[3, "身份证号"].value.count("*") == 10  # masked
    assert "month 13" in found[4, "出生年月"].reason and found[4, "出生年月"].value == "1985.13"
    assert "required" in found[5, "姓 名"].reason
    assert "already on row 6" in found[7, "身份证号"].reason
    assert "Did you mean" in found[8, "乡镇(街道)"].reason
    assert "ID number says" in found[9, "性别"].reason
    assert "belongs to" in found[10, "姓 名"].reason
    assert "no day 30" in found[11, "任现职时间"].reason
    assert _dump(fresh_demo) == dump


def test_gbk_csv_sample_imports(fresh_demo):
    report = import_roster(fresh_demo, DATA / "samples" / "roster_gbk.csv", as_of=DEMO_AS_OF)
    assert report.imported == 5


def test_session_schedule_imports_once(fresh_demo):
    ws = fresh_demo
    report = import_sessions(ws, DATA / "samples" / "sessions_2026_december.xlsx")
    assert report.imported == 3
    sessions = delivery.cohort_sessions(ws, "SHXF").tail(3)
    assert sessions["format"].tolist() == ["lecture", "seminar", "site_visit"]
    assert sessions["hours"].tolist() == [3.0, 4.0, 6.0]  # the first typed as full-width ３
    assert str(sessions["date"].iloc[1]) == "2026-12-15"  # typed as 2026年12月15日
    assert import_sessions(ws, DATA / "samples" / "sessions_2026_december.xlsx").unchanged == 3


def test_committed_samples_are_what_the_code_writes(demo_ws, tmp_path):
    written = write_samples(tmp_path, demo_ws, DEMO_AS_OF)
    for path in written:
        committed = DATA / "samples" / path.name
        if path.suffix == ".csv":
            assert path.read_bytes() == committed.read_bytes()
        else:
            rows = lambda p: [list(r) for ws in load_workbook(p) for r in ws.iter_rows(values_only=True)]  # noqa: E731
            assert rows(path) == rows(committed)


# -- input shapes ---------------------------------------------------------------------------


def _people(ws, n=3, seed=5):
    return new_people(_places(ws), n, seed=seed)


def test_xls_files_as_older_excel_and_wps_write_them(fresh_demo, tmp_path):
    rows = roster_rows(_people(fresh_demo))
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    sheet.write(0, 0, "2027年培训班花名册")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(i, j, value, date_style)
            else:
                sheet.write(i, j, value)
    path = tmp_path / "roster.xls"
    book.save(str(path))
    report = import_roster(fresh_demo, path, as_of=DEMO_AS_OF)
    assert report.imported == 3 and [p["row"] for p in report.plan] == [4, 5, 6]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_chinese_excel_writes(fresh_demo, tmp_path, encoding):
    rows = roster_rows(_people(fresh_demo))
    text = "\n".join(",".join(str(v) for v in row) for row in rows)
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode(encoding))
    assert import_roster(fresh_demo, path, as_of=DEMO_AS_OF).imported == 3


def test_big5_text_is_read_as_big5_and_an_unknown_encoding_is_named(tmp_path):
    import random

    from cadre_lib import Workspace
    from cadre_lib.core.ids import synthetic_national_id

    with Workspace(tmp_path / "ws.sqlite") as ws:
        people.add_county(ws, "C1", "平安区")
        people.add_township(ws, "C1", "T1", "太平镇")
        nid = synthetic_national_id(random.Random(3), dt.date(1984, 6, 1), "M")
        typed_in_big5 = ["姓名", "身份證號", "縣（區）", "鄉鎮（街道）", "現任職務", "任現職時間"]
        english = ["Name", "ID", "County", "Township", "Post", "In post since"]  # readable in any decoding
        rows = [typed_in_big5, english, ["王明", nid, "平安區", "太平鎮", "鎮長", "2026.01"]]
        text = "\n".join(",".join(r) for r in rows)
        (tmp_path / "big5.csv").write_bytes(text.encode("big5"))
        (tmp_path / "utf16.csv").write_bytes(text.encode("utf-16"))  # Excel's "Unicode text", with its BOM
        assert import_roster(ws, tmp_path / "utf16.csv", as_of=DEMO_AS_OF, dry_run=True).imported == 1
        report = import_roster(ws, tmp_path / "big5.csv", as_of=DEMO_AS_OF)
        assert report.imported == 1 and report.encoding == "Big5"
        assert ws.table("person")["name"].tolist() == ["王明"]
        rows[2][2] = "東川區"  # a county the workspace does not know: the summary says how it was read
        (tmp_path / "big5.csv").write_bytes("\n".join(",".join(r) for r in rows).encode("big5"))
        assert "Read as Big5" in _rejected(ws, tmp_path / "big5.csv").summary()
        (tmp_path / "junk.csv").write_bytes(bytes(range(129, 255)) * 4)
        reason = _rejected(ws, tmp_path / "junk.csv").errors[0].reason
        assert "UTF-8, UTF-16, GB18030 (GBK), Big5" in reason and "CSV UTF-8" in reason


@pytest.mark.parametrize(
    "column, typed, said",
    [
        ("任现职时间", "2090.01", "任现职时间2090-01-01不在合理范围"),
        ("任现职时间", "1900.01", "任现职时间1900-01-01不在合理范围"),
        ("公民身份号码", dt.date(2090, 1, 1), "出生日期2090-01-01不在合理范围"),
        ("公民身份号码", dt.date(1900, 1, 1), "出生日期1900-01-01不在合理范围"),
    ],
)
def test_implausible_dates_are_refused_with_the_window(fresh_demo, tmp_path, column, typed, said):
    import random

    from cadre_lib.core.ids import synthetic_national_id

    place = _places(fresh_demo)[0]
    nid = synthetic_national_id(random.Random(1), dt.date(1985, 3, 14), "M")
    if isinstance(typed, dt.date):  # an ID number whose date of birth is the implausible one
        nid, typed = synthetic_national_id(random.Random(1), typed, "M"), "2020.01"
    rows = [
        ["姓名", "公民身份号码", "县（区）", "乡镇（街道）", "现任职务", "任现职时间"],
        ["王伟", nid, place[0], place[1], "镇长", typed],
    ]
    before = _dump(fresh_demo)
    report = _rejected(fresh_demo, write_xlsx(tmp_path / "x.xlsx", {"s": rows}), as_of=DEMO_AS_OF)
    assert [(e.column, said in e.reason) for e in report.errors] == [(column, True)]
    assert _dump(fresh_demo) == before  # no tenure ended in 2090


@pytest.mark.parametrize("day", ["1900-03-18", "2090-03-18"])
def test_sessions_outside_the_window_are_refused(fresh_demo, tmp_path, day):
    rows = [["培训项目", "日期", "形式", "主题", "学时"], ["SHXF", day, "专家授课", "讲座", 3]]
    with pytest.raises(ImportRejected) as info:
        import_sessions(fresh_demo, write_xlsx(tmp_path / "s.xlsx", {"s": rows}), as_of=DEMO_AS_OF)
    assert "上课日期" in info.value.report.errors[0].reason and info.value.report.errors[0].column == "日期"


def test_a_chosen_sheet_by_name_or_number(fresh_demo, tmp_path):
    rows = roster_rows(_people(fresh_demo))
    path = write_xlsx(tmp_path / "two.xlsx", {"说明": [["请看第二个工作表"]], "花名册": rows})
    assert import_roster(fresh_demo, path, sheet="花名册", dry_run=True).imported == 3
    assert import_roster(fresh_demo, path, sheet=2, dry_run=True).sheet == "花名册"
    report = _rejected(fresh_demo, path, sheet="Sheet9")
    assert "the sheets are: 说明, 花名册" in report.errors[0].reason
    report = _rejected(fresh_demo, path)  # the first sheet has no header
    assert "no header row" in report.errors[0].reason


def test_header_synonyms_and_hand_typed_values(fresh_demo, tmp_path):
    person = _people(fresh_demo, 1)[0]
    header = [
        "Name",
        "ID",
        "出生日期",
        "性 别",
        "县区",
        "乡镇",
        "职务",
        "任职时间",
        "电话",
        "Remarks",
        "Hobby",
    ]
    nid = person["national_id"]
    row = [
        " ".join(person["name"]),
        nid.lower().translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        f"{person['birth']:%Y%m}",
        "男" if person["sex"] == "M" else "女",
        person["county"],
        person["township"],
        "党委书记",
        "２０２６年３月",
        " 139 0000 1234 ",
        "挂职",
        "围棋",
    ]
    path = write_xlsx(tmp_path / "x.xlsx", {"s": [header, row]})
    report = import_roster(fresh_demo, path, as_of=DEMO_AS_OF)
    assert report.imported == 1 and report.unknown_columns == ["Hobby"]
    saved = fresh_demo.table("person", reveal_ids=True).iloc[-1]
    assert saved["national_id"] == nid.upper() and saved["name"] == person["name"]
    assert saved["notes"] == "挂职; Hobby: 围棋" and saved["phone"] == "139 0000 1234"
    tenure = fresh_demo.table("post_tenure").iloc[-1]
    assert str(tenure["start_date"]) == "2026-03-01"


@pytest.mark.parametrize(
    "typed, ok",
    [
        ("1985.03", True),
        ("1985年3月", True),
        ("1985-03", True),
        ("198503", True),
        ("１９８５．０３", True),
        ("1985.04", False),
    ],
)
def test_birth_dates_in_every_spelling_are_checked_against_the_id(fresh_demo, tmp_path, typed, ok):
    person = _people(fresh_demo, 1)[0] | {"birth": dt.date(1985, 3, 14)}
    import random

    from cadre_lib.core.ids import synthetic_national_id

    person["national_id"] = synthetic_national_id(random.Random(1), person["birth"], person["sex"])
    rows = roster_rows([person])
    rows[1][3] = typed
    path = write_xlsx(tmp_path / "x.xlsx", {"s": rows})
    if ok:
        assert import_roster(fresh_demo, path, dry_run=True).imported == 1
    else:
        assert "born 1985-03-14" in _rejected(fresh_demo, path).errors[0].reason


def test_an_existing_person_is_updated_never_doubled(fresh_demo, tmp_path):
    chief = people.chiefs(fresh_demo, DEMO_AS_OF, reveal_ids=True).iloc[0]
    rows = [
        ["姓名", "公民身份号码", "县（区）", "乡镇（街道）", "现任职务", "联系电话"],
        [
            chief["name"],
            chief["national_id"],
            chief["county"],
            chief["township"],
            "镇长" if chief["post"] == "head" else "党委书记",
            "13912345678",
        ],
    ]
    path = write_xlsx(tmp_path / "x.xlsx", {"s": rows})
    people_before = fresh_demo.counts()["person"]
    report = import_roster(fresh_demo, path)
    assert (report.imported, report.updated) == (0, 1) and report.plan[0]["changes"] == "phone"
    assert fresh_demo.counts()["person"] == people_before
    log = fresh_demo.table("audit_log")
    assert json.loads(log.iloc[-2]["new"]) == {"phone": "13912345678"}
    assert log.iloc[-1]["action"] == "import"


def test_missing_required_columns_are_named(fresh_demo, tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", {"s": [["姓名", "性别"], ["王伟", "男"]]})
    report = _rejected(fresh_demo, path)
    assert "公民身份号码 (ID)" in report.errors[0].reason and report.errors[0].row is None


def test_unknown_county_suggests_the_closest(fresh_demo, tmp_path):
    rows = roster_rows(_people(fresh_demo, 1))
    rows[1][7] = "东川县"
    report = _rejected(fresh_demo, write_xlsx(tmp_path / "x.xlsx", {"s": rows}))
    assert "Did you mean '东川区'" in report.errors[0].reason


def test_unreadable_and_empty_files_are_one_clear_error(fresh_demo, tmp_path):
    for name, data, words in (
        ("junk.xlsx", b"PK\x03\x04 truncated", "cannot be read"),
        ("empty.csv", b"", "is empty"),
        ("photo.jpg", b"\xff\xd8", "not a spreadsheet"),
    ):
        (tmp_path / name).write_bytes(data)
        report = _rejected(fresh_demo, tmp_path / name)
        assert len(report.errors) == 1 and words in report.errors[0].reason
    assert "cannot read the file" in _rejected(fresh_demo, tmp_path / "missing.xlsx").errors[0].reason


def test_template_has_the_header_and_bilingual_instructions(fresh_demo, tmp_path):
    for kind in IMPORTERS:  # every committed template is what the code writes
        path = write_template(kind, tmp_path / f"{kind}.xlsx")
        book = load_workbook(path)
        assert book.sheetnames[1] == "说明 Instructions"
        committed = load_workbook(DATA / "templates" / f"{kind}_template.xlsx")
        assert [list(r) for r in committed.worksheets[0].iter_rows(values_only=True)] == [
            list(r) for r in book.worksheets[0].iter_rows(values_only=True)
        ]
    # a filled-in template imports
    book = load_workbook(tmp_path / "roster.xlsx")
    person = _people(fresh_demo, 1)[0]
    book.worksheets[0].append(
        [
            person["name"],
            person["national_id"],
            None,
            None,
            None,
            None,
            person["county"],
            person["township"],
            "党委书记",
            "2026-05",
            None,
            None,
        ]
    )
    book.save(tmp_path / "filled.xlsx")
    assert import_roster(fresh_demo, tmp_path / "filled.xlsx").imported == 1


# -- the command line -------------------------------------------------------------------------


def test_cli_json_dry_run_and_exit_status(fresh_demo, capsys):
    db = str(fresh_demo.url.database)
    args = ["import", "roster", str(DATA / "samples" / "roster_with_mistakes.xlsx"), "--db", db]
    assert main([*args, "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 0 and len(out["errors"]) == 8
    assert set(out["errors"][0]) == {"sheet", "row", "column", "value", "code", "reason"}
    clean = ["import", "roster", str(DATA / "samples" / "roster_clean.xlsx"), "--db", db, "--cohort", "GCDJT"]
    people = fresh_demo.counts()["person"]
    assert main([*clean, "--dry-run"]) == 0
    assert "would import 8 new" in capsys.readouterr().out
    assert fresh_demo.counts()["person"] == people
    assert main(clean) == 0 and fresh_demo.counts()["person"] == people + 8
    assert (
        main(["import", "sessions", str(DATA / "samples" / "sessions_2026_december.xlsx"), "--db", db]) == 0
    )


def test_cli_template(tmp_path, capsys):
    assert main(["template", "sessions", "--out", str(tmp_path / "t.xlsx")]) == 0
    assert load_workbook(tmp_path / "t.xlsx").worksheets[0]["A1"].value == "培训项目"


def test_check_file_never_raises_for_the_files_problems(fresh_demo):
    report = check_file(fresh_demo, "roster", DATA / "samples" / "roster_with_mistakes.xlsx")
    assert not report.ok and report.errors_frame().shape == (8, 6)


# -- sign-in sheets -------------------------------------------------------------------------


def test_signin_sheet_sample_updates_the_one_corrected_mark_then_nothing(fresh_demo):
    path = DATA / "samples" / "signin_programme_last_session.xlsx"
    report = IMPORTERS["attendance"](fresh_demo).run(path, cohort="SHXF")
    assert (report.imported, report.updated) == (0, 1) and report.unchanged > 60
    changed = report.plan[0]
    assert changed["action"] == "update" and changed["status"] != changed["was"]
    again = check_file(fresh_demo, "attendance", path, cohort="SHXF")
    assert again.ok and (again.imported, again.updated) == (0, 0)


def test_signin_sheet_errors_name_the_row(fresh_demo, tmp_path):
    from cadre_lib.delivery import attendance_sheet

    s = delivery.cohort_sessions(fresh_demo, "SHXF")
    last = s[s["date"] <= DEMO_AS_OF].iloc[-1]
    names = attendance_sheet(fresh_demo, int(last["id"]))["name"].tolist()
    rows = [
        ["日期", "姓名", "考勤"],
        [str(last["date"]), names[0], "出勤"],
        [str(last["date"]), "无此人", "出勤"],
        ["2026-11-23", names[1], "出勤"],
        [str(last["date"]), names[2], "病假条"],
        [str(last["date"]), names[0], "缺勤"],
    ]
    report = check_file(fresh_demo, "attendance", write_xlsx(tmp_path / "s.xlsx", {"s": rows}), cohort="SHXF")
    reasons = {(e.row, e.column): e.reason for e in report.errors}
    assert "not enrolled" in reasons[3, "姓名"]
    assert "no session of this cohort on that date" in reasons[4, "日期"]
    assert "not an attendance mark" in reasons[5, "考勤"]
    assert "already marked for this session on row 2" in reasons[6, "姓名"]


def test_people_join_a_cohort_from_the_import_date_and_ended_cohorts_are_refused(fresh_demo):
    path = DATA / "samples" / "roster_clean.xlsx"
    report = _rejected(fresh_demo, path, cohort="TC-2026B", as_of=DEMO_AS_OF)
    assert "ended on 2026-09-18" in report.errors[0].reason
    report = import_roster(fresh_demo, path, cohort="GCDJT", as_of=DEMO_AS_OF)
    joining = {p["name"] for p in report.plan if p["action"] == "new" or "enrollment" in p["changes"]}
    members = people.cohort_members(fresh_demo, "GCDJT")
    new = members[members["start_date"] == DEMO_AS_OF]
    # everyone enrolled by the import joins on the import date, not the series' start
    assert len(joining) >= 8 and set(new["name"]) == joining


def test_ids_typed_in_other_columns_are_kept_as_typed_and_masked_when_shown_or_audited(fresh_demo, tmp_path):
    person = _people(fresh_demo, 1)[0]
    stray = "11010519491231002X"
    rows = [
        ["姓名", "公民身份号码", "县（区）", "乡镇（街道）", "现任职务", "备注", "原身份证号码"],
        [
            person["name"],
            person["national_id"],
            person["county"],
            person["township"],
            "镇长",
            f"旧证 {stray}",
            stray,
        ],
    ]
    import_roster(fresh_demo, write_xlsx(tmp_path / "x.xlsx", {"s": rows}), as_of=DEMO_AS_OF)
    audit = "\n".join(line for line in _dump(fresh_demo) if 'INSERT INTO "audit_log"' in line)
    assert stray not in audit and "110105**********2X" in audit
    notes = fresh_demo.table("person").set_index("name").loc[person["name"], "notes"]
    assert stray not in notes and "110105**********2X" in notes
    raw = fresh_demo.table("person", reveal_ids=True).set_index("name").loc[person["name"], "notes"]
    assert stray in raw  # stored as typed: the department's record is not rewritten
    bad = [
        ["姓名", "公民身份号码", "县（区）", "乡镇（街道）", "现任职务"],
        [stray, stray[:-1] + "0", "甲", "乙", "镇长"],
    ]
    report = _rejected(fresh_demo, write_xlsx(tmp_path / "y.xlsx", {"s": bad}))
    assert stray not in json.dumps(report.to_json(), ensure_ascii=False)


def test_samples_never_overwrite_and_survive_unmarked_people(fresh_demo, tmp_path):
    from cadre_lib.delivery import add_session

    sid = add_session(fresh_demo, "SHXF", DEMO_AS_OF, "lecture", "今日讲座", 3)  # nobody marked yet
    written = write_samples(tmp_path / "s", fresh_demo, DEMO_AS_OF)
    signin = load_workbook(tmp_path / "s" / "signin_programme_last_session.xlsx").active
    assert "今日讲座" in str(signin.cell(1, 1).value) and sid
    assert [p.name for p in written] == list(SAMPLE_FILES)
    with pytest.raises(InvalidEntry, match="already holds"):
        write_samples(tmp_path / "s", fresh_demo, DEMO_AS_OF)


def test_cli_samples_go_beside_the_workspace_not_into_the_repository(demo_path, tmp_path, capsys):
    import shutil

    shutil.copyfile(demo_path, tmp_path / "demo.sqlite")
    committed = {p.name: p.read_bytes() for p in (DATA / "samples").iterdir()}
    assert main(["samples", "--db", str(tmp_path / "demo.sqlite")]) == 0
    assert sorted(p.name for p in (tmp_path / "samples").iterdir()) == sorted(SAMPLE_FILES)
    assert {p.name: p.read_bytes() for p in (DATA / "samples").iterdir()} == committed


def test_samples_are_written_only_from_a_synthetic_workspace(tmp_path):
    from cadre_lib import Workspace, WorkspaceError

    with Workspace(tmp_path / "real.sqlite") as ws:
        people.add_person(ws, "真人", "11010519491231002X")
        with pytest.raises(WorkspaceError, match="only from a synthetic workspace"):
            write_samples(tmp_path / "out", ws, DEMO_AS_OF)
    assert not (tmp_path / "out").exists()
