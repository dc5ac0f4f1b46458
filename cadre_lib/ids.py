"""National ID numbers (GB 11643): validation, masking and synthetic generation."""

from __future__ import annotations

import datetime as dt
import random
import re

from .errors import InvalidEntry

__all__ = [
    "check_character",
    "validate_national_id",
    "mask_national_id",
    "scrub_ids",
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
        raise InvalidEntry(
            "身份证号前17位应为数字 the first 17 characters of an ID number must be digits",
            field="national_id",
        )
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def validate_national_id(value: str) -> tuple[str, dt.date, str]:
    """Check an 18-character ID; return it upper-cased with its birth date and sex ('M'/'F').

    Raises InvalidEntry saying what is wrong, never echoing the full number.

    >>> validate_national_id("11010519491231002x")[1:]
    (datetime.date(1949, 12, 31), 'F')
    """
    text = str(value).strip().upper()
    if len(text) != 18:
        raise InvalidEntry(
            f"身份证号应为18位，此处为{len(text)}位 an ID number has 18 characters, this one has {len(text)}",
            field="national_id",
        )
    if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise InvalidEntry(
            "身份证号为17位数字加一位0-9或X an ID number is 17 digits and a last character 0-9 or X",
            field="national_id",
        )
    try:
        birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise InvalidEntry(
            "身份证号中的出生日期不存在 characters 7-14 of the ID number are not a real date",
            field="national_id",
        ) from None
    if check_character(text[:17]) != text[17]:
        raise InvalidEntry(
            "身份证号校验位不符，可能有数字录错 the check character (last one) does not match: a digit was mistyped",
            field="national_id",
        )
    sex = "M" if int(text[16]) % 2 else "F"
    return text, birth, sex


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


_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{10})(\d[\dXx])(?![0-9A-Za-z])")


def scrub_ids(text: str | None) -> str | None:
    """Mask anything in free text that looks like an 18-character ID number.

    Masking by column name is not enough: an ID typed into a notes or name column must not
    reach a display, an export or the audit log either.

    >>> scrub_ids("原身份证号 11010519491231002x，已更正")
    '原身份证号 110105**********2x，已更正'
    """
    if not text:
        return text
    return _ID_IN_TEXT.sub(lambda m: m.group(1) + "*" * 10 + m.group(3), text)


def synthetic_national_id(rng: random.Random, birth: dt.date, sex: str, region: str = "0101") -> str:
    """A checksum-valid ID in the unassigned 99 region, for demo and test people only."""
    serial = rng.randrange(0, 100)
    sex_digit = rng.choice("13579" if sex == "M" else "02468")
    first17 = f"{SYNTHETIC_REGION}{region}{birth:%Y%m%d}{serial:02d}{sex_digit}"
    return first17 + check_character(first17)
