"""The import machinery: find the header, normalise every cell, collect every error, then all or nothing."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import gc
import hashlib
import json
import operator
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InvalidEntry
from .fields import Field
from .ids import mask_national_id, scrub_ids, snippet
from .import_report import ImportRejected, ImportReport, RowError
from .normalize import clean_header, clean_text, is_blank
from .problems import Problem
from .readers import RawSheet, read_sheet
from .workspace import Workspace

__all__ = ["ParsedRow", "Importer", "suggest", "Progress", "HEADER_SEARCH_ROWS"]

HEADER_SEARCH_ROWS = 15
_NOTE_ROW = re.compile(r"^(合计|总计|小计|共计|填报人|填表人|审核人|制表|注[:：]|说明[:：])")
_NOTE_FIRST = set("合总小共填审制注说")
_ROW_NUMBER_HEADERS = ("序号", "编号", "no.", "no", "#")
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class ParsedRow:
    """A data row after normalisation: values by field key, plus unknown columns kept as notes."""

    row: int
    values: dict[str, Any]
    extra: dict[str, str] = field(default_factory=dict)
    typed: tuple[object, ...] = ()  # the cells as typed, in the order of `keys` (for error reports)
    keys: tuple[str, ...] = ()

    @property
    def cells(self) -> dict[str, object]:
        """The cells as typed, by field key (made when asked: most rows never are)."""
        return dict(zip(self.keys, self.typed, strict=True))


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


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Hold back Python's cycle collector while a file is imported. An import makes millions of
    small objects (cells, parsed values, planned rows), none of them in cycles, and the collector
    would walk every one of them again each time their number grows: about a third of the time
    of a 100,000-row roster. Objects are still freed as usual; any cycle waits for the next pass."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _is_note_row(first_text: object) -> bool:
    """A total, signature or note row ('合计', '填报人：…', '注：…'), not data."""
    return (
        isinstance(first_text, str)
        and first_text.strip()[:1] in _NOTE_FIRST
        and bool(_NOTE_ROW.match(clean_header(first_text)))
    )


# Cells of these types are never blank, and never a note: a row starting with one is data.
_NEVER_BLANK = {int, bool, dt.date, dt.datetime, dt.time, dt.timedelta}


@dataclass
class _DataRows:
    """The rows of a sheet that hold data: Excel's number of each, and its cells."""

    numbers: list[int] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)

    def column(self, j: int) -> list[object]:
        """The cells of column `j` (None where a row is shorter)."""
        if min(map(len, self.rows), default=0) > j:
            return list(map(operator.itemgetter(j), self.rows))
        return [cells[j] if j < len(cells) else None for cells in self.rows]


def _data_rows(rows: list[list[object]], first: int, report: ImportReport) -> _DataRows:
    """Every row from `first` on that holds data: blank rows are left out, total and note rows
    noted in the report as skipped."""
    out = _DataRows()
    for i in range(first, len(rows)):
        cells = rows[i]
        if not (cells and type(cells[0]) in _NEVER_BLANK):
            first_text = next((c for c in cells if not is_blank(c)), None)
            if first_text is None:
                continue
            if _is_note_row(first_text):
                report.skipped_rows.append(i + 1)
                continue
        out.numbers.append(i + 1)
        out.rows.append(cells)
    return out


def _extras(data: _DataRows, unknown: dict[int, str]) -> list[dict[str, str]]:
    """For every row, the filled cells of the columns no field reads, by header (kept as notes)."""
    extras: list[dict[str, str]] = [{} for _ in data.rows]
    for j, name in unknown.items():
        if not name:
            continue
        for extra, cell in zip(extras, data.column(j), strict=True):
            if not is_blank(cell):
                extra[name] = clean_text(cell)  # type: ignore[assignment]
    return extras


class Importer:
    """Base of every importer: reading, header finding, row parsing, all or nothing.

    Subclasses set `kind` and `fields` (from the registry, `fields.pick`), and implement `resolve`
    (check rows against the workspace and plan the writes) and `write` (carry the plan out
    inside one transaction).
    """

    kind = ""
    fields: tuple[Field, ...] = ()

    def __init__(self, ws: Workspace):
        self.ws = ws
        self._headers: dict[str, str] = {}  # field key -> the header as the file writes it, once parsed

    # -- the header ----------------------------------------------------------------------
    def _find_header(self, rows: list[list[object]]) -> tuple[int, dict[int, Field], dict[int, str]] | None:
        """The row among the first few that names most known columns (two at least), or None."""
        by_header = {h: f for f in self.fields for h in f.headers}
        best: tuple[int, int, dict[int, Field], dict[int, str]] | None = None
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            known: dict[int, Field] = {}
            unknown: dict[int, str] = {}
            for j, cell in enumerate(row):
                key = clean_header(cell)
                f = by_header.get(key)
                if f is not None and f not in known.values():
                    known[j] = f
                elif key and key not in _ROW_NUMBER_HEADERS:
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
            raise InvalidEntry(Problem.NO_HEADER, rows=HEADER_SEARCH_ROWS, names=names)
        i, known, unknown = found
        missing = [f for f in self.fields if f.required and f not in known.values()]
        if missing:
            raise InvalidEntry(
                Problem.MISSING_COLUMNS,
                columns="、".join(f.zh for f in missing),
                columns_en=", ".join(f"{f.zh} ({f.en})" for f in missing),
            )
        return i, known, unknown

    # -- the rows ------------------------------------------------------------------------
    def parse(self, sheet: RawSheet, report: ImportReport) -> list[ParsedRow]:
        """Normalise every data row; append an error for every bad cell; skip blank and total rows."""
        head, known, unknown = self._header(sheet)
        report.unknown_columns = [h for h in unknown.values() if h]
        self._headers = {f.key: clean_text(sheet.rows[head][j]) or f.zh for j, f in known.items()}
        first = head + 1
        # A second header line (the English names under the Chinese ones) is not data.
        by_header = {h for f in self.fields for h in f.headers}
        while first < len(sheet.rows) and sum(clean_header(c) in by_header for c in sheet.rows[first]) >= 2:
            first += 1
        data = _data_rows(sheet.rows, first, report)
        cells = {f.key: data.column(j) for j, f in known.items()}
        values: dict[str, list[Any]] = {}
        failed: list[tuple[int, int, RowError]] = []  # (row, column, error), put in order below
        for order, f in enumerate(known.values()):
            values[f.key], refused = f.parse_column(cells[f.key])
            failed += self._refusals(sheet.name, data, f, cells[f.key], values[f.key], refused, order)
        report.errors += [e for _, _, e in sorted(failed, key=lambda x: x[:2])]
        keys = tuple(values)
        return [
            ParsedRow(row_no, dict(zip(keys, parsed, strict=True)), extra, typed, keys)
            for row_no, parsed, typed, extra in zip(
                data.numbers,
                zip(*values.values(), strict=True),
                zip(*cells.values(), strict=True),
                _extras(data, unknown),
                strict=True,
            )
        ]

    def _refusals(
        self, sheet, data, f: Field, typed, column, refused, order
    ) -> list[tuple[int, int, RowError]]:
        """The errors of one parsed column: every refused cell (then left blank), and every
        blank cell of a required column."""
        header = self._headers[f.key]
        out = []
        for n in refused:
            shown = self._shown(f.key, typed[n])
            out.append((n, order, _row_error(sheet, data.numbers[n], header, shown, column[n])))
            column[n] = None
        if f.required and None in column:
            refused = set(refused)
            required = {"zh": f.zh, "en": f.en}
            out += [
                (n, order, RowError(sheet, data.numbers[n], header, None, Problem.REQUIRED, required))
                for n, v in enumerate(column)
                if v is None and n not in refused
            ]
        return out

    @staticmethod
    def _shown(key: str, cell: object) -> str | None:
        text = clean_text(cell)
        if text is None:
            return None
        return (mask_national_id(text) or "")[:60] if key == "national_id" else snippet(text, 60)

    def error(
        self, report: ImportReport, parsed: ParsedRow, key: str, problem: Problem | InvalidEntry, /, **params
    ) -> None:
        """Report a problem with one cell (a code and its parameters, or a refusal), showing the
        value as it was typed."""
        shown = self._shown(key, parsed.cells.get(key))
        if isinstance(problem, InvalidEntry):
            report.errors.append(_row_error(report.sheet, parsed.row, self.header_of(key), shown, problem))
        else:
            report.errors.append(
                RowError(report.sheet, parsed.row, self.header_of(key), shown, problem, params)
            )

    def header_of(self, key: str) -> str:
        """The column's header as the file writes it (for error reports)."""
        return self._headers.get(key) or next(f.zh for f in self.fields if f.key == key)

    # -- the whole run ------------------------------------------------------------------
    @_cycle_collector_paused()
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
        data, name = self._bytes(source, name)
        report = ImportReport(self.kind, Path(name).name, hashlib.sha256(data).hexdigest(), dry_run=dry_run)
        try:
            raw = read_sheet(data, name, sheet, score=self._header_score)
            report.encoding, report.sheet = raw.encoding, raw.name
            rows = self.parse(raw, report)
            if not rows and not report.errors:
                raise InvalidEntry(Problem.NO_DATA, sheet=raw.name)
            self.report = report  # write() says there what it replaced that the check did not see
            self.resolve(rows, report, **options)
        except InvalidEntry as exc:
            report.errors.append(_row_error(report.sheet, None, None, None, exc))
        if report.errors:
            report.errors.sort(key=lambda e: (e.row or 0, e.column or ""))
            report.imported = report.updated = report.unchanged = 0  # nothing is imported
            raise ImportRejected(report)
        if not dry_run:
            with self.ws.transaction() as tx:
                self.write(tx, progress)
                tx.log("import", self.kind, report.file_hash[:16], _import_record(report))
        return report

    def _bytes(self, source: str | Path | bytes, name: str | None) -> tuple[bytes, str]:
        if isinstance(source, bytes):
            return source, name or "upload.xlsx"
        path = Path(source)
        try:
            return path.read_bytes(), name or path.name
        except OSError as exc:
            report = ImportReport(self.kind, path.name, "")
            report.errors.append(
                RowError("", None, None, None, Problem.FILE_UNREADABLE, {"reason": exc.strerror})
            )
            raise ImportRejected(report) from None

    def resolve(self, rows: list[ParsedRow], report: ImportReport, **options: Any) -> None:
        raise NotImplementedError

    def write(self, tx, progress: Progress | None) -> None:
        raise NotImplementedError

    # -- helpers for subclasses ---------------------------------------------------------
    @staticmethod
    def lookup(
        value: str, table: dict[str, int], hint_names: list[str], problem: Problem, /, **params
    ) -> int:
        """Find a name or code in a {normalised name: id} table, or raise `problem` with the
        closest known name."""
        key = _header_key(value)
        if key in table:
            return table[key]
        raise InvalidEntry(problem, value=value, suggestion=suggest(value, hint_names), **params)


def _row_error(
    sheet: str, row: int | None, column: str | None, value: str | None, exc: InvalidEntry
) -> RowError:
    """A refusal as a problem of the file: its code and parameters, or its words as they are."""
    if exc.problem is not None:
        return RowError(sheet, row, column, value, exc.problem, exc.params)
    return RowError(sheet, row, column, value, Problem.OTHER, {"text": str(exc)})


def _import_record(report: ImportReport) -> str:
    """The audit log's entry for an import: the file (masked name), its hash and its counts."""
    return json.dumps(
        {
            "file": scrub_ids(report.file_name),
            "sheet": scrub_ids(report.sheet),
            "sha256": report.file_hash,
            "imported": report.imported,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
        ensure_ascii=False,
    )
