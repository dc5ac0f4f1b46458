"""Assessment instruments: what a score is on (its scale) and which dimensions it measures."""

from __future__ import annotations

import math

import pandas as pd
import sqlalchemy as sa

from ..core.codes import codes, label
from ..core.errors import InvalidEntry
from ..core.importing import suggest
from ..core.normalize import clean_header, clean_text
from ..core.problems import Problem
from ..core.schema import TABLES
from ..core.workspace import Workspace

__all__ = [
    "declare_instrument",
    "instruments",
    "find_instrument",
    "check_score",
    "instrument_names",
    "measure_name",
]


def declare_instrument(
    ws: Workspace,
    code: str,
    name: str,
    scale_min: float | str,
    scale_max: float | str,
    *,
    name_en: str | None = None,
    dimensions: list[str] | tuple[str, ...] | None = None,
    pass_mark: float | str | None = None,
) -> int:
    """Declare an instrument (e.g. "theory_exam", "理论知识测试", 0, 100, dimensions=["theory"]);
    `dimensions` None means it may score any of the three; `pass_mark`, the score that passes
    it (a class's completion may require it, see the rules file's completion.pass_instruments).
    Returns its id; a code already declared, an unknown dimension, a scale whose lowest score is
    not below its highest or a pass mark off the scale is refused with the reason, and nothing
    is saved."""
    code, name = clean_text(code), clean_text(name)
    if not code or not name:
        raise InvalidEntry(
            Problem.EMPTY_TEXT, field="code", zh="测评工具代码和名称", en="instrument code and name"
        )
    low, high = _number(scale_min), _number(scale_max)
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise InvalidEntry(Problem.BAD_SCALE, field="scale_max", low=scale_min, high=scale_max)
    for d in dimensions or ():
        if d not in codes("dimension"):
            raise InvalidEntry(
                Problem.UNKNOWN_CODE,
                field="dimensions",
                value=d,
                what_zh="测评维度",
                what_en="dimension",
                known_zh="、".join(label("dimension", c, "zh") for c in codes("dimension")),
                known_en=", ".join(codes("dimension")),
            )
    if pass_mark is not None and not low <= _number(pass_mark) <= high:
        raise InvalidEntry(
            f"合格分应在{low:g}至{high:g}分之间 the pass mark must be on the scale, {low:g} to {high:g}; "
            f"not {pass_mark!r}",
            field="pass_mark",
        )
    if code in set(instruments(ws)["code"]):
        raise InvalidEntry(Problem.DUPLICATE_INSTRUMENT, field="code", value=code)
    row = {
        "code": code,
        "name": name,
        "name_en": clean_text(name_en),
        "scale_min": low,
        "scale_max": high,
        "dimensions": ",".join(dimensions) if dimensions else None,
        "pass_mark": None if pass_mark is None else _number(pass_mark),
    }
    return ws.insert("instrument", row)[0]


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def instruments(ws: Workspace) -> pd.DataFrame:
    """Every declared instrument: code, name, name_en, scale_min, scale_max, dimensions (a
    comma list of dimension codes; empty when any) and pass_mark (missing when none), by code."""
    t = TABLES["instrument"]
    frame = ws.frame(
        sa.select(
            t.c.code, t.c.name, t.c.name_en, t.c.scale_min, t.c.scale_max, t.c.dimensions, t.c.pass_mark
        ).order_by(t.c.code)
    )
    frame["dimensions"] = frame["dimensions"].fillna("")
    return frame


def find_instrument(ws: Workspace, value: str, known: pd.DataFrame | None = None) -> dict:
    """The instrument named by code or name, as a dict of its columns; refused with the closest
    known name and the list of instruments when there is none."""
    known = instruments(ws) if known is None else known
    key = clean_header(value)
    for r in known.to_dict("records"):
        if key in (clean_header(r["code"]), clean_header(r["name"])):
            return r
    names = list(known["name"])
    raise InvalidEntry(
        Problem.UNKNOWN_INSTRUMENT,
        field="instrument",
        value=value,
        suggestion=suggest(str(value), names),
        known="、".join(names) or "（尚无 none yet）",
    )


def check_score(instrument: dict, dimension: str, score: float) -> None:
    """Refuse a score outside the instrument's scale, or on a dimension it does not measure."""
    allowed = [d for d in (instrument["dimensions"] or "").split(",") if d]
    if allowed and dimension not in allowed:
        raise InvalidEntry(
            Problem.INSTRUMENT_DIMENSION,
            field="dimension",
            instrument=instrument["name"],
            dimension_zh=label("dimension", dimension, "zh"),
            dimension_en=label("dimension", dimension, "en"),
            dimensions_zh="、".join(label("dimension", d, "zh") for d in allowed),
            dimensions_en=", ".join(label("dimension", d, "en") for d in allowed),
        )
    low, high = float(instrument["scale_min"]), float(instrument["scale_max"])
    if not (isinstance(score, (int, float)) and math.isfinite(score) and low <= score <= high):
        raise InvalidEntry(
            Problem.SCORE_SCALE,
            field="score",
            score=float(score) if isinstance(score, (int, float)) else math.nan,
            instrument=instrument["name"],
            low=low,
            high=high,
        )


def instrument_names(ws: Workspace) -> dict[str, str]:
    """{code: Chinese name} of every instrument, for labels."""
    frame = instruments(ws)
    return dict(zip(frame["code"], frame["name"], strict=True))


def measure_name(ws: Workspace, dimension: str, instrument: str, rater_role: str) -> str:
    """A measure in words, Chinese first: "理论素养 · 理论知识测试 · 培训主管部门 Theoretical literacy ·
    theory_exam · training office"."""
    shown = instrument_names(ws).get(instrument, instrument)
    return (
        f"{label('dimension', dimension, 'zh')} · {shown} · {label('rater_role', rater_role, 'zh')} "
        f"{label('dimension', dimension, 'en')} · {instrument} · {label('rater_role', rater_role, 'en').lower()}"
    )
