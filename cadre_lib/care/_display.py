"""Care tables as a trainer reads them: the library's column names for analysts become the
workbook's two-language headers and labels (`core.codes.for_display`)."""

from __future__ import annotations

import pandas as pd

from ..core.codes import for_display

__all__ = ["display_table", "RENAMES", "OWNER_TO_ASSIGN", "owners_shown"]

# Columns whose names mean something else elsewhere in the workbook (a cohort's kind, an
# enrolment's status, an import's action, an attendance rate): renamed for display only.
RENAMES = {"kind": "outcome_kind", "period": "talk_period", "action": "follow_up", "rate": "coverage"}


# A follow-up agreed without an owner is stored with none, and shown so wherever it is listed.
OWNER_TO_ASSIGN = "责任人待明确 owner to be assigned"


def owners_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """A follow-up table for people: a missing owner reads 责任人待明确 owner to be assigned."""
    if "owner" not in frame.columns:
        return frame
    return frame.assign(owner=frame["owner"].where(frame["owner"].notna(), OWNER_TO_ASSIGN))


def display_table(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """A care table (talks, compliance, coverage, follow-ups, the ledger, eligibility) for
    people: `columns` (the library's names) chooses and orders them."""
    out = owners_shown(frame if columns is None else frame[list(columns)])
    status = "talk_status" if "days_overdue" in out.columns else "follow_up_status"
    out = out.rename(columns={**RENAMES, "status": status})
    return for_display(out)
