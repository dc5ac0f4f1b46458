"""ID numbers typed into any field of any import never reach an output unmasked.

Hypothesis writes an ID number (right or wrong check character, any surroundings, glued to
letters and digits) into one field of an otherwise good file of every importer, or into the file's
name, and the test reads everything a person could see: the check and the import's report
(summary, JSON, problems, preview, the trainer's table), the command line's text and JSON, the
import widget, every table the workspace returns, the audit log as stored, and the Excel exports.
The same ID typed into any field of any entry form must not show in its answer or its view.

An ID is "shown" when its birth date and serial (characters 7 to 16) appear: a number cut short
before masking shows 17 digits that no longer read as an ID, so the test looks for the digits
themselves, not only for a whole number.
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
from entry_forms import (
    AS_OF,
    FORMS,
    member_in_post,
    open_form,
    prepare_forms,
    save,
    shown_by,
    stage_tables,
    typed_fields,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cadre_lib import ImportRejected, care, for_display
from cadre_lib.cli import main
from cadre_lib.core.errors import CadreError
from cadre_lib.core.ids import check_character, contains_id, synthetic_national_id
from cadre_lib.core.schema import TABLES
from cadre_lib.core.widgets import ImportModel, ImportWidget
from cadre_lib.delivery import export_delivery
from cadre_lib.importers import IMPORTERS, check_file
from cadre_lib.samples import write_xlsx

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
_PERSON = {"姓名": "学员甲", "公民身份号码": MEMBER_ID, "乡镇（街道）": "乙镇"}
GOOD |= {
    "assessments": {
        "培训项目": "K1", **_PERSON, "测评工具": "exam", "测评维度": "理论素养", "测评阶段": "训前",
        "评价人类别": "培训主管部门", "成绩": "80", "日期": "2026-03-02", "备注": "",
    },
    "reviews": {
        **_PERSON, "考察期": "2026", "考察领域": "招商引资", "考察方式": "看", "等次": "4",
        "佐证": "项目推进有力", "日期": "2026-06-01", "备注": "",
    },
    "comments": {
        **_PERSON, "考察期": "2026", "考察领域": "招商引资", "评价人身份": "群众", "评价意见": "工作扎实",
        "日期": "2026-06-01", "备注": "",
    },
    "talks": {
        **_PERSON, "谈话日期": "2026-06-01", "谈话人身份": "县委书记", "谈话人": "甲县委书记",
        "反映问题类别": "工作压力", "反映问题": "压力较大", "跟进事项": "回访", "责任人": "县委组织部",
        "办理时限": "2026-07-01", "办理状态": "在办", "办结日期": "", "备注": "",
    },
    "outcomes": {
        **_PERSON, "类别": "记功", "决定日期": "2026-06-01", "事由": "年度先进", "奖励": "三等功", "备注": "",
    },
}  # fmt: skip
FIELDS = [(kind, column) for kind, row in GOOD.items() for column in [*row, "file name"]]


@st.composite
def typed_ids(draw) -> tuple[str, str]:
    """(the ID as typed with what surrounds it, the 18 characters of the number itself)."""
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
    first17 = f"{draw(st.integers(0, 999_999)):06d}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    last = check_character(first17) if draw(st.booleans()) else draw(st.sampled_from("0123456789Xx"))
    number = first17 + last
    # Glued to text on either side; three characters or more in front is what a message that cuts
    # before it masks leaves as 17 digits no longer read as an ID.
    around = st.one_of(
        st.text(alphabet="证号ID旧新:：# abcXx0123456789", max_size=6),
        st.sampled_from(["abc", "旧证号", "ID:0"]),
    )
    return draw(around) + number + draw(around), number


def _leaks(shown: str, number: str) -> bool:
    """Whether `shown` holds the ID: whole, or its birth date (a number cut short, or unmasked)."""
    return number.upper() in shown.upper() or number[6:14] in shown or contains_id(shown)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, tiny_workspace):
    with tiny_workspace(tmp_path_factory.mktemp("privacy") / "ws.sqlite", "学员甲", MEMBER_ID) as ws:
        member_in_post(ws)
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
    texts += stage_tables(ws)
    with sqlite3.connect(ws.url.database) as conn:
        texts += [repr(row) for row in conn.execute("SELECT * FROM audit_log")]
    texts += _cells(export_delivery(ws, "K1", AS_OF, folder).read_bytes())
    texts += _cells(care.export_care(ws, AS_OF, folder).read_bytes())
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
        assert not _leaks(shown, number), shown[:300]


def test_a_control_character_typed_inside_an_id_number_does_not_hide_it_from_masking(tmp_path):
    import pandas as pd
    from openpyxl import load_workbook

    from cadre_lib.core.export import write_table, write_xlsx

    frame = pd.DataFrame({"note": ["号码110105194912\x0731002X"]})
    text = write_table(tmp_path / "x.csv", frame).read_text("utf-8-sig")
    assert "11010519491231002X" not in text and "110105**********2X" in text
    book = load_workbook(write_xlsx(tmp_path / "x.xlsx", {"S": frame}))
    assert book["S"]["A2"].value == "号码110105**********2X"


# -- entry forms ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def form_workspace(tmp_path_factory, tiny_workspace):
    with tiny_workspace(tmp_path_factory.mktemp("forms") / "ws.sqlite", "学员甲", MEMBER_ID) as ws:
        prepare_forms(ws)
        yield ws


@given(name=st.sampled_from([f for f in FORMS if f != "signin"]), typed=typed_ids(), data=st.data())
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_an_id_typed_into_any_form_field_is_never_shown_unmasked(form_workspace, name, typed, data):
    """Whether the form saves or refuses what was typed into any of its text fields, its answer
    and everything its view shows (and every table the stages return afterwards) hold no ID
    number in clear. The fields are found on the form's model, so a field added is covered."""
    text, number = typed
    view, values = open_form(form_workspace, name)
    model = view.model
    for k, v in values.items():
        setattr(model, k, v)
    texts = [k for k in typed_fields(model) if not isinstance(getattr(model, k), int)]
    key = data.draw(st.sampled_from(texts), label="field")
    current = getattr(model, key)
    typed_in = (
        {**current, next(iter(current), 1): text}  # per-row entries (scores, levels, evidence)
        if isinstance(current, dict)
        else (text,)
        if isinstance(current, tuple)
        else text
    )
    try:
        setattr(model, key, typed_in)
    except CadreError as exc:  # a choice no view offers (a cohort that does not exist): refused at once
        refused = str(exc)
    else:
        save(name, model)
        refused = ""
    shown = [refused, model.message, *shown_by(view), *stage_tables(form_workspace)]
    for text_shown in shown:
        assert not _leaks(str(text_shown), number), str(text_shown)[:300]
