"""Excel exports that are safe to open: no cell runs as a formula, national IDs masked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .ids import mask_national_id

__all__ = ["write_xlsx", "FORMULA_START"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_xlsx(path: str | Path, sheets: dict[str, pd.DataFrame], reveal_ids: bool = False) -> Path:
    """Write DataFrames to one workbook, a sheet each.

    Text that Excel would read as a formula (starting with = + - @, tab or carriage return)
    is stored as text, so a name typed as "=HYPERLINK(…)" never runs. Columns named
    national_id are masked unless `reveal_ids` is True.

    >>> # write_xlsx("standing.xlsx", {"Standing": table})
    """
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(str(name)[:31])
        frame = frame.reset_index() if not isinstance(frame.index, pd.RangeIndex) else frame
        columns = [str(c) for c in frame.columns]
        sheet.append(columns)
        for values in frame.itertuples(index=False, name=None):
            row = []
            for column, value in zip(columns, values, strict=True):
                if column == "national_id" and not reveal_ids:
                    value = mask_national_id(value)
                if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
                    value = None
                row.append(value)
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"  # text, never a formula
        sheet.freeze_panes = "A2"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
