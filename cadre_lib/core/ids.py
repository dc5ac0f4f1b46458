"""National ID numbers (GB 11643): validation, masking and synthetic generation."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence

from .errors import InvalidEntry
from .problems import Problem

__all__ = [
    "check_character",
    "validate_national_id",
    "validate_national_ids",
    "mask_national_id",
    "scrub_ids",
    "snippet",
    "strip_controls",
    "drop_controls",
    "shown",
    "contains_id",
    "mask_frame",
    "synthetic_national_id",
]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# Region codes starting with 99 are not assigned to any place, so generated
# numbers cannot belong to a real person even when the checksum is right.
SYNTHETIC_REGION = "99"


def check_character(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits.

    >>> check_character("11010519491231002")
    'X'
    """
    if len(first17) != 17 or not first17.isdigit():
        raise InvalidEntry(Problem.ID_CHARACTERS, field="national_id")
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def validate_national_id(value: str) -> tuple[str, dt.date, str]:
    """Check an 18-character ID; return it upper-cased with its birth date and sex ('M'/'F').

    Raises InvalidEntry saying what is wrong, never echoing the full number.

    >>> validate_national_id("11010519491231002x")[1:]
    (datetime.date(1949, 12, 31), 'F')
    """
    text = str(value).strip().upper()
    if len(text) != 18:
        raise InvalidEntry(Problem.ID_LENGTH, field="national_id", length=len(text))
    if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise InvalidEntry(Problem.ID_CHARACTERS, field="national_id")
    try:
        birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise InvalidEntry(Problem.ID_DATE, field="national_id") from None
    if check_character(text[:17]) != text[17]:
        raise InvalidEntry(Problem.ID_CHECK, field="national_id")
    sex = "M" if int(text[16]) % 2 else "F"
    return text, birth, sex


def validate_national_ids(texts: Sequence[str | None]) -> list[tuple[str, dt.date, str] | None]:
    """`validate_national_id` of every text that is a valid ID number as it stands (18 ASCII
    characters, a lower-case x allowed), checked all at once; None for any other text, which
    `validate_national_id` then explains.

    >>> validate_national_ids(["11010519491231002x", "110105194912310021", None])
    [('11010519491231002X', datetime.date(1949, 12, 31), 'F'), None, None]
    """
    import numpy as np  # only an import of many rows pays for loading numpy

    out: list[tuple[str, dt.date, str] | None] = [None] * len(texts)
    where = [n for n, t in enumerate(texts) if t is not None and len(t) == 18 and t.isascii()]
    if not where:
        return out
    upper = [texts[n].upper() for n in where]  # type: ignore[union-attr]
    chars = np.frombuffer("".join(upper).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
    digits = chars[:, :17].astype(np.int64) - ord("0")
    last = chars[:, 17]
    year, month, day = (
        digits[:, a:b] @ 10 ** np.arange(b - a - 1, -1, -1) for a, b in ((6, 10), (10, 12), (12, 14))
    )
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 0, 12)] + (
        leap & (month == 2)
    )
    check = np.frombuffer(_CHECK.encode("ascii"), dtype=np.uint8)[(digits @ np.array(_WEIGHTS)) % 11]
    good = (
        ((digits >= 0) & (digits <= 9)).all(axis=1)
        & (((last >= ord("0")) & (last <= ord("9"))) | (last == ord("X")))
        & (year >= dt.MINYEAR)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (day <= month_days)
        & (check == last)
    )
    days: dict[tuple[int, int, int], dt.date] = {}
    ymds = zip(year.tolist(), month.tolist(), day.tolist(), strict=True)
    male = (digits[:, 16] % 2 == 1).tolist()
    for k, ok, ymd in zip(range(len(where)), good.tolist(), ymds, strict=True):
        if ok:
            birth = days.get(ymd) or days.setdefault(ymd, dt.date(*ymd))
            out[where[k]] = (upper[k], birth, "M" if male[k] else "F")
    return out


def mask_national_id(value: str | None) -> str | None:
    """Hide the birth date and serial: keep the first 6 and last 2 characters.

    >>> mask_national_id("11010519491231002X")
    '110105**********2X'
    """
    if value is None or value != value:  # None or NaN
        return None
    text = str(value)
    if len(text) <= 8:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 8) + text[-2:]


# Any 17 digits and a final digit or X whose characters 7-14 form a calendar date is taken for an
# ID number, whatever surrounds it and whether or not its check character is right: a mistyped
# number is still somebody's. Python's \d also matches full-width digits (as typed in Chinese IMEs).
_ID_WINDOW = re.compile(r"(?=\d{17}[\dXxＸｘ])")
_SEVENTEEN_DIGITS = re.compile(r"\d{17}")


def _is_date(digits: str) -> bool:
    try:
        dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return True


def _id_spans(text: str) -> list[int]:
    """Start of every 18-character window of `text` that reads as an ID number."""
    if len(text) < 18 or not _SEVENTEEN_DIGITS.search(text):
        return []
    return [m.start() for m in _ID_WINDOW.finditer(text) if _is_date(text[m.start() + 6 : m.start() + 14])]


def contains_id(text: object) -> bool:
    """True if `text` holds an unmasked ID number (by the rule `scrub_ids` masks).

    >>> contains_id("旧证号ID990404198001015793"), contains_id("990404**********93")
    (True, False)
    """
    return isinstance(text, str) and bool(_id_spans(text))


def scrub_ids(text: str | None) -> str | None:
    """Mask anything in free text that reads as an ID number: keep its first 6 and last 2 characters.

    Masking by column name is not enough: an ID typed into a notes, topic or name field must not
    reach a display, an export or the audit log either. Letters or digits around the number do
    not hide it, and neither does a wrong check character.

    >>> scrub_ids("原身份证号 11010519491231002x，已更正")
    '原身份证号 110105**********2x，已更正'
    >>> scrub_ids("旧证号ID990404198001015793")
    '旧证号ID990404**********93'
    """
    if not isinstance(text, str):
        return text
    starts = _id_spans(text)
    if not starts:
        return text
    chars = list(text)
    for start in starts:
        chars[start + 6 : start + 16] = "*" * 10
    return "".join(chars)


# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and isolates
# that make a terminal or a browser show text other than what is there (ESC sequences, U+202E).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """`text` without control characters and bidirectional overrides: what is shown is what is there.

    >>> strip_controls("王\x1b[2J伟\u202e")
    '王[2J伟'
    """
    return _CONTROL.sub("", text)


def shown(value: object) -> str:
    """Text as a person may see it: control characters dropped first (one typed inside an ID
    number would hide it from masking), then ID numbers masked."""
    return scrub_ids(strip_controls(str(value))) or ""


def snippet(value: object, limit: int) -> str:
    """Text as a message quotes it: shown (controls dropped, ID numbers masked) first, then cut
    to at most `limit` characters (an ellipsis marks the cut). Cutting first could leave 17
    digits of a number that masking no longer recognises.

    >>> snippet("abc11010519491231002Xdef", 20)
    'abc110105**********…'
    """
    text = shown(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def drop_controls(frame):
    """Control characters and bidirectional overrides dropped from every text cell of a
    DataFrame (in place; returns it), before it is masked and shown: a name typed with ESC or
    U+202E must not rearrange a notebook's table."""
    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind not in "OUT" and str(values.dtype) not in ("str", "string"):
            continue
        try:
            suspect = values.str.contains(_CONTROL.pattern, regex=True, na=False)
        except (AttributeError, TypeError):  # no text in the column at all
            continue
        suspect = suspect.fillna(False).astype(bool)
        if suspect.any():
            frame[column] = values.where(~suspect, values[suspect].map(strip_controls))
    return frame


def mask_frame(frame, reveal_ids: bool = False):
    """Mask a DataFrame in place for showing: national_id columns, and ID numbers in any text.

    Returns the frame. With `reveal_ids` it is left as it is.
    """
    if reveal_ids:
        return frame
    for column in frame.columns:
        values = frame[column]
        if str(column).endswith("national_id"):
            frame[column] = values.map(mask_national_id)
            continue
        if values.dtype.kind not in "OUT" and str(values.dtype) not in ("str", "string"):
            continue
        try:
            suspect = values.str.contains(_SEVENTEEN_DIGITS.pattern, regex=True, na=False)
        except (AttributeError, TypeError):  # no text in the column at all
            continue
        suspect = suspect.fillna(False).astype(bool)
        if suspect.any():
            frame[column] = values.where(~suspect, values[suspect].map(scrub_ids))
    return frame


def synthetic_national_id(rng: random.Random, birth: dt.date, sex: str, region: str = "0101") -> str:
    """A checksum-valid ID in the unassigned 99 region, for demo and test people only."""
    serial = rng.randrange(0, 100)
    sex_digit = rng.choice("13579" if sex == "M" else "02468")
    first17 = f"{SYNTHETIC_REGION}{region}{birth:%Y%m%d}{serial:02d}{sex_digit}"
    return first17 + check_character(first17)
