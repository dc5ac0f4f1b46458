"""Roster and session-schedule importers built on the import machinery."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from .delivery import credited_hours, recredit
from .errors import InvalidEntry
from .ids import mask_national_id, scrub_ids
from .importing import Field, Importer, ImportReport, ParsedRow, Progress
from .normalize import (
    clean_header,
    clean_name,
    clean_text,
    parse_date,
    parse_national_id,
    parse_number,
    parse_sex,
)
from .schema import TABLES
from .vocab import VOCAB, label

__all__ = [
    "RosterImporter",
    "SessionImporter",
    "AttendanceImporter",
    "import_roster",
    "import_sessions",
    "check_file",
    "IMPORTERS",
]


def _text(limit: int):
    def parse(value: object) -> str | None:
        text = clean_text(value)
        if text is not None and len(text) > limit:
            raise InvalidEntry(f"超过{limit}字 too long: at most {limit} characters")
        return text

    return parse


def _post(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    low = text.lower()
    if "书记" in text or "secretary" in low:
        return "secretary"
    if any(w in text for w in ("镇长", "乡长", "主任")) or "head" in low:
        return "head"
    raise InvalidEntry(
        f"'{text[:20]}' is not a township chief's post; write 党委书记 or 镇长/乡长/街道办事处主任"
    )


def _phone(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    digits = text.replace(" ", "").replace("-", "")
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        raise InvalidEntry(
            "电话号码应为7至15位数字 a phone number has 7 to 15 digits (dashes and spaces allowed)"
        )
    return text


def _day(value: object) -> dt.date | None:
    try:
        parsed = parse_date(value)
    except InvalidEntry as exc:
        raise InvalidEntry(
            f"{str(exc).split(';')[0]}; 上课日期请写作 write session dates as 2026-03-18"
        ) from None
    if parsed is None:
        return None
    if not parsed[1]:
        raise InvalidEntry("上课日期须写到日 a session date needs the day, e.g. 2026-03-18")
    return parsed[0]


def _format(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    key = clean_header(text)
    for code, (zh, en) in VOCAB["format"].items():
        if key in (clean_header(code), clean_header(zh), clean_header(en)):
            return code
    for word, code in (
        ("研讨", "seminar"),
        ("讨论", "seminar"),
        ("观摩", "site_visit"),
        ("现场", "site_visit"),
        ("分享", "experience_sharing"),
        ("交流", "experience_sharing"),
        ("授课", "lecture"),
        ("讲座", "lecture"),
        ("讲堂", "lecture"),
        ("lecture", "lecture"),
        ("visit", "site_visit"),
        ("seminar", "seminar"),
        ("sharing", "experience_sharing"),
    ):
        if word in key:
            return code
    raise InvalidEntry(
        f"'{text[:20]}' is not a session format; write 专家授课, 专场观摩, 专项分享 or 专题研讨"
    )


def _hours(value: object) -> float | None:
    return parse_number(value, low=0.5, high=24, what="class hours")


def _unit_keys(name: str, code: str) -> set[str]:
    """A county or township answers to its code, its name, and its name without 县/区/镇/乡/街道."""
    key = clean_header(name)
    keys = {key, clean_header(code)}
    for suffix in ("街道", "县", "区", "镇", "乡"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            keys.add(key[: -len(suffix)])
    return keys


def _same_day(typed: tuple[dt.date, bool], known: dt.date) -> bool:
    """A date typed without a day (1985.03) agrees with any day of that month."""
    day, has_day = typed
    return day == known if has_day else (day.year, day.month) == (known.year, known.month)


def _count(report: ImportReport, action: str) -> None:
    attr = {"new": "imported", "update": "updated", "unchanged": "unchanged"}[action]
    setattr(report, attr, getattr(report, attr) + 1)


def _cohort(ws, value: str | None) -> tuple[int, dt.date] | None:
    if not value:
        return None
    c = TABLES["cohort"]
    key = clean_header(value)
    rows = ws.frame(sa.select(c.c.id, c.c.code, c.c.name, c.c.start_date))
    for r in rows.itertuples():
        if key in (clean_header(r.code), clean_header(r.name)):
            return int(r.id), r.start_date
    from .importing import suggest

    raise InvalidEntry(
        f"cohort '{value}' is not in the workspace.{suggest(value, rows['code'].tolist() + rows['name'].tolist())}"
    )


class RosterImporter(Importer):
    """People with their township post: the same ID is the same person, updated, never doubled."""

    kind = "roster"
    fields = (
        Field("name", "姓名", "Name", ("名字", "name"), clean_name, required=True),
        Field(
            "national_id",
            "公民身份号码",
            "ID",
            ("身份证号", "身份证号码", "身份证", "id number", "national id"),
            parse_national_id,
            required=True,
        ),
        Field("birth", "出生年月", "Birth date", ("出生日期", "出生年月日", "date of birth"), parse_date),
        Field("sex", "性别", "Sex", ("gender",), parse_sex),
        Field("ethnicity", "民族", "Ethnicity", (), _text(32)),
        Field("education", "学历", "Education", ("文化程度",), _text(32)),
        Field(
            "county",
            "县(区)",
            "County",
            ("县区", "区县", "县", "所在县区", "county/district"),
            _text(64),
            required=True,
        ),
        Field(
            "township",
            "乡镇(街道)",
            "Township",
            ("乡镇", "街道", "乡镇街道", "所在乡镇"),
            _text(64),
            required=True,
        ),
        Field("post", "现任职务", "Post", ("职务", "position"), _post, required=True),
        Field("post_since", "任现职时间", "In post since", ("任职时间", "任现职务时间"), parse_date),
        Field("phone", "联系电话", "Phone", ("电话", "手机", "手机号码"), _phone),
        Field("remark", "备注", "Notes", ("remarks", "remark"), lambda v: scrub_ids(_text(500)(v))),
    )

    def resolve(
        self,
        rows: list[ParsedRow],
        report: ImportReport,
        cohort: str | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        """Check rows against the workspace and plan the writes.

        `as_of` is the day people enrolled by this import join the cohort, and the start of a
        post whose 任现职时间 is blank (default: today by the clock).
        """
        today = as_of or self.ws.clock().date()
        st = self._state(cohort, today)
        seen: dict[str, int] = {}
        posts_in_file: dict[tuple[int, str], int] = {}
        self._plan: list[dict[str, Any]] = []
        for pr in rows:
            v = pr.values
            if v.get("national_id") is None or v.get("name") is None or not self._identity(report, pr, seen):
                continue
            town_id = self._township(report, pr, st)
            if town_id is None or v.get("post") is None:
                continue
            post_key = (town_id, v["post"])
            if post_key in posts_in_file:
                first = posts_in_file[post_key]
                self.error(
                    report,
                    pr,
                    "post",
                    f"与第{first}行职务重复 row {first} already names this township's "
                    f"{'secretary' if v['post'] == 'secretary' else 'head'}; one person a post",
                )
                continue
            posts_in_file[post_key] = pr.row
            self._plan_row(report, pr, st, post_key, today)
        self._cohort = st.target

    def _state(self, cohort: str | None, today: dt.date) -> SimpleNamespace:
        """What the rows are checked against: places, people, open posts, the cohort's members."""
        ws = self.ws
        st = SimpleNamespace()
        counties = ws.table("county")
        st.county_ids = {k: int(r.id) for r in counties.itertuples() for k in _unit_keys(r.name, r.code)}
        st.county_names = counties["name"].tolist()
        st.town_ids, st.town_names = {}, {}
        for r in ws.table("township").itertuples():
            st.town_ids.setdefault(int(r.county_id), {}).update(
                dict.fromkeys(_unit_keys(r.name, r.code), int(r.id))
            )
            st.town_names.setdefault(int(r.county_id), []).append(r.name)
        people = ws.table("person", reveal_ids=True)
        st.people = {r.national_id: r for r in people.itertuples() if r.national_id}
        st.names = dict(zip(people["id"].astype(int), people["name"], strict=True))
        tenures = ws.table("post_tenure").query("end_date.isna()")
        st.open_tenure = {int(r.person_id): r for r in tenures.itertuples()}
        st.holders = {}
        for r in tenures.itertuples():
            st.holders.setdefault((int(r.township_id), r.post), []).append(r)
        st.target, st.enrolled = _cohort(ws, cohort), set()
        if st.target:
            ended = ws.cohorts().set_index("id")["end_date"].get(st.target[0])
            if ended is not None and ended == ended and ended < today:
                raise InvalidEntry(f"cohort '{cohort}' ended on {ended}; enroll people in a current cohort")
            st.target = (st.target[0], max(st.target[1], today))  # they join from today, not from the start
            e = ws.table("enrollment")
            st.enrolled = set(e.loc[e["cohort_id"] == st.target[0], "person_id"].astype(int))
        return st

    def _identity(self, report: ImportReport, pr: ParsedRow, seen: dict[str, int]) -> bool:
        """One row per person, and the birth date and sex typed agree with the ID number."""
        v = pr.values
        nid, birth, sex = v["national_id"]
        if nid in seen:
            self.error(
                report,
                pr,
                "national_id",
                f"与第{seen[nid]}行身份证号重复 the same ID is already on row "
                f"{seen[nid]}; keep one row per person",
            )
            return False
        seen[nid] = pr.row
        if v.get("birth") and not _same_day(v["birth"], birth):
            self.error(
                report,
                pr,
                "birth",
                f"与身份证号中的出生日期{birth:%Y-%m-%d}不符 the ID number says born "
                f"{birth:%Y-%m-%d}; correct the birth date or the ID",
            )
        if v.get("sex") and v["sex"] != sex:
            said = "男" if sex == "M" else "女"
            self.error(
                report,
                pr,
                "sex",
                f"与身份证号中的性别（{said}）不符 the ID number says {said}; correct the sex or the ID",
            )
        return True

    def _township(self, report: ImportReport, pr: ParsedRow, st: SimpleNamespace) -> int | None:
        """The township's id, found within its county; None after reporting why not."""
        v = pr.values
        if not v.get("county"):
            return None
        try:
            county_id = self.lookup(v["county"], st.county_ids, "county", st.county_names)
        except InvalidEntry as exc:
            self.error(report, pr, "county", str(exc))
            return None
        if not v.get("township"):
            return None
        try:
            return self.lookup(
                v["township"], st.town_ids.get(county_id, {}), "township", st.town_names.get(county_id, [])
            )
        except InvalidEntry as exc:
            self.error(
                report,
                pr,
                "township",
                str(exc).replace(" is not in the workspace.", f" is not in {v['county']}."),
            )
            return None

    def _plan_row(
        self,
        report: ImportReport,
        pr: ParsedRow,
        st: SimpleNamespace,
        post_key: tuple[int, str],
        today: dt.date,
    ) -> None:
        """Decide what one checked row writes: a new person or changes, a post, an enrollment."""
        v = pr.values
        nid, birth, sex = v["national_id"]
        notes = (
            "; ".join(
                [*([v["remark"]] if v.get("remark") else []), *(f"{k}: {x}" for k, x in pr.extra.items())]
            )
            or None
        )
        fields = {
            "name": v["name"],
            "ethnicity": v.get("ethnicity"),
            "education": v.get("education"),
            "phone": v.get("phone"),
            "notes": notes,
        }
        existing = st.people.get(nid)
        pid = None if existing is None else int(existing.id)
        changes: dict[str, Any] = {}
        if existing is not None:
            if existing.name != v["name"]:
                self.error(
                    report,
                    pr,
                    "name",
                    f"该身份证号在工作区中属于{existing.name} this ID belongs to "
                    f"{existing.name} in the workspace; check the ID number or the name",
                )
                return
            changes = {k: x for k, x in fields.items() if x is not None and getattr(existing, k) != x}
        start = v.get("post_since")
        tenure = st.open_tenure.get(pid) if pid is not None else None
        replaced = []
        if tenure is None or (int(tenure.township_id), tenure.post) != post_key:
            tenure_action = "new post"
            replaced = [t for t in st.holders.get(post_key, []) if int(t.person_id) != pid]
        elif start and not _same_day(start, tenure.start_date):
            tenure_action = "post start date"
        else:
            tenure_action = ""
        enrol = bool(st.target) and (pid is None or pid not in st.enrolled)
        action = (
            "new" if existing is None else "update" if (changes or tenure_action or enrol) else "unchanged"
        )
        _count(report, action)
        what = [
            *changes,
            *([tenure_action] if tenure_action and existing is not None else []),
            *(["enrollment"] if enrol and existing is not None else []),
        ]
        report.plan.append(
            {
                "row": pr.row,
                "action": action,
                "name": v["name"],
                "national_id": mask_national_id(nid),
                "county": v["county"],
                "township": v["township"],
                "post": label("post", v["post"], "zh"),
                "changes": ", ".join(what),
                "replaces": "、".join(st.names.get(int(t.person_id), "") for t in replaced),
            }
        )
        self._plan.append(
            {
                "action": action,
                "fields": {**fields, "national_id": nid, "birth_date": birth, "sex": sex},
                "person_id": pid,
                "changes": changes,
                "tenure": tenure,
                "replaced": replaced,
                "tenure_action": tenure_action,
                "township_id": post_key[0],
                "post": v["post"],
                "start": start[0] if start else today,
                "enrol": enrol,
            }
        )

    def write(self, tx, progress: Progress | None) -> None:
        plan = self._plan
        new = [p for p in plan if p["action"] == "new"]
        ids = tx.insert("person", [p["fields"] for p in new]) if new else []
        for p, pid in zip(new, ids):
            p["person_id"] = pid
        tenures, enrollments = [], []
        for n, p in enumerate(plan, 1):
            if p["changes"]:
                tx.update("person", p["person_id"], p["changes"])
            if p["tenure_action"] == "post start date":
                tx.update("post_tenure", int(p["tenure"].id), {"start_date": p["start"]})
            elif p["tenure_action"] == "new post":
                # The person leaves their old post, and whoever held this one leaves it, that day.
                for old in [p["tenure"], *p["replaced"]]:
                    if old is not None:
                        tx.update("post_tenure", int(old.id), {"end_date": max(p["start"], old.start_date)})
                tenures.append(
                    {
                        "person_id": p["person_id"],
                        "township_id": p["township_id"],
                        "post": p["post"],
                        "start_date": p["start"],
                        "end_date": None,
                    }
                )
            if p["enrol"]:
                enrollments.append(
                    {
                        "cohort_id": self._cohort[0],
                        "person_id": p["person_id"],
                        "status": "active",
                        "start_date": self._cohort[1],
                        "end_date": None,
                    }
                )
            if progress and (n % 1000 == 0 or n == len(plan)):
                progress(n, len(plan))
        if tenures:
            tx.insert("post_tenure", tenures)
        if enrollments:
            tx.insert("enrollment", enrollments)


class _CohortRows(Importer):
    """Importers whose rows name their cohort in a column, or take the one chosen for the file."""

    def row_cohort(self, report: ImportReport, pr: ParsedRow, default: tuple | None) -> tuple | None:
        """(cohort id, start date) of a row, or None after reporting why there is none."""
        named = pr.values.get("cohort")
        if not named:
            if default is None:
                self.error(
                    report,
                    pr,
                    "cohort",
                    "请填写培训项目或导入时选择 which cohort? fill in 培训项目, or choose the cohort when importing",
                )
            return default
        cache = self.__dict__.setdefault("_cohorts", {})
        if named not in cache:
            try:
                cache[named] = _cohort(self.ws, named)
            except InvalidEntry as exc:
                cache[named] = exc
        if isinstance(cache[named], InvalidEntry):
            self.error(report, pr, "cohort", str(cache[named]))
            return None
        return cache[named]


class SessionImporter(_CohortRows):
    """Session schedules: one row a session; the same cohort, date and topic is the same session."""

    kind = "sessions"
    fields = (
        Field(
            "cohort", "培训项目", "Cohort", ("项目", "班次", "培训班", "培训班次", "cohort code"), _text(128)
        ),
        Field("date", "日期", "Date", ("培训日期", "时间", "上课日期", "session date"), _day, required=True),
        Field("format", "形式", "Format", ("培训形式", "方式", "教学形式"), _format, required=True),
        Field(
            "topic",
            "主题",
            "Topic",
            ("专题", "课程", "课程名称", "培训主题", "title"),
            _text(256),
            required=True,
        ),
        Field("hours", "学时", "Hours", ("课时", "class hours"), _hours, required=True),
        Field("speaker", "主讲人", "Speaker", ("授课人", "主讲", "授课专家"), _text(128)),
        Field("location", "地点", "Location", ("培训地点", "上课地点", "place"), _text(128)),
    )

    def resolve(
        self,
        rows: list[ParsedRow],
        report: ImportReport,
        cohort: str | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        default = _cohort(self.ws, cohort)
        s = TABLES["session"]
        existing = {(int(r.cohort_id), r.date, r.topic): r for r in self.ws.frame(sa.select(s)).itertuples()}
        seen: dict[tuple, int] = {}
        self._plan = []
        for pr in rows:
            v = pr.values
            if any(v.get(k) is None for k in ("date", "format", "topic", "hours")):
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
            _count(report, action)
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
    found = _STATUS_WORDS.get(text.lower())
    if found is None:
        raise InvalidEntry(f"'{text[:10]}' is not an attendance mark; write 出勤, 迟到, 早退, 请假 or 缺勤")
    return found


class AttendanceImporter(_CohortRows):
    """Sign-in sheets: one row a person and session; the person by ID, or by name within the cohort."""

    kind = "attendance"
    fields = (
        Field("cohort", "培训项目", "Cohort", ("项目", "班次", "培训班"), _text(128)),
        Field("date", "日期", "Date", ("培训日期", "上课日期", "session date"), _day, required=True),
        Field("topic", "主题", "Topic", ("专题", "课程", "课程名称"), _text(256)),
        Field("name", "姓名", "Name", ("名字",), clean_name, required=True),
        Field("national_id", "公民身份号码", "ID", ("身份证号", "身份证号码", "身份证"), parse_national_id),
        Field(
            "status", "考勤", "Attendance", ("签到", "出勤情况", "考勤情况", "status"), _status, required=True
        ),
        Field("remark", "备注", "Notes", ("remarks", "说明"), _text(500)),  # read, not stored
    )

    def resolve(
        self,
        rows: list[ParsedRow],
        report: ImportReport,
        cohort: str | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        from .delivery import enrolled_on

        default = _cohort(self.ws, cohort)
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
                cache[target[0]] = (self.ws.cohort_sessions(code), members)
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
            _count(report, action)
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


IMPORTERS = {"roster": RosterImporter, "sessions": SessionImporter, "attendance": AttendanceImporter}


def import_roster(ws, source, name: str | None = None, **options: Any) -> ImportReport:
    """Import a roster file (path or bytes); see `Importer.run` for the options.

    Raises ImportRejected with every error when anything is wrong; nothing is written then.
    """
    return RosterImporter(ws).run(source, name, **options)


def import_sessions(ws, source, name: str | None = None, **options: Any) -> ImportReport:
    """Import a session schedule file (path or bytes); see `Importer.run` for the options."""
    return SessionImporter(ws).run(source, name, **options)


def check_file(ws, kind: str, source, name: str | None = None, **options: Any) -> ImportReport:
    """A dry run that never raises for the file's problems: the report lists them instead.

    >>> # report = check_file(ws, "roster", "roster.xlsx", cohort="TC-2026B"); report.errors_frame()
    """
    from .importing import ImportRejected

    try:
        return IMPORTERS[kind](ws).run(source, name, dry_run=True, **options)
    except ImportRejected as exc:
        return exc.report
