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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cadre_lib import ImportRejected, care, delivery, evaluation, for_display, people
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


def _member_in_post(ws) -> None:
    """The tiny workspace's participant heads 乙镇, and a test that scores theory is declared."""
    ws.insert(
        "post_tenure",
        {"person_id": 1, "township_id": ws.id_of("township", "code", "T1"), "post": "head",
         "start_date": dt.date(2020, 1, 1)},
    )  # fmt: skip
    evaluation.declare_instrument(ws, "exam", "理论考试", 0, 100, dimensions=["theory"])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, tiny_workspace):
    with tiny_workspace(tmp_path_factory.mktemp("privacy") / "ws.sqlite", "学员甲", MEMBER_ID) as ws:
        _member_in_post(ws)
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
    texts += _tables(ws)
    with sqlite3.connect(ws.url.database) as conn:
        texts += [repr(row) for row in conn.execute("SELECT * FROM audit_log")]
    texts += _cells(export_delivery(ws, "K1", AS_OF, folder).read_bytes())
    texts += _cells(care.export_care(ws, AS_OF, folder).read_bytes())
    return texts


def _tables(ws) -> list[str]:
    """Every table the stages return about the records an import or a form can write."""
    frames = [
        delivery.cohort_sessions(ws, "K1"), people.cohort_members(ws, "K1"), people.chiefs(ws, AS_OF),
        evaluation.assessments(ws), evaluation.reviews(ws), evaluation.comments(ws), evaluation.instruments(ws),
        care.talks(ws), care.follow_ups(ws, AS_OF), care.outcomes(ws),
    ]  # fmt: skip
    return [f.to_csv() for f in frames] + [for_display(f).to_html() for f in frames]


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


def _form(ws, name: str):
    """(view, what it holds before the field under test is typed, how it saves) of one form."""
    from cadre_lib.care.widgets import follow_up_board, outcome_form, talk_form
    from cadre_lib.delivery.widgets import feedback_form, schedule_editor
    from cadre_lib.evaluation.widgets import comment_form, instrument_form, review_form, score_sheet

    if name == "talk":
        view = talk_form(ws, AS_OF)
        return view, {
            "person_id": 1,
            "date": "2026-06-02",
            "action": "回访",
            "owner": "组织部",
            "due": "2026-07-01",
        }
    if name == "outcome":
        view = outcome_form(ws, AS_OF)
        return view, {
            "person_id": 1,
            "kind": "merit",
            "award": "merit_3",
            "date": "2026-06-03",
            "detail": "先进",
        }
    if name == "comment":
        return comment_form(ws, "2026", AS_OF), {"person_id": 1, "date": "2026-06-01", "text": "工作扎实"}
    if name == "review":
        view = review_form(ws, "2026", AS_OF)
        return view, {
            "person_id": 1,
            "date": "2026-06-01",
            "levels": {"look": "4"},
            "evidence": {"look": "看"},
        }
    if name == "instrument":
        return instrument_form(ws), {"code": "t2", "name": "测试二", "scale_min": "0", "scale_max": "10"}
    if name == "schedule":
        return schedule_editor(ws, "K1", AS_OF), {"dates": "2026-03-16", "topic": "新课", "hours": "3"}
    if name == "feedback":
        first = int(delivery.cohort_sessions(ws, "K1")["id"].min())  # the session they attended
        values = {"session_id": first, "person_id": 1, "usefulness": 4, "relevance": 4, "comment": "好"}
        return feedback_form(ws, "K1", AS_OF), values
    if name == "scores":
        return score_sheet(ws, "K1", AS_OF), {
            "instrument": "exam",
            "dimension": "theory",
            "scores": {1: "80"},
        }
    return follow_up_board(ws, AS_OF), {"date": "2026-06-10"}


FORM_FIELDS = [
    *[("talk", f) for f in ("talker_name", "concerns", "action", "owner", "date", "due")],
    *[("outcome", f) for f in ("detail", "date")],
    *[("comment", f) for f in ("text", "date")],
    *[("review", f) for f in ("evidence", "date")],
    *[("instrument", f) for f in ("code", "name", "name_en", "scale_min")],
    *[("schedule", f) for f in ("topic", "speaker", "location", "dates", "hours")],
    ("feedback", "comment"),
    *[("scores", f) for f in ("scores", "date")],
    ("follow_up", "date"),
]  # fmt: skip


def _shown_by(widget) -> list[str]:
    """What a view shows: every HTML and label text and every choice offered, anywhere in it."""
    import ipywidgets as W

    out = []
    if isinstance(widget, W.HTML | W.Label | W.HTMLMath):
        out.append(widget.value)
    if isinstance(widget, W.Dropdown | W.SelectMultiple | W.Select | W.ToggleButtons):
        out += [str(o) for o in widget.options]
    if isinstance(widget, W.Button | W.ToggleButton):
        out += [widget.description, widget.tooltip or ""]
    for child in getattr(widget, "children", ()):
        out += _shown_by(child)
    return out


@pytest.fixture(scope="module")
def form_workspace(tmp_path_factory, tiny_workspace):
    with tiny_workspace(tmp_path_factory.mktemp("forms") / "ws.sqlite", "学员甲", MEMBER_ID) as ws:
        _member_in_post(ws)
        session = int(delivery.cohort_sessions(ws, "K1")["id"].iloc[0])
        delivery.mark_attendance(ws, session, {1: "present"}, {1: None})  # so they may rate it
        care.record_talk(ws, 1, dt.date(2026, 5, 1), "county_secretary", follow_ups=[
            {"action": "回访", "owner": "组织部", "due_date": dt.date(2026, 6, 1)}])  # fmt: skip
        yield ws


@given(field=st.sampled_from(FORM_FIELDS), typed=typed_ids())
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_an_id_typed_into_any_form_field_is_never_shown_unmasked(form_workspace, field, typed):
    """Whether the form saves or refuses what was typed, its answer and everything its view shows
    (and every table the stages return afterwards) hold no ID number in clear."""
    name, key = field
    text, number = typed
    view, values = _form(form_workspace, name)
    model = view.model
    if name == "follow_up":
        values["chosen"] = int(care.follow_ups(form_workspace, AS_OF)["id"].iloc[0])
    for k, v in values.items():
        setattr(model, k, v)
    if key in ("evidence",):
        model.evidence = {"look": text}
    elif key == "scores":
        model.scores = {1: text}
    else:
        setattr(model, key, text)
    (model.add if name == "schedule" else model.save)()
    shown = [model.message, *_shown_by(view), *_tables(form_workspace)]
    for text_shown in shown:
        assert not _leaks(str(text_shown), number), str(text_shown)[:300]
