"""Session schedules: one row a session of a cohort; the same cohort, date and topic is the same session."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from ..core.codes import label
from ..core.errors import InvalidEntry
from ..core.fields import pick
from ..core.import_report import ImportReport
from ..core.importing import ParsedRow, Progress
from ..core.problems import Problem
from ..core.schema import TABLES
from ._cohort_rows import CohortRows

__all__ = ["SessionImporter"]


class SessionImporter(CohortRows):
    """Session schedules: one row a session; the same cohort, date and topic is the same session."""

    kind = "sessions"
    fields = pick(
        "cohort",
        "date",
        "format",
        "topic",
        "hours",
        "speaker",
        "location",
        required=("date", "format", "topic", "hours"),
    )

    def resolve(
        self,
        rows: list[ParsedRow],
        report: ImportReport,
        cohort: str | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        """Check each session (its cohort, its date and hours within the rules) and plan it: new,
        changed or as it is. `as_of` (default today) places the window of plausible dates."""
        default = self.cohort_for_file(cohort)
        today = as_of or self.ws.clock().date()
        s = TABLES["session"]
        existing = {
            (int(r.cohort_id), r.date, r.topic): r
            for r in self.ws.frame(sa.select(s), reveal_ids=True).itertuples()
        }
        seen: dict[tuple, int] = {}
        self._plan: list[dict[str, Any]] = []
        for pr in rows:
            v = pr.values
            if any(v.get(k) is None for k in ("date", "format", "topic", "hours")) or not self._checked(
                report, pr, today
            ):
                continue
            target = self.row_cohort(report, pr, default)
            if target is None:
                continue
            key = (target[0], v["date"], v["topic"])
            if key in seen:
                self.error(report, pr, "topic", Problem.DUPLICATE_SESSION, row=seen[key])
                continue
            seen[key] = pr.row
            self._plan_row(report, pr, target[0], existing.get(key))

    def _checked(self, report: ImportReport, pr: ParsedRow, today: dt.date) -> bool:
        """The row's date lies in the rules' window and its hours within their bounds."""
        ok = True
        for key, check in (
            ("date", lambda: self.ws.rules.check_date("session", pr.values["date"], today)),
            ("hours", lambda: self.ws.rules.check_hours(pr.values["hours"])),
        ):
            try:
                check()
            except InvalidEntry as exc:
                self.error(report, pr, key, exc)
                ok = False
        return ok

    def _plan_row(self, report: ImportReport, pr: ParsedRow, cohort_id: int, old: Any) -> None:
        v = pr.values
        values = {
            "cohort_id": cohort_id,
            "date": v["date"],
            "format": v["format"],
            "topic": v["topic"],
            "hours": v["hours"],
            "speaker": v.get("speaker"),
            "location": v.get("location"),
        }
        changes = (
            {} if old is None else {k: x for k, x in values.items() if x is not None and getattr(old, k) != x}
        )
        action = "new" if old is None else "update" if changes else "unchanged"
        report.count(action)
        report.plan.append(
            {
                "row": pr.row,
                "action": action,
                "date": v["date"],
                "format": label("format", v["format"], "zh"),
                "topic": v["topic"],
                "hours": v["hours"],
                "changes": ", ".join(changes),
            }
        )
        self._plan.append(
            {
                "action": action,
                "values": values,
                "id": None if old is None else int(old.id),
                "changes": changes,
            }
        )

    def write(self, tx, progress: Progress | None) -> None:
        new = [p["values"] for p in self._plan if p["action"] == "new"]
        if new:
            tx.insert("session", new)
        for p in self._plan:
            if p["changes"]:
                tx.update("session", p["id"], p["changes"])
        if progress:
            progress(len(self._plan), len(self._plan))
