"""People widgets: the roster import (choose a file, read the check, confirm) and the cohort list."""

from __future__ import annotations

import datetime as dt

from ..core.widgets import ImportModel, ImportWidget
from ..core.workspace import Workspace
from ._cohorts import cohorts
from ._roster import RosterImporter

__all__ = ["cohort_options", "roster_import"]


def cohort_options(ws: Workspace) -> list[tuple[str, str]]:
    """(label, code) of every cohort, oldest first, for a dropdown."""
    return [(f"{r.code} — {r.name}", r.code) for r in cohorts(ws).itertuples()]


def roster_import(ws: Workspace, cohort: str | None = None, as_of: dt.date | None = None) -> ImportWidget:
    """The roster import widget: people found in the file are enrolled in `cohort` from `as_of`
    (does not display it)."""
    return ImportWidget(ImportModel(ws, RosterImporter, cohort, as_of), cohort_options(ws))
