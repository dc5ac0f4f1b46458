"""The care report a department hands on and prints: overdue talks per talker, coverage, open
follow-ups, the ledger, eligibility and the impact periods just ended, as one .xlsx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ..core.codes import column_headers, display_values
from ..core.export import ReportSheet, write_report
from ..core.workspace import Workspace
from ._cadence import newly_appointed, overdue_talks, talk_compliance, talk_coverage
from ._display import RENAMES, owners_shown
from ._eligibility import eligibility, just_expired
from ._ledger import outcomes
from ._talks import follow_ups

__all__ = ["export_care"]

_FORMATS = {
    "coverage": "0%",
    "days_overdue": "0",
    "days_past_due": "0",
    "days_in_post": "0",
    "days_left": "0",
}


def _sheet(frame: pd.DataFrame, columns: list[str], title: str) -> ReportSheet:
    """The chosen columns in words (numbers kept as numbers) with their two headers."""
    shown = owners_shown(frame[columns]).rename(columns={**RENAMES, "status": "talk_status"})
    names = list(shown.columns)
    values = display_values(shown, numbers=True).round(4)
    return ReportSheet(values, column_headers(names), dict(_FORMATS), None, title)


def export_care(
    ws: Workspace, as_of: dt.date, folder: str | Path | None = None, since: dt.date | None = None
) -> Path:
    """Write `care_<as_of>.xlsx` into `folder` (default: the exports folder beside the workspace):
    the overdue talks per talker, the chiefs new in post owed their first talk, coverage per county
    and period, the follow-ups open, the ledger, eligibility and the impact periods just ended. Writing it again replaces it. IDs are
    masked; no cell can run as a formula."""
    day = as_of.isoformat()
    compliance = talk_compliance(ws, as_of, since)
    share, (zh, en) = ws.rules.talk_owed_from_share, ws.rules.unconfirmed("talks.owed_from_share")

    def title(zh: str, en: str) -> str:
        return f"{zh} 截至 {day}  {en} as of {day}"

    sheets = {
        "逾期未谈 Overdue": _sheet(
            overdue_talks(compliance), ["talker", "period", "name", "township", "post", "days_overdue", "new_in_post"],
            title("各谈话人逾期未谈名单", "Overdue talks per talker"),
        ),
        "新任职应谈 New in post": _sheet(
            newly_appointed(compliance),
            ["talker", "period", "name", "township", "post", "days_in_post", "status", "days_overdue", "days_left"],
            title(f"新任职干部应谈名单（在任满周期天数的{share:.0%}即应谈{zh}）",
                  f"Chiefs new in post owed their first talk (owed once in post for {share:.0%} of a period{en})"),
        ),
        "覆盖率 Coverage": _sheet(
            talk_coverage(compliance), ["county", "talker_role", "period", "owed", "held", "late", "due", "overdue", "rate"],
            title("谈心谈话覆盖率", "Talk coverage"),
        ),
        "跟进事项 Follow-ups": _sheet(
            follow_ups(ws, as_of, open_only=True),
            ["name", "county", "township", "talk_date", "talker_role", "action", "owner", "due_date", "days_past_due"],
            title("未办结跟进事项", "Open follow-ups"),
        ),
        "台账 Ledger": _sheet(
            outcomes(ws, as_of),
            ["name", "county", "township", "kind", "date", "from_post", "to_post", "rank", "award", "sanction", "detail",
             "result"],
            title("激励与问责台账", "Outcomes ledger"),
        ),
        "资格审查 Eligibility": _sheet(
            eligibility(ws, as_of),
            ["name", "county", "township", "post", "impact", "promotion_eligible", "rank", "years_in_rank", "next_rank",
             "rank_eligible", "rank_reason"],
            title("资格审查（职级年限默认值待本部门确认）", "Eligibility (rank years: defaults to be confirmed)"),
        ),
        "影响期届满 Just ended": _sheet(
            just_expired(ws, as_of),
            ["name", "county", "township", "sanction", "date", "impact_until", "reviewed_on", "still_barred"],
            title("影响期刚届满名单", "Impact periods just ended"),
        ),
    }  # fmt: skip
    path = Path(folder or ws.exports_dir) / f"care_{day}.xlsx"
    return write_report(path, title("关心关爱与激励", "Care and incentives"), sheets)
