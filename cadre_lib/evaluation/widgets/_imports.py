"""The evaluation imports, for notebooks: the import widget over each evaluation importer."""

from __future__ import annotations

import datetime as dt

from ...core.widgets import ImportModel, ImportWidget
from ...core.workspace import Workspace
from ...people.widgets import cohort_options
from .._import import AssessmentImporter, CommentImporter, ReviewImporter

__all__ = ["assessment_import", "review_import", "comment_import"]


def assessment_import(ws: Workspace, cohort: str | None = None, as_of: dt.date | None = None) -> ImportWidget:
    """Import assessment scores from a file (the cohort chosen above it when the file has none)."""
    return ImportWidget(ImportModel(ws, AssessmentImporter, cohort, as_of), cohort_options(ws))


def review_import(ws: Workspace, as_of: dt.date | None = None) -> ImportWidget:
    """Import frontline ratings from a file (no cohort: a review is of a chief)."""
    return _without_cohort(ImportWidget(ImportModel(ws, ReviewImporter, None, as_of), []))


def comment_import(ws: Workspace, as_of: dt.date | None = None) -> ImportWidget:
    """Import evaluation comments from a file."""
    return _without_cohort(ImportWidget(ImportModel(ws, CommentImporter, None, as_of), []))


def _without_cohort(widget: ImportWidget) -> ImportWidget:
    """Ratings and comments are of a chief, not of a cohort: no cohort to choose."""
    widget.cohort.layout.display = "none"
    return widget
