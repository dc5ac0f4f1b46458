"""The department's rules: packaged defaults, overridden by a rules.toml, checked, and held in one
typed `Rules` object that every calculation and check reads (no such number is written in code).

Every setting has a kind and a range (`SPECS`); a rules file with an unknown setting, a value
of the wrong kind or one out of range is refused, naming the setting, what it should be, and
what was given.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa

from .codes import codes
from .errors import InvalidEntry, RulesError
from .problems import UNCONFIRMED, Problem

__all__ = [
    "Rules",
    "load_rules",
    "default_rules",
    "check_rules",
    "check_day",
    "SPECS",
    "Spec",
    "DEPARTMENT_CHOICES",
    "DATE_KINDS",
]


@dataclass(frozen=True)
class Spec:
    """What one setting may hold: a kind ('share', 'number', 'int', 'date', 'code' (a name in
    quotes) or 'codes' of a vocabulary) and a range."""

    kind: str
    low: float | dt.date | str
    high: float | dt.date | None
    example: str
    low_included: bool = True

    def check(self, key: str, value: object) -> Any:
        """The value as the rules use it, or RulesError saying what the setting should be."""
        if self.kind == "codes":
            return self._codes(key, value)
        if self.kind == "settings":
            return self._settings(key, value)
        if self.kind == "code":
            if not isinstance(value, str) or not value.strip():
                raise RulesError(
                    f"规则文件：“{key}”应为一个代码（加引号），例如 {self.example} "
                    f"rules file: '{key}' must be a code in quotes, e.g. {self.example}; not {_shown(value)}"
                )
            return value.strip()
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

    def _codes(self, key: str, value: object) -> frozenset[str]:
        known = codes(str(self.low))
        if not isinstance(value, list) or not value or not all(v in known for v in value):
            raise RulesError(
                f"规则文件：“{key}”应为以下代码的列表 rules file: '{key}' must be a list of some of "
                f"{', '.join(known)}, e.g. {self.example}; not {_shown(value)}"
            )
        return frozenset(value)

    def _settings(self, key: str, value: object) -> frozenset[str]:
        """Names of settings (or of their sections) the department has confirmed."""
        known = [k for k in DEPARTMENT_CHOICES]
        if not isinstance(value, list) or not all(
            isinstance(v, str) and any(_covers(v, k) or _covers(k, v) for k in known) for v in value
        ):
            raise RulesError(
                f"规则文件：“{key}”应为由本部门确定的设置名称列表 rules file: '{key}' must be a list of the "
                f"names of settings that are the department's choice (or their sections), e.g. {self.example}; "
                f"they are: {', '.join(known)}; not {_shown(value)}"
            )
        return frozenset(value)


def _covers(prefix: str, name: str) -> bool:
    """Whether the setting `prefix` names (a setting, a section, or a pattern with *) covers `name`."""
    prefix, name = prefix.removesuffix(".*"), name.removesuffix(".*")
    return name == prefix or name.startswith(prefix + ".")


# Settings that no regulation fixes: the department chose them, and every place that shows one
# says "待部门确认 to be confirmed by the department" until its rules file lists it (or its
# section) under [department] confirmed; so do the impact periods whose source could not be
# checked (admonishment, the organisational measures). The 1/7 leave limit, 90 h / 12 days and
# the impact periods of party discipline and administrative sanctions are regulation.
DEPARTMENT_CHOICES: tuple[str, ...] = (
    "attendance.credit.late",
    "attendance.credit.left_early",
    "training.full_day_hours",
    "training.half_day_hours",
    "training.completion.default",
    "training.completion.cohorts.*",
    "training.completion.pass_instruments.*",
    "frontline.disagreement_levels",
    "frontline.min_sources_per_arena",
    "frontline.strong_mean",
    "frontline.strong_arena_min",
    "frontline.weak_mean",
    "ranks.min_years.*",
    "talks.owed_from_share",
    # Impact periods no text could be checked for: the workbook's defaults until confirmed.
    "impact.months.admonishment",
    "impact.months.post_adjustment",
    "impact.months.ordered_resignation",
    "impact.months.dismissal",
    "impact.months.demotion",
)


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
    "attendance.may_rate": Spec("codes", "attendance_status", None, '["present", "late", "left_early"]'),
    "training.session_hours_min": Spec("number", 0.0, 24.0, "0.5", low_included=False),
    "training.session_hours_max": Spec("number", 0.5, 24.0, "24"),
    "training.residential_kinds": Spec("codes", "cohort_kind", None, '["class", "rotation"]'),
    "training.required_hours_per_year": Spec("number", 0.0, 1000.0, "90", low_included=False),
    "training.required_days_per_year": Spec("int", 1, 366, "12"),
    "training.full_day_hours": Spec("number", 0.5, 24.0, "6"),
    "training.half_day_hours": Spec("number", 0.5, 24.0, "3"),
    "training.residential_leave_limit": _SHARE,
    "training.residential_leave_counts": Spec("codes", "attendance_status", None, '["excused", "absent"]'),
    "training.counts_toward_yearly": Spec(
        "codes", "cohort_kind", None, '["programme", "class", "rotation", "lecture_series"]'
    ),
    "training.completion_kinds": Spec("codes", "cohort_kind", None, '["programme", "class", "rotation"]'),
    "training.completion.default": Spec("share", 0.0, 1.0, "0.8", low_included=False),
    "training.completion.cohorts.*": Spec("share", 0.0, 1.0, "0.85", low_included=False),
    "training.completion.pass_instruments.*": Spec("code", "", None, '"class_exam"'),
    "frontline.disagreement_levels": Spec("int", 1, 4, "2"),
    "frontline.min_sources_per_arena": Spec("int", 1, 3, "2"),
    "frontline.strong_mean": Spec("number", 1.0, 5.0, "3.8"),
    "frontline.strong_arena_min": Spec("number", 1.0, 5.0, "3.0"),
    "frontline.weak_mean": Spec("number", 1.0, 5.0, "2.5"),
    "talks.every_months.county_secretary": Spec("int", 1, 12, "12"),
    "talks.every_months.county_org_chief": Spec("int", 1, 12, "6"),
    "talks.owed_from_share": Spec("share", 0.0, 1.0, "0.5", low_included=False),
    **{f"impact.months.{code}": Spec("int", 0, 120, "12") for code in codes("sanction")},
    "impact.just_expired_months": Spec("int", 1, 60, "12"),
    **{f"ranks.min_years.{code}": Spec("int", 0, 10, "2") for code in codes("rank")[1:]},
    # Windows that leave room for a working life: a setting can narrow them, not close them.
    "dates.birth_earliest": _date_spec(1900, 1980, "1940-01-01"),
    "dates.min_age": Spec("int", 16, 40, "18"),
    "dates.post_earliest": _date_spec(1950, 2020, "1980-01-01"),
    "dates.session_earliest": _date_spec(1990, 2025, "2000-01-01"),
    "dates.session_years_ahead": Spec("int", 1, 10, "2"),
    "department.confirmed": Spec("settings", "", None, '["frontline", "attendance.credit"]'),
}
_OPEN_TABLES = {key[:-1] for key in SPECS if key.endswith(".*")}  # names are the department's own


# Settings an earlier version had, with what replaces them: a rules file that still sets one is
# refused saying what to write instead (reading it "compatibly" would count days by a rule the
# department no longer states).
RETIRED: dict[str, tuple[str, str]] = {
    "training.hours_per_day": (
        "训练日改按当日排课学时认定，请改设 full_day_hours（满一天，默认6学时）和 half_day_hours（半天，默认3学时）",
        "a training day is now counted from the class hours scheduled on a date: set "
        "training.full_day_hours (a full day, default 6) and training.half_day_hours (half a day, "
        "default 3) instead",
    ),
}


def _unknown(name: str, known: list[str]) -> RulesError:
    if name in RETIRED:
        zh, en = RETIRED[name]
        return RulesError(f"规则文件：“{name}”已不再使用，{zh} rules file: '{name}' is no longer used; {en}")
    return RulesError(
        f"规则文件：没有“{name}”这一项 rules file: unknown setting '{name}'"
        + (f" (known here: {', '.join(sorted(known))})" if known else "")
    )


def _merge(base: dict, override: dict, where: str = "", problems: list[str] | None = None) -> dict:
    """Lay `override` over `base`; a name the rules do not have, or a table given for a value (or
    the other way round), is added to `problems` (raised at once when none is given)."""
    problems = [] if problems is None else problems
    out = dict(base)
    for key, value in override.items():
        name = f"{where}{key}"
        if where in _OPEN_TABLES:
            out[key] = value
        elif key not in base:
            problems.append(str(_unknown(name, list(base))))
        elif isinstance(base[key], dict) != isinstance(value, dict):
            zh, en = (
                ("一组设置", "a table of settings")
                if isinstance(base[key], dict)
                else ("一个值", "a single value")
            )
            problems.append(
                f"规则文件：“{name}”应为{zh} rules file: '{name}' must be {en}, not {_shown(value)}"
            )
        else:
            out[key] = _merge(base[key], value, f"{name}.", problems) if isinstance(value, dict) else value
    return out


def check_rules(settings: dict, where: str = "", problems: list[str] | None = None) -> dict:
    """Check every setting against `SPECS`; return them as the rules use them (floats, sets).
    Each setting at fault is added to `problems`; without a list, the first is raised."""
    out = {}
    for key, value in settings.items():
        name = f"{where}{key}"
        if isinstance(value, dict):
            out[key] = check_rules(value, f"{name}.", problems)
            continue
        spec = SPECS.get(name) or SPECS.get(f"{where}*")
        try:
            if spec is None:
                raise _unknown(name, [])
            out[key] = spec.check(name, value)
        except RulesError as exc:
            if problems is None:
                raise
            problems.append(str(exc))
    return out


def _in_order(checked: dict) -> list[str]:
    """Settings that are each in range but contradict each other: what each says of the other.
    A setting already refused for itself is not in `checked`, and its checks here are skipped."""
    out = []
    for check in (_hours_order, _day_hours_order, _frontline_order, _talk_periods, _credit_order):
        try:
            out += check(checked)
        except KeyError:
            continue
    return out


def _not_above(checked: dict, low_key: str, high_key: str, zh: str) -> list[str]:
    """The refusal when training.`low_key` is above training.`high_key` (`zh` says so)."""
    low, high = checked["training"][low_key], checked["training"][high_key]
    if low <= high:
        return []
    return [
        f"规则文件：{zh} rules file: training.{low_key} ({low:g}) is above training.{high_key} ({high:g})"
    ]


def _hours_order(checked: dict) -> list[str]:
    return _not_above(checked, "session_hours_min", "session_hours_max", "学时下限大于上限")


def _day_hours_order(checked: dict) -> list[str]:
    return _not_above(checked, "half_day_hours", "full_day_hours", "半天的学时多于一天")


def _frontline_order(checked: dict) -> list[str]:
    f = checked["frontline"]
    if f["weak_mean"] <= f["strong_mean"]:
        return []
    return [
        f"规则文件：较差的均分线高于担当有力的均分线 rules file: frontline.weak_mean "
        f"({f['weak_mean']:g}) is above frontline.strong_mean ({f['strong_mean']:g})"
    ]


def _talk_periods(checked: dict) -> list[str]:
    return [
        f"规则文件：谈话周期应能整除12个月（1、2、3、4、6或12） rules file: talks.every_months.{role} "
        f"must divide a year into calendar periods (1, 2, 3, 4, 6 or 12 months), not {months}"
        for role, months in checked["talks"]["every_months"].items()
        if 12 % months
    ]


def _credit_order(checked: dict) -> list[str]:
    """Being present earns the most and being absent the least: any other order is a typo."""
    credit: Mapping[str, float] = checked["attendance"]["credit"]
    words = {"present": "出勤", "late": "迟到", "left_early": "早退", "excused": "请假", "absent": "缺勤"}
    out = []
    for status in ("late", "left_early", "excused", "absent"):
        if credit[status] > credit["present"]:
            out.append((status, "present", "高于"))
    for status in ("late", "left_early", "excused"):
        if credit["absent"] > credit[status]:
            out.append(("absent", status, "高于"))
    return [
        f"规则文件：{words[a]}的计入比例（{credit[a]:g}）{than}{words[b]}（{credit[b]:g}） rules file: "
        f"attendance.credit.{a} ({credit[a]:g}) is above attendance.credit.{b} ({credit[b]:g}); being present "
        "earns the most and being absent the least"
        for a, b, than in out
    ]


_WHAT = {
    "birth": ("出生日期", "birth date"),
    "post": ("任现职时间", "in-post date"),
    "session": ("上课日期", "session date"),
    "held": ("日期", "date"),
    "planned": ("时限", "due date"),
}
DATE_KINDS = tuple(_WHAT)  # the kinds of date `Rules.check_date` knows


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Rules:
    """Every number and list the workbook decides with, as the department set them.

    Read once per workspace (`Workspace.rules`); `settings` keeps the checked file as read.
    """

    settings: Mapping[str, Any]
    source: Path | None = None

    @property
    def credit(self) -> Mapping[str, float]:
        """Share of a session's hours credited for each attendance status."""
        return MappingProxyType(self.settings["attendance"]["credit"])

    @property
    def may_rate(self) -> frozenset[str]:
        """Attendance statuses whose holders may rate the session."""
        return self.settings["attendance"]["may_rate"]

    @property
    def session_hours(self) -> tuple[float, float]:
        """The class hours a session may have: (fewest, most)."""
        t = self.settings["training"]
        return t["session_hours_min"], t["session_hours_max"]

    @property
    def residential_kinds(self) -> frozenset[str]:
        """Cohort kinds held as residential classes (leave is counted against the limit)."""
        return self.settings["training"]["residential_kinds"]

    @property
    def hours_per_year(self) -> float:
        return self.settings["training"]["required_hours_per_year"]

    @property
    def days_per_year(self) -> int:
        return self.settings["training"]["required_days_per_year"]

    @property
    def day_hours(self) -> tuple[float, float]:
        """Scheduled class hours on a date that make it (a full training day, half a day)."""
        t = self.settings["training"]
        return t["full_day_hours"], t["half_day_hours"]

    @property
    def leave_limit(self) -> float:
        """Leave in a residential class may be at most this share of its hours."""
        return self.settings["training"]["residential_leave_limit"]

    @property
    def leave_counts(self) -> frozenset[str]:
        """Attendance statuses whose hours count against the leave limit of a residential class."""
        return self.settings["training"]["residential_leave_counts"]

    @property
    def counts_toward_yearly(self) -> frozenset[str]:
        """Cohort kinds whose credited hours count toward the yearly requirement."""
        return self.settings["training"]["counts_toward_yearly"]

    @property
    def completion_kinds(self) -> frozenset[str]:
        """Cohort kinds that end in completion or not (an open lecture series does not)."""
        return self.settings["training"]["completion_kinds"]

    def credit_sql(self, status, hours):
        """Credited hours as an SQL expression of a status column and an hours column: the
        rules' share of the session's hours, computed whenever it is read."""
        return sa.case(dict(self.credit), value=status, else_=0.0) * hours

    @property
    def frontline(self) -> Mapping[str, float]:
        """The five-frontline rule: disagreement_levels, min_sources_per_arena, strong_mean,
        strong_arena_min and weak_mean (see the [frontline] section of the rules file)."""
        return MappingProxyType(self.settings["frontline"])

    @property
    def talk_every_months(self) -> Mapping[str, int]:
        """Months in each calendar period a talker role owes one talk per chief (12: a year)."""
        return MappingProxyType(self.settings["talks"]["every_months"])

    @property
    def talk_owed_from_share(self) -> float:
        """A chief owes a period's talk when in a township post on at least this share of its days."""
        return self.settings["talks"]["owed_from_share"]

    @property
    def impact_months(self) -> Mapping[str, int]:
        """Months of the impact period of each sanction (see the [impact] section)."""
        return MappingProxyType(self.settings["impact"]["months"])

    @property
    def just_expired_months(self) -> int:
        """An impact period that ended within this many months is listed for special review."""
        return self.settings["impact"]["just_expired_months"]

    @property
    def rank_min_years(self) -> Mapping[str, int]:
        """Least whole years in the rank below before a rise to each rank."""
        return MappingProxyType(self.settings["ranks"]["min_years"])

    def department_choice(self, name: str) -> bool:
        """Whether a setting (its dotted name) is the department's own choice, not regulation."""
        return any(_covers(choice, name) for choice in DEPARTMENT_CHOICES)

    def confirmed(self, name: str) -> bool:
        """Whether the department has confirmed a setting of its own choice in its rules file
        ([department] confirmed names it or its section); a regulation needs no confirming."""
        if not self.department_choice(name):
            return True
        return any(_covers(given, name) for given in self.settings["department"]["confirmed"])

    def unconfirmed(self, name: str) -> tuple[str, str]:
        """("（待部门确认）", " (to be confirmed by the department)") for a setting of the
        department's own choice it has not confirmed yet; ("", "") otherwise. Shown beside
        the setting wherever it is shown.

        >>> load_rules().unconfirmed("frontline.strong_mean")[0], load_rules().unconfirmed("training.required_hours_per_year")
        ('（待部门确认）', ('', ''))
        """
        if self.confirmed(name):
            return "", ""
        return UNCONFIRMED

    def threshold(
        self, cohort_code: str, stored: float | None = None, kind: str | None = None
    ) -> float | None:
        """Attendance threshold of a cohort (the share of marked hours to be credited to
        complete): the rules file's entry for it, else the one stored with the cohort, else the
        default; None for a residential class (`kind`) the department set none for, whose
        completion the leave limit decides."""
        completion = self.settings["training"]["completion"]
        if cohort_code in completion["cohorts"]:
            return float(completion["cohorts"][cohort_code])
        if stored is not None and stored == stored:  # not None, not NaN
            return float(stored)
        if kind in self.residential_kinds:
            return None
        return float(completion["default"])

    def threshold_setting(self, cohort_code: str, stored: float | None = None) -> str:
        """The setting a cohort's attendance threshold comes from, to ask whether the department
        has confirmed it: its own entry (in the rules file or stored with the cohort) or the
        default."""
        completion = self.settings["training"]["completion"]
        if cohort_code in completion["cohorts"] or (stored is not None and stored == stored):
            return f"training.completion.cohorts.{cohort_code}"
        return "training.completion.default"

    def pass_instrument(self, cohort_code: str) -> str | None:
        """The code of the assessment a cohort's participants must pass to complete, if named."""
        return self.settings["training"]["completion"]["pass_instruments"].get(cohort_code)

    def credited(self, hours: float, status: str) -> float:
        """Hours a status earns in a session of `hours`."""
        return float(hours) * float(self.credit[status])

    def check_hours(self, hours: object) -> float:
        """The class hours of a session, or InvalidEntry naming the bounds."""
        low, high = self.session_hours
        if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not low <= float(hours) <= high:
            raise InvalidEntry(Problem.SESSION_HOURS, field="hours", low=low, high=high)
        return float(hours)

    def date_window(self, what: str, as_of: dt.date) -> tuple[dt.date, dt.date]:
        """The earliest and latest plausible date of a kind (`DATE_KINDS`).

        Births: from `dates.birth_earliest` to `dates.min_age` years before `as_of`. Posts (and
        ranks): from `dates.post_earliest` to `as_of`. Sessions: from `dates.session_earliest` to
        `dates.session_years_ahead` years after `as_of`. What happened (a talk, a decision, a
        score, a rating, a comment, a follow-up closed): from `dates.session_earliest` to `as_of`.
        What is planned (a follow-up's due date, a decision's own end of its impact period): from
        `dates.session_earliest` to `dates.session_years_ahead` years after `as_of`.
        """
        d = self.settings["dates"]
        if what == "birth":
            return d["birth_earliest"], _years_before(as_of, d["min_age"])
        if what == "post":
            return d["post_earliest"], as_of
        if what == "held":
            return d["session_earliest"], as_of
        if what in ("session", "planned"):
            return d["session_earliest"], _years_before(as_of, -d["session_years_ahead"])
        raise ValueError(f"no date window for {what!r}")

    def check_date(
        self,
        what: str,
        day: dt.date,
        as_of: dt.date,
        *,
        field: str | None = None,
        words: tuple[str, str] | None = None,
    ) -> None:
        """Refuse a date outside its plausible window (`date_window`), naming the window; one of
        what happened dated after `as_of` is refused as not happened yet. Every importer, form
        and API call checks its dates here. `field` (default: `what`) is the field the refusal
        names, `words` (Chinese, English) the date's name (default: the kind's)."""
        earliest, latest = self.date_window(what, as_of)
        zh, en = words or _WHAT[what]
        when = {"what_zh": zh, "what_en": en, "day": f"{day:%Y-%m-%d}", "as_of": f"{as_of:%Y-%m-%d}"}
        if what == "held" and day > as_of:
            raise InvalidEntry(Problem.AFTER_AS_OF, field=field or what, **when)
        if not earliest <= day <= latest:
            raise InvalidEntry(
                Problem.DATE_WINDOW, field=field or what, value=day, earliest=f"{earliest:%Y-%m-%d}",
                latest=f"{latest:%Y-%m-%d}", **when,
            )  # fmt: skip


@functools.cache
def default_rules() -> Rules:
    """The packaged rules, read once: what a check uses when no workspace's rules are given."""
    return load_rules()


def check_day(
    rules: Rules | None, what: str, day: dt.date, as_of: dt.date | None, field: str, words: tuple[str, str]
) -> None:
    """`Rules.check_date` of one date a check was given, naming its own field and words. Without
    an as-of date only the window's first day is checked (a pure check reads no clock); `rules`
    None: the packaged defaults."""
    (rules or default_rules()).check_date(what, day, as_of or day, field=field, words=words)


def load_rules(path: str | Path | None = None) -> Rules:
    """The default rules, with the settings of `path` (a TOML file) laid over them, all checked.

    Raises RulesError naming every setting at fault (unknown, of the wrong kind or range, or
    contradicting another) when the file cannot be used.

    >>> load_rules().credit["late"]
    0.75
    """
    settings = tomllib.loads(resources.files(__package__).joinpath("rules_default.toml").read_text("utf-8"))
    problems: list[str] = []
    if path is not None:
        settings = _merge(settings, _read(Path(path)), problems=problems)
    checked = check_rules(settings, problems=problems)
    problems += _in_order(checked)
    if len(problems) == 1:
        raise RulesError(problems[0])
    if problems:
        name = Path(path).name if path is not None else "rules_default.toml"
        raise RulesError(
            f"规则文件{name}中有{len(problems)}处设置不能使用，请逐一改正 rules file {name}: {len(problems)} "
            "settings cannot be used; correct each of them: " + " | ".join(problems)
        )
    return Rules(checked, Path(path) if path is not None else None)


def _read(path: Path) -> dict:
    """The settings of a rules file, or RulesError saying why it cannot be read (and how to save
    it when that is why: TOML is UTF-8 without a byte-order mark)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RulesError(f"规则文件无法读取 rules file {path.name} cannot be read: {exc.strerror}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        raise RulesError(
            f"规则文件无法读取：文件保存为“UTF-8 带BOM”编码，请另存为不带BOM的UTF-8 rules file {path.name} "
            "cannot be read: it is saved as UTF-8 with BOM (a byte-order mark, as Notepad writes it); save "
            "it as UTF-8 without BOM"
        )
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise RulesError(
            f"规则文件无法读取：文件不是UTF-8编码，请另存为UTF-8 rules file {path.name} cannot be read: it is "
            "not UTF-8 text (GBK, say); save it as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"规则文件无法读取 rules file {path.name} cannot be read: {exc}") from None
