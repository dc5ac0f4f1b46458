"""ID numbers typed into any field of any import never reach an output unmasked.

Hypothesis writes an ID number (right or wrong check character, any surroundings) into one field
of an otherwise good roster, schedule or sign-in sheet, or into the file's name, and the test
reads everything a person could see: the check and the import's report (summary, JSON, problems,
preview, the trainer's table), the command line's text and JSON, the import widget, every table
the workspace returns, the audit log as stored, and the Excel export.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import json
import os
import random
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cadre_lib import ImportRejected, delivery, for_display, people
from cadre_lib.cli import main
from cadre_lib.core.ids import check_character, contains_id, synthetic_national_id
from cadre_lib.core.schema import TABLES
from cadre_lib.core.widgets import ImportModel, ImportWidget
from cadre_lib.delivery import export_delivery
from cadre_lib.importers import IMPORTERS, check_file
from cadre_lib.samples import write_xlsx

AS_OF = dt.date(2026, 11, 30)
EXAMPLES = int(os.environ.get("CADRE_PRIVACY_EXAMPLES", "60"))
MEMBER_ID = synthetic_national_id(random.Random(7), dt.date(1986, 5, 4), "F")

GOOD = {
    "roster": {
        "姓名": "王明",
        "公民身份号码": synthetic_national_id(random.Random(8), dt.date(1984, 6, 1), "M"),
        "出生年月": "1984.06",
        "性别": "男",
        "民族": "汉族",
        "学历": "大学",
        "县（区）": "甲县",
        "乡镇（街道）": "乙镇",
        "现任职务": "镇长",
        "任现职时间": "2020.01",
        "联系电话": "13900001111",
        "备注": "",
        "籍贯": "本市",
    },
    "sessions": {
        "培训项目": "K1",
        "日期": "2026-03-09",
        "形式": "专家授课",
        "主题": "新讲座",
        "学时": "3",
        "主讲人": "张三",
        "地点": "党校",
    },
    "attendance": {
        "培训项目": "K1",
        "日期": "2026-03-02",
        "主题": "讲座",
        "姓名": "学员甲",
        "公民身份号码": MEMBER_ID,
        "考勤": "出勤",
        "备注": "",
    },
}
FIELDS = [(kind, column) for kind, row in GOOD.items() for column in [*row, "file name"]]


@st.composite
def typed_ids(draw) -> tuple[str, str]:
    """(the ID as typed with what surrounds it, the 18 characters of the number itself)."""
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
    first17 = f"{draw(st.integers(0, 999_999)):06d}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    last = check_character(first17) if draw(st.booleans()) else draw(st.sampled_from("0123456789Xx"))
    number = first17 + last
    around = st.text(alphabet="证号ID旧新:：# abcXx0123456789", max_size=4)
    return draw(around) + number + draw(around), number


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, tiny_workspace):
    with tiny_workspace(tmp_path_factory.mktemp("privacy") / "ws.sqlite", "学员甲", MEMBER_ID) as ws:
        yield ws


def _everything_shown(ws, kind: str, path, folder) -> list[str]:
    texts = []
    report = check_file(ws, kind, path, cohort="K1", as_of=AS_OF)
    texts += [report.summary(), json.dumps(report.to_json(limit=None), ensure_ascii=False)]
    texts += [
        report.errors_frame().to_csv(),
        report.preview().to_csv(),
        for_display(report.preview()).to_csv(),
    ]
    try:
        done = IMPORTERS[kind](ws).run(path, cohort="K1", as_of=AS_OF)
    except ImportRejected as exc:
        done = exc.report
    texts += [done.summary(), json.dumps(done.to_json(limit=None), ensure_ascii=False)]
    for fmt in ("text", "json"):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(["import", kind, str(path), "--db", str(ws.url.database), "--dry-run", "--cohort", "K1",
                  "--as-of", str(AS_OF), "--format", fmt])  # fmt: skip
        texts += [out.getvalue(), err.getvalue()]
    model = ImportModel(ws, IMPORTERS[kind], "K1", AS_OF)
    view = ImportWidget(model, [("K1", "K1")])
    model.load(path.name, path.read_bytes())
    texts += [model.status, view.table.value, view.status.value, view.kinds.value]
    offer = model.errors_download()
    if offer is not None:  # the problems as the trainer would save them
        texts += [offer[0], *_cells(base64.b64decode(offer[1].split(",", 1)[1]))]
    texts += [ws.table(name).to_csv() for name in TABLES]
    texts += [
        delivery.cohort_sessions(ws, "K1").to_csv(),
        people.cohort_members(ws, "K1").to_csv(),
        people.chiefs(ws, AS_OF).to_csv(),
    ]
    with sqlite3.connect(ws.url.database) as conn:
        texts += [repr(row) for row in conn.execute("SELECT * FROM audit_log")]
    texts += _cells(export_delivery(ws, "K1", AS_OF, folder).read_bytes())
    return texts


def _cells(xlsx: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(xlsx))
    return [repr(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]


@given(field=st.sampled_from(FIELDS), typed=typed_ids())
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_an_id_typed_into_any_field_is_never_shown_unmasked(workspace, tmp_path, field, typed):
    kind, column = field
    text, number = typed
    row = dict(GOOD[kind])
    name = f"{kind}.xlsx"
    if column == "file name":
        name = f"名单{text}.xlsx".replace("/", "")
    else:
        row[column] = text
    path = write_xlsx(tmp_path / name, {"表": [list(row), list(row.values())]})
    for shown in _everything_shown(workspace, kind, path, tmp_path / "exports"):
        assert number not in shown and number.upper() not in shown
        assert not contains_id(shown), shown[:300]


def test_a_control_character_typed_inside_an_id_number_does_not_hide_it_from_masking(tmp_path):
    import pandas as pd
    from openpyxl import load_workbook

    from cadre_lib.core.export import write_table, write_xlsx

    frame = pd.DataFrame({"note": ["号码110105194912\x0731002X"]})
    text = write_table(tmp_path / "x.csv", frame).read_text("utf-8-sig")
    assert "11010519491231002X" not in text and "110105**********2X" in text
    book = load_workbook(write_xlsx(tmp_path / "x.xlsx", {"S": frame}))
    assert book["S"]["A2"].value == "号码110105**********2X"
