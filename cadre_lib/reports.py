"""Reports a trainer hands on: the cohort's attendance sheet, standings and warnings as .xlsx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import analysis, delivery
from .export import write_xlsx
from .standing import warnings_list
from .store import Workspace
from .vocab import label

__all__ = ["export_delivery"]


def export_delivery(ws: Workspace, cohort: str, as_of: dt.date, folder: str | Path | None = None) -> Path:
    """Write `<cohort>_delivery_<as_of>.xlsx` into `folder` (default: the exports folder beside
    the workspace): sign-in sheet, standing, warnings. Writing it again replaces it.

    Statuses are written as their Chinese labels; IDs are masked; no cell can run as a formula.
    """
    members, sessions = ws.cohort_members(cohort), ws.cohort_sessions(cohort)
    sessions = analysis.held_sessions(sessions, as_of)
    sheet = analysis.attendance_matrix(members, sessions, ws.cohort_attendance(cohort))
    sheet = sheet.apply(
        lambda col: col.map(lambda s: label("attendance_status", s, "zh") if isinstance(s, str) else s)
    )
    table = delivery.cohort_standing(ws, cohort, as_of)
    path = Path(folder or ws.exports_dir) / f"{cohort}_delivery_{as_of.isoformat()}.xlsx"
    return write_xlsx(
        path,
        {
            "签到表 Sign-in": sheet.rename_axis("姓名 name"),
            "学时 Standing": table,
            "预警 Warnings": warnings_list(table),
        },
    )
