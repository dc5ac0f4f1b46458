"""One synthetic prefecture, row by row: places and chiefs, the programmes and their attendance,
assessments, reviews, talks, outcomes and township figures. The same random generator always
draws in the same order, so the same seed gives the same rows."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.ids import synthetic_national_id
from ._data import (
    _HEAD,
    _TAIL,
    CLASSES,
    COMMENTS,
    CONCERNS,
    COUNTIES,
    EVIDENCE,
    FOLLOW_UPS,
    FORMAT_HOURS,
    GIVEN,
    GIVEN_F,
    LECTURES,
    PROGRAMME,
    SURNAMES,
    TOPICS,
    TOWNSHIPS_PER_COUNTY,
    D,
)

__all__ = ["Rows", "Prefecture"]


@dataclass
class Rows:
    """Rows per table with explicit ids, so the whole demo can be bulk-loaded."""

    data: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)

    def add(self, table: str, **values) -> int:
        cols, rows = self.data.setdefault(table, (["id", *values], []))
        if cols[1:] != list(values):
            raise ValueError(f"{table}: columns {list(values)} differ from {cols[1:]}")
        new_id = len(rows) + 1
        rows.append((new_id, *values.values()))
        return new_id


def _name(rng: random.Random, sex: str) -> str:
    given = GIVEN if sex == "M" else GIVEN_F + GIVEN[:8]
    n = rng.choice((1, 2, 2))
    return rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(n))


def _person(rows: Rows, rng: random.Random, born_from: int, born_to: int) -> tuple[int, float]:
    sex = "M" if rng.random() < 0.84 else "F"
    birth = D(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
    pid = rows.add(
        "person",
        national_id=synthetic_national_id(rng, birth, sex),
        name=_name(rng, sex),
        sex=sex,
        birth_date=birth,
        ethnicity="汉族" if rng.random() < 0.93 else "回族",
        education=rng.choice(("大学", "大学", "研究生")),
        phone=None,
        notes=None,
    )
    return pid, rng.gauss(0, 1)  # latent capability: drives gains, ratings and outcomes alike


class Prefecture:
    """Builds one copy of the prefecture into `rows` (`unit` of `scale` copies) as of a date."""

    def __init__(
        self,
        rows: Rows,
        rng: random.Random,
        unit: int,
        scale: int,
        as_of: dt.date,
        credit: Mapping[str, float],
    ):
        self.rows, self.rng, self.as_of, self.credit = rows, rng, as_of, credit
        self.sfx = "" if scale == 1 else f"-{unit + 1:03d}"
        self.zh_sfx = "" if scale == 1 else f"（{unit + 1}）"
        self.chiefs: list[dict] = []  # current and former chiefs with their latent capability

    def build(self) -> None:
        self.places()
        self.programme()
        self.classes()
        self.lecture_series()
        self.rotation()
        _assessment_and_care(self.rows, self.rng, self.chiefs, self.as_of)

    # -- places and their chiefs ---------------------------------------------------------
    def places(self) -> None:
        rows, rng, sfx, zh_sfx = self.rows, self.rng, self.sfx, self.zh_sfx
        heads, tails = list(_HEAD), list(_TAIL)
        used: set[str] = set()
        for ci, ((cname, cname_en, district), n_town) in enumerate(zip(COUNTIES, TOWNSHIPS_PER_COUNTY)):
            cid = rows.add("county", code=f"C{ci + 1}{sfx}", name=cname + zh_sfx, name_en=cname_en + zh_sfx)
            for ti in range(n_town):
                while (stem := rng.choice(heads) + rng.choice(tails)) in used:
                    pass
                used.add(stem)
                sub = district and ti % 2 == 0
                tid = rows.add(
                    "township",
                    county_id=cid,
                    code=f"C{ci + 1}T{ti + 1:02d}{sfx}",
                    name=stem + ("街道" if sub else "镇"),
                    name_en=f"{_HEAD[stem[0]]}{_TAIL[stem[1]]} " + ("Sub-district" if sub else "Town"),
                    kind="subdistrict" if sub else "township",
                )
                for post in ("secretary", "head"):
                    self._chief(tid, post)

    def _chief(self, tid: int, post: str) -> None:
        pid, latent = _person(self.rows, self.rng, 1972 if post == "secretary" else 1978, 1993)
        start = D(self.rng.randint(2019, 2023), self.rng.randint(1, 12), 1)
        tenure = self.rows.add(
            "post_tenure", person_id=pid, township_id=tid, post=post, start_date=start, end_date=None
        )
        self.chiefs.append(
            {"pid": pid, "latent": latent, "tid": tid, "post": post, "start": start, "tenure": tenure}
        )

    # -- what every programme has: sessions, attendance, assessments ------------------------
    def session(
        self,
        cohort_id: int,
        day: dt.date,
        fmt: str,
        topic: str,
        speaker: str | None,
        hours: float | None = None,
    ) -> tuple[int, float]:
        hours = hours or FORMAT_HOURS[fmt]
        sid = self.rows.add(
            "session",
            cohort_id=cohort_id,
            date=day,
            format=fmt,
            topic=topic,
            hours=hours,
            speaker=speaker,
            location=self.rng.choice(("市委党校", "市行政中心", "现场教学点")),
        )
        return sid, hours

    def attend(self, sid: int, hours: float, people: list[dict]) -> float:
        credited_total = 0.0
        rng = self.rng
        for c in people:
            r = rng.random() - 0.03 * c["latent"]
            status = (
                "present"
                if r < 0.86
                else "late"
                if r < 0.91
                else "left_early"
                if r < 0.93
                else "excused"
                if r < 0.98
                else "absent"
            )
            credited = hours * self.credit[status]
            c["hours"] = c.get("hours", 0.0) + credited
            c["offered"] = c.get("offered", 0.0) + hours
            self.rows.add(
                "attendance", session_id=sid, person_id=c["pid"], status=status, hours_credited=credited
            )
            credited_total += credited
            if credited and rng.random() < 0.6:  # Kirkpatrick level 1: most who came rate the session
                self._feedback(sid, c)
        return credited_total

    def _feedback(self, sid: int, c: dict) -> None:
        rng = self.rng
        useful = min(5, max(1, round(rng.gauss(4.1 + 0.2 * c["latent"], 0.8))))
        self.rows.add(
            "session_feedback",
            session_id=sid,
            person_id=c["pid"],
            usefulness=useful,
            relevance=min(5, max(1, useful + rng.choice((-1, 0, 0, 1)))),
            comment=rng.choice((None, None, None, "案例很实用", "希望增加现场教学", "内容贴近基层")),
        )

    def assess(
        self,
        cohort_id: int,
        people: list[dict],
        phases: list[tuple[str, dt.date]],
        instrument: str,
        window: dict[int, tuple[dt.date, dt.date]] | None = None,
    ) -> None:
        rng = self.rng
        for c in people:
            base = {d: rng.gauss(68 + 3 * c["latent"], 6) for d in ("party_spirit", "theory", "professional")}
            joined, left = (window or {}).get(c["pid"], (D(1900, 1, 1), D(9999, 1, 1)))
            for k, (phase, day) in enumerate(phases):
                day = max(day, joined)  # a late joiner takes the entry test when joining
                if day > self.as_of or day > left:
                    continue
                share = c.get("hours", 0.0) / max(c.get("offered", 1.0), 1.0)
                for dim, b in base.items():
                    gain = k * (4 + 6 * share + 1.5 * c["latent"]) / max(len(phases) - 1, 1)
                    self.rows.add(
                        "assessment",
                        person_id=c["pid"],
                        cohort_id=cohort_id,
                        dimension=dim,
                        phase=phase,
                        instrument=instrument,
                        rater_role="training_office",
                        score=min(100.0, max(0.0, round(b + gain + rng.gauss(0, 3), 1))),
                        date=day,
                    )

    def cohort(self, code: str, name: str, name_en: str, kind: str, start, end, threshold) -> int:
        return self.rows.add(
            "cohort",
            code=code + self.sfx,
            name=name + self.zh_sfx,
            name_en=name_en,
            kind=kind,
            start_date=start,
            end_date=end,
            completion_threshold=threshold,
        )

    def enroll(self, cohort_id: int, c: dict, status: str, start: dt.date, end: dt.date | None) -> None:
        self.rows.add(
            "enrollment",
            cohort_id=cohort_id,
            person_id=c["pid"],
            status=status,
            start_date=start,
            end_date=end,
        )

    # -- the three-year programme: 76 of the youngest chiefs ---------------------------
    def programme(self) -> None:
        code, name, name_en = PROGRAMME
        prog = self.cohort(code, name, name_en, "programme", D(2024, 1, 8), D(2026, 12, 31), 0.8)
        people = self.rows.data["person"][1]
        pool = sorted(self.chiefs, key=lambda c: (people[c["pid"] - 1][4], c["pid"]), reverse=True)
        participants = pool[:76]
        late_joiners = {c["pid"] for c in participants[-4:]}  # joined mid-programme to fill vacancies
        withdrawn = {participants[10]["pid"], participants[40]["pid"]}
        for c in participants:
            c["prog_start"] = D(2025, 7, 1) if c["pid"] in late_joiners else D(2024, 1, 8)
            left = c["pid"] in withdrawn
            self.enroll(
                prog, c, "withdrawn" if left else "active", c["prog_start"], D(2025, 12, 31) if left else None
            )
        formats = ["lecture", "seminar", "site_visit", "experience_sharing"]
        for year in (2024, 2025, 2026):
            for m in range(10):
                day = D(year, 2 + m, 10 + (m * 3) % 15)
                if day > self.as_of:
                    continue
                fmt = formats[(m + year) % 4]
                topic, speaker = TOPICS["programme"][(m + year) % 8], "特邀专家" if fmt == "lecture" else None
                sid, hours = self.session(prog, day, fmt, topic, speaker)
                present = [
                    c
                    for c in participants
                    if c["prog_start"] <= day and not (c["pid"] in withdrawn and day > D(2025, 12, 31))
                ]
                self.attend(sid, hours, present)
        window = {
            c["pid"]: (c["prog_start"], D(2025, 12, 31) if c["pid"] in withdrawn else D(9999, 1, 1))
            for c in participants
        }
        phases = [("pre", D(2024, 1, 8)), ("mid", D(2025, 6, 20)), ("post", D(2026, 11, 20))]
        self.assess(prog, participants, phases, "三维度能力测评", window)

    # -- four residential classes in two years ------------------------------------------
    def classes(self) -> None:
        for code, name, name_en, start, theme in CLASSES:
            if start > self.as_of:
                continue
            end = start + dt.timedelta(days=4)
            cls = self.cohort(code, name, name_en, "class", start, end, 0.9)
            members = self.rng.sample(self.chiefs, 40)
            for c in members:
                c.pop("hours", None), c.pop("offered", None)
                self.enroll(cls, c, "completed", start, end)
            for k in range(10):
                fmt = ("lecture", "lecture", "site_visit", "seminar", "experience_sharing")[k % 5]
                day, speaker = start + dt.timedelta(days=k // 2), "特邀专家" if fmt == "lecture" else None
                sid, hours = self.session(cls, day, fmt, TOPICS[theme][k % 4], speaker)
                self.attend(sid, hours, members)
            self.assess(cls, members, [("pre", start), ("post", end)], "结业测试")

    # -- the lecture series: 7 academician lectures, open to every chief -----------------
    def lecture_series(self) -> None:
        series = self.cohort(
            "GCDJT",
            "港城大讲堂",
            "Port City Lecture Series",
            "lecture_series",
            D(2025, 3, 1),
            D(2026, 12, 31),
            None,
        )
        for c in self.chiefs:
            c.pop("hours", None), c.pop("offered", None)
            self.enroll(series, c, "active", D(2025, 3, 1), None)
        for k, topic in enumerate(LECTURES):
            day = D(2025 + k // 4, 3 + (k % 4) * 2, 18)
            if day <= self.as_of:
                sid, hours = self.session(series, day, "lecture", topic, "院士")
                self.attend(sid, hours, self.chiefs)

    # -- the yearly rotation: every chief spends 12 days (90 class hours) in one of two batches --
    def rotation(self) -> None:
        for year in (2025, 2026):
            for batch, (month, day0) in enumerate(((3, 2), (6, 8))):
                start = D(year, month, day0)
                if start <= self.as_of:
                    self._rotation_batch(year, batch, start)

    def _rotation_batch(self, year: int, batch: int, start: dt.date) -> None:
        days = [d for d in (start + dt.timedelta(days=k) for k in range(16)) if d.weekday() < 5][:12]
        name = f"{year}年乡镇党政正职集中轮训第{batch + 1}期"
        rot = self.cohort(
            f"LX-{year}{'AB'[batch]}",
            name,
            f"{year} rotation training, batch {batch + 1}",
            "rotation",
            days[0],
            days[-1],
            None,
        )
        members = [c for k, c in enumerate(self.chiefs) if k % 2 == batch]
        for c in members:
            self.enroll(rot, c, "completed", days[0], days[-1])
        for k, day in enumerate(days):
            for half in range(2):
                fmt = ("lecture", "seminar", "site_visit", "experience_sharing")[(2 * k + half) % 4]
                topic, speaker = (
                    TOPICS["programme"][(2 * k + half) % 8],
                    "党校教师" if fmt == "lecture" else None,
                )
                sid, hours = self.session(rot, day, fmt, topic, speaker, hours=3.75)
                self.attend(sid, hours, members)


def _assessment_and_care(rows: Rows, rng: random.Random, chiefs: list[dict], as_of: dt.date) -> None:
    """Frontline reviews, comments, talks, outcomes and township figures of one prefecture."""
    by_latent = sorted(chiefs, key=lambda c: (c["latent"] + rng.gauss(0, 0.5), c["pid"]))
    reviewed = sorted(rng.sample(chiefs, 66), key=lambda c: (c["latent"] + rng.gauss(0, 0.6), c["pid"]))
    for rank, c in enumerate(reviewed):
        _review(rows, rng, c, "average" if rank < 8 else "strong", rank)
    current = _promotions(rows, rng, chiefs, by_latent)
    _other_outcomes(rows, rng, by_latent)
    _talks(rows, rng, current, as_of)
    _indicators(rows, rng, sorted({c["tid"] for c in chiefs}))


def _review(rows: Rows, rng: random.Random, c: dict, overall: str, rank: int) -> None:
    """One chief's frontline review in the five arenas, and the comments gathered about them."""
    rows.add(
        "frontline_review",
        person_id=c["pid"],
        period="2026",
        arena="overall",
        rating=overall,
        evidence="看、听、问交叉印证",
        source="cross_checked",
    )
    for arena, tpl in EVIDENCE.items():
        good = rng.random() < (0.85 if overall == "strong" else 0.35)
        rows.add(
            "frontline_review",
            person_id=c["pid"],
            period="2026",
            arena=arena,
            rating="strong" if good else "average",
            evidence=tpl.format(n=rng.randint(1, 12), p=rng.randint(60, 100)),
            source=rng.choice(("look", "hear", "ask")),
        )
    for _ in range(6 + (rank % 3 == 0)):
        weights = (0.7, 0.2, 0.1) if overall == "strong" else (0.3, 0.4, 0.3)
        sentiment = rng.choices(("positive", "neutral", "negative"), weights)[0]
        rows.add(
            "comment",
            person_id=c["pid"],
            period="2026",
            arena=rng.choice(list(EVIDENCE)),
            commenter_role=rng.choice(("party_member", "cadre", "company", "resident")),
            sentiment=sentiment,
            text=rng.choice(COMMENTS[sentiment]),
            date=D(2026, rng.randint(5, 9), rng.randint(1, 28)),
        )


def _outcome(
    rows: Rows, pid: int, kind: str, day: dt.date, detail: str, impact_end=None, reviewed_on=None
) -> None:
    rows.add(
        "outcome",
        person_id=pid,
        kind=kind,
        date=day,
        detail=detail,
        impact_end=impact_end,
        reviewed_on=reviewed_on,
    )


def _promotions(rows: Rows, rng: random.Random, chiefs: list[dict], by_latent: list[dict]) -> list[dict]:
    """The strongest 15 are promoted and replaced; returns the chiefs in post afterwards."""
    current = list(chiefs)
    promoted = by_latent[-15:]
    for k, c in enumerate(promoted):
        day = D(2025 + k % 2, 3 + (k * 5) % 9, 15)
        _outcome(
            rows,
            c["pid"],
            "promotion",
            day,
            rng.choice(("提拔为副县长", "提拔为县委常委", "调任市直部门副职")),
        )
        tenure_cols, tenure_rows = rows.data["post_tenure"]
        t = list(tenure_rows[c["tenure"] - 1])
        t[tenure_cols.index("end_date")] = day
        tenure_rows[c["tenure"] - 1] = tuple(t)
        pid, latent = _person(rows, rng, 1980, 1992)
        rows.add(
            "post_tenure", person_id=pid, township_id=c["tid"], post=c["post"], start_date=day, end_date=None
        )
        current.append({"pid": pid, "latent": latent, "tid": c["tid"], "post": c["post"], "start": day})
    gone = {c["pid"] for c in promoted}
    return [c for c in current if c["pid"] not in gone]


def _other_outcomes(rows: Rows, rng: random.Random, by_latent: list[dict]) -> None:
    """Rank promotions, merits, disciplinary actions (8 expired and reviewed), risk filings and
    fault-tolerance decisions."""
    secretaries = [c for c in by_latent[-100:-15] if c["post"] == "secretary"]
    for year, n in ((2025, 10), (2026, 12)):
        for c in secretaries[:n]:
            _outcome(rows, c["pid"], "rank_promotion", D(year, 6, 30), "晋升三级调研员")
        secretaries = secretaries[n:]
    for c in by_latent[-22:-15]:
        _outcome(rows, c["pid"], "merit", D(2026, 3, 20), "连续两年获评高质量发展先进乡镇，记三等功")
    for k, c in enumerate(by_latent[:10]):
        expired = k < 8
        end = D(2025, 1 + k, 10) if expired else D(2027, 3, 1)
        reviewed = D(2026, 4, 15) if expired else None
        _outcome(rows, c["pid"], "discipline", D(2022 + k // 8, 1 + k, 10), "党内警告处分", end, reviewed)
    for kind, n, day, detail in (
        ("risk_filing", 5, 8, "重大项目先行先试风险备案"),
        ("fault_tolerance", 3, 20, "改革探索中出现失误，予以容错"),
    ):
        for c in rng.sample(by_latent[10:60], n):
            _outcome(rows, c["pid"], kind, D(2026, rng.randint(1, 10), day), detail)


def _talks(rows: Rows, rng: random.Random, current: list[dict], as_of: dt.date) -> None:
    """Supervisory talks: last year nearly complete, this year with the gaps a department finds."""
    for year, p_sec, p_h1, p_h2 in ((2025, 0.97, 0.9, 0.85), (2026, 0.82, 0.62, 0.42)):
        for c in current:
            for role, p, months in (
                ("county_secretary", p_sec, (3, 10)),
                ("county_org_chief", p_h1, (1, 6)),
                ("county_org_chief", p_h2, (7, 11)),
            ):
                if rng.random() < p:
                    day = D(year, rng.randint(*months), rng.randint(1, 28))
                    if c.get("start", day) <= day <= as_of:
                        _talk(rows, rng, c["pid"], day, role, False, as_of)
        for c in rng.sample(current, 8):
            day = D(year, rng.randint(2, 11), rng.randint(1, 28))
            if day <= as_of:
                _talk(rows, rng, c["pid"], day, "city_deputy", True, as_of)


def _talk(
    rows: Rows, rng: random.Random, pid: int, day: dt.date, role: str, unannounced: bool, as_of: dt.date
) -> None:
    due = day + dt.timedelta(days=60)
    done = due - dt.timedelta(days=rng.randint(0, 50)) if (due <= as_of and rng.random() < 0.8) else None
    rows.add(
        "talk",
        person_id=pid,
        date=day,
        talker_role=role,
        unannounced=unannounced,
        concerns=rng.choice(CONCERNS),
        follow_ups=rng.choice(FOLLOW_UPS),
        follow_up_due=due,
        follow_up_done=done,
    )


def _indicators(rows: Rows, rng: random.Random, towns: list[int]) -> None:
    """Township figures: a few stand out as in the report."""
    for k, tid in enumerate(towns):
        for period in ("2025", "2026"):
            projects = 35 if (k == 0 and period == "2026") else rng.randint(1, 14)
            for indicator, value, unit in (
                ("projects_signed_100m", projects, "个"),
                (
                    "largest_project",
                    120.0 if (k == 1 and period == "2026") else round(rng.uniform(1, 30), 1),
                    "亿元",
                ),
                ("industrial_sales_growth", 50.0 if k == 2 else round(rng.gauss(8, 7), 1), "%"),
                ("industrial_investment_growth", 100.0 if k == 3 else round(rng.gauss(12, 15), 1), "%"),
            ):
                rows.add(
                    "township_indicator",
                    township_id=tid,
                    period=period,
                    indicator=indicator,
                    value=float(value),
                    unit=unit,
                )
