"""Excel exports that are safe to open: no cell runs as a formula, national IDs masked."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InvalidEntry
from .ids import mask_national_id, scrub_ids

__all__ = [
    "write_xlsx",
    "write_rows",
    "write_table",
    "table_bytes",
    "workbook_bytes",
    "FORMULA_START",
    "ReportSheet",
    "write_report",
    "report_bytes",
]

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


# Control characters a spreadsheet cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE), and the
# bidirectional overrides that would make a cell show other text than it holds: dropped before ID
# numbers are looked for, so one typed inside an ID number cannot hide it from masking.
_CONTROL = re.compile(r"[\000-\010\013\014\016-\037\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return _CONTROL.sub("", value) if isinstance(value, str) else value


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


# ---------------------------------------------------------------------------------------------
# Print-ready reports: a title, two header rows (中文 over English), numbers formatted, A4 landscape.

_WIDTH_MIN, _WIDTH_MAX = 6, 45  # column widths in Excel's units (about one Latin character each)
_SHEET_NAME_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})  # characters Excel refuses in a name


@dataclass(frozen=True, eq=False)  # eq=False: comparing DataFrames with == has no single answer
class ReportSheet:
    """One sheet of a report: a table, its two-language headers and how its numbers print.

    `frame` holds the values as they should appear: numbers stay numbers (so a trainer can still
    sum them in Excel) and codes are already words; its index is not written (`reset_index()` to
    show it). `headers` is (中文, English) for each column of `frame`, in order. `formats` maps a
    column name to an Excel number format ("0%", "0.0", "#,##0"); without one a float prints with
    one decimal, an int as a whole number, a date as yyyy-mm-dd. `subtitle` is an optional line
    under the title, e.g. the definitions in one sentence.
    """

    frame: pd.DataFrame
    headers: list[tuple[str, str]]
    formats: Mapping[str, str] = field(default_factory=dict)
    subtitle: str | None = None
    title: str | None = None  # this sheet's own title, in place of the report's

    def __post_init__(self) -> None:
        # Checked here, where the mistake is made, rather than as a shifted header in print.
        if len(self.headers) != len(self.frame.columns) or any(len(h) != 2 for h in self.headers):
            raise InvalidEntry(
                f"表头应为每列一对（中文, English），表有 {len(self.frame.columns)} 列、表头 {len(self.headers)} 个 "
                f"headers must be one (中文, English) pair per column"
            )


def _clean_text(text: str, reveal_ids: bool) -> str:
    """Text a cell can hold: control characters dropped first (so they cannot split an ID number
    and hide it from the scrub), then ID numbers masked unless `reveal_ids`."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = _CONTROL.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))
    return text if reveal_ids else scrub_ids(text)


def _missing(value: object) -> bool:
    """None, NA, NaT, NaN, and infinities too: Excel can store none of them as a number."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and not math.isfinite(value)


def _report_value(value: object, column: object, reveal_ids: bool) -> object:
    """A cell as stored: numbers and dates as such, yes/no in words, text cleaned, IDs masked.

    Booleans become 是/否 because TRUE/FALSE is English and means nothing on a printed page;
    datetimes lose their time zone (Excel has none) and, at midnight, their time.
    """
    if str(column).endswith("national_id") and not reveal_ids and not _missing(value):
        value = mask_national_id(value)
    if _missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return "是" if value else "否"
    if isinstance(value, np.integer | np.floating):
        value = value.item()
    if isinstance(value, dt.datetime):
        value = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        value = value.replace(tzinfo=None)
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    return _clean_text(str(value), reveal_ids)


def _number_format(value: object, fmt: str | None) -> str | None:
    """The column's format for a number or date; otherwise one decimal, whole, or yyyy-mm-dd."""
    if isinstance(value, dt.datetime):
        return fmt or "yyyy-mm-dd hh:mm"
    if isinstance(value, dt.date):
        return fmt or "yyyy-mm-dd"
    if isinstance(value, int):
        return fmt or "0"
    if isinstance(value, float | Decimal):
        return fmt or "0.0"
    return None


def _units(text: str) -> int:
    """Printed width of the longest line of `text`: a CJK (wide) character counts as 2."""
    lines = str(text).split("\n") or [""]
    return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines)


def _shown(value: object, fmt: str | None) -> str:
    """Roughly the text Excel shows for a cell under its format, to size the column."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return "2026-11-30 08:30" if isinstance(value, dt.datetime) else "2026-11-30"
    if not isinstance(value, int | float | Decimal):
        return str(value)
    fmt = (fmt or ("0" if isinstance(value, int) else "0.0")).split(";")[0]
    decimals = fmt.split(".", 1)[1].count("0") if "." in fmt else 0
    percent = "%" in fmt
    number = float(value) * (100 if percent else 1)
    return f"{number:{',' if ',' in fmt else ''}.{decimals}f}" + ("%" if percent else "")


def _column_widths(headers: list[tuple[str, str]], rows: list[list[object]], formats: list) -> list[float]:
    """Each column's width from its longest header or cell, between the minimum and the cap."""
    widths = []
    for i, (chinese, english) in enumerate(headers):
        cells = [_units(_shown(row[i], formats[i])) for row in rows]
        longest = max([_units(chinese), _units(english) * 0.85, *cells])  # English header is smaller
        widths.append(min(max(longest + 2, _WIDTH_MIN), _WIDTH_MAX))
    return widths


def _sheet_names(names: list[object], reveal_ids: bool) -> list[str]:
    """Names Excel accepts: at most 31 characters, none of []:*?/\\, no two alike ignoring case."""
    taken: set[str] = set()
    result = []
    for name in names:
        base = _clean_text(str(name), reveal_ids).translate(_SHEET_NAME_BAD).strip("'") or "Sheet"
        base = base + "_" if base.casefold() == "history" else base  # Excel reserves "History"
        candidate, number = base[:31], 1
        while candidate.casefold() in taken:
            number += 1
            candidate = base[: 31 - len(f"~{number}")] + f"~{number}"
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def _put(sheet, row: int, column: int, value: object):
    """Set one cell; formula-like text is stored as text, never run."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
    return cell


def _lines(text: str, width: float, scale: float) -> int:
    """How many printed lines `text` wraps to in a merged cell `width` wide (Excel will not tell)."""
    return sum(max(1, math.ceil(_units(line) * scale / width)) for line in text.split("\n"))


def _write_titles(sheet, title: str, subtitle: str | None, widths: list[float]) -> int:
    """Title, and subtitle if any, each merged across the table; returns the Chinese header's row.

    Row heights are set here because Excel does not grow a merged row to fit wrapped text.
    """
    from openpyxl.styles import Alignment, Font

    span, total = max(len(widths), 1), sum(widths) or _WIDTH_MAX
    lines = [(title, Font(bold=True, size=14), "center", 1.3, 21)]
    if subtitle:
        lines.append((subtitle, Font(size=10), "left", 0.95, 14))
    for row, (text, font, horizontal, scale, points) in enumerate(lines, start=1):
        cell = _put(sheet, row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if span > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        sheet.row_dimensions[row].height = points * _lines(text, total, scale) + 4
    return len(lines) + 1


def _write_headers(sheet, row: int, headers: list[tuple[str, str]]) -> None:
    """Chinese header (bold, shaded) over the English one (small, grey, italic), boxed in thin lines."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    border, fill = (
        Border(left=thin, right=thin, top=thin, bottom=thin),
        PatternFill("solid", fgColor="DDE6F0"),
    )
    align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fonts = (Font(bold=True), Font(size=9, italic=True, color="666666"))
    for column, pair in enumerate(headers, start=1):
        for offset, (text, font) in enumerate(zip(pair, fonts)):
            cell = _put(sheet, row + offset, column, text)
            cell.font, cell.border, cell.alignment = font, border, align
            cell.fill = fill if offset == 0 else PatternFill()


def _write_body(sheet, first: int, rows: list[list[object]], formats: list, widths: list[float]) -> None:
    """Data rows: numbers and dates formatted, text too long for its column wrapped, cells boxed."""
    from openpyxl.styles import Alignment, Border, Side

    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    plain, wrapped = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    # A body has a handful of distinct looks; each is styled once and then copied, as openpyxl's
    # own sheet copy does: styling every cell anew costs seconds a thousand rows.
    looks: dict[tuple[bool, str | None], object] = {}
    for number, row in enumerate(rows, start=first):
        for column, value in enumerate(row, start=1):
            cell = _put(sheet, number, column, value)
            long = widths[column - 1] >= _WIDTH_MAX or (isinstance(value, str) and "\n" in value)
            fmt = _number_format(value, formats[column - 1])
            look = looks.get((long, fmt))
            if look is not None:
                cell._style = copy.copy(look)
                continue
            cell.border = border
            cell.alignment = wrapped if long else plain
            if fmt:
                cell.number_format = fmt
            looks[(long, fmt)] = copy.copy(cell._style)


def _print_setup(sheet, last_header_row: int, widths: list[float]) -> None:
    """On screen the headers stay put; on paper A4 landscape, one page wide, headers on every page."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(last_header_row + 1, 2 if len(widths) > 8 else 1).coordinate
    sheet.print_title_rows = f"1:{last_header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # 0: as many pages tall as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.2, footer=0.25)
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页 Page &P of &N"


def _report_sheet(book, name: str, title: str, spec: ReportSheet, reveal_ids: bool) -> None:
    """One sheet of the report: titles, the two header rows, the data, then the print setup."""
    columns = list(spec.frame.columns)
    formats = [spec.formats.get(c, spec.formats.get(str(c))) for c in columns]
    headers = [
        tuple(_clean_text("" if h is None else str(h), reveal_ids) for h in pair) for pair in spec.headers
    ]
    rows = [
        [_report_value(v, c, reveal_ids) for v, c in zip(values, columns)]
        for values in spec.frame.itertuples(index=False, name=None)
    ]
    widths = _column_widths(headers, rows, formats)
    sheet = book.create_sheet(name)
    subtitle = _clean_text(spec.subtitle, reveal_ids) if spec.subtitle else None
    header_row = _write_titles(sheet, _clean_text(title, reveal_ids), subtitle, widths)
    _write_headers(sheet, header_row, headers)
    _write_body(sheet, header_row + 2, rows, formats, widths)
    _print_setup(sheet, header_row + 1, widths)


def _report_workbook(title: str, sheets: Mapping[str, ReportSheet], reveal_ids: bool):
    from openpyxl import Workbook

    if not sheets:
        raise InvalidEntry("报告里没有表 a report needs at least one sheet")
    book = Workbook()
    book.remove(book.active)
    for name, spec in zip(_sheet_names(list(sheets), reveal_ids), sheets.values()):
        _report_sheet(book, name, str(spec.title or title), spec, reveal_ids)
    return book


def report_bytes(title: str, sheets: Mapping[str, ReportSheet], reveal_ids: bool = False) -> bytes:
    """The workbook `write_report` would write, as bytes (for a download in a widget)."""
    buffer = io.BytesIO()
    _report_workbook(title, sheets, reveal_ids).save(buffer)
    return buffer.getvalue()


def write_report(
    path: str | Path, title: str, sheets: Mapping[str, ReportSheet], reveal_ids: bool = False
) -> Path:
    """Write a report a trainer can print as it is: a sheet per table, each under the same title.

    Every sheet: the title (merged, bold), the optional subtitle, the Chinese header over the
    English one, then the data; headers frozen on screen and repeated on every printed page, A4
    landscape one page wide. Formula-like text is stored as text, national_id columns masked and
    ID numbers in other text scrubbed unless `reveal_ids`. Sheet names are cut to Excel's 31
    characters and made unique. A file already at `path` is replaced in one step.

    >>> # write_report("学时.xlsx", "学时情况 Hours", {"学时 Hours": ReportSheet(table, headers)})
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InvalidEntry(f"“{path.name}”应以 .xlsx 结尾 name the file .xlsx")
    return _replace_atomically(path, report_bytes(title, sheets, reveal_ids))
