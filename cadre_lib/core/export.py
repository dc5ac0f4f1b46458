"""Excel exports that are safe to open: no cell runs as a formula, national IDs masked."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import pandas as pd

from .errors import InvalidEntry
from .ids import mask_national_id, scrub_ids

__all__ = ["write_xlsx", "write_rows", "write_table", "table_bytes", "workbook_bytes", "FORMULA_START"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def _workbook(sheets: dict[str, list[list[object]]], merge_title: bool = False):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(str(name)[:31])
        for number, row in enumerate(rows, start=1):
            # Control characters typed into a cell cannot be stored in .xlsx: they are dropped.
            values = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
            sheet.append(values)
            for column, value in enumerate(values, start=1):
                if isinstance(value, str) and value.startswith(FORMULA_START):
                    sheet.cell(number, column).data_type = "s"  # text, never a formula
        if merge_title and len(rows) > 2:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(r) for r in rows))
    return book


def workbook_bytes(sheets: dict[str, list[list[object]]], merge_title: bool = False) -> bytes:
    """The .xlsx file `write_rows` would write, as bytes (for a download in a widget)."""
    buffer = io.BytesIO()
    _workbook(sheets, merge_title).save(buffer)
    return buffer.getvalue()


def _replace_atomically(path: Path, data: bytes) -> Path:
    """Write `data` to `path` in one step: a reader never sees half a file, a crash leaves the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)  # as an ordinary new file, not mkstemp's private 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_rows(path: str | Path, sheets: dict[str, list[list[object]]], merge_title: bool = False) -> Path:
    """Write rows of cells to one workbook, a sheet each; formula-like text is stored as text.

    With `merge_title`, the first row's cell is merged across the sheet's width (a title row).
    """
    return _replace_atomically(Path(path), workbook_bytes(sheets, merge_title))


def table_bytes(frame: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    """One table as the bytes of an .xlsx file, IDs masked (for a download in a widget)."""
    return workbook_bytes({sheet: _rows(frame, reveal_ids=False)})


def write_table(path: str | Path, frame: pd.DataFrame, sheet: str = "Sheet1") -> Path:
    """Write one table to a new .xlsx or .csv file (UTF-8 with BOM, which Excel opens as such).

    IDs are masked as in `write_xlsx`. Refuses another suffix, and a file that is already there.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InvalidEntry(f"“{path.name}”应以 .xlsx 或 .csv 结尾 name the file .xlsx or .csv")
    if path.exists():
        raise InvalidEntry(f"“{path.name}”已存在 {path.name} already exists; choose a new file name")
    rows = _rows(frame, reveal_ids=False)
    if suffix == ".xlsx":
        return write_rows(path, {sheet: rows})
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows([[_csv_cell(v) for v in r] for r in rows])
    return _replace_atomically(path, text.getvalue().encode("utf-8-sig"))


def _csv_cell(value: object) -> object:
    """A CSV cell Excel will not run: formula-like text gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def write_xlsx(path: str | Path, sheets: dict[str, pd.DataFrame], reveal_ids: bool = False) -> Path:
    """Write DataFrames to one workbook, a sheet each, with a header row.

    Text that Excel would read as a formula (starting with = + - @, tab or carriage return)
    is stored as text, so a name typed as "=HYPERLINK(…)" never runs. Columns named
    national_id are masked, and ID numbers inside other text scrubbed, unless `reveal_ids`.

    >>> # write_xlsx("standing.xlsx", {"Standing": table})
    """
    return write_rows(path, {name: _rows(frame, reveal_ids) for name, frame in sheets.items()})


def _rows(frame: pd.DataFrame, reveal_ids: bool) -> list[list[object]]:
    """A header row and the frame's rows as cells, IDs masked unless `reveal_ids`."""
    frame = frame.reset_index() if not isinstance(frame.index, pd.RangeIndex) else frame
    columns = [str(c) for c in frame.columns]
    rows: list[list[object]] = [columns]
    for values in frame.itertuples(index=False, name=None):
        row = [_cell(v) for v in values]
        if not reveal_ids:
            row = [
                mask_national_id(v) if c == "national_id" else scrub_ids(v) if isinstance(v, str) else v
                for c, v in zip(columns, row, strict=True)
            ]
        rows.append(row)
    return rows
