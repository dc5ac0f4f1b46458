"""Session schedules: one row a session of a cohort."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..delivery import recredit
from ..errors import InvalidEntry
from ..importing import Field, ImportReport, ParsedRow, Progress
from ..rules import check_date
from ..schema import TABLES
from ..vocab import label
from .common import (
    CohortRows,
    count_action,
    parse_day,
    parse_format,
    parse_hours,
    text_up_to,
)


class SessionImporter(CohortRows):
    """Session schedules: one row a session; the same cohort, date and topic is the same session."""

    kind = "sessions"
    fields = (
        Field(
            "cohort",
            "培训项目",
            "Cohort",
            ("项目", "班次", "培训班", "培训班次", "cohort code"),
            text_up_to(128),
        ),
        Field(
            "date", "日期", "Date", ("培训日期", "时间", "上课日期", "session date"), parse_day, required=True
        ),
        Field("format", "形式", "Format", ("培训形式", "方式", "教学形式"), parse_format, required=True),
        Field(
            "topic",
            "主题",
            "Topic",
            ("专题", "课程", "课程名称", "培训主题", "title"),
            text_up_to(256),
            required=True,
        ),
        Field("hours", "学时", "Hours", ("课时", "class hours"), parse_hours, required=True),
        Field("speaker", "主讲人", "Speaker", ("授课人", "主讲", "授课专家"), text_up_to(128)),
        Field("location", "地点", "Location", ("培训地点", "上课地点", "place"), text_up_to(128)),
    )

    def resolve(
        self,
        rows: list[ParsedRow],
        report: ImportReport,
        cohort: str | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        default = self.cohort_for_file(cohort)
        today = as_of or self.ws.clock().date()
        rules = self.ws.rules
        s = TABLES["session"]
        existing = {
            (int(r.cohort_id), r.date, r.topic): r
            for r in self.ws.frame(sa.select(s), reveal_ids=True).itertuples()
        }
        seen: dict[tuple, int] = {}
        self._plan = []
        for pr in rows:
            v = pr.values
            if any(v.get(k) is None for k in ("date", "format", "topic", "hours")):
                continue
            try:
                check_date(rules, "session", v["date"], today)
            except InvalidEntry as exc:
                self.error(report, pr, "date", str(exc))
                continue
            target = self.row_cohort(report, pr, default)
            if target is None:
                continue
            key = (target[0], v["date"], v["topic"])
            if key in seen:
                self.error(
                    report,
                    pr,
                    "topic",
                    f"与第{seen[key]}行为同一次课 the same session (cohort, date, topic) is already on row {seen[key]}",
                )
                continue
            seen[key] = pr.row
            values = {
                "cohort_id": target[0],
                "date": v["date"],
                "format": v["format"],
                "topic": v["topic"],
                "hours": v["hours"],
                "speaker": v.get("speaker"),
                "location": v.get("location"),
            }
            old = existing.get(key)
            changes = (
                {}
                if old is None
                else {k: x for k, x in values.items() if x is not None and getattr(old, k) != x}
            )
            action = "new" if old is None else "update" if changes else "unchanged"
            count_action(report, action)
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
                if "hours" in p["changes"]:
                    recredit(tx, p["id"], p["changes"]["hours"], self.ws.rules["attendance"]["credit"])
        if progress:
            progress(len(self._plan), len(self._plan))
