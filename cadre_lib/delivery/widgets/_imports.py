"""Import widgets of the delivery stage: session schedules and sign-in sheets."""

from __future__ import annotations

import datetime as dt

from ...core.widgets import ImportModel, ImportWidget
from ...core.workspace import Workspace
from ...people.widgets import cohort_options
from .._session_import import SessionImporter
from .._signin_import import AttendanceImporter

__all__ = ["schedule_import", "signin_import"]


def schedule_import(ws: Workspace, cohort: str | None = None, as_of: dt.date | None = None) -> ImportWidget:
    """Import a session schedule (课程表); rows without 培训项目 go to `cohort` (does not display it)."""
    return ImportWidget(ImportModel(ws, SessionImporter, cohort, as_of), cohort_options(ws))


def signin_import(ws: Workspace, cohort: str | None = None, as_of: dt.date | None = None) -> ImportWidget:
    """Import a sign-in sheet (签到表) of `cohort`'s sessions (does not display it)."""
    return ImportWidget(ImportModel(ws, AttendanceImporter, cohort, as_of), cohort_options(ws))
