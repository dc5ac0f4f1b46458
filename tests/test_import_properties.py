"""Generated junk for the normalisers and the importer: a clean import or the importer's own error."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import random
import sqlite3

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from cadre_lib import ImportRejected, InvalidEntry, Workspace, evaluation, people
from cadre_lib.core.export import workbook_bytes
from cadre_lib.core.fields import FIELDS
from cadre_lib.core.ids import synthetic_national_id
from cadre_lib.core.normalize import (
    clean_header,
    clean_name,
    clean_text,
    parse_date,
    parse_national_id,
    parse_number,
    parse_sex,
    plain_texts,
    to_simplified,
)
from cadre_lib.importers import IMPORTERS, import_roster, import_sessions
from cadre_lib.samples import write_xlsx

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

cells = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(alphabet="０１２３４５６７８９年月日.-/ 　xX", max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1000, 1, 1)),
    st.just(""),
    st.just("合计"),
    st.text(min_size=5000, max_size=6000),
)


@pytest.fixture(scope="module")
def small_ws(tmp_path_factory):
    path = tmp_path_factory.mktemp("prop") / "ws.sqlite"
    with Workspace(path, actor="prop") as ws:
        people.add_county(ws, "C1", "甲县", "Jia County")
        for k, town in enumerate("乙丙丁戊"):
            people.add_township(ws, "C1", f"T{k + 1}", f"{town}镇")
        people.add_cohort(ws, "K1", "测试班", "class", dt.date(2026, 1, 1))
        yield ws


def _storable(rows: list[list[object]]) -> list[list[object]]:
    """Cells as an .xlsx can hold them: an infinite or NaN number becomes an empty cell (the
    writer itself drops control characters)."""
    return [[None if isinstance(v, float) and not math.isfinite(v) else v for v in r] for r in rows]


def _dump(ws) -> list[str]:
    with sqlite3.connect(ws.url.database) as conn:
        return list(conn.iterdump())


@given(cells)
@settings(max_examples=300, deadline=None)
def test_normalisers_return_a_value_or_say_why(value):
    assert clean_text(value) is None or isinstance(clean_text(value), str)
    assert isinstance(clean_header(value), str)
    for parse in (
        clean_name,
        parse_date,
        parse_sex,
        parse_national_id,
        lambda v: parse_number(v, low=0, high=24, what="hours"),
    ):
        try:
            parse(value)
        except InvalidEntry as exc:
            assert str(exc)  # the message says what is wrong


def _read(field, cell):
    try:
        return field.parse(cell)
    except InvalidEntry as exc:
        return ("refused", exc.problem, exc.params, str(exc))


column_cells = st.one_of(
    cells,
    st.sampled_from(
        ["王伟", "汉族", "13900001111", "139-0000-1111", "11010519491231002x", "1985.03", 1, 1.0, True]
    ),
)


@given(st.lists(column_cells, max_size=12), st.sampled_from(sorted(FIELDS)))
@settings(max_examples=400, deadline=None)
def test_a_column_is_read_as_each_of_its_cells_would_be(column, key):
    field = FIELDS[key]
    values, refused = field.parse_column(column)
    assert refused == [n for n, v in enumerate(values) if isinstance(v, InvalidEntry)]
    shown = [("refused", v.problem, v.params, str(v)) if isinstance(v, InvalidEntry) else v for v in values]
    assert shown == [_read(field, cell) for cell in column]


@given(st.lists(column_cells, max_size=12))
def test_plain_text_is_text_that_cleaning_leaves_alone(column):
    for cell, plain in zip(column, plain_texts(column), strict=True):
        assert plain is None or plain == cell == clean_text(cell)
        # a header key is its cleaned text without spaces, lower-case, simplified
        assert clean_header(cell) == to_simplified("".join((clean_text(cell) or "").split()).lower())


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_spelling_of_a_month_parses_to_that_month(day):
    for typed in (f"{day:%Y.%m}", f"{day.year}年{day.month}月", f"{day:%Y-%m}", f"{day:%Y%m}"):
        assert parse_date(typed) == (day.replace(day=1), False)
    assert parse_date(f"{day:%Y-%m-%d}") == (day, True)


def _roster(rows: list[list[object]], fmt: str, tmp_path) -> tuple[bytes, str]:
    header = [
        "姓名",
        "公民身份号码",
        "出生年月",
        "性别",
        "县（区）",
        "乡镇（街道）",
        "现任职务",
        "任现职时间",
        "联系电话",
    ]
    table = [["花名册"], header, *rows]
    if fmt == "csv":
        text = io.StringIO()
        csv.writer(text).writerows([["" if v is None else v for v in r] for r in table])
        return text.getvalue().encode("utf-8"), "junk.csv"
    path = write_xlsx(tmp_path / "junk.xlsx", {"花名册": _storable(table)})
    return path.read_bytes(), "junk.xlsx"


def _valid_row(rng: random.Random) -> list[object]:
    birth = dt.date(rng.randint(1975, 1992), rng.randint(1, 12), rng.randint(1, 28))
    sex = rng.choice("MF")
    return [
        "张三",
        synthetic_national_id(rng, birth, sex, region="0303"),
        f"{birth:%Y.%m}",
        "男" if sex == "M" else "女",
        "甲县",
        "乙镇",
        "镇长",
        "2026-01",
        "13900001111",
    ]


@given(
    rows=st.lists(st.lists(cells, min_size=0, max_size=11), min_size=1, max_size=6),
    fmt=st.sampled_from(["csv", "xlsx"]),
    seed=st.integers(0, 10**6),
    keep_valid=st.booleans(),
)
@SETTINGS
def test_junk_rows_import_cleanly_or_are_rejected_with_row_references(
    small_ws, tmp_path, rows, fmt, seed, keep_valid
):
    rng = random.Random(seed)
    if keep_valid:  # mix junk into otherwise valid rows
        rows = [_valid_row(rng) if rng.random() < 0.7 else r for r in rows]
    data, name = _roster(rows, fmt, tmp_path)
    before = _dump(small_ws)
    try:
        report = import_roster(small_ws, data, name)
    except ImportRejected as exc:
        errors = exc.report.errors
        assert errors and all(e.reason for e in errors)
        assert all(e.row is not None and e.row >= 3 for e in errors) or len(errors) == 1
        assert _dump(small_ws) == before  # nothing written, not even the import record
        event("rejected")
    else:
        event("imported")
        assert report.ok and report.imported + report.updated + report.unchanged >= 1


@given(cut=st.integers(min_value=0, max_value=4000), fmt=st.sampled_from(["xlsx", "csv"]))
@SETTINGS
def test_truncated_files_are_rejected_and_leave_the_workspace_unchanged(small_ws, tmp_path, cut, fmt):
    data, name = _roster([_valid_row(random.Random(cut))], fmt, tmp_path)
    assume(cut < len(data))
    before = _dump(small_ws)
    try:
        report = import_roster(small_ws, data[:cut], name)
    except ImportRejected as exc:
        assert exc.report.errors and _dump(small_ws) == before
    else:  # a cut that leaves a readable file (CSV) imports what is left, and says so
        assert report.ok and _dump(small_ws) != before


@given(rows=st.lists(st.lists(cells, min_size=3, max_size=7), min_size=1, max_size=5))
@SETTINGS
def test_junk_session_schedules_are_rejected_or_import(small_ws, tmp_path, rows):
    header = ["日期", "形式", "主题", "学时", "主讲人", "地点", "培训项目"]
    path = write_xlsx(tmp_path / "s.xlsx", {"s": [header, *_storable(rows)]})
    before = _dump(small_ws)
    try:
        report = import_sessions(small_ws, path, cohort="K1")
    except ImportRejected as exc:
        assert exc.report.errors and _dump(small_ws) == before
    else:
        assert report.ok and _dump(small_ws) != before  # at least the import is recorded


_FULL = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


@given(
    seed=st.integers(0, 10**6),
    n=st.integers(1, 8),
    fmt=st.sampled_from(["csv", "xlsx"]),
    full_width=st.booleans(),
    lower_x=st.booleans(),
    pad=st.sampled_from(["", " ", "　", "  "]),
)
@SETTINGS
def test_legal_rows_however_typed_always_import(small_ws, tmp_path, seed, n, fmt, full_width, lower_x, pad):
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        row = _valid_row(rng)
        row[5], row[6] = "乙丙丁戊"[i // 2] + "镇", ("镇长", "党委书记")[i % 2]  # one person a post
        row[0] = pad + "张" + pad + "三" + pad
        row[1] = row[1].lower() if lower_x else row[1]
        if full_width:
            row[1], row[2], row[7] = (str(v).translate(_FULL) for v in (row[1], row[2], row[7]))
        rows.append(row)
    rows = [r for i, r in enumerate(rows) if r[1].upper() not in {x[1].upper() for x in rows[:i]}]
    data, name = _roster(rows, fmt, tmp_path)
    report = import_roster(small_ws, data, name)
    assert report.imported + report.updated + report.unchanged == len(rows)


# -- the fuzz run: generated bad input through every importer ----------------------------------
# CI runs FUZZ_EXAMPLES per importer; docs/tests.md records a run of 10,000 per importer
# (CADRE_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/test_import_properties.py -k fuzz).
FUZZ_EXAMPLES = int(os.environ.get("CADRE_FUZZ_EXAMPLES", "150"))
_JUNK_HEADERS = ["序号", "籍贯", "", "合计", "Name", "姓 名", "日期", "=SUM(A1)", "\x1b[2J"]


@st.composite
def bad_files(draw, kind: str) -> tuple[bytes, str]:
    """A file an office might send, broken in one of many ways: bytes, cells, encoding or a cut."""
    suffix = draw(st.sampled_from([".xlsx", ".csv", ".xls"]))
    shape = draw(st.sampled_from(["bytes", "cells", "cells", "cut"]))
    if shape == "bytes":
        return draw(st.binary(max_size=3000)), f"junk{suffix}"
    fields = IMPORTERS[kind].fields
    header = draw(
        st.lists(
            st.one_of(
                st.sampled_from([f.zh for f in fields] + [f.en for f in fields]),
                st.sampled_from(_JUNK_HEADERS),
            ),
            min_size=0,
            max_size=len(fields) + 2,
        )
    )
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 2), max_size=8))
    table = [*draw(st.lists(st.lists(cells, max_size=3), max_size=2)), header, *rows]
    if suffix == ".csv":
        text = io.StringIO()
        csv.writer(text).writerows([["" if v is None else v for v in r] for r in table])
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "latin-1"]))
        data = text.getvalue().encode(encoding, errors="replace")
    else:
        data = workbook_bytes({"表": _storable(table)})
        suffix = ".xlsx" if suffix == ".xls" and draw(st.booleans()) else suffix  # xlsx bytes named .xls too
    if shape == "cut":
        # A share of the file, not a byte count: .xlsx bytes carry the time they were made.
        data = data[: int(len(data) * draw(st.floats(0, 1, exclude_max=True)))]
    return data, f"file{suffix}"


@pytest.fixture(scope="module")
def fuzz_ws(tmp_path_factory, tiny_workspace):
    with tiny_workspace(tmp_path_factory.mktemp("fuzz") / "ws.sqlite") as ws:
        # an instrument, so that scores can be checked against a scale rather than refused unknown
        evaluation.declare_instrument(ws, "exam", "测试", 0, 100)
        yield ws


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
@given(data=st.data())
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,  # the three importers draw different files: no replaying one's examples in another
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_fuzz_bad_input_is_refused_whole_or_imported_never_a_traceback(fuzz_ws, kind, data):
    content, name = data.draw(bad_files(kind))
    cohort = data.draw(st.sampled_from(["K1", None, "没有这个项目"]))
    before = _dump(fuzz_ws)
    try:
        report = IMPORTERS[kind](fuzz_ws).run(content, name, cohort=cohort, as_of=dt.date(2026, 11, 30))
    except ImportRejected as exc:
        assert exc.report.errors and all(e.reason for e in exc.report.errors)
        assert _dump(fuzz_ws) == before  # nothing written, not even the import record
        event("rejected")
    else:
        assert report.ok
        event("imported")
