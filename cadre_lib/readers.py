"""Read .xlsx, .xls and .csv files into rows of cells, keeping the row numbers Excel shows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidEntry

__all__ = ["RawSheet", "read_sheet", "sheet_names", "EXCEL_SUFFIXES"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv",)
# Chinese Excel saves CSV as GBK by default; GB18030 is its superset, so it reads both.
_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class RawSheet:
    """One sheet as typed: rows[i] is the row Excel numbers i + 1."""

    name: str
    rows: list[list[object]]


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in EXCEL_SUFFIXES + CSV_SUFFIXES:
        raise InvalidEntry(f"'{Path(name).name}' is not a spreadsheet: use .xlsx, .xls or .csv")
    return suffix


def _workbook(data: bytes, name: str):
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise InvalidEntry(
            f"'{Path(name).name}' cannot be read as a spreadsheet ({str(exc)[:80]}); "
            "open it in Excel or WPS and save it again"
        ) from None


def sheet_names(data: bytes, name: str) -> list[str]:
    """Names of the sheets in a workbook (a CSV file has one, named after the file)."""
    if _suffix(name) in CSV_SUFFIXES:
        return [Path(name).stem]
    return list(_workbook(data, name).sheet_names)


def _decode(data: bytes, name: str) -> str:
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidEntry(
        f"'{Path(name).name}' is neither UTF-8 nor GBK/GB18030 text; save it from Excel as CSV (UTF-8)"
    )


def read_sheet(data: bytes, name: str, sheet: str | int | None = None) -> RawSheet:
    """Read one sheet: by name, by 1-based position, or the first one.

    Cells keep their types (Excel dates arrive as dates, numbers as numbers); CSV cells are text.
    """
    if not data:
        raise InvalidEntry(f"'{Path(name).name}' is empty")
    if _suffix(name) in CSV_SUFFIXES:
        text = _decode(data, name).replace("\x00", "")
        try:
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise InvalidEntry(f"'{Path(name).name}' is not valid CSV ({exc})") from None
        return RawSheet(Path(name).stem, [list(r) for r in rows])
    book = _workbook(data, name)
    names = list(book.sheet_names)
    if sheet is None or sheet == "":
        chosen = names[0]
    elif isinstance(sheet, int) or str(sheet).isdigit():
        index = int(sheet)
        if not 1 <= index <= len(names):
            raise InvalidEntry(f"the workbook has {len(names)} sheet(s); sheet {index} does not exist")
        chosen = names[index - 1]
    elif sheet in names:
        chosen = str(sheet)
    else:
        raise InvalidEntry(f"no sheet named '{sheet}'; the sheets are: {', '.join(names)}")
    try:
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as exc:
        raise InvalidEntry(
            f"sheet '{chosen}' cannot be read ({str(exc)[:80]}); save the file again"
        ) from None
    return RawSheet(chosen, rows)
