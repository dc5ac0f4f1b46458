"""How the audit log writes a row's values: JSON with ID numbers masked, one row or a column at a time."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .ids import mask_national_id, scrub_ids

__all__ = ["record", "records"]

_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)
_string = json.encoder.encode_basestring  # what _ENCODER writes for a str (ensure_ascii=False)
# Values of these types are equal only when they are written the same, so one encoding serves
# every equal value (not so for floats, -0.0 == 0.0, nor for datetimes with a time zone).
_SAME_WHEN_EQUAL = (str, int, bool, dt.date, type(None))


def _shown(key: str, value: Any) -> Any:
    if key == "national_id":
        return mask_national_id(value)
    return scrub_ids(value) if isinstance(value, str) else value


def record(values: Mapping[str, Any] | None) -> str | None:
    """A row's values as the audit log keeps them: ID numbers masked, keys sorted.

    >>> record({"name": "王伟", "national_id": "11010519491231002X", "since": dt.date(2020, 5, 1)})
    '{"name": "王伟", "national_id": "110105**********2X", "since": "2020-05-01"}'
    """
    if values is None:
        return None
    return _ENCODER.encode({k: _shown(k, v) for k, v in values.items()})


def _encoded(key: str, values: Sequence[Any]) -> Iterable[str]:
    """Each value of one column as JSON, as `record` writes it. A column of one plain type is
    encoded a whole column at a time; any other column value by value, equal values once."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        if key == "national_id":
            return map(_string, map(mask_national_id, values))
        # scrub_ids leaves text shorter than an ID number as it is
        return map(_string, values if max(map(len, values), default=0) < 18 else map(scrub_ids, values))
    if key != "national_id" and kinds <= {int}:
        return map(int.__repr__, values)
    if key != "national_id" and kinds <= {dt.date}:
        return map(_string, map(dt.date.isoformat, values))  # default=str: str of a date is its isoformat
    memo: dict[tuple[type, Any], str] = {}
    out = []
    for value in values:
        kind = type(value)
        if kind not in _SAME_WHEN_EQUAL:
            out.append(_ENCODER.encode(_shown(key, value)))
            continue
        text = memo.get((kind, value))
        if text is None:
            text = memo[(kind, value)] = _ENCODER.encode(_shown(key, value))
        out.append(text)
    return out


def records(keys: Sequence[str], columns: Sequence[Sequence[Any]], rows: int) -> list[str]:
    """`record` of `rows` rows that share their keys, given column by column: the same text as
    `record` of each row, at a fraction of the cost (a roster repeats its counties and dates).

    >>> records(["b", "a"], [[1, 2], ["x", None]], 2)
    ['{"a": "x", "b": 1}', '{"a": null, "b": 2}']
    """
    if not keys:
        return ["{}"] * rows
    order = sorted(range(len(keys)), key=keys.__getitem__)
    encoded = [map((_ENCODER.encode(keys[i]) + ": ").__add__, _encoded(keys[i], columns[i])) for i in order]
    return list(map("{%s}".__mod__, map(", ".join, zip(*encoded, strict=True))))
