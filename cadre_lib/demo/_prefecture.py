"""One synthetic prefecture, row by row: places and chiefs, who is promoted away and who takes
their post, and what every programme has (cohorts, enrolments, sessions, attendance, tests). The
programmes themselves are in `_training`, reviews, talks, outcomes and township figures in
`_care`, the order they are drawn in in `_build.build_prefecture`: the same random generator
always draws in the same order, so the same seed gives the same rows.

Promotions are decided before any training is drawn, so that every programme sees the posts as
they are on its own dates: a chief promoted away leaves their running cohorts the day before
(withdrawn, the reason promoted), is enrolled in nothing afterwards, and their successor trains
from their first day.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.ids import synthetic_national_id
from ._data import (
    _HEAD,
    _TAIL,
    COUNTIES,
    FORMAT_HOURS,
    GIVEN,
    GIVEN_F,
    PROMOTED_TO,
    PROMOTION_POSTS,
    SURNAMES,
    TOWNSHIPS_PER_COUNTY,
    D,
)

__all__ = ["Rows", "Prefecture", "Cohort", "in_post", "add_outcome", "unit_region"]

_ONE_DAY = dt.timedelta(days=1)
BUSY_SHARE, BUSY_ABSENCE = 0.08, 0.06  # about one chief in twelve misses 6 sessions in 100 more


@dataclass
class Rows:
    """Rows per table with explicit ids, so the demo can be bulk-loaded a prefecture at a time:
    `flush` hands over the rows held and keeps counting ids from where they end."""

    data: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)
    base: dict[str, int] = field(default_factory=dict)  # ids handed out before the rows held

    def add(self, table: str, **values) -> int:
        cols, rows = self.data.setdefault(table, (["id", *values], []))
        if cols[1:] != list(values):
            raise ValueError(f"{table}: columns {list(values)} differ from {cols[1:]}")
        new_id = self.base.get(table, 0) + len(rows) + 1
        rows.append((new_id, *values.values()))
        return new_id

    def get(self, table: str, row_id: int) -> tuple:
        """A row still held (of the prefecture being built), by its id."""
        return self.data[table][1][row_id - self.base.get(table, 0) - 1]

    def set(self, table: str, row_id: int, **values) -> None:
        """Change columns of a row still held (a tenure ended by a promotion)."""
        cols, rows = self.data[table]
        k = row_id - self.base.get(table, 0) - 1
        row = list(rows[k])
        for col, value in values.items():
            row[cols.index(col)] = value
        rows[k] = tuple(row)

    def flush(self) -> dict[str, tuple[list[str], list[tuple]]]:
        """The rows held, per table; afterwards none are held and ids go on from the last."""
        out, self.data = self.data, {}
        for table, (_cols, rows) in out.items():
            self.base[table] = self.base.get(table, 0) + len(rows)
        return out


def unit_region(unit: int) -> str:
    """The four digits after 99 in the ID numbers of a prefecture copy: 0101 for the first, then
    0102 … 0199, 0201 …, so copies never share an ID (9,801 copies at most)."""
    if unit >= 99 * 99:
        raise ValueError(f"at most {99 * 99} copies of the prefecture, not {unit + 1}")
    return f"{1 + unit // 99:02d}{1 + unit % 99:02d}"


_OUTCOME_COLUMNS = (
    "detail", "impact_end", "reviewed_on", "sanction", "rank", "award", "from_post", "to_post", "result",
    "result_date",
)  # fmt: skip


def add_outcome(rows: Rows, person_id: int, kind: str, date: dt.date, **values) -> int:
    """One row of the outcomes ledger; the columns its kind does not use stay empty."""
    return rows.add(
        "outcome", person_id=person_id, kind=kind, date=date, **{k: values.get(k) for k in _OUTCOME_COLUMNS}
    )


def _name(rng: random.Random, sex: str) -> str:
    given = GIVEN if sex == "M" else GIVEN_F + GIVEN[:8]
    n = rng.choice((1, 2, 2))
    return rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(n))


def _person(
    rows: Rows, rng: random.Random, born_from: int, born_to: int, region: str, used: set[str]
) -> tuple[int, float]:
    sex = "M" if rng.random() < 0.84 else "F"
    birth = D(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
    while (national_id := synthetic_national_id(rng, birth, sex, region)) in used:
        pass  # drawn again: two people of one prefecture never share an ID
    used.add(national_id)
    pid = rows.add(
        "person",
        national_id=national_id,
        name=_name(rng, sex),
        sex=sex,
        birth_date=birth,
        ethnicity="汉族" if rng.random() < 0.93 else "回族",
        education=rng.choice(("大学", "大学", "研究生")),
        phone=None,
        notes=None,
    )
    return pid, rng.gauss(0, 1)  # latent capability: drives gains, ratings and outcomes alike


def in_post(c: dict, day: dt.date) -> bool:
    """Whether chief `c` holds their township post on `day`. A tenure's end date is exclusive:
    the successor starts on the day the promoted chief leaves."""
    return c["start"] <= day and (c["end"] is None or day < c["end"])


@dataclass
class Cohort:
    """A cohort being built: its row id, each member's window (first and last day expected,
    inclusive; None: open), and the hours each was offered and credited while it ran (the
    latent effects on assessment gains need them; the workspace computes credit when read)."""

    id: int
    window: dict[int, tuple[dt.date, dt.date | None]] = field(default_factory=dict)
    offered: dict[int, float] = field(default_factory=dict)
    credited: dict[int, float] = field(default_factory=dict)

    def expected(self, people: list[dict], day: dt.date) -> list[dict]:
        """Who of `people` is enrolled on `day`: the names on that day's sign-in sheet."""
        out = []
        for c in people:
            start, end = self.window.get(c["pid"], (None, None))
            if start is not None and start <= day and (end is None or day <= end):
                out.append(c)
        return out

    def share(self, pid: int) -> float:
        """The share of the hours offered to `pid` that they were credited with."""
        return self.credited.get(pid, 0.0) / max(self.offered.get(pid, 1.0), 1.0)


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
        self.region, self.ids = unit_region(unit), set()  # ID numbers: this copy's region, those used
        self.zh_sfx = "" if scale == 1 else f"（{unit + 1}）"
        # Every chief who held a post, successors included, with their latent capability, their
        # tenure ("start", and "end": the day they were promoted away, None while in post).
        self.chiefs: list[dict] = []
        self.by_latent: list[dict] = []  # the first chiefs, weakest first as the department sees them

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
                    born = 1972 if post == "secretary" else 1978
                    pid, latent = _person(rows, rng, born, 1993, self.region, self.ids)
                    start = D(rng.randint(2019, 2023), rng.randint(1, 12), 1)
                    self._take_post(pid, latent, tid, post, start)

    def _take_post(self, pid: int, latent: float, tid: int, post: str, start: dt.date) -> dict:
        tenure = self.rows.add(
            "post_tenure", person_id=pid, township_id=tid, post=post, start_date=start, end_date=None
        )
        c = dict(pid=pid, latent=latent, tid=tid, post=post, tenure=tenure, start=start, end=None, busy=False)
        self.chiefs.append(c)
        return c

    # -- promotions: decided before any training, so every cohort sees the posts as they are --
    def promotions(self) -> None:
        """The strongest 15 (as the department sees them) are promoted in 2025-2026 and replaced
        by a new chief the same day; a promotion after the as-of date has not happened yet."""
        rng = self.rng
        self.by_latent = sorted(self.chiefs, key=lambda c: (c["latent"] + rng.gauss(0, 0.5), c["pid"]))
        for k, c in enumerate(self.by_latent[-15:]):
            day = D(2025 + k % 2, 3 + (k * 5) % 9, 15)
            detail = rng.choice(PROMOTION_POSTS)
            if day > self.as_of:
                continue
            add_outcome(
                self.rows, c["pid"], "promotion", day, detail=detail, from_post=self.title(c),
                to_post=PROMOTED_TO[detail],
            )  # fmt: skip
            c["end"] = day
            self.rows.set("post_tenure", c["tenure"], end_date=day)
            pid, latent = _person(self.rows, rng, 1980, 1992, self.region, self.ids)
            self._workload(self._take_post(pid, latent, c["tid"], c["post"], day))

    def title(self, c: dict) -> str:
        """Chief `c`'s post as written in a decision: 青山镇党委书记, 海滨街道办事处主任."""
        town = self.rows.get("township", c["tid"])[3]
        if c["post"] == "secretary":
            return town + ("党工委书记" if town.endswith("街道") else "党委书记")
        return town + ("办事处主任" if town.endswith("街道") else "镇长")

    def workloads(self) -> None:
        """Draw which of the chiefs so far are often called away (`_workload`)."""
        for c in self.chiefs:
            self._workload(c)

    def _workload(self, c: dict) -> None:
        """Some chiefs are often called away by their township's business: they miss more
        sessions, which is where a department finds people behind. (Drawn after the places,
        so the places and their first chiefs do not depend on it.)"""
        c["busy"] = self.rng.random() < BUSY_SHARE

    def in_post_on(self, day: dt.date) -> list[dict]:
        """The chiefs holding a post on `day`, in a fixed order."""
        return [c for c in self.chiefs if in_post(c, day)]

    # -- what every programme has: cohorts, enrolments, sessions, attendance, assessments ----
    def cohort(self, code: str, name: str, name_en: str, kind: str, start, end, threshold) -> Cohort:
        return Cohort(
            self.rows.add(
                "cohort",
                code=code + self.sfx,
                name=name + self.zh_sfx,
                name_en=name_en,
                kind=kind,
                start_date=start,
                end_date=end,
                completion_threshold=threshold,
            )
        )

    def enroll(
        self, cohort: Cohort, c: dict, start: dt.date, end: dt.date | None, left: dt.date | None = None
    ) -> None:
        """Enrol chief `c` from `start` to `end` (both days expected; None: open). The stored
        status is only active or withdrawn (outcomes are computed when read). They are withdrawn
        when they leave on `left` (their last day; reason withdrawn), or when promoted away while
        enrolled: then their last day is the day before the promotion (reason promoted). Nobody is enrolled ahead of the as-of
        date, nor withdrawn by a departure that has not happened by then."""
        if start > self.as_of:
            return
        if not in_post(c, start):
            raise ValueError(f"person #{c['pid']} holds no township post on {start}")
        if left is not None and left > self.as_of:
            left = None
        reason = None if left is None else "withdrawn"
        if c["end"] is not None and (end is None or end >= c["end"]):
            if left is None or c["end"] - _ONE_DAY < left:
                reason = "promoted"  # a promotion ends the enrolment: the programme's success
            left = min(left or c["end"], c["end"] - _ONE_DAY)
        last = end if left is None else left
        cohort.window[c["pid"]] = (start, last)
        self.rows.add(
            "enrollment",
            cohort_id=cohort.id,
            person_id=c["pid"],
            status="active" if left is None else "withdrawn",
            start_date=start,
            end_date=last,
            end_reason=reason,
        )

    def session(
        self,
        cohort: Cohort,
        day: dt.date,
        fmt: str,
        topic: str,
        speaker: str | None,
        hours: float | None = None,
    ) -> tuple[int, float]:
        hours = hours or FORMAT_HOURS[fmt]
        sid = self.rows.add(
            "session",
            cohort_id=cohort.id,
            date=day,
            format=fmt,
            topic=topic,
            hours=hours,
            speaker=speaker,
            location=self.rng.choice(("市委党校", "市行政中心", "现场教学点")),
        )
        return sid, hours

    def attend(self, cohort: Cohort, sid: int, hours: float, day: dt.date, members: list[dict]) -> None:
        """Mark everyone of `members` enrolled on `day`. Only the status is stored: the credit is
        the workspace's rules applied when read; the demo keeps its own tally for the gains."""
        rng = self.rng
        for c in cohort.expected(members, day):
            r = rng.random() - 0.03 * c["latent"] + (BUSY_ABSENCE if c["busy"] else 0.0)
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
            cohort.credited[c["pid"]] = cohort.credited.get(c["pid"], 0.0) + credited
            cohort.offered[c["pid"]] = cohort.offered.get(c["pid"], 0.0) + hours
            self.rows.add("attendance", session_id=sid, person_id=c["pid"], status=status)
            if credited and rng.random() < 0.6:  # Kirkpatrick level 1: most who came rate the session
                self._feedback(sid, c)

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
        cohort: Cohort,
        members: list[dict],
        phases: list[tuple[str, dt.date]],
        tests: Mapping[str, tuple[str, str]],
        self_rated: tuple[str, ...] = (),
    ) -> None:
        """Tests in the three dimensions (`tests`: dimension → instrument, rater role) at each
        phase, for each member while enrolled, and a 1-5 self-rating at the `self_rated` phases:
        a late joiner takes the entry test the day they join and later tests only when held
        after it; nobody is tested after their last day, nor after the as-of date."""
        rng = self.rng
        for c in members:
            if c["pid"] not in cohort.window:
                continue
            base = {d: rng.gauss(68 + 3 * c["latent"], 6) for d in ("party_spirit", "theory", "professional")}
            joined, left = cohort.window[c["pid"]]
            share = cohort.share(c["pid"])
            own = random.Random(f"{cohort.id}/{c['pid']}/self")  # self-ratings leave the main draws alone
            # People rate themselves high at entry and know little of their own capability, so
            # a self-rating follows the latent loosely and gains less, and less surely, than a test.
            feel = {d: own.gauss(3.9 + 0.15 * c["latent"], 0.45) for d in base}
            for k, (phase, day) in enumerate(phases):
                day = max(day, joined) if k == 0 else day
                if (k and day <= joined) or day > self.as_of or (left is not None and day > left):
                    continue
                for dim, b in base.items():
                    gain = k * (4 + 6 * share + 1.5 * c["latent"]) / max(len(phases) - 1, 1)
                    score = min(100.0, max(0.0, round(b + gain + rng.gauss(0, 3), 1)))
                    self._score(c, cohort, (dim, phase, *tests[dim]), score, day)
                    if phase in self_rated:
                        lift = 0.0 if k == 0 else 0.1 + 0.15 * share + own.gauss(0, 0.4)
                        rating = min(5.0, max(1.0, round(feel[dim] + lift, 1)))
                        self._score(c, cohort, (dim, phase, "self_rating", "self"), rating, day)

    def _score(
        self, c: dict, cohort: Cohort, what: tuple[str, str, str, str], score: float, day: dt.date
    ) -> None:
        """One score: `what` is (dimension, phase, instrument, rater role)."""
        dim, phase, instrument, rater = what
        self.rows.add(
            "assessment",
            person_id=c["pid"],
            cohort_id=cohort.id,
            dimension=dim,
            phase=phase,
            instrument=instrument,
            rater_role=rater,
            score=score,
            date=day,
        )
