"""The print-ready report workbook: layout, number formats, safety and file handling.

Each test writes a report through the public functions and reads the file back with openpyxl,
as Excel would open it.
"""

from __future__ import annotations

import datetime as dt
import io
import random

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from cadre_lib.core.errors import InvalidEntry
from cadre_lib.core.export import ReportSheet, report_bytes, write_report
from cadre_lib.core.ids import synthetic_national_id

TITLE = "“山海新锋”三年培养行动 学时情况 截至 2026-11-30 Standing as of 2026-11-30"
LONG_NOTE = "因乡镇换届工作安排，本期集中培训中途请假两天，已在次月补学相关课程并提交学习心得体会"


def _table() -> ReportSheet:
    frame = pd.DataFrame(
        {
            "name": ["张三", "李四", '=HYPERLINK("http://x","点我")'],
            "rate": [0.85, 1.0, np.nan],
            "hours": [12.5, 3.0, 7.25],
            "sessions": [4, 1, 2],
            "done": [True, False, None],
            "day": [dt.date(2026, 11, 30), None, dt.date(2026, 1, 5)],
            "note": [LONG_NOTE, "", None],
        }
    )
    headers = [
        ("姓名", "Name"),
        ("出勤率", "Attendance rate"),
        ("学时", "Hours"),
        ("场次", "Sessions"),
        ("已结业", "Completed"),
        ("日期", "Date"),
        ("备注", "Note"),
    ]
    return ReportSheet(frame, headers, formats={"rate": "0%"})


def _sheet(data: bytes, index: int = 0):
    return load_workbook(io.BytesIO(data)).worksheets[index]


def _column(sheet, header: str) -> int:
    """The column (1-based) whose Chinese header is `header`."""
    for row in sheet.iter_rows(max_row=4):
        for cell in row:
            if cell.value == header:
                return cell.column
    raise AssertionError(f"no header {header}")


def test_title_headers_freeze_and_print_setup(tmp_path):
    path = write_report(tmp_path / "学时.xlsx", TITLE, {"学时 Hours": _table()})
    sheet = load_workbook(path).active
    assert sheet["A1"].value == TITLE
    assert sheet["A1"].font.bold and sheet["A1"].font.size > 11
    assert "A1:G1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]][:3] == ["姓名", "出勤率", "学时"]
    assert [c.value for c in sheet[3]][:3] == ["Name", "Attendance rate", "Hours"]
    assert sheet["A2"].font.bold and sheet["A2"].fill.fgColor.rgb.endswith("DDE6F0")
    assert sheet["A3"].font.italic and sheet["A3"].font.size < 11
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows.replace("$", "") == "1:3"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0


def test_a_subtitle_shifts_the_headers_down_one_row():
    table = _table()
    spec = ReportSheet(table.frame, table.headers, table.formats, subtitle="出勤率 = 到课场次 ÷ 应到场次")
    sheet = _sheet(report_bytes(TITLE, {"学时": spec}))
    assert sheet["A2"].value == "出勤率 = 到课场次 ÷ 应到场次"
    assert sheet["A2"].alignment.wrap_text
    assert "A2:G2" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A3"].value == "姓名" and sheet["A4"].value == "Name"
    assert sheet.freeze_panes == "A5"
    assert sheet.print_title_rows.replace("$", "") == "1:4"


def test_a_wide_table_also_freezes_its_first_column():
    frame = pd.DataFrame({f"c{i}": [i] for i in range(10)})
    headers = [(f"列{i}", f"Column {i}") for i in range(10)]
    sheet = _sheet(report_bytes(TITLE, {"宽表": ReportSheet(frame, headers)}))
    assert sheet.freeze_panes == "B4"


def test_numbers_dates_booleans_and_missing_values():
    sheet = _sheet(report_bytes(TITLE, {"学时": _table()}))
    rate, hours, sessions = (_column(sheet, h) for h in ("出勤率", "学时", "场次"))
    done, day, note = (_column(sheet, h) for h in ("已结业", "日期", "备注"))
    assert sheet.cell(4, rate).value == pytest.approx(0.85)
    assert sheet.cell(4, rate).data_type == "n" and sheet.cell(4, rate).number_format == "0%"
    assert sheet.cell(4, hours).value == pytest.approx(12.5) and sheet.cell(4, hours).number_format == "0.0"
    assert sheet.cell(5, hours).number_format == "0.0"  # 3.0: a float, printed as 3.0
    assert sheet.cell(4, sessions).value == 4 and sheet.cell(4, sessions).number_format == "0"
    assert [sheet.cell(r, done).value for r in (4, 5, 6)] == ["是", "否", None]
    assert sheet.cell(6, rate).value is None  # NaN
    assert sheet.cell(5, day).value is None  # None
    assert sheet.cell(6, note).value is None
    assert sheet.cell(4, day).is_date and sheet.cell(4, day).value.date() == dt.date(2026, 11, 30)
    assert sheet.cell(4, day).number_format == "yyyy-mm-dd"


def test_numpy_and_nullable_booleans_are_worded_too():
    frame = pd.DataFrame({"a": pd.array([True, None], dtype="boolean"), "b": np.array([False, True])})
    sheet = _sheet(report_bytes(TITLE, {"表": ReportSheet(frame, [("甲", "A"), ("乙", "B")])}))
    assert [sheet["A4"].value, sheet["A5"].value, sheet["B4"].value, sheet["B5"].value] == [
        "是",
        None,
        "否",
        "是",
    ]


def _ids(count: int) -> list[str]:
    """Checksum-valid ID numbers in the unassigned 99 region: nobody's."""
    rng = random.Random(7)
    return [synthetic_national_id(rng, dt.date(1980 + i, 1, 15), "MF"[i % 2]) for i in range(count)]


def _private_table() -> tuple[ReportSheet, str, str]:
    number, other = _ids(2)
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x","点我")', "@SUM(A1)"],
            "national_id": [number, number],
            "note": [f"原证号 {other}，已更正", "无"],
        }
    )
    return ReportSheet(frame, [("姓名", "Name"), ("身份证号", "ID number"), ("备注", "Note")]), number, other


def test_formula_text_stays_text_and_ids_are_masked():
    spec, number, other = _private_table()
    sheet = _sheet(report_bytes(TITLE, {"名单": spec}))
    assert sheet["A4"].value.startswith("=HYPERLINK") and sheet["A4"].data_type == "s"
    assert sheet["A5"].value == "@SUM(A1)" and sheet["A5"].data_type == "s"
    assert sheet["B4"].value == number[:6] + "*" * 10 + number[-2:]
    assert other not in sheet["C4"].value and other[:6] + "*" * 10 + other[-2:] in sheet["C4"].value


def test_reveal_ids_writes_them_as_they_are():
    spec, number, other = _private_table()
    sheet = _sheet(report_bytes(TITLE, {"名单": spec}, reveal_ids=True))
    assert sheet["B4"].value == number
    assert other in sheet["C4"].value


def test_an_id_split_by_a_control_character_is_still_scrubbed():
    (number,) = _ids(1)
    frame = pd.DataFrame({"note": [number[:9] + "\x07" + number[9:]]})
    sheet = _sheet(report_bytes(TITLE, {"表": ReportSheet(frame, [("备注", "Note")])}))
    assert sheet["A4"].value == number[:6] + "*" * 10 + number[-2:]


def test_long_chinese_text_gets_a_wider_column_than_short_numbers():
    sheet = _sheet(report_bytes(TITLE, {"学时": _table()}))
    letter = sheet.cell(4, _column(sheet, "备注")).column_letter
    narrow = sheet.cell(4, _column(sheet, "场次")).column_letter
    assert sheet.column_dimensions[letter].width > sheet.column_dimensions[narrow].width
    assert sheet.column_dimensions[letter].width <= 45  # capped, and then wrapped
    assert sheet.cell(4, _column(sheet, "备注")).alignment.wrap_text
    assert sheet.column_dimensions[narrow].width >= 6


def test_sheet_names_fit_excel_and_stay_unique():
    spec = _table()
    names = ["甲" * 40, "甲" * 35, "学时/出勤[2026]"]
    book = load_workbook(io.BytesIO(report_bytes(TITLE, dict.fromkeys(names, spec))))
    assert all(len(n) <= 31 for n in book.sheetnames)
    assert len({n.casefold() for n in book.sheetnames}) == 3
    assert book.sheetnames[2] == "学时_出勤_2026_"


def test_writing_twice_replaces_the_file(tmp_path):
    path = tmp_path / "report.xlsx"
    write_report(path, "第一版 First", {"表": _table()})
    write_report(path, "第二版 Second", {"表": _table()})
    assert load_workbook(path).active["A1"].value == "第二版 Second"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]  # no temporary file left behind


def test_report_bytes_is_a_workbook_with_every_sheet():
    book = load_workbook(io.BytesIO(report_bytes(TITLE, {"学时": _table(), "出勤": _table()})))
    assert book.sheetnames == ["学时", "出勤"]
    assert all(sheet["A1"].value == TITLE for sheet in book.worksheets)


def test_mismatched_headers_and_other_mistakes_are_refused(tmp_path):
    with pytest.raises(InvalidEntry):
        ReportSheet(pd.DataFrame({"a": [1], "b": [2]}), [("甲", "A")])
    with pytest.raises(InvalidEntry):
        report_bytes(TITLE, {})
    with pytest.raises(InvalidEntry):
        write_report(tmp_path / "report.xls", TITLE, {"表": _table()})
