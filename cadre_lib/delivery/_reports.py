"""Reports a trainer hands on: the cohort's attendance sheet, standings and warnings as .xlsx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..core.codes import for_display, label
from ..core.export import write_xlsx
from ..core.workspace import Workspace
from ..people import cohort_members
from ._analysis import attendance_matrix, held_sessions
from ._attendance import cohort_attendance
from ._hours import cohort_standing
from ._sessions import cohort_sessions
from ._standing import warnings_list

__all__ = ["export_delivery"]


def export_delivery(ws: Workspace, cohort: str, as_of: dt.date, folder: str | Path | None = None) -> Path:
    """Write `<cohort>_delivery_<as_of>.xlsx` into `folder` (default: the exports folder beside
    the workspace): sign-in sheet, standing, warnings. Writing it again replaces it.

    Headers and statuses are written in Chinese and English, as the notebooks show them; IDs are
    masked; no cell can run as a formula.
    """
    members, sessions = cohort_members(ws, cohort), held_sessions(cohort_sessions(ws, cohort), as_of)
    sheet = attendance_matrix(members, sessions, cohort_attendance(ws, cohort))
    sheet = sheet.apply(
        lambda col: col.map(lambda s: label("attendance_status", s, "zh") if isinstance(s, str) else s)
    )
    table = cohort_standing(ws, cohort, as_of)
    path = Path(folder or ws.exports_dir) / f"{cohort}_delivery_{as_of.isoformat()}.xlsx"
    return write_xlsx(
        path,
        {
            "签到表 Sign-in": sheet.rename_axis("姓名 name"),
            "学时 Standing": for_display(table),
            "预警 Warnings": for_display(warnings_list(table)),
        },
    )
