"""Rosters: people with their township post; the same ID is the same person."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from ..errors import InvalidEntry
from ..ids import mask_national_id
from ..importing import Field, Importer, ImportReport, ParsedRow, Progress
from ..normalize import (
    clean_name,
    parse_date,
    parse_national_id,
    parse_sex,
)
from ..rules import check_date
from ..vocab import label
from .common import (
    count_action,
    find_cohort,
    parse_phone,
    parse_post,
    same_day,
    text_up_to,
    unit_keys,
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
        Field("ethnicity", "民族", "Ethnicity", (), text_up_to(32)),
        Field("education", "学历", "Education", ("文化程度",), text_up_to(32)),
        Field(
            "county",
            "县(区)",
            "County",
            ("县区", "区县", "县", "所在县区", "county/district"),
            text_up_to(64),
            required=True,
        ),
        Field(
            "township",
            "乡镇(街道)",
            "Township",
            ("乡镇", "街道", "乡镇街道", "所在乡镇"),
            text_up_to(64),
            required=True,
        ),
        Field("post", "现任职务", "Post", ("职务", "position"), parse_post, required=True),
        Field("post_since", "任现职时间", "In post since", ("任职时间", "任现职务时间"), parse_date),
        Field("phone", "联系电话", "Phone", ("电话", "手机", "手机号码"), parse_phone),
        Field("remark", "备注", "Notes", ("remarks", "remark"), text_up_to(500)),
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
        rules = self.ws.rules
        st = self._state(cohort, today)
        seen: dict[str, int] = {}
        posts_in_file: dict[tuple[int, str], int] = {}
        self._plan: list[dict[str, Any]] = []
        for pr in rows:
            v = pr.values
            if v.get("national_id") is None or v.get("name") is None or not self._identity(report, pr, seen):
                continue
            self._dates_plausible(report, pr, rules, today)
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
        counties = ws.table("county", reveal_ids=True)
        st.county_ids = {k: int(r.id) for r in counties.itertuples() for k in unit_keys(r.name, r.code)}
        st.county_names = counties["name"].tolist()
        st.town_ids, st.town_names = {}, {}
        for r in ws.table("township", reveal_ids=True).itertuples():
            st.town_ids.setdefault(int(r.county_id), {}).update(
                dict.fromkeys(unit_keys(r.name, r.code), int(r.id))
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
        st.target, st.enrolled = find_cohort(ws, cohort), set()
        if st.target:
            ended = ws.cohorts().set_index("id")["end_date"].get(st.target[0])
            if ended is not None and ended == ended and ended < today:
                raise InvalidEntry(
                    f"培训项目已于{ended}结束 cohort '{cohort}' ended on {ended}; enroll people in a current cohort"
                )
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
        if v.get("birth") and not same_day(v["birth"], birth):
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

    def _dates_plausible(self, report: ImportReport, pr: ParsedRow, rules: dict, today: dt.date) -> None:
        """The birth date (as the ID number gives it) and the post's start lie in their windows."""
        for key, what, day in (
            ("national_id", "birth", pr.values["national_id"][1]),
            ("post_since", "post", (pr.values.get("post_since") or (None,))[0]),
        ):
            if day is not None:
                try:
                    check_date(rules, what, day, today)
                except InvalidEntry as exc:
                    self.error(report, pr, key, str(exc))

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
        elif start and not same_day(start, tenure.start_date):
            tenure_action = "post start date"
        else:
            tenure_action = ""
        enrol = bool(st.target) and (pid is None or pid not in st.enrolled)
        action = (
            "new" if existing is None else "update" if (changes or tenure_action or enrol) else "unchanged"
        )
        count_action(report, action)
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
