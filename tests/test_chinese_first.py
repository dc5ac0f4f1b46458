"""Every text a trainer reads is Chinese first, English after ("学时 Hours", never "Hours 学时").

The checker (`offenders`) and where it looks:

- notebooks: markdown cells; the saved outputs of code cells (table headers, index labels and
  worded cells of HTML tables, printed text, plain-text results); the comments of the
  `parameters` cell (analysts' code itself is not checked);
- the widgets the notebooks build, live on the demo (labels, placeholders, tooltips, options, HTML);
- the charts the notebooks draw (title, axis labels, legend, annotations, worded tick labels);
- the Excel export of a cohort (sheet names, header rows, worded cells);
- the wording of every `Problem`.

A failure lists each offending snippet with where it is. The calls that build charts and widgets
are in the tables `CHARTS` and `WIDGETS` at the top: when a signature changes, change them
there, the way the notebooks call them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import re
import string
import tokenize
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.figure  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
AS_OF = dt.date(2026, 11, 30)  # the notebooks' AS_OF parameter (the demo's as-of day)
COHORT = "SHXF"  # 00 and 02's COHORT parameter
ROSTER_COHORT = "GCDJT"  # 01's COHORT parameter
PERIOD = "2026"  # 04's PERIOD parameter


def _lib(module: str):
    """A module of cadre_lib, imported when a call below runs (so the checker's own tests run
    even while the library does not import)."""
    return importlib.import_module(f"cadre_lib.{module}")


def _standing(ws):
    return _lib("delivery").cohort_standing(ws, COHORT, AS_OF)


def _held(ws):
    d = _lib("delivery")
    return d.held_sessions(d.cohort_sessions(ws, COHORT), AS_OF)


def _marks(ws):
    return _lib("delivery").cohort_attendance(ws, COHORT)


def _members(ws):
    return _lib("people").cohort_members(ws, COHORT, as_of=AS_OF)


def _chiefs_here(ws):
    every_chief = _lib("delivery").yearly_compliance(ws, AS_OF)
    return every_chief[every_chief["person_id"].isin(_standing(ws)["person_id"])]


# The charts, drawn as the notebooks (and the cohort picker) draw them; each returns the Axes or
# the Figure. Adapt a line here when a plotting signature changes (see notebooks/02, "图表 Charts").
CHARTS = {
    "00 plot_chiefs_by_county": lambda ws: _lib("people").plot_chiefs_by_county(
        _lib("people").chiefs_by_county(_lib("people").chiefs(ws, AS_OF))
    ),
    "00 picker plot_members_by_county": lambda ws: _lib("people").plot_members_by_county(
        _lib("people").members_by_county(_lib("people").cohort_members(ws, COHORT)),
        title=_lib("core.plots").text("参训人员分布", "Participants by county"),
    ),
    "02 plot_format_mix": lambda ws: _lib("delivery").plot_format_mix(
        _lib("delivery").format_mix(_lib("delivery").all_sessions(ws))
    ),
    "02 plot_attendance_rate": lambda ws: _lib("delivery").plot_attendance_rate(
        _lib("delivery").attendance_by_session(_held(ws), _marks(ws), _members(ws))
    ),
    "02 plot_attendance_heatmap": lambda ws: _lib("delivery").plot_attendance_heatmap(
        _lib("delivery").attendance_matrix(_members(ws), _held(ws), _marks(ws))
    ),
    "02 plot_hours_vs_requirement": lambda ws: _lib("delivery").plot_hours_vs_requirement(
        _chiefs_here(ws), top=15
    ),
    "03 plot_paired_slopes": lambda ws: _lib("evaluation").plot_paired_slopes(
        _lib("evaluation").paired_scores(ws, COHORT, AS_OF), _lib("evaluation").instrument_names(ws)
    ),
    "03 plot_gains": lambda ws: _lib("evaluation").plot_gains(
        _lib("evaluation").paired_scores(ws, COHORT, AS_OF), _lib("evaluation").instrument_names(ws)
    ),
    "04 plot_arena_heatmap": lambda ws: _lib("evaluation").plot_arena_heatmap(
        _lib("evaluation").arena_by_county(ws, PERIOD, AS_OF)
    ),
    "04 plot_theme_tones": lambda ws: _lib("evaluation").plot_theme_tones(
        _lib("evaluation").theme_summary(
            _lib("evaluation").comments(ws, PERIOD, AS_OF), _lib("evaluation").themes_for(ws)
        )
    ),
    "05 plot_talk_coverage": lambda ws: _lib("care").plot_talk_coverage(
        _lib("care").talk_coverage(_lib("care").talk_compliance(ws, AS_OF))
    ),
    "05 plot_overdue_by_talker": lambda ws: _lib("care").plot_overdue_by_talker(
        _lib("care").overdue_talks(_lib("care").talk_compliance(ws, AS_OF))
    ),
}

# The widgets, built as the notebooks build them (on a writable copy of the demo).
WIDGETS = {
    "00 cohort_picker": lambda ws: _lib("delivery.widgets").cohort_picker(ws, AS_OF, COHORT),
    "01 roster_import": lambda ws: _lib("people.widgets").roster_import(
        ws, cohort=ROSTER_COHORT, as_of=AS_OF
    ),
    "01 schedule_import": lambda ws: _lib("delivery.widgets").schedule_import(ws, as_of=AS_OF),
    "02 schedule_editor": lambda ws: _lib("delivery.widgets").schedule_editor(ws, COHORT, AS_OF),
    "02 sign_in_sheet": lambda ws: _lib("delivery.widgets").sign_in_sheet(ws, COHORT, AS_OF),
    "02 signin_import": lambda ws: _lib("delivery.widgets").signin_import(ws, cohort=COHORT, as_of=AS_OF),
    "02 yearly_view": lambda ws: _lib("delivery.widgets").yearly_view(ws, AS_OF),
    "02 feedback_form": lambda ws: _lib("delivery.widgets").feedback_form(ws, COHORT, AS_OF),
    "03 instrument_form": lambda ws: _lib("evaluation.widgets").instrument_form(ws),
    "03 score_sheet": lambda ws: _lib("evaluation.widgets").score_sheet(ws, COHORT, AS_OF),
    "03 assessment_import": lambda ws: _lib("evaluation.widgets").assessment_import(
        ws, cohort=COHORT, as_of=AS_OF
    ),
    "04 review_import": lambda ws: _lib("evaluation.widgets").review_import(ws, as_of=AS_OF),
    "04 comment_import": lambda ws: _lib("evaluation.widgets").comment_import(ws, as_of=AS_OF),
    "04 review_form": lambda ws: _review_form(ws),
    "04 comment_form": lambda ws: _comment_form(ws),
    "04 digest_view": lambda ws: _lib("evaluation.widgets").digest_view(
        ws, PERIOD, AS_OF, person_id=_flagged(ws)
    ),
    "05 talk_form": lambda ws: _talk_form(ws),
    "05 compliance_view": lambda ws: _lib("care.widgets").compliance_view(ws, AS_OF),
    "05 follow_up_board": lambda ws: _lib("care.widgets").follow_up_board(ws, AS_OF),
    "05 outcome_form": lambda ws: _outcome_form(ws),
    "05 eligibility_view": lambda ws: _lib("care.widgets").eligibility_view(ws, AS_OF),
    "05 talk_import": lambda ws: _lib("care.widgets").talk_import(ws, as_of=AS_OF),
    "05 outcome_import": lambda ws: _lib("care.widgets").outcome_import(ws, as_of=AS_OF),
}


def _talk_form(ws):
    """The talk form after a save refused (a follow-up due before the talk): its message shows."""
    form = _lib("care.widgets").talk_form(ws, AS_OF)
    form.person.value = form.person.options[1][1]
    form.action.value, form.owner.value, form.due.value = "回访", "县委组织部", "2020-01-01"
    form.save_button.click()
    return form


def _outcome_form(ws):
    """The ledger form after a promotion is saved: its message says what else it did."""
    form = _lib("care.widgets").outcome_form(ws, AS_OF)
    form.person.value = form.person.options[1][1]
    form.inputs["to_post"].value = "副县长"
    form.save_button.click()
    return form


def _flagged(ws) -> int:
    """The first chief whose sources disagree, as notebook 04 opens its digest on."""
    return int(_lib("evaluation").frontline_flags(ws, PERIOD, AS_OF)["person_id"].iloc[0])


def _review_form(ws):
    """The review form after a save whose sources disagree: its message and stored table show."""
    form = _lib("evaluation.widgets").review_form(ws, PERIOD, AS_OF)
    form.person.value = _flagged(ws)
    form.level["look"].value, form.level["hear"].value = "5", "2"
    form.save_button.click()
    return form


def _comment_form(ws):
    """The comment form after a save: its message reads the comment back."""
    form = _lib("evaluation.widgets").comment_form(ws, PERIOD, AS_OF)
    form.person.value = _flagged(ws)
    form.text.value = "项目推进偏慢"
    form.save_button.click()
    return form


# ---------------------------------------------------------------------------------------------
# The checker
#
# A text is cut into fragments: lines, then sentences (after 。！？ and after . ! ? followed by a
# space). Before a fragment is judged, what may stand before Chinese is blanked out ("allowed
# tokens"): code (fenced blocks, `inline`), URLs, paths and file names, dotted names, identifiers
# (snake_case, CamelCase), ALL-CAPS codes (SHXF, TC-2026B, ID, UTF-8), numbers with units (3.5 h),
# "No.", and command lines (`cadre …`, `$ …`). An English word is then 2+ Latin letters; a Chinese
# character is a CJK ideograph (punctuation such as “ or （ is neither).
#
# A LABEL (table header, chart label, widget description, option, export cell) is one unit: it
# offends when it has an English word and no Chinese character comes before it ("Hours 学时",
# and also "Hours" alone: a label needs its Chinese).
#
# PROSE (markdown, printed text, comments) is judged fragment by fragment, in blocks (paragraphs
# split at blank lines; each heading and each list item is a block of its own; headings are
# judged as labels). A fragment offends when
#   (a) an English word comes before its first Chinese character, unless it is the English half
#       quoting Chinese terms: 3+ English words before the Chinese AND a Chinese counterpart
#       precedes it (e.g. "bring a roster (花名册) …" after the Chinese sentence); or
#   (b) it is English-only prose (3+ English words, no Chinese) with no Chinese counterpart
#       before it; or
#   (c) it is English (any length) with no Chinese counterpart before it, and a Chinese
#       sentence follows it in the same block ("Saved 3 change(s). 已保存 3 处。").
# The Chinese counterpart is an earlier Chinese-first fragment in the same block, or else the
# block just before, when that is a Chinese paragraph (not a heading) with no English-first
# fragment of its own (i.e. the Chinese paragraph whose translation this block is).
#
# In tables (notebook HTML, widget HTML, the export), headers and index labels are labels, and so
# is every cell of a worded column; columns of data typed by people or English by design (names,
# topics, codes, English names, raw values: `DATA_COLUMNS`) are left alone, and so are the cells
# under a header that is itself reported.
# ---------------------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_FENCED = re.compile(r"```.*?(```|\Z)", re.S)
_COMMAND = re.compile(r"^\s*(\$ |>>> |(cadre|python|pip|make|jupyter)\s+[-a-z])", re.M)
_ALLOWED = [
    re.compile(p)
    for p in (
        r"`[^`\n]*`",  # inline code
        r"\]\([^)\s]*\)",  # a markdown link's target
        r"<[^<>\n]*>",  # an HTML tag
        r"\b[A-Za-z][A-Za-z0-9+.-]*://\S+",  # URL (also postgresql+psycopg://…)
        r"[A-Za-z0-9_.~$*{}-]*/[A-Za-z0-9_./~$*{}-]*",  # path: anything with a slash
        r"[A-Za-z0-9_$-]*[A-Za-z0-9_]\.[A-Za-z_][A-Za-z0-9_.()]*",  # file.ext, dotted.name, e.g
        r"(?<![A-Za-z0-9])\.[a-z]{2,5}\b",  # a bare extension: .xlsx
        r"\b(?:No|no)\.",
        r"\d+(?:[.,]\d+)*\s*(?:h|hrs?|min|km|kg|cm|mm|GB|MB|KB|px|pt|em)\b",  # number and unit
        r"[A-Za-z0-9$]*_[A-Za-z0-9_$]*",  # snake_case identifier, $ENV_VAR
        r"\b[A-Za-z]*[a-z][A-Z][A-Za-z0-9]*\b",  # CamelCase identifier
        r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)*(?![A-Za-z0-9])",  # ALL-CAPS code
    )
]
_SENTENCE_END = re.compile(r"(?<=[。！？])|(?<=[.!?])(?<!\bNo\.)(?<!e\.g\.)(?<!i\.e\.)\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+\.)\s")


def _mask(text: str) -> str:
    """The text with every allowed token blanked out (what is left is judged)."""
    for pattern in _ALLOWED:
        text = pattern.sub(" ", text)
    return text


@dataclass
class _Fragment:
    text: str
    words_before: int = 0  # English words before the first Chinese character (all, if none)
    has_cjk: bool = False

    def __post_init__(self):
        masked = _mask(self.text)
        cjk = _CJK.search(masked)
        self.has_cjk = cjk is not None
        head = masked[: cjk.start()] if cjk else masked
        self.words_before = sum(1 for w in _WORD.findall(head) if len(w) >= 2)

    @property
    def english_first(self) -> bool:
        return self.words_before > 0

    @property
    def chinese_first(self) -> bool:
        return self.has_cjk and not self.english_first

    @property
    def english_prose(self) -> bool:
        return not self.has_cjk and self.words_before >= 3


def _label_offends(text: str) -> bool:
    return _Fragment(text).english_first


def _blocks(text: str) -> list[tuple[bool, list[str]]]:
    """(is_heading, lines) of each paragraph, heading and list item; code and commands removed."""
    text = "\n".join("" if _COMMAND.match(line) else line for line in _FENCED.sub("\n", text).splitlines())
    blocks: list[tuple[bool, list[str]]] = []
    current: list[str] = []

    def close():
        if current:
            blocks.append((False, current.copy()))
            current.clear()

    for line in text.splitlines():
        if not line.strip():
            close()
        elif _HEADING.match(line):
            close()
            blocks.append((True, [line]))
        else:
            if _LIST_ITEM.match(line):
                close()
            current.append(line)
    close()
    return blocks


def _fragments(lines: list[str]) -> list[_Fragment]:
    return [
        _Fragment(piece.strip())
        for line in lines
        for piece in _SENTENCE_END.split(line)
        if piece and piece.strip()
    ]


def _prose_offenders(text: str) -> list[str]:
    found: list[str] = []
    previous_is_chinese_paragraph = False
    for is_heading, lines in _blocks(text):
        if is_heading:
            found += [lines[0].strip()] if _label_offends(lines[0]) else []
            previous_is_chinese_paragraph = False
            continue
        fragments = _fragments(lines)
        counterpart = previous_is_chinese_paragraph
        for k, frag in enumerate(fragments):
            if frag.chinese_first:
                counterpart = True
            elif frag.english_first and frag.has_cjk and not (frag.words_before >= 3 and counterpart):
                found.append(frag.text)  # (a)
            elif frag.english_prose and not counterpart:
                found.append(frag.text)  # (b)
            elif frag.english_first and not counterpart and any(f.chinese_first for f in fragments[k:]):
                found.append(frag.text)  # (c) its Chinese comes after it
        previous_is_chinese_paragraph = any(f.chinese_first for f in fragments) and not any(
            f.english_first for f in fragments
        )
    return found


def offenders(text: str, label: bool = False) -> list[str]:
    """The snippets of `text` whose English comes before their Chinese (see the rules above).

    `label=True` judges the text as one label: any English word before the first Chinese
    character (or English with no Chinese at all) offends.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    if label:
        return [text.strip()] if _label_offends(text) else []
    return _prose_offenders(text)


def english_first(text: str, label: bool = False) -> bool:
    """True when some part of `text` puts English before its Chinese."""
    return bool(offenders(text, label))


@dataclass
class Report:
    """Offending snippets and where they are, for one assertion message."""

    found: list[tuple[str, str]] = field(default_factory=list)

    def check(self, where: str, text: object, label: bool = False) -> None:
        if isinstance(text, str):
            self.found += [(where, snippet) for snippet in offenders(text, label)]

    def assert_clean(self, what: str) -> None:
        if self.found:
            lines = "\n".join(f"  {where}: {snippet!r}" for where, snippet in self.found)
            pytest.fail(f"{len(self.found)} {what} not Chinese first:\n{lines}", pytrace=False)


# ---------------------------------------------------------------------------------------------
# The checker itself
# ---------------------------------------------------------------------------------------------

GOOD_LABELS = [
    "学时 Hours",
    "SHXF 培训项目",
    "TC-2026B 社会治理专题培训班",
    "LX-2025A · 2025年乡镇党政正职集中轮训第1期",
    "编号 No.",
    "ID 公民身份号码",
    "2026-11-22 #30 乡村振兴实践 (3 h)",
    "roster_clean.xlsx：将新增 8、将更新 4",
    "出勤率 Attendance rate (hours credited / offered)",
    "低于结业要求：已获70%（共122学时） below the completion threshold: 70% of 122 h",
    "76",
    "",
]
BAD_LABELS = ["Hours 学时", "Hours", "Below the completion threshold", "Standing 学时", "Status: 状态"]
GOOD_PROSE = [
    "学时 Hours",
    "已保存 3 处。Saved 3 change(s).",
    "SHXF 培训项目",
    "**本笔记本做什么：** 打开工作区，查看概况。\n**What you do here:** open the workspace and look around.",
    "上面一个导入花名册。\n\nThe first widget imports a roster, the second a session schedule.",
    "`roster_clean.xlsx` 按县（区）的习惯填写。\n`roster_clean.xlsx` is typed as county offices type.",
    "**得到什么：** 导入。\n**What you get:** bring a roster (花名册) or a schedule (课程表) into the workspace.",
    "参数见 `data/templates/` 或 https://example.org/docs 。",
    "## 命令行 From the command line\n同样的检查。\nThe same checks.\n\n```sh\ncadre import roster FILE\n```",
    "cadre import roster data/samples/roster_clean.xlsx --dry-run",
    "'roster_with_mistakes.xlsx：发现 8 个问题。 8 problem(s) found; nothing can be imported.'",
    "Run All",  # two English words, no Chinese: not prose (a label would need its Chinese)
]
BAD_PROSE = [
    "Hours 学时",
    "Saved 3 change(s). 已保存 3 处。",
    "**What you do here:** open the workspace and look around. Nothing here changes any record.",
    "## 图表 Charts\n\nThe charts below show the hours of every participant.",
    "中文说明。\nEnglish of it, in one line.\n\nA second English paragraph with no Chinese.",
    "## Charts",
    "The file has no 培训项目 column.",
]


@pytest.mark.parametrize("text", GOOD_LABELS)
def test_checker_accepts_chinese_first_labels(text):
    assert offenders(text, label=True) == []


@pytest.mark.parametrize("text", BAD_LABELS)
def test_checker_refuses_english_first_labels(text):
    assert offenders(text, label=True) == [text]


@pytest.mark.parametrize("text", GOOD_PROSE)
def test_checker_accepts_chinese_first_prose(text):
    assert offenders(text) == []
    assert not english_first(text)


@pytest.mark.parametrize("text", BAD_PROSE)
def test_checker_refuses_english_first_prose(text):
    assert offenders(text)
    assert english_first(text)


def test_checker_names_the_offending_sentence_only():
    text = "已保存 3 处。Saved 3 change(s).\n\nNothing was written to the workspace today."
    assert offenders(text) == ["Nothing was written to the workspace today."]


# ---------------------------------------------------------------------------------------------
# HTML (notebook tables, widget HTML): tables and loose text
# ---------------------------------------------------------------------------------------------

# Data columns: values typed by people or English by design, not wording of the workbook.
DATA_COLUMNS = re.compile(
    r"英文|English|代码|Code|\bname\b|Topic|Speaker|Place|Value|Column|Sheet|Replaces|Comment", re.I
)
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr"}


@dataclass
class _Table:
    header_rows: list[list[str]] = field(default_factory=list)
    body_rows: list[list[tuple[str, str]]] = field(default_factory=list)  # (tag, text)


class _HtmlText(HTMLParser):
    """Loose text blocks and tables (header rows; body cells with their tag) of an HTML snippet."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.tables: list[_Table] = []
        self._text: list[str] = []
        self._row: list[tuple[str, str]] | None = None
        self._cell: list[str] | None = None
        self._cell_tag = ""
        self._in_head = False
        self._skip = 0  # inside <style>, <script> or <code>

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "code"):
            self._skip += 1
        elif tag == "table":
            self._flush()
            self.tables.append(_Table())
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell, self._cell_tag = [], tag
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in ("style", "script", "code"):
            self._skip = max(0, self._skip - 1)
        elif tag == "thead":
            self._in_head = False
        elif tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append((self._cell_tag, " ".join("".join(self._cell).split())))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            table = self.tables[-1]
            if self._in_head or (self._row and all(t == "th" for t, _ in self._row) and not table.body_rows):
                table.header_rows.append([text for _, text in self._row])
            else:
                table.body_rows.append(self._row)
            self._row = None
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        if self._skip:
            return
        (self._cell if self._cell is not None else self._text).append(data)

    def _flush(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(text)
        self._text = []

    def close(self):
        super().close()
        self._flush()


def check_html(report: Report, where: str, markup: str) -> None:
    """Headers, index labels and worded cells of each table as labels; loose text as prose."""
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    report.check(where, "\n\n".join(parser.blocks))
    for t, table in enumerate(parser.tables):
        header = table.header_rows[-1] if table.header_rows else []
        for row in table.header_rows:
            for c, text in enumerate(row):
                report.check(f"{where} table {t} header {c}", text, label=True)
        for r, row in enumerate(table.body_rows):
            index = [text for tag, text in row if tag == "th"]
            cells = [text for tag, text in row if tag == "td"]
            for text in index:
                report.check(f"{where} table {t} index label of row {r}", text, label=True)
            names = header[-len(cells) :] if cells and len(header) >= len(cells) else [""] * len(cells)
            for name, text in zip(names, cells):
                if DATA_COLUMNS.search(name) or english_first(name, label=True):
                    continue  # data, or a header already reported
                report.check(f"{where} table {t} row {r} column {name!r}", text, label=True)


# ---------------------------------------------------------------------------------------------
# Notebooks
# ---------------------------------------------------------------------------------------------


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _src(cell: dict) -> str:
    return "".join(cell.get("source", ""))


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_markdown_is_chinese_first(path):
    report = Report()
    for i, cell in enumerate(_nb(path)["cells"]):
        if cell["cell_type"] == "markdown":
            report.check(f"{path.name} cell {i} (markdown)", _src(cell))
    report.assert_clean("markdown sentences")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_tables_are_chinese_first(path):
    """Saved HTML tables: headers, index labels, and cells of worded columns (statuses, warnings…)."""
    report = Report()
    for i, cell in enumerate(_nb(path)["cells"]):
        for o, output in enumerate(cell.get("outputs", [])):
            markup = output.get("data", {}).get("text/html")
            if markup:
                check_html(report, f"{path.name} cell {i} output {o}", _joined(markup))
    report.assert_clean("table labels")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_printed_text_is_chinese_first(path):
    """Printed streams, and results shown as plain text only (not a table's or a widget's fallback)."""
    report = Report()
    for i, cell in enumerate(_nb(path)["cells"]):
        for o, output in enumerate(cell.get("outputs", [])):
            where = f"{path.name} cell {i} output {o}"
            if output["output_type"] == "stream":
                report.check(f"{where} ({output.get('name')})", _joined(output["text"]))
            elif set(output.get("data", {})) == {"text/plain"}:
                report.check(f"{where} (text/plain)", _joined(output["data"]["text/plain"]))
    report.assert_clean("printed sentences")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_parameter_comments_are_chinese_first(path):
    """The comments of the `parameters` cell explain each parameter to a trainer."""
    report = Report()
    for i, cell in enumerate(_nb(path)["cells"]):
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        for tok in tokenize.generate_tokens(io.StringIO(_src(cell)).readline):
            if tok.type == tokenize.COMMENT:
                where = f"{path.name} cell {i} (parameters) line {tok.start[0]}"
                report.check(where, tok.string.lstrip("#").strip())
    report.assert_clean("parameter comments")


# ---------------------------------------------------------------------------------------------
# Live widgets, built as the notebooks build them
# ---------------------------------------------------------------------------------------------


_WIDGET_TEXT_TRAITS = ("description", "placeholder", "tooltip", "description_tooltip")


def _walk(widget, path="root"):
    yield path, widget
    for k, child in enumerate(getattr(widget, "children", ()) or ()):
        yield from _walk(child, f"{path}/{type(child).__name__}[{k}]")


def check_widget(report: Report, where: str, root) -> None:
    import ipywidgets as W

    for path, widget in _walk(root):
        here = f"{where} {path}"
        for trait in _WIDGET_TEXT_TRAITS:
            if widget.has_trait(trait):
                report.check(f"{here} {trait}", getattr(widget, trait), label=True)
        for o, option in enumerate(getattr(widget, "_options_labels", None) or ()):
            report.check(f"{here} option {o}", option, label=True)
        for o, tip in enumerate(getattr(widget, "tooltips", None) or ()):
            report.check(f"{here} tooltip {o}", tip, label=True)
        if isinstance(widget, W.HTML | W.HTMLMath):
            check_html(report, f"{here} value", widget.value)
        elif isinstance(widget, W.Label):
            report.check(f"{here} value", widget.value, label=True)


@pytest.mark.parametrize("name", list(WIDGETS))
def test_live_widgets_are_chinese_first(fresh_demo, name):
    report = Report()
    check_widget(report, name, WIDGETS[name](fresh_demo))
    plt.close("all")
    report.assert_clean("widget texts")


# ---------------------------------------------------------------------------------------------
# Charts, drawn as the notebooks draw them
# ---------------------------------------------------------------------------------------------


def _chart_texts(drawn):
    """(which label, text) of every text a reader sees on the figure of an Axes or a Figure."""
    figure = drawn if isinstance(drawn, matplotlib.figure.Figure) else drawn.figure
    figure.canvas.draw()  # tick labels are only filled in when drawn
    yield "suptitle", figure.get_suptitle()
    for t in figure.texts:
        yield "figure text", t.get_text()
    for legend in figure.legends:
        yield "figure legend title", legend.get_title().get_text()
        yield from (("figure legend", t.get_text()) for t in legend.get_texts())
    for a, ax in enumerate(figure.axes):
        for loc in ("left", "center", "right"):
            yield f"axes {a} title", ax.get_title(loc)
        yield f"axes {a} x label", ax.get_xlabel()
        yield f"axes {a} y label", ax.get_ylabel()
        for t in ax.texts:
            yield f"axes {a} annotation", t.get_text()
        legend = ax.get_legend()
        if legend is not None:
            yield f"axes {a} legend title", legend.get_title().get_text()
            yield from ((f"axes {a} legend", t.get_text()) for t in legend.get_texts())
        for axis, labels in (("x", ax.get_xticklabels()), ("y", ax.get_yticklabels())):
            for t in labels:
                if re.search(r"[A-Za-z]", t.get_text()):
                    yield f"axes {a} {axis} tick label", t.get_text()


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_labels_are_chinese_first(demo_ws, name):
    from cadre_lib.core import plots

    plots.use_theme()
    if plots.cjk_font() is None:
        pytest.skip("no CJK font: charts are English-only by design (test_plots checks the font)")
    report = Report()
    drawn = CHARTS[name](demo_ws)
    try:
        for which, text in _chart_texts(drawn):
            report.check(f"chart {name}: {which}", text, label=True)
    finally:
        plt.close("all")
    report.assert_clean("chart labels")


# ---------------------------------------------------------------------------------------------
# The Excel export
# ---------------------------------------------------------------------------------------------

MAX_TITLE_ROWS = 5


def _texts(row: tuple) -> list:
    return [v for v in row if v is not None and v != ""]


def _header_rows(rows: list[tuple]) -> tuple[int, int]:
    """(first, end) of a sheet's header rows (0-based, end excluded): the first row with 2+ cells,
    all text; and the row under it too when it is all text and none of it Chinese first (the
    English header row under the Chinese one). Rows above are title rows."""
    for n, row in enumerate(rows[: MAX_TITLE_ROWS + 1]):
        filled = _texts(row)
        if len(filled) >= 2 and all(isinstance(v, str) for v in filled):
            below = _texts(rows[n + 1]) if n + 1 < len(rows) else []
            english_row = (
                len(below) >= 2
                and all(isinstance(v, str) for v in below)
                and not any(_Fragment(v).chinese_first for v in below)
            )
            return n, n + 1 + english_row
    return 0, 1


def check_workbook(report: Report, path: Path) -> None:
    """Title rows cell by cell; each column's header read down its header rows ("姓名" over "Name"
    reads "姓名 Name"); the cells of worded columns (statuses, warnings, details) as labels."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    book = openpyxl.load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        report.check(f"{path.name} sheet name {sheet.title!r}", sheet.title, label=True)
        rows = list(sheet.iter_rows(values_only=True))
        first, end = _header_rows(rows)
        for r, row in enumerate(rows[:first], start=1):
            for c, value in enumerate(row, start=1):
                report.check(f"sheet {sheet.title!r} {get_column_letter(c)}{r} (title)", value, label=True)
        width = max((len(row) for row in rows[first:end]), default=0)
        header = [
            "\n".join(str(row[c]) for row in rows[first:end] if c < len(row) and row[c] not in (None, ""))
            for c in range(width)
        ]
        for c, text in enumerate(header, start=1):
            cells = f"{get_column_letter(c)}{first + 1}:{get_column_letter(c)}{end}"
            report.check(f"sheet {sheet.title!r} {cells} (header)", text, label=True)
        for r, row in enumerate(rows[end:], start=end + 1):
            for c, value in enumerate(row, start=1):
                name = header[c - 1] if c - 1 < len(header) else ""
                if DATA_COLUMNS.search(name) or english_first(name, label=True):
                    continue  # data, or a header already reported
                where = f"sheet {sheet.title!r} {get_column_letter(c)}{r} column {name!r}"
                report.check(where, value, label=True)
    book.close()


def _book(tmp_path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "学时 Standing"
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "t.xlsx")
    return tmp_path / "t.xlsx"


@pytest.mark.parametrize(
    "rows",
    [
        [["标题 Title"], ["姓名", "状态"], ["Name", "Status"], ["王军", "在训 Active"]],
        [["姓名 Name", "状态 Status", "学时 Hours"], ["王军", "在训 Active", 3]],
        [["姓名", "签到"], ["Name", "#1"], ["王军", "出勤"]],
    ],
)
def test_workbook_check_reads_chinese_headers_with_english_below(tmp_path, rows):
    report = Report()
    check_workbook(report, _book(tmp_path, rows))
    assert report.found == []


@pytest.mark.parametrize(
    ("rows", "snippet"),
    [
        ([["Name", "Status"], ["姓名", "状态"], ["王军", "在训"]], "Name"),
        ([["姓名 Name", "状态 Status"], ["王军", "Active"]], "Active"),
        ([["Standing 学时"], ["姓名", "状态"], ["Name", "Status"]], "Standing 学时"),
        (
            [["姓名 Name", "说明 Detail"], ["王军", "below the threshold 低于要求"]],
            "below the threshold 低于要求",
        ),
    ],
)
def test_workbook_check_finds_english_first_cells(tmp_path, rows, snippet):
    report = Report()
    check_workbook(report, _book(tmp_path, rows))
    assert snippet in [found for _, found in report.found]


def test_export_headers_and_worded_cells_are_chinese_first(fresh_demo, tmp_path):
    path = _lib("delivery").export_delivery(fresh_demo, COHORT, AS_OF, tmp_path)
    report = Report()
    check_workbook(report, path)
    report.assert_clean(f"cells of {path.name}")


# ---------------------------------------------------------------------------------------------
# The wording of problems and warnings
# ---------------------------------------------------------------------------------------------


def _sample_params(zh: str, en: str) -> dict:
    """A value for each {field} of a wording: a number where either wording formats it as one,
    Chinese words where the Chinese wording uses the field, English words where only the English does."""
    fields = [(name, spec) for t in (zh, en) for _, name, spec, _ in string.Formatter().parse(t) if name]
    in_zh = {name for _, name, _, _ in string.Formatter().parse(zh) if name}
    params: dict[str, object] = {name: "甲乙" if name in in_zh else "sample words" for name, _ in fields}
    for name, spec in fields:
        if spec and spec[-1] in "%fgeE":
            params[name] = 0.75
        elif spec and spec[-1] in "dx":
            params[name] = 3
    return params


def test_every_problem_is_worded_chinese_first():
    from cadre_lib.core.problems import WORDING, Problem, describe

    report = Report()
    for problem, (zh, en) in WORDING.items():
        if problem is Problem.OTHER:
            continue  # passes a store's own sentence through
        message = describe(problem, _sample_params(zh, en))
        report.check(f"Problem.{problem.name} describe()", message, label=True)
        report.check(
            f"Problem.{problem.name} Chinese wording", describe(problem, _sample_params(zh, en), "zh")
        )
        if not _CJK.search(zh):
            report.found.append((f"Problem.{problem.name}", f"no Chinese wording: {zh!r}"))
    report.assert_clean("problem messages")


def test_a_problem_missing_a_parameter_still_reads_chinese_first():
    """describe() without its parameters falls back to a shorter sentence: still Chinese first,
    and no template braces shown to a trainer."""
    from cadre_lib.core.problems import WORDING, Problem, describe

    report = Report()
    for problem in WORDING:
        if problem is Problem.OTHER:
            continue
        where = f"Problem.{problem.name} describe() without parameters"
        if "{" in describe(problem, {}, "zh"):
            report.found.append((where, f"template shown: {describe(problem, {})}"))
        else:
            report.check(where, describe(problem, {}), label=True)
    report.assert_clean("fallback problem messages")


def test_html_messages_of_widgets_are_judged_as_prose():
    """A widget's answer is HTML: its text is judged as a sentence, tags and all."""
    report = Report()
    check_html(report, "ok", '<span style="color:inherit">已保存 3 处。Saved 3 change(s).</span>')
    check_html(report, "bad", '<span style="color:#b00020">Saved 3 change(s). 已保存 3 处。</span>')
    assert [where for where, _ in report.found] == ["bad"]
