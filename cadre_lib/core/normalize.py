"""Normalisers for values typed by hand: full-width characters, padded names, date spellings."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Sequence

from .errors import InvalidEntry
from .ids import snippet, strip_controls, validate_national_id, validate_national_ids
from .problems import Problem

__all__ = [
    "clean_text",
    "clean_prose",
    "clean_header",
    "to_simplified",
    "clean_name",
    "parse_date",
    "parse_sex",
    "parse_number",
    "parse_national_id",
    "parse_national_ids",
    "plain_texts",
    "is_blank",
]

_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00"  # NUL: PostgreSQL stores no text holding it
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))
_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff·•]")


def is_blank(value: object) -> bool:
    """True for None, NaN, and strings that are empty once spaces (any width) are removed."""
    if value is None:
        return True
    if type(value) is str:
        text = value.strip()
        # Most cells are not blank and start with a visible character: decided without a copy.
        return not text or (text[0] in _INVISIBLE_CHARS and not text.translate(_INVISIBLE).strip())
    return isinstance(value, float) and math.isnan(value)


def clean_text(value: object) -> str | None:
    """Full-width to half-width (NFKC), invisible characters removed, spaces collapsed.

    >>> clean_text("  ＡＢ１２　 3 ")
    'AB12 3'
    """
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 13800000000.0 read from a number cell is 13800000000
    text = value if type(value) is str else str(value)
    if not text.isascii():  # full-width forms and invisible characters are never ASCII, but NUL
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        text = text.translate(_INVISIBLE)
    elif "\x00" in text:
        text = text.replace("\x00", "")
    return " ".join(text.split()) or None


def storable(text: str) -> bool:
    r"""Whether both engines store `text` as it is: PostgreSQL refuses NUL, and neither driver
    encodes half a surrogate pair (a browser can send one).

    >>> storable("王伟"), storable("a\x00b"), storable("\ud800")
    (True, False, False)
    """
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def plain_texts(cells: Sequence[object]) -> list[str | None]:
    """Each cell that is text `clean_text` leaves as it is (no spaces, no invisible or full-width
    characters), None for any other cell: a whole column read at once where it can be.

    >>> plain_texts(["王伟", "王 伟", "ＡＢ", 12, "13900001111"])
    ['王伟', None, None, None, '13900001111']
    """
    # Every whitespace and invisible character but the ASCII space is unprintable.
    return [
        c if type(c) is str and c and " " not in c and c.isprintable() and (c.isascii() or _nfkc(c)) else None
        for c in cells
    ]


def _nfkc(text: str) -> bool:
    return unicodedata.is_normalized("NFKC", text)


def clean_prose(value: object) -> str | None:
    """Free text as written (Chinese punctuation kept, unlike `clean_text`): invisible characters
    removed, runs of spaces and line breaks made one space, ends trimmed.

    >>> clean_prose("  深入一线，   群众认可度高 ")
    '深入一线， 群众认可度高'
    """
    if is_blank(value):
        return None
    text = value if type(value) is str else str(value)
    return " ".join(text.translate(_INVISIBLE).split()) or None


# Traditional forms of the characters in the headers and words the importers know, so that a
# sheet typed in traditional characters (Big5 files from Hong Kong, Macao or Taiwan) is read.
_T2S = str.maketrans(
    "專鄉況別務區歷縣號備學時曠機點現電碼稱簽職聯訓講證話說請課遲鎮間項題討論觀場註係繫書記長辦處級黨委",
    "专乡况别务区历县号备学时旷机点现电码称签职联训讲证话说请课迟镇间项题讨论观场注系系书记长办处级党委",
)


def to_simplified(text: str) -> str:
    """Traditional forms of the importers' words in simplified characters (nothing else changes).

    >>> to_simplified("身份證號")
    '身份证号'
    """
    return text.translate(_T2S)


def clean_header(value: object) -> str:
    """A header as a comparable key: half-width, simplified, no spaces, lower-case.

    >>> clean_header("县（区）"), clean_header(" 姓 名 "), clean_header("Name"), clean_header("縣（區）")
    ('县(区)', '姓名', 'name', '县(区)')
    """
    if type(value) is str and value.isprintable() and (value.isascii() or _nfkc(value)):
        return to_simplified(value.replace(" ", "").lower())  # what cleaning it first would give
    return to_simplified("".join((clean_text(value) or "").split()).lower())


# Besides letters of any script and their marks: the space, the middle dots of minority names
# (阿依古丽·买买提) and what Latin names use (O'Neil, Jean-Luc, St. John).
_NAME_MARKS = frozenset(" ·•.-'’")


def clean_name(value: object) -> str | None:
    """A person's name: Chinese names lose padding spaces (王　伟 is 王伟); others keep single spaces.
    A name is at most 30 letters (any script), spaces and the middle dot: markup, digits (an ID
    number typed in the wrong column), control characters or symbols are refused. The roster
    import, `people.add_person` and every form read a name through this one check.

    >>> clean_name("王　伟"), clean_name(" Li  Wei "), clean_name("阿依古丽·买买提")
    ('王伟', 'Li Wei', '阿依古丽·买买提')
    """
    if isinstance(value, str) and strip_controls(value) != value:  # ESC, U+202E …: never in a name
        raise InvalidEntry(Problem.NAME, field="name")
    text = clean_text(value)
    if text is None:
        return None
    if _CJK.search(text):
        text = text.replace(" ", "")
    if len(text) > 30 or not all(ch in _NAME_MARKS or unicodedata.category(ch)[0] in "LM" for ch in text):
        raise InvalidEntry(Problem.NAME, field="name")
    return text


def _ymd(year: int, month: int, day: int | None) -> tuple[dt.date, bool]:
    if not 1900 <= year <= 2100:
        raise InvalidEntry(Problem.YEAR, year=year)
    if not 1 <= month <= 12:
        raise InvalidEntry(Problem.MONTH, month=month)
    try:
        return dt.date(year, month, day or 1), day is not None
    except ValueError:
        raise InvalidEntry(Problem.DAY, year=year, month=month, day=day) from None


_DATE_PATTERNS = (
    re.compile(
        r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*(?:月|[.\-/]|月\s*(\d{1,2})\s*日?|[.\-/]\s*(\d{1,2})\s*日?)?$"
    ),
    re.compile(r"^(\d{4})(\d{2})(\d{2})?$"),
)


def parse_date(value: object) -> tuple[dt.date, bool] | None:
    """Parse a date as typed; return (date, whether a day was given), or None when blank.

    Excel date cells arrive as dates. A number such as 1985.03 means March 1985, and 1985.1
    means October (Excel drops the trailing zero of 1985.10).

    >>> parse_date("１９８５年３月")
    (datetime.date(1985, 3, 1), False)
    >>> parse_date(1985.1)
    (datetime.date(1985, 10, 1), False)
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date(), True
    if isinstance(value, dt.date):
        return value, True
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        raise InvalidEntry(Problem.NOT_A_DATE, text=snippet(value, 20))
    if isinstance(value, float) and not value.is_integer():
        year = int(value)
        return _ymd(year, round((value - year) * 100), None)
    text = clean_text(value)
    assert text is not None
    text = text.replace(" ", "")
    if text.endswith("日") and "月" not in text:
        text = text[:-1]
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            groups = [g for g in m.groups()[2:] if g]
            return _ymd(int(m.group(1)), int(m.group(2)), int(groups[0]) if groups else None)
    raise InvalidEntry(Problem.NOT_A_DATE, text=snippet(text, 20))


_SEX = {"男": "M", "m": "M", "male": "M", "女": "F", "f": "F", "female": "F"}


def parse_sex(value: object) -> str | None:
    """男/女 or M/F (any case) to 'M'/'F'; None when blank."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        return _SEX[text.lower()]
    except KeyError:
        raise InvalidEntry(Problem.SEX, text=snippet(text, 10)) from None


def parse_number(value: object, *, low: float, high: float, what: str) -> float | None:
    """A number within [low, high]; full-width digits accepted; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise InvalidEntry(Problem.NOT_A_NUMBER, text=str(value), what=what)
    text = clean_text(value)
    try:
        number = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidEntry(Problem.NOT_A_NUMBER, text=snippet(text, 12), what=what) from None
    if not (low <= number <= high) or math.isnan(number):
        raise InvalidEntry(Problem.NUMBER_RANGE, what=what, low=low, high=high)
    return number


def parse_national_ids(cells: Sequence[object]) -> list[tuple[str, dt.date, str] | None]:
    """`parse_national_id` of each cell typed plainly as a valid ID number, None for any other."""
    return validate_national_ids(plain_texts(cells))


def parse_national_id(value: object):
    """Clean and validate an ID number as typed (spaces, full-width digits, lower-case x)."""
    text = clean_text(value)
    if text is None:
        return None
    return validate_national_id(text.replace(" ", ""))
