"""Excel exports that are safe to open: no cell runs as a formula, national IDs masked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .ids import mask_national_id, scrub_ids

__all__ = ["write_xlsx", "write_rows", "FORMULA_START"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_rows(path: str | Path, sheets: dict[str, list[list[object]]], merge_title: bool = False) -> Path:
    """Write rows of cells to one workbook, a sheet each; formula-like text is stored as text.

    With `merge_title`, the first row's cell is merged across the sheet's width (a title row).
    """
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(str(name)[:31])
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"  # text, never a formula
        if merge_title and len(rows) > 2:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(r) for r in rows))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


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
    out = {}
    for name, frame in sheets.items():
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
        out[name] = rows
    return write_rows(path, out)
