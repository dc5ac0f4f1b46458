"""Anything typed into any field of any entry form is saved whole or refused with a reason.

Hypothesis opens one of the workbook's entry forms with the good values a trainer would type,
then replaces some of its fields (every field the form's model holds, found on the model) with
what a hurried or hostile user might enter: any Unicode text, control characters, NUL and lone
surrogates, very long text, formulas and markup, impossible and far-off dates, numbers too big
for the database, codes that are not codes, people and sessions that do not exist. The form must
answer in Chinese first and never raise; a refused save leaves every table of the workspace as it
was (nothing half-written), and a saved one stores clean text that every stage still reads. It
runs on SQLite and on PostgreSQL, whose rules for text and integers differ.

CI runs `CADRE_FORM_FUZZ_EXAMPLES` examples on each engine (default 120).
"""

from __future__ import annotations

import contextlib
import os
import re

import pytest
from conftest import fresh_pg_schema
from entry_forms import FORMS, open_form, prepare_forms, save, shown_by, stage_tables, typed_fields
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre_lib.core.codes import codes
from cadre_lib.core.errors import CadreError
from cadre_lib.core.schema import TABLES

EXAMPLES = int(os.environ.get("CADRE_FORM_FUZZ_EXAMPLES", "120"))

TRICKY = [
    "", " ", "\t\n", "\x00", "a\x00b", "\ud800", "前\udfff后", "\u202e反转", "\x1b[31m红", "\ufeff",
    "<script>alert(1)</script>", "=1+1", "@SUM(A1)", "'; DROP TABLE person;--", "9" * 400, "字" * 5000,
    "2026-02-30", "2026-13-01", "1900-01-01", "2090-01-01", "0000-00-00", "2026/6/1", "２０２６－０６－０１",
    "2026年6月1日", "2026.6", "20260601", "nan", "NaN", "inf", "-inf", "-1", "1e309", "0", "-0", "100.5",
    "１２", "None", "null", "99999999999999999999", "3.7", "1,5",
]  # fmt: skip
# Anything in the database's integer range and far beyond it (PostgreSQL's integer stops at 2**31).
INTEGERS = st.one_of(st.integers(-3, 12), st.sampled_from([2**31, -(2**31) - 1, 2**63 - 1, 10**30]))
TEXT = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Lo", "Nd"]), max_size=20),
    st.dates().map(str),
)
DB_WORDS = re.compile(
    r"sqlite|psycopg|sqlalchemy|integrity|violates|constraint|traceback|\bSQL\b|errno", re.I
)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def form_ws(request, tmp_path_factory, tiny_workspace):
    """A tiny workspace with something for every form to save, on each engine."""
    with _engine_url(request.param, tmp_path_factory) as url, tiny_workspace(url, "学员甲") as ws:
        prepare_forms(ws)
        yield ws


def _engine_url(engine: str, tmp_path_factory):
    if engine == "postgres":
        return fresh_pg_schema()
    return contextlib.nullcontext(str(tmp_path_factory.mktemp("form_fuzz") / "ws.sqlite"))


def _junk(data, model, key: str):
    """A value a trainer could put in `key`, of the type the field holds."""
    trait = model.traits()[key]
    current = getattr(model, key)
    if isinstance(current, dict):  # per-row entries: the same rows, junk values
        return {k: data.draw(TEXT) for k in current} or {1: data.draw(TEXT)}
    if isinstance(current, tuple):
        return tuple(data.draw(st.lists(TEXT, max_size=3)))
    if type(trait).__name__ == "Int":
        return data.draw(INTEGERS)
    return data.draw(TEXT)


def _workspace(ws) -> dict:
    """Every table as stored, to compare before and after a save."""
    return {name: ws.table(name).sort_index(axis=1).to_csv() for name in TABLES}


def _unclean(ws) -> list[str]:
    """Text cells the database holds in a form no user should see (NUL, lone surrogates, BOM)."""
    bad = []
    for name in TABLES:
        frame = ws.table(name)
        for column in frame.columns:
            for value in frame[column].dropna():
                if isinstance(value, str) and (
                    "\x00" in value or re.search(r"[\ud800-\udfff]", value) or value != value.strip("\ufeff")
                ):
                    bad.append(f"{name}.{column}: {value[:40]!r}")
    return bad


def _answers_in_chinese_first(message: str) -> bool:
    first = re.search(r"[A-Za-z\u4e00-\u9fff]", message)
    return bool(first) and "\u4e00" <= first.group() <= "\u9fff"


@given(name=st.sampled_from(FORMS), data=st.data())
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_anything_typed_into_any_form_is_saved_whole_or_refused_with_a_reason(form_ws, name, data):
    view, values = open_form(form_ws, name)
    model = view.model
    for key, value in values.items():
        setattr(model, key, value)
    fields = typed_fields(model)
    fuzzed = data.draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique=True), label="fields")
    for key in fuzzed:
        try:
            setattr(model, key, _junk(data, model, key))
        except (
            CadreError
        ) as exc:  # a choice no view offers (a session that does not exist) is refused at once
            assert _answers_in_chinese_first(str(exc)), str(exc)
            return
    if name == "signin":  # the sheet's entries are marks: any person, any status
        pid = data.draw(st.one_of(st.just(1), INTEGERS), label="person")
        model.mark(
            pid, data.draw(st.one_of(st.sampled_from(codes("attendance_status")), TEXT), label="status")
        )
    before = _workspace(form_ws)

    save(name, model)  # never raises: whatever was typed, the form answers

    message = model.message
    assert message and _answers_in_chinese_first(message), message[:200]
    assert not DB_WORDS.search(message), message[:300]
    if model.ok:
        assert not _unclean(form_ws), _unclean(form_ws)
    else:
        assert _workspace(form_ws) == before, f"refused but written: {message[:200]}"
    stage_tables(form_ws)  # what was saved, every stage still reads
    shown_by(view)
