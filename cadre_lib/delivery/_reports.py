"""The report a trainer hands on and prints: a cohort's sign-in sheet, the sessions with marks
missing, standings, warnings and every chief's yearly requirement, as one .xlsx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from .. import people
from ..core.codes import column_headers, display_values, label
from ..core.export import ReportSheet, write_report
from ..core.workspace import Workspace
from ._analysis import attendance_matrix, held_sessions
from ._attendance import cohort_attendance
from ._hours import cohort_standing, cohort_unmarked
from ._rules_text import credit_text, day_rule_text, training_rules_text
from ._sessions import cohort_sessions
from ._standing import STANDING_COLUMNS, warnings_list
from ._yearly import YEARLY_COLUMNS, yearly_compliance

__all__ = ["export_delivery", "STANDING_SHOWN", "WARNINGS_SHOWN", "YEARLY_EXPORTED"]

# The columns each sheet shows, in order (codes; headed in Chinese with English below).
STANDING_SHOWN = STANDING_COLUMNS[1:]  # all but the internal number
WARNINGS_SHOWN = ["name", "county", "township", "post", "warning", "since", "hours_short", "detail"]
YEARLY_EXPORTED = YEARLY_COLUMNS[1:]
_FORMATS = {"rate": "0%", "threshold": "0%", "post_days": "0", "missing": "0"}


def _sheet(frame: pd.DataFrame, columns: list[str], title: str, subtitle: str | None = None) -> ReportSheet:
    """A table's chosen columns in words (numbers kept as numbers, without float noise) with
    their two headers, under its own title."""
    values = display_values(frame, columns=columns, numbers=True).round(4)
    return ReportSheet(values, column_headers(columns), dict(_FORMATS), subtitle, title)


def _signin(
    members: pd.DataFrame, sessions: pd.DataFrame, attendance: pd.DataFrame, title: str
) -> ReportSheet:
    """The sign-in grid: names down, sessions across (date in Chinese row, number in English)."""
    grid = attendance_matrix(members, sessions, attendance)
    words = grid.apply(lambda col: col.map(_mark_words))
    words.insert(0, "name", grid.index)
    headers = [("姓名", "Name")] + [
        (f"{d:%Y-%m-%d}", f"#{i}") for d, i in zip(sessions["date"], sessions["id"], strict=True)
    ]
    return ReportSheet(
        words.reset_index(drop=True), headers, {}, "空白：当时未参训 blank: not enrolled then", title
    )


def _mark_words(code: object) -> object:
    if code == "unmarked":
        return "未记"
    return label("attendance_status", code, "zh") if isinstance(code, str) else None


def export_delivery(ws: Workspace, cohort: str, as_of: dt.date, folder: str | Path | None = None) -> Path:
    """Write `<cohort>_delivery_<as_of>.xlsx` into `folder` (default: the exports folder beside
    the workspace): sign-in sheet, sessions with marks missing, standings, warnings and the
    yearly requirement of every chief. Writing it again replaces it.

    Each sheet has a title row naming the cohort and the as-of date, Chinese headers with the
    English below, frozen headers, fitted columns and a print setup; rates are percentages and
    hours have one decimal, as numbers. IDs are masked; no cell can run as a formula.
    """
    name = people.cohorts(ws).set_index("code").loc[cohort, "name"]
    sessions = held_sessions(cohort_sessions(ws, cohort), as_of)
    members = people.cohort_members(ws, cohort, as_of=as_of)
    table = cohort_standing(ws, cohort, as_of)
    rules = training_rules_text(ws, cohort)  # the rules the figures follow, beside them
    day = as_of.isoformat()

    def title(zh: str, en: str) -> str:
        return f"{name}（{cohort}）{zh} 截至 {day}  {cohort} {en} as of {day}"

    sheets = {
        "签到表 Sign-in": _signin(
            members, sessions, cohort_attendance(ws, cohort), title("签到表", "sign-in sheet")
        ),
        "未记考勤 Unmarked": _sheet(
            cohort_unmarked(ws, cohort, as_of),
            ["date", "topic", "hours", "missing"],
            title("未记考勤的课次", "sessions with marks missing"),
        ),
        "学时情况 Standing": _sheet(table, STANDING_SHOWN, title("学时情况", "standing"), rules),
        "预警 Warnings": _sheet(warnings_list(table), WARNINGS_SHOWN, title("预警名单", "warnings"), rules),
        "年度要求 Yearly": _sheet(
            yearly_compliance(ws, as_of),
            YEARLY_EXPORTED,
            f"乡镇党政正职年度培训情况 截至 {day}  Every township chief's yearly training as of {day}",
            "本年度任过乡镇党政正职者全部列出 every chief who held a township post this year.\n"
            + credit_text(ws.rules)
            + "\n"
            + day_rule_text(ws.rules),
        ),
    }
    path = Path(folder or ws.exports_dir) / f"{cohort}_delivery_{as_of.isoformat()}.xlsx"
    return write_report(path, title("培训实施情况", "training delivery"), sheets)
