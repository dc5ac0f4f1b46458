"""The import machinery: find the header, normalise every cell, collect every error, then all or nothing."""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CadreError, InvalidEntry
from .ids import mask_national_id, scrub_ids
from .normalize import clean_header, clean_text, is_blank
from .readers import RawSheet, read_sheet
from .store import Workspace

__all__ = [
    "Field",
    "RowError",
    "ImportReport",
    "ImportRejected",
    "ParsedRow",
    "Importer",
    "suggest",
    "SHOWN_ERRORS",
]

HEADER_SEARCH_ROWS = 15
SHOWN_ERRORS = 20  # problems printed or drawn; the full list goes to a file the user names
_NOTE_ROW = re.compile(r"^(合计|总计|小计|共计|填报人|填表人|审核人|制表|注[:：]|说明[:：])")
_NOTE_FIRST = set("合总小共填审制注说")
Progress = Callable[[int, int], None]
ERROR_COLUMNS = {
    "sheet": "工作表 Sheet",
    "row": "行 Row",
    "column": "列 Column",
    "value": "内容 Value",
    "reason": "问题及处理 Problem and what to do",
}


@dataclass(frozen=True)
class Field:
    """One column an importer understands: its key, how it may be headed, and how to parse it."""

    key: str
    zh: str
    en: str
    synonyms: tuple[str, ...]
    parse: Callable[[object], Any]
    required: bool = False

    @property
    def headers(self) -> set[str]:
        return {clean_header(h) for h in (self.zh, self.en, *self.synonyms)}


@dataclass(frozen=True)
class RowError:
    """One problem: where it is (as Excel shows it), the value (IDs masked), why, and what to do."""

    sheet: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __post_init__(self) -> None:
        # Whatever a cell held, a problem report never carries an ID number in clear.
        object.__setattr__(self, "value", scrub_ids(self.value))
        object.__setattr__(self, "reason", scrub_ids(self.reason))

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass
class ParsedRow:
    """A data row after normalisation: values by field key, plus unknown columns kept as notes."""

    row: int
    values: dict[str, Any]
    extra: dict[str, str] = field(default_factory=dict)
    cells: dict[str, object] = field(default_factory=dict)  # as typed, for error reports


@dataclass
class ImportReport:
    """What an import found and did (or, on a dry run, would do)."""

    kind: str
    file_name: str
    file_hash: str
    sheet: str = ""
    encoding: str | None = None  # how a CSV file was read; None for a workbook
    dry_run: bool = True
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_rows: list[int] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    plan: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self, limit: int | None = SHOWN_ERRORS) -> dict[str, Any]:
        """The machine-readable summary printed by `cadre import … --format json`.

        `errors` holds the first `limit` problems (all with None); `error_count` is the total.
        """
        return {
            "file": scrub_ids(self.file_name),
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "sheet": scrub_ids(self.sheet),
            "unknown_columns": [scrub_ids(c) for c in self.unknown_columns],
            "error_count": len(self.errors),
            "errors": [e.as_dict() for e in self.errors[:limit]],
        }

    def errors_frame(self, limit: int | None = None):
        """The errors (the first `limit`, or all) as a table a trainer reads, headed in both languages."""
        import pandas as pd

        shown = self.errors[:limit]
        frame = pd.DataFrame([e.as_dict() for e in shown], columns=list(ERROR_COLUMNS))
        frame[["column", "value"]] = frame[["column", "value"]].fillna("")
        return frame.astype({"row": "Int64"}).rename(columns=ERROR_COLUMNS)

    def write_errors(self, path: str | Path) -> Path:
        """Write every problem to `path` (.xlsx, or .csv in UTF-8 that Excel opens), to hand back
        with the file. Refuses to replace a file that is already there."""
        from .export import write_table

        return write_table(path, self.errors_frame(), sheet="问题清单 Problems")

    def errors_workbook(self) -> bytes:
        """Every problem as the bytes of an .xlsx file (the import widget's download)."""
        from .export import table_bytes

        return table_bytes(self.errors_frame(), sheet="问题清单 Problems")

    def preview(self):
        """The rows that would be (or were) written, with what happens to each (IDs masked)."""
        import pandas as pd

        from .ids import mask_frame

        return mask_frame(pd.DataFrame(self.plan))

    def summary(self) -> str:
        """One line in plain words, Chinese first."""
        name = scrub_ids(self.file_name)
        verb = "would import" if self.dry_run else "imported"
        if self.errors:
            garbled = self.encoding not in (None, "UTF-8", "UTF-16")  # read by a guess among encodings
            return (
                f"{name}：发现 {len(self.errors)} 个问题，未导入任何数据，请改正后重新导入。"
                + (f"（按 {self.encoding} 编码读取，如内容乱码请另存为“CSV UTF-8”）" if garbled else "")
                + f" {len(self.errors)} problem(s) found; nothing "
                f"{'can be' if self.dry_run else 'was'} imported. Fix them in the file and import it again."
                + (
                    f" (Read as {self.encoding} text: if names look garbled, save it as CSV UTF-8.)"
                    if garbled
                    else ""
                )
            )
        extra = (
            f"; columns kept in notes: {', '.join(scrub_ids(c) for c in self.unknown_columns)}"
            if self.unknown_columns
            else ""
        )
        zh = "将" if self.dry_run else "已"
        return (
            f"{name}：{zh}新增 {self.imported}、{zh}更新 {self.updated}、不变 {self.unchanged}。 "
            f"{verb} {self.imported} new, {'would update' if self.dry_run else 'updated'} "
            f"{self.updated}, {self.unchanged} unchanged{extra}."
        )


class ImportRejected(CadreError):
    """Nothing was imported; `report.errors` lists every problem with its row and column."""

    def __init__(self, report: ImportReport):
        super().__init__(report.summary())
        self.report = report


@functools.lru_cache(maxsize=65536)
def _header_key(value: str) -> str:
    """clean_header, remembered: a roster names the same few counties thousands of times."""
    return clean_header(value)


def suggest(value: str, known: list[str]) -> str:
    """' Did you mean X?' for the closest known name, or '' when nothing is close.

    >>> suggest("东川县", ["东川区", "西岭县"])
    " Did you mean '东川区'?"
    """
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
    return f" Did you mean '{close[0]}'?" if close else ""


class Importer:
    """Base of the roster and session importers: reading, header finding, row parsing.

    Subclasses set `kind` and `fields`, and implement `resolve` (check rows against the
    workspace and plan the writes) and `write` (carry the plan out inside one transaction).
    """

    kind = ""
    fields: tuple[Field, ...] = ()

    def __init__(self, ws: Workspace):
        self.ws = ws
        self._headers: dict[str, str] = {}  # field key -> the header as the file writes it, once parsed

    # -- reading and parsing -------------------------------------------------------------
    def _find_header(self, rows: list[list[object]]) -> tuple[int, dict[int, Field], dict[int, str]] | None:
        """The row among the first few that names most known columns (two at least), or None."""
        by_header = {h: f for f in self.fields for h in f.headers}
        best: tuple[int, int, dict[int, Field], dict[int, str]] | None = None
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            known: dict[int, Field] = {}
            unknown: dict[int, str] = {}
            for j, cell in enumerate(row):
                key = clean_header(cell)
                if not key:
                    continue
                f = by_header.get(key)
                if f is not None and f not in known.values():
                    known[j] = f
                elif key not in ("序号", "编号", "no.", "no", "#"):
                    unknown[j] = clean_text(cell) or ""
            if len(known) >= 2 and (best is None or len(known) > best[1]):
                best = (i, len(known), known, unknown)
        return None if best is None else (best[0], best[2], best[3])

    def _header_score(self, rows: list[list[object]]) -> int:
        """How many known header cells the first rows hold, counting rows that name two or more
        (0 when there is no header): how readable one decoding of a text file is."""
        by_header = {h for f in self.fields for h in f.headers}
        counts = (sum(clean_header(c) in by_header for c in row) for row in rows[:HEADER_SEARCH_ROWS])
        return sum(n for n in counts if n >= 2)

    def _header(self, sheet: RawSheet) -> tuple[int, dict[int, Field], dict[int, str]]:
        found = self._find_header(sheet.rows)
        if found is None:
            names = "、".join(f.zh for f in self.fields if f.required)
            raise InvalidEntry(
                f"前{HEADER_SEARCH_ROWS}行中没有表头 no header row found in the first {HEADER_SEARCH_ROWS} rows; "
                f"the header must name columns such as {names}"
            )
        i, known, unknown = found
        missing = [f for f in self.fields if f.required and f not in known.values()]
        if missing:
            raise InvalidEntry(
                "表头缺少列 the header has no column for " + ", ".join(f"{f.zh} ({f.en})" for f in missing)
            )
        return i, known, unknown

    def parse(self, sheet: RawSheet, report: ImportReport) -> list[ParsedRow]:
        """Normalise every data row; append an error for every bad cell; skip blank and total rows."""
        head, known, unknown = self._header(sheet)
        report.unknown_columns = [h for h in unknown.values() if h]
        self._headers = {f.key: clean_text(sheet.rows[head][j]) or f.zh for j, f in known.items()}
        out: list[ParsedRow] = []
        first = head + 1
        # A second header line (the English names under the Chinese ones) is not data.
        by_header = {h for f in self.fields for h in f.headers}
        while first < len(sheet.rows) and sum(clean_header(c) in by_header for c in sheet.rows[first]) >= 2:
            first += 1
        # Most columns repeat a few values (性别, 县, 职务, months of birth): parse each value once.
        memo: dict[str, dict] = {f.key: {} for f in known.values()}
        for i in range(first, len(sheet.rows)):
            cells = sheet.rows[i]
            row_no = i + 1
            first_text = next((c for c in cells if not is_blank(c)), None)
            if first_text is None:
                continue
            if (
                isinstance(first_text, str)
                and first_text.strip()[:1] in _NOTE_FIRST
                and _NOTE_ROW.match(clean_header(first_text))
            ):
                report.skipped_rows.append(row_no)
                continue
            values: dict[str, Any] = {}
            typed: dict[str, object] = {}
            for j, f in known.items():
                cell = typed[f.key] = cells[j] if j < len(cells) else None
                try:
                    values[f.key] = self._parse_cached(f, cell, memo[f.key])
                except InvalidEntry as exc:
                    report.errors.append(
                        RowError(sheet.name, row_no, self._headers[f.key], self._shown(f.key, cell), str(exc))
                    )
                    values[f.key] = None
                    continue
                if f.required and values[f.key] is None:
                    report.errors.append(
                        RowError(
                            sheet.name,
                            row_no,
                            self._headers[f.key],
                            None,
                            f"{f.zh}为必填项 {f.zh} ({f.en}) is required; fill it in",
                        )
                    )
            extra = {
                unknown[j]: clean_text(cells[j])
                for j in unknown
                if j < len(cells) and unknown[j] and not is_blank(cells[j])
            }
            out.append(ParsedRow(row_no, values, extra, typed))  # type: ignore[arg-type]
        return out

    @staticmethod
    def _parse_cached(f: Field, cell: object, memo: dict) -> Any:
        try:
            key = (type(cell), cell)
            hit = memo.get(key)
        except TypeError:  # an unhashable cell: parse it every time
            return f.parse(cell)
        if hit is None:
            try:
                hit = memo[key] = (True, f.parse(cell))
            except InvalidEntry as exc:
                hit = memo[key] = (False, exc)
        if hit[0]:
            return hit[1]
        raise hit[1]

    @staticmethod
    def _shown(key: str, cell: object) -> str | None:
        text = clean_text(cell)
        if text is None:
            return None
        text = text[:60]
        return mask_national_id(text) if key == "national_id" else scrub_ids(text)

    def error(self, report: ImportReport, row: ParsedRow, key: str, reason: str) -> None:
        """Report a problem with one cell, showing the value as it was typed."""
        report.errors.append(
            RowError(report.sheet, row.row, self.header_of(key), self._shown(key, row.cells.get(key)), reason)
        )

    def header_of(self, key: str) -> str:
        """The column's header as the file writes it (for error reports)."""
        return self._headers.get(key) or next(f.zh for f in self.fields if f.key == key)

    # -- the whole run ------------------------------------------------------------------
    def run(
        self,
        source: str | Path | bytes,
        name: str | None = None,
        *,
        sheet: str | int | None = None,
        dry_run: bool = False,
        progress: Progress | None = None,
        **options: Any,
    ) -> ImportReport:
        """Plan the import and, unless `dry_run` or anything is wrong, write it in one transaction.

        Raises ImportRejected (carrying the report with every error) when anything is wrong;
        the workspace is then exactly as it was.
        """
        if isinstance(source, bytes):
            data, name = source, name or "upload.xlsx"
        else:
            path = Path(source)
            try:
                data = path.read_bytes()
            except OSError as exc:
                report = ImportReport(self.kind, path.name, "")
                report.errors.append(
                    RowError("", None, None, None, f"无法读取文件 cannot read the file: {exc.strerror}")
                )
                raise ImportRejected(report) from None
            name = name or path.name
        report = ImportReport(self.kind, Path(name).name, hashlib.sha256(data).hexdigest(), dry_run=dry_run)
        try:
            raw = read_sheet(data, name, sheet, score=self._header_score)
            report.encoding = raw.encoding
            report.sheet = raw.name
            rows = self.parse(raw, report)
            if not rows and not report.errors:
                raise InvalidEntry(
                    f"工作表“{raw.name}”表头下没有数据 sheet '{raw.name}' has no data rows below its header; is it the right sheet?"
                )
            self.resolve(rows, report, **options)
        except InvalidEntry as exc:
            report.errors.append(RowError(report.sheet, None, None, None, str(exc)))
        if report.errors:
            report.errors.sort(key=lambda e: (e.row or 0, e.column or ""))
            report.imported = report.updated = report.unchanged = 0  # nothing is imported
            raise ImportRejected(report)
        if not dry_run:
            with self.ws.transaction() as tx:
                self.write(tx, progress)
                tx.log(
                    "import",
                    self.kind,
                    report.file_hash[:16],
                    json.dumps(
                        {
                            "file": scrub_ids(report.file_name),
                            "sheet": scrub_ids(report.sheet),
                            "sha256": report.file_hash,
                            "imported": report.imported,
                            "updated": report.updated,
                            "unchanged": report.unchanged,
                        },
                        ensure_ascii=False,
                    ),
                )
        return report

    def resolve(self, rows: list[ParsedRow], report: ImportReport, **options: Any) -> None:
        raise NotImplementedError

    def write(self, tx, progress: Progress | None) -> None:
        raise NotImplementedError

    # -- helpers for subclasses ---------------------------------------------------------
    @staticmethod
    def lookup(value: str, table: dict[str, int], what: str, hint_names: list[str]) -> int:
        """Find a name or code in a {normalised name: id} table, or raise with the closest match."""
        key = _header_key(value)
        if key in table:
            return table[key]
        raise InvalidEntry(
            f"工作区中没有“{value}” {what} '{value}' is not in the workspace.{suggest(value, hint_names)}"
            " Use a name the workspace knows, or add it first"
        )
