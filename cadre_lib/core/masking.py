"""What may be shown of typed text: ID numbers masked wherever they are, control characters
dropped, and text quoted in a message masked before it is cut. Plain text in, text out; it
imports nothing of the workbook, so every module (errors included) can mask what it shows."""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "mask_national_id",
    "scrub_ids",
    "snippet",
    "strip_controls",
    "drop_controls",
    "shown",
    "contains_id",
    "mask_frame",
]


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


def _fix_text_cells(frame, column: str, pattern: re.Pattern, fix) -> None:
    """`fix` applied to each text cell of `frame[column]` that `pattern` finds something in (the
    column is searched as a whole first: most hold no such text, and are left untouched)."""
    values = frame[column]
    if values.dtype.kind not in "OUT" and str(values.dtype) not in ("str", "string"):
        return
    try:
        suspect = values.str.contains(pattern.pattern, regex=True, na=False)
    except (AttributeError, TypeError):  # no text in the column at all
        return
    suspect = suspect.fillna(False).astype(bool)
    if suspect.any():
        frame[column] = values.where(~suspect, values[suspect].map(fix))


def drop_controls(frame):
    """Control characters and bidirectional overrides dropped from every text cell of a
    DataFrame (in place; returns it), before it is masked and shown: a name typed with ESC or
    U+202E must not rearrange a notebook's table."""
    for column in frame.columns:
        _fix_text_cells(frame, column, _CONTROL, strip_controls)
    return frame


def mask_frame(frame, reveal_ids: bool = False):
    """Mask a DataFrame in place for showing: national_id columns, and ID numbers in any text.

    Returns the frame. With `reveal_ids` it is left as it is.
    """
    if reveal_ids:
        return frame
    for column in frame.columns:
        if str(column).endswith("national_id"):
            frame[column] = frame[column].map(mask_national_id)
        else:
            _fix_text_cells(frame, column, _SEVENTEEN_DIGITS, scrub_ids)
    return frame
