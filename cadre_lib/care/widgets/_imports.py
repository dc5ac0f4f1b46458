"""The care imports, for notebooks: the import widget over the talk and ledger importers."""

from __future__ import annotations

import datetime as dt

from ...core.widgets import ImportModel, ImportWidget
from ...core.workspace import Workspace
from .._import import OutcomeImporter, TalkImporter

__all__ = ["talk_import", "outcome_import"]


def _without_cohort(widget: ImportWidget) -> ImportWidget:
    """Talks and decisions are about a chief, not a cohort: no cohort to choose."""
    widget.cohort.layout.display = "none"
    return widget


def talk_import(ws: Workspace, as_of: dt.date | None = None) -> ImportWidget:
    """Import supervisory talks and their follow-ups from a file."""
    return _without_cohort(ImportWidget(ImportModel(ws, TalkImporter, None, as_of), []))


def outcome_import(ws: Workspace, as_of: dt.date | None = None) -> ImportWidget:
    """Import decisions of the outcomes ledger from a file."""
    return _without_cohort(ImportWidget(ImportModel(ws, OutcomeImporter, None, as_of), []))
