"""The department's rules: packaged defaults, optionally overridden by a rules.toml, all checked.

Every setting has a kind and a range (`SPECS`); a rules file with an unknown setting, a value
of the wrong kind or one out of range is refused, naming the setting, what it should be, and
what was given.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InvalidEntry, RulesError

__all__ = ["load_rules", "check_rules", "date_window", "check_date", "SPECS", "Spec"]


@dataclass(frozen=True)
class Spec:
    """What one setting may hold: a kind ('share', 'number', 'int' or 'date') and a range."""

    kind: str
    low: float | dt.date
    high: float | dt.date
    example: str
    low_included: bool = True

    def check(self, key: str, value: object) -> float | int | dt.date:
        """The value as the rules use it, or RulesError saying what the setting should be."""
        words = {
            "share": ("比例", "a share"),
            "number": ("数值", "a number"),
            "int": ("整数", "a whole number"),
            "date": ("日期", "a date (YYYY-MM-DD, no quotes)"),
        }[self.kind]
        low, high = (f"{v:g}" if isinstance(v, float) else str(v) for v in (self.low, self.high))
        span_zh = f"{low}至{high}之间" if self.low_included else f"大于{low}且不超过{high}"
        span_en = f"from {low} to {high}" if self.low_included else f"greater than {low} and at most {high}"
        problem = (
            f"规则文件：“{key}”应为{span_zh}的{words[0]}，例如 {self.example} "
            f"rules file: '{key}' must be {words[1]} {span_en}, e.g. {self.example}; not {_shown(value)}"
        )
        if self.kind == "date":
            ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        elif self.kind == "int":
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value == value
        if not ok:
            raise RulesError(problem)
        above_low = value >= self.low if self.low_included else value > self.low
        if not (above_low and value <= self.high):
            raise RulesError(problem)
        return float(value) if self.kind in ("share", "number") else value


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    return str(value)


def _date_spec(low: int, high: int, example: str) -> Spec:
    return Spec("date", dt.date(low, 1, 1), dt.date(high, 12, 31), example)


_SHARE = Spec("share", 0.0, 1.0, "0.75")
# Settings by dotted name; '*' stands for any name in a table the department fills itself.
SPECS: dict[str, Spec] = {
    # Being present earns something: a zero here would credit no one for anything.
    "attendance.credit.present": Spec("share", 0.0, 1.0, "1.0", low_included=False),
    **{f"attendance.credit.{status}": _SHARE for status in ("late", "left_early", "excused", "absent")},
    "training.required_hours_per_year": Spec("number", 0.0, 1000.0, "90", low_included=False),
    "training.required_days_per_year": Spec("int", 1, 366, "12"),
    "training.hours_per_day": Spec("number", 0.5, 24.0, "7.5"),
    "training.residential_leave_limit": _SHARE,
    "training.completion.default": Spec("share", 0.0, 1.0, "0.8", low_included=False),
    "training.completion.cohorts.*": Spec("share", 0.0, 1.0, "0.85", low_included=False),
    "talks.every_months.county_secretary": Spec("int", 1, 60, "12"),
    "talks.every_months.county_org_chief": Spec("int", 1, 60, "6"),
    # Windows that leave room for a working life: a setting can narrow them, not close them.
    "dates.birth_earliest": _date_spec(1900, 1980, "1940-01-01"),
    "dates.min_age": Spec("int", 16, 40, "18"),
    "dates.post_earliest": _date_spec(1950, 2020, "1980-01-01"),
    "dates.session_earliest": _date_spec(1990, 2025, "2000-01-01"),
    "dates.session_years_ahead": Spec("int", 1, 10, "2"),
}
_OPEN_TABLES = {key[:-1] for key in SPECS if key.endswith(".*")}  # names are the department's own


def _unknown(name: str, known: list[str]) -> RulesError:
    return RulesError(
        f"规则文件：没有“{name}”这一项 rules file: unknown setting '{name}'"
        + (f" (known here: {', '.join(sorted(known))})" if known else "")
    )


def _merge(base: dict, override: dict, where: str = "") -> dict:
    """Lay `override` over `base`, refusing names the rules do not have."""
    out = dict(base)
    for key, value in override.items():
        name = f"{where}{key}"
        if where in _OPEN_TABLES:
            out[key] = value
            continue
        if key not in base:
            raise _unknown(name, list(base))
        if isinstance(base[key], dict) != isinstance(value, dict):
            zh, en = (
                ("一组设置", "a table of settings")
                if isinstance(base[key], dict)
                else ("一个值", "a single value")
            )
            raise RulesError(
                f"规则文件：“{name}”应为{zh} rules file: '{name}' must be {en}, not {_shown(value)}"
            )
        out[key] = _merge(base[key], value, f"{name}.") if isinstance(value, dict) else value
    return out


def check_rules(rules: dict, where: str = "") -> dict:
    """Check every setting against `SPECS`; return the rules with numbers as floats."""
    out = {}
    for key, value in rules.items():
        name = f"{where}{key}"
        if isinstance(value, dict):
            out[key] = check_rules(value, f"{name}.")
            continue
        spec = SPECS.get(name) or SPECS.get(f"{where}*")
        if spec is None:
            raise _unknown(name, [])
        out[key] = spec.check(name, value)
    return out


def load_rules(path: str | Path | None = None) -> dict[str, Any]:
    """The default rules, with the settings of `path` (a TOML file) laid over them, all checked.

    Raises RulesError, naming the setting, when the file cannot be used.

    >>> load_rules()["attendance"]["credit"]["late"]
    0.75
    """
    rules = tomllib.loads(resources.files("cadre_lib").joinpath("rules_default.toml").read_text("utf-8"))
    if path is not None:
        try:
            override = tomllib.loads(Path(path).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise RulesError(
                f"规则文件无法读取 rules file {Path(path).name} cannot be read: {reason}"
            ) from None
        rules = _merge(rules, override)
    return check_rules(rules)


_WHAT = {
    "birth": ("出生日期", "birth date"),
    "post": ("任现职时间", "in-post date"),
    "session": ("上课日期", "session date"),
}


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def date_window(rules: dict, what: str, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The earliest and latest plausible date of a birth, a post's start or a session, as of a day.

    Births: from `dates.birth_earliest` to `dates.min_age` years before `as_of`. Posts: from
    `dates.post_earliest` to `as_of`. Sessions: from `dates.session_earliest` to
    `dates.session_years_ahead` years after `as_of`.
    """
    d = rules["dates"]
    if what == "birth":
        return d["birth_earliest"], _years_before(as_of, d["min_age"])
    if what == "post":
        return d["post_earliest"], as_of
    if what == "session":
        return d["session_earliest"], _years_before(as_of, -d["session_years_ahead"])
    raise ValueError(f"no date window for {what!r}")


def check_date(rules: dict, what: str, day: dt.date, as_of: dt.date) -> None:
    """Refuse a date outside its plausible window, naming the window and the rules behind it."""
    earliest, latest = date_window(rules, what, as_of)
    if not earliest <= day <= latest:
        zh, en = _WHAT[what]
        raise InvalidEntry(
            f"{zh}{day:%Y-%m-%d}不在合理范围（{earliest:%Y-%m-%d}至{latest:%Y-%m-%d}）内 "
            f"the {en} {day:%Y-%m-%d} is outside {earliest:%Y-%m-%d} – {latest:%Y-%m-%d} "
            f"(the [dates] rules, as of {as_of:%Y-%m-%d}); check it",
            field=what,
            value=day,
        )
