"""National ID numbers (GB 11643): validation, masking and synthetic generation."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from .errors import InvalidEntry
from .masking import (
    contains_id,
    drop_controls,
    mask_frame,
    mask_national_id,
    scrub_ids,
    shown,
    snippet,
    strip_controls,
)
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


def synthetic_national_id(rng: random.Random, birth: dt.date, sex: str, region: str = "0101") -> str:
    """A checksum-valid ID in the unassigned 99 region, for demo and test people only."""
    serial = rng.randrange(0, 100)
    sex_digit = rng.choice("13579" if sex == "M" else "02468")
    first17 = f"{SYNTHETIC_REGION}{region}{birth:%Y%m%d}{serial:02d}{sex_digit}"
    return first17 + check_character(first17)
