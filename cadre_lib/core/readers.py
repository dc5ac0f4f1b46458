"""Read .xlsx, .xls and .csv files into rows of cells, keeping the row numbers Excel shows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidEntry
from .ids import snippet
from .problems import Problem

__all__ = ["RawSheet", "read_sheet", "sheet_names", "EXCEL_SUFFIXES", "ENCODINGS"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv",)
# Chinese Excel saves CSV as GBK by default (GB18030 is its superset, so it reads both); files
# from Hong Kong, Macao or Taiwan come as Big5; "Unicode text" is UTF-16 with a byte-order mark.
# Almost any bytes decode as GB18030, so GB18030 and Big5 are weighed by how much of the header
# each makes readable, and neither is kept when the importer recognises no header at all.
ENCODINGS = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "gb18030": "GB18030 (GBK)", "big5": "Big5"}
Score = Callable[[list[list[object]]], int]


@dataclass(frozen=True)
class RawSheet:
    """One sheet as typed: rows[i] is the row Excel numbers i + 1."""

    name: str
    rows: list[list[object]]
    encoding: str | None = None  # how a CSV file's bytes were read, as ENCODINGS shows it


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in EXCEL_SUFFIXES + CSV_SUFFIXES:
        raise InvalidEntry(Problem.NOT_A_SPREADSHEET, name=Path(name).name)
    return suffix


def _workbook(data: bytes, name: str):
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise InvalidEntry(
            Problem.BROKEN_SPREADSHEET, name=Path(name).name, detail=snippet(exc, 80)
        ) from None


def sheet_names(data: bytes, name: str) -> list[str]:
    """Names of the sheets in a workbook (a CSV file has one, named after the file)."""
    if _suffix(name) in CSV_SUFFIXES:
        return [Path(name).stem]
    return list(_workbook(data, name).sheet_names)


def _csv_rows(text: str, name: str) -> list[list[object]]:
    try:
        return [list(r) for r in csv.reader(io.StringIO(text.replace("\x00", ""), newline=""))]
    except csv.Error as exc:
        raise InvalidEntry(Problem.BAD_CSV, name=Path(name).name, detail=str(exc)) from None


def _read_csv(data: bytes, name: str, score: Score | None) -> RawSheet:
    """Decode as UTF-8 (or UTF-16 with its byte-order mark); else as GB18030 or Big5, whichever
    makes more of the header readable to the importer (`score`); else refuse, naming them."""
    stem = Path(name).stem
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return RawSheet(stem, _csv_rows(data.decode("utf-16"), name), ENCODINGS["utf-16"])
        except UnicodeDecodeError:
            pass
    try:  # text that is valid UTF-8 is UTF-8: other encodings of Chinese almost never are
        return RawSheet(stem, _csv_rows(data.decode("utf-8-sig"), name), ENCODINGS["utf-8-sig"])
    except UnicodeDecodeError:
        pass
    best: tuple[int, RawSheet] | None = None
    for encoding in ("gb18030", "big5"):
        try:
            sheet = RawSheet(stem, _csv_rows(data.decode(encoding), name), ENCODINGS[encoding])
        except UnicodeDecodeError:
            continue
        points = 1 if score is None else score(sheet.rows)
        if points > 0 and (best is None or points > best[0]):
            best = (points, sheet)
    if best is None:
        raise InvalidEntry(
            Problem.UNKNOWN_ENCODING, name=Path(name).name, tried=", ".join(ENCODINGS.values())
        )
    return best[1]


def read_sheet(
    data: bytes,
    name: str,
    sheet: str | int | None = None,
    score: Score | None = None,
) -> RawSheet:
    """Read one sheet: by name, by 1-based position, or the first one.

    Cells keep their types (Excel dates arrive as dates, numbers as numbers); CSV cells are text,
    decoded as `_read_csv` says, with `score` telling how much of the header a decoding makes
    readable (the importer's known header cells; 0 when it finds no header).
    """
    if not data:
        raise InvalidEntry(Problem.FILE_EMPTY, name=Path(name).name)
    if _suffix(name) in CSV_SUFFIXES:
        return _read_csv(data, name, score)
    book = _workbook(data, name)
    names = list(book.sheet_names)
    if sheet is None or sheet == "":
        chosen = names[0]
    elif isinstance(sheet, int) or str(sheet).isdigit():
        index = int(sheet)
        if not 1 <= index <= len(names):
            raise InvalidEntry(Problem.SHEET_NUMBER, count=len(names), index=index)
        chosen = names[index - 1]
    elif sheet in names:
        chosen = str(sheet)
    else:
        raise InvalidEntry(Problem.NO_SUCH_SHEET, sheet=sheet, sheets=", ".join(names))
    try:
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as exc:
        raise InvalidEntry(Problem.BROKEN_SHEET, sheet=chosen, detail=snippet(exc, 80)) from None
    return RawSheet(chosen, rows)
