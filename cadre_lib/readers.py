"""Read .xlsx, .xls and .csv files into rows of cells, keeping the row numbers Excel shows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidEntry

__all__ = ["RawSheet", "read_sheet", "sheet_names", "EXCEL_SUFFIXES", "ENCODINGS"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv",)
# Chinese Excel saves CSV as GBK by default (GB18030 is its superset, so it reads both); files
# from Hong Kong, Macao or Taiwan come as Big5. Almost any bytes decode as GB18030, so a
# decoding is kept only when the importer recognises the header it gives.
ENCODINGS = {"utf-8-sig": "UTF-8", "gb18030": "GB18030 (GBK)", "big5": "Big5"}


@dataclass(frozen=True)
class RawSheet:
    """One sheet as typed: rows[i] is the row Excel numbers i + 1."""

    name: str
    rows: list[list[object]]


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in EXCEL_SUFFIXES + CSV_SUFFIXES:
        raise InvalidEntry(
            f"“{Path(name).name}”不是表格文件，请使用 .xlsx、.xls 或 .csv '{Path(name).name}' is not a spreadsheet: "
            "use .xlsx, .xls or .csv"
        )
    return suffix


def _workbook(data: bytes, name: str):
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise InvalidEntry(
            f"“{Path(name).name}”无法读取 '{Path(name).name}' cannot be read as a spreadsheet ({str(exc)[:80]}); "
            "open it in Excel or WPS and save it again"
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
        raise InvalidEntry(f"“{Path(name).name}”不是有效的CSV文件 is not valid CSV ({exc})") from None


def _read_csv(data: bytes, name: str, recognise: Callable[[list[list[object]]], bool] | None) -> RawSheet:
    """Decode as UTF-8, else GB18030, else Big5: the first whose header the importer recognises."""
    tried = []
    for encoding, shown in ENCODINGS.items():
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            tried.append(shown)
            continue
        rows = _csv_rows(text, name)
        if encoding == "utf-8-sig" or recognise is None or recognise(rows):
            # Text that is valid UTF-8 is UTF-8: other encodings of Chinese almost never are.
            return RawSheet(Path(name).stem, rows)
        tried.append(shown)
    raise InvalidEntry(
        f"无法识别“{Path(name).name}”的文字编码 cannot read '{Path(name).name}': tried "
        f"{', '.join(tried)} and none gives a header row this import knows. "
        "Save it from Excel or WPS as “CSV UTF-8” and import it again"
    )


def read_sheet(
    data: bytes,
    name: str,
    sheet: str | int | None = None,
    recognise: Callable[[list[list[object]]], bool] | None = None,
) -> RawSheet:
    """Read one sheet: by name, by 1-based position, or the first one.

    Cells keep their types (Excel dates arrive as dates, numbers as numbers); CSV cells are text,
    decoded by the first encoding of `ENCODINGS` whose rows `recognise` accepts.
    """
    if not data:
        raise InvalidEntry(f"“{Path(name).name}”是空文件 '{Path(name).name}' is empty")
    if _suffix(name) in CSV_SUFFIXES:
        return _read_csv(data, name, recognise)
    book = _workbook(data, name)
    names = list(book.sheet_names)
    if sheet is None or sheet == "":
        chosen = names[0]
    elif isinstance(sheet, int) or str(sheet).isdigit():
        index = int(sheet)
        if not 1 <= index <= len(names):
            raise InvalidEntry(
                f"工作簿只有{len(names)}个工作表 the workbook has {len(names)} sheet(s); sheet {index} does not exist"
            )
        chosen = names[index - 1]
    elif sheet in names:
        chosen = str(sheet)
    else:
        raise InvalidEntry(
            f"没有名为“{sheet}”的工作表 no sheet named '{sheet}'; the sheets are: {', '.join(names)}"
        )
    try:
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as exc:
        raise InvalidEntry(
            f"工作表“{chosen}”无法读取 sheet '{chosen}' cannot be read ({str(exc)[:80]}); save the file again"
        ) from None
    return RawSheet(chosen, rows)
