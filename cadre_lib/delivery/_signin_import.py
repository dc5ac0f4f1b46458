"""Sign-in sheets: one row a person and session; the person by name within the cohort (or by ID)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ..core.codes import label
from ..core.errors import InvalidEntry
from ..core.fields import pick
from ..core.import_report import ImportReport
from ..core.importing import ParsedRow, Progress
from ..core.normalize import clean_header
from ..core.problems import Problem
from ..core.schema import TABLES
from ..people import Directory, cohort_members
from ._attendance import off_the_sheet, on_the_sheet
from ._cohort_rows import CohortRows
from ._sessions import cohort_sessions

__all__ = ["AttendanceImporter"]


class AttendanceImporter(CohortRows):
    """Sign-in sheets: one row a person and session; the person by ID, or by name within the
    cohort, every identifying column given (name, ID, township, county) agreeing."""

    kind = "attendance"
    # 备注 is read (so a note column is not taken for an unknown one) but not stored.
    fields = pick(
        "cohort",
        "date",
        "topic",
        "name",
        "national_id",
        "county",
        "township",
        "status",
        "remark",
        required=("date", "name", "status"),
    )

    def resolve(
        self,
        rows: list[ParsedRow],
        report: ImportReport,
        cohort: str | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        """Find each row's session and participant (on that session's sheet) and plan the mark."""
        default = self.cohort_for_file(cohort)
        self._directory = Directory(self.ws)
        self._plan: list[dict[str, Any]] = []
        self._seen: dict[tuple[int, int], int] = {}
        cache: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}
        today = as_of or self.ws.clock().date()
        for pr in rows:
            v = pr.values
            if any(v.get(k) is None for k in ("date", "name", "status")) or not self._dated(
                report, pr, today
            ):
                continue
            target = self.row_cohort(report, pr, default)
            if target is None:
                continue
            if target[0] not in cache:
                code = self.ws.frame(
                    sa.select(TABLES["cohort"].c.code).where(TABLES["cohort"].c.id == target[0])
                )
                code = code["code"].iloc[0]
                cache[target[0]] = (
                    cohort_sessions(self.ws, code, reveal_ids=True),
                    cohort_members(self.ws, code, reveal_ids=True),
                )
            session = self._session(report, pr, cache[target[0]][0])
            pid = (
                None
                if session is None
                else self._person(report, pr, on_the_sheet(cache[target[0]][1], v["date"]))
            )
            if pid is not None:
                self._plan_mark(report, pr, session, pid)

    def _dated(self, report: ImportReport, pr: ParsedRow, today: dt.date) -> bool:
        """True when the row's date lies in the sessions' window (else reported on its column)."""
        try:
            self.ws.rules.check_date("session", pr.values["date"], today, field="date")
        except InvalidEntry as exc:
            self.error(report, pr, "date", exc)
            return False
        return True

    def _session(self, report: ImportReport, pr: ParsedRow, sessions: pd.DataFrame) -> pd.Series | None:
        """The one session of the cohort on the row's date (and topic, when a day has several)."""
        v = pr.values
        that_day = sessions[sessions["date"] == v["date"]]
        if v.get("topic"):
            that_day = that_day[that_day["topic"].map(clean_header) == clean_header(v["topic"])]
        if len(that_day) != 1:
            self.error(
                report,
                pr,
                "date",
                Problem.NO_SESSION_THAT_DAY if that_day.empty else Problem.SEVERAL_SESSIONS,
            )
            return None
        return that_day.iloc[0]

    def _person(self, report: ImportReport, pr: ParsedRow, participants: pd.DataFrame) -> int | None:
        """The one participant on the session's sheet the row names (by ID when it gives one),
        the name, ID, township and county given all agreeing (`people.Directory.find`)."""
        on_sheet = set(participants["person_id"].astype(int))
        try:
            pid = self._directory.find(pr.values, pr.values["date"], among=on_sheet)
        except InvalidEntry as exc:
            by_name = {
                Problem.UNKNOWN_PERSON: Problem.NOT_ENROLLED,
                Problem.SAME_NAME_PERSON: Problem.SAME_NAME,
            }
            if exc.problem in by_name and exc.field == "name":
                self.error(report, pr, "name", by_name[exc.problem])
            else:
                self.error(report, pr, exc.field if exc.field in self._headers else "name", exc)
            return None
        if pid not in on_sheet:
            self.error(report, pr, "name", Problem.NOT_ENROLLED)
            return None
        return pid

    def _plan_mark(self, report: ImportReport, pr: ParsedRow, session: pd.Series, pid: int) -> None:
        v, sid, a = pr.values, int(session["id"]), TABLES["attendance"]
        if (sid, pid) in self._seen:
            self.error(report, pr, "name", Problem.DUPLICATE_MARK, row=self._seen[sid, pid])
            return
        self._seen[sid, pid] = pr.row
        old = self.ws.frame(sa.select(a.c.id, a.c.status).where(a.c.session_id == sid, a.c.person_id == pid))
        values = {"status": v["status"]}
        action = "new" if old.empty else "unchanged" if old["status"].iloc[0] == v["status"] else "update"
        report.count(action)
        report.plan.append(
            {
                "row": pr.row,
                "action": action,
                "date": v["date"],
                "topic": session["topic"],
                "name": v["name"],
                "status": label("attendance_status", v["status"], "zh"),
                "was": "" if old.empty else label("attendance_status", old["status"].iloc[0], "zh"),
            }
        )
        self._plan.append(
            {
                "session": session,
                "person_id": pid,
                "values": values,
                "at": len(report.plan) - 1,
                "row": pr.row,
            }
        )

    def write(self, tx, progress: Progress | None) -> None:
        """Each mark saved by its key, once every person is checked to be on their session's sheet
        still (a promotion or withdrawal saved since the check refuses the whole file, naming the
        row); a mark saved meanwhile by someone else is replaced, as a file does, and said."""
        by_session: dict[int, list[dict]] = {}
        for p in self._plan:
            by_session.setdefault(int(p["session"]["id"]), []).append(p)
        for plans in by_session.values():
            gone = off_the_sheet(tx, plans[0]["session"], sorted(p["person_id"] for p in plans))
            for p in plans:
                if p["person_id"] in gone:
                    raise InvalidEntry(
                        Problem.NOT_ON_SHEET_NOW, field="name", row=p["row"], name=self._directory.names[p["person_id"]],
                        why_zh=gone[p["person_id"]][0], why_en=gone[p["person_id"]][1],
                    )  # fmt: skip
        for p in sorted(self._plan, key=lambda p: (int(p["session"]["id"]), p["person_id"])):
            key = {"session_id": int(p["session"]["id"]), "person_id": p["person_id"]}
            done = tx.put("attendance", key, p["values"])
            status = (done.was or {}).get("status")
            was = label("attendance_status", status, "zh") if status else self.report.plan[p["at"]].get("was")
            self.report.wrote(p["at"], done.action, was, done.by)
        if progress:
            progress(len(self._plan), len(self._plan))
