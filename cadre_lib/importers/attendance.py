"""Sign-in sheets: one row a person and session."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..delivery import credited_hours, enrolled_on
from ..errors import InvalidEntry
from ..importing import Field, ImportReport, ParsedRow, Progress
from ..normalize import (
    clean_header,
    clean_name,
    clean_text,
    parse_national_id,
    to_simplified,
)
from ..schema import TABLES
from ..vocab import label
from .common import (
    CohortRows,
    count_action,
    parse_day,
    text_up_to,
)

_STATUS_WORDS = {
    "出勤": "present",
    "到": "present",
    "√": "present",
    "✓": "present",
    "present": "present",
    "迟到": "late",
    "late": "late",
    "早退": "left_early",
    "left early": "left_early",
    "left_early": "left_early",
    "请假": "excused",
    "假": "excused",
    "excused": "excused",
    "缺勤": "absent",
    "旷课": "absent",
    "未到": "absent",
    "×": "absent",
    "absent": "absent",
}


def _status(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    found = _STATUS_WORDS.get(to_simplified(text).lower())
    if found is None:
        raise InvalidEntry(
            f"考勤请填写出勤、迟到、早退、请假或缺勤 '{text[:10]}' is not an attendance mark; write 出勤, 迟到, 早退, 请假 or 缺勤"
        )
    return found


class AttendanceImporter(CohortRows):
    """Sign-in sheets: one row a person and session; the person by ID, or by name within the cohort."""

    kind = "attendance"
    fields = (
        Field("cohort", "培训项目", "Cohort", ("项目", "班次", "培训班"), text_up_to(128)),
        Field("date", "日期", "Date", ("培训日期", "上课日期", "session date"), parse_day, required=True),
        Field("topic", "主题", "Topic", ("专题", "课程", "课程名称"), text_up_to(256)),
        Field("name", "姓名", "Name", ("名字",), clean_name, required=True),
        Field("national_id", "公民身份号码", "ID", ("身份证号", "身份证号码", "身份证"), parse_national_id),
        Field(
            "status", "考勤", "Attendance", ("签到", "出勤情况", "考勤情况", "status"), _status, required=True
        ),
        Field("remark", "备注", "Notes", ("remarks", "说明"), text_up_to(500)),  # read, not stored
    )

    def resolve(
        self,
        rows: list[ParsedRow],
        report: ImportReport,
        cohort: str | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        default = self.cohort_for_file(cohort)
        credit = self.ws.rules["attendance"]["credit"]
        a = TABLES["attendance"]
        self._plan = []
        seen: dict[tuple[int, int], int] = {}
        cache: dict[int, tuple] = {}
        for pr in rows:
            v = pr.values
            if any(v.get(k) is None for k in ("date", "name", "status")):
                continue
            target = self.row_cohort(report, pr, default)
            if target is None:
                continue
            if target[0] not in cache:
                code = self.ws.frame(
                    sa.select(TABLES["cohort"].c.code).where(TABLES["cohort"].c.id == target[0])
                )["code"].iloc[0]
                members = self.ws.cohort_members(code, reveal_ids=True)
                cache[target[0]] = (self.ws.cohort_sessions(code, reveal_ids=True), members)
            sessions, members = cache[target[0]]
            that_day = sessions[sessions["date"] == v["date"]]
            if v.get("topic"):
                that_day = that_day[that_day["topic"].map(clean_header) == clean_header(v["topic"])]
            if len(that_day) != 1:
                self.error(
                    report,
                    pr,
                    "date",
                    "该项目当天没有课 no session of this cohort on that date"
                    if that_day.empty
                    else "当天有多次课，请填写主题 several sessions that day: fill in 主题 (topic) to say which",
                )
                continue
            session = that_day.iloc[0]
            here = members[enrolled_on(members, v["date"])]
            if v.get("national_id"):
                match = here[here["national_id"] == v["national_id"][0]]
            else:
                match = here[here["name"] == v["name"]]
            if len(match) != 1:
                self.error(
                    report,
                    pr,
                    "name",
                    "当天不在该项目参训名单中 not enrolled in this cohort on that date"
                    if match.empty
                    else "有重名学员，请填写公民身份号码 two participants have this name: fill in 公民身份号码 (ID) to say which",
                )
                continue
            pid, sid = int(match["person_id"].iloc[0]), int(session["id"])
            if (sid, pid) in seen:
                self.error(
                    report,
                    pr,
                    "name",
                    f"与第{seen[sid, pid]}行重复 this person is already marked for this session on row {seen[sid, pid]}",
                )
                continue
            seen[sid, pid] = pr.row
            old = self.ws.frame(
                sa.select(a.c.id, a.c.status).where(a.c.session_id == sid, a.c.person_id == pid)
            )
            values = {
                "status": v["status"],
                "hours_credited": credited_hours(session["hours"], v["status"], credit),
            }
            action = "new" if old.empty else "unchanged" if old["status"].iloc[0] == v["status"] else "update"
            count_action(report, action)
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
                    "action": action,
                    "session_id": sid,
                    "person_id": pid,
                    "values": values,
                    "id": None if old.empty else int(old["id"].iloc[0]),
                }
            )

    def write(self, tx, progress: Progress | None) -> None:
        new = [
            {"session_id": p["session_id"], "person_id": p["person_id"], **p["values"]}
            for p in self._plan
            if p["action"] == "new"
        ]
        if new:
            tx.insert("attendance", new)
        for p in self._plan:
            if p["action"] == "update":
                tx.update("attendance", p["id"], p["values"])
        if progress:
            progress(len(self._plan), len(self._plan))
