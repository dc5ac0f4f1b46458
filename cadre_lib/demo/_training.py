"""The prefecture's training: the three-year programme, four classes, the lecture series and the
yearly rotation. Each enrols only chiefs holding a post on the day they join, so a chief promoted
away trains no more and their successor trains from their first day (see `Prefecture.enroll`)."""

from __future__ import annotations

import datetime as dt

from ._data import CLASSES, LECTURES, PROGRAMME, TOPICS, D
from ._prefecture import Cohort, Prefecture, Rows, in_post

__all__ = ["programme", "classes", "lecture_series", "rotations", "working_days"]

PROGRAMME_START, PROGRAMME_END = D(2024, 1, 8), D(2026, 12, 31)
LATE_JOIN = D(2025, 7, 1)  # four join mid-programme to fill vacancies
WITHDRAWAL = D(2025, 12, 31)  # two leave the programme at the end of its second year
# The mid-programme test falls after the late joiners' entry test, never on the same day.
PROGRAMME_PHASES = [("pre", PROGRAMME_START), ("mid", D(2025, 9, 19)), ("post", D(2026, 11, 20))]
SERIES_START, SERIES_END = D(2025, 3, 1), D(2026, 12, 31)
ROTATION_YEARS = (2024, 2025, 2026)
ROTATION_DAYS, ROTATION_SESSION_HOURS = 12, 3.75  # 12 working days of two sessions: 90 class hours


def working_days(start: dt.date, n: int) -> list[dt.date]:
    """The first `n` days Monday to Friday from `start` on.

    >>> [d.isoformat() for d in working_days(dt.date(2026, 3, 5), 3)]
    ['2026-03-05', '2026-03-06', '2026-03-09']
    """
    days, day = [], start
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _monday_from(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=-day.weekday() % 7)


# -- the three-year programme: 76 of the youngest chiefs ---------------------------------
# The instruments the demo's scores are on: (code, name, English name, scale, dimensions).
# The class test has a pass mark: a department that makes passing it a condition of completing a
# class names it per class in its rules file (completion.pass_instruments.<class> = "class_exam").
INSTRUMENTS = (
    ("theory_exam", "理论知识测试", "Theory exam", (0.0, 100.0), "theory", None),
    ("party_spirit_review", "党性分析评议", "Party-spirit evaluation", (0.0, 100.0), "party_spirit", None),
    ("case_exercise", "专业能力案例研判", "Professional case exercise", (0.0, 100.0), "professional", None),
    ("self_rating", "能力自评量表", "Self-rating scale", (1.0, 5.0), None, None),
    ("class_exam", "结业测试", "Class test", (0.0, 100.0), None, 60.0),
)
# The programme's tests: each dimension on its own instrument, scored by its own rater role
# (a peer score is the peers' mean as the office tallies it); the self-rating at entry and exit.
PROGRAMME_TESTS = {
    "party_spirit": ("party_spirit_review", "peer"),
    "theory": ("theory_exam", "training_office"),
    "professional": ("case_exercise", "trainer"),
}
CLASS_TESTS = {d: ("class_exam", "training_office") for d in ("party_spirit", "theory", "professional")}


def instruments(rows: Rows) -> None:
    """The instruments the demo's scores are on, with their scales (declared once)."""
    for code, name, name_en, (low, high), dims, pass_mark in INSTRUMENTS:
        rows.add(
            "instrument",
            code=code,
            name=name,
            name_en=name_en,
            scale_min=low,
            scale_max=high,
            dimensions=dims,
            pass_mark=pass_mark,
        )


def programme(p: Prefecture) -> None:
    code, name, name_en = PROGRAMME
    prog = p.cohort(code, name, name_en, "programme", PROGRAMME_START, PROGRAMME_END, 0.8)
    starters, late = _programme_members(p)
    for k, c in enumerate(starters):
        p.enroll(prog, c, PROGRAMME_START, None, WITHDRAWAL if k in (10, 40) else None)
    for c in late:
        p.enroll(prog, c, LATE_JOIN, None)
    members = starters + late
    formats = ["lecture", "seminar", "site_visit", "experience_sharing"]
    for year in (2024, 2025, 2026):
        for m in range(10):
            day = D(year, 2 + m, 10 + (m * 3) % 15)
            if day > p.as_of:
                continue
            fmt = formats[(m + year) % 4]
            topic, speaker = TOPICS["programme"][(m + year) % 8], "特邀专家" if fmt == "lecture" else None
            sid, hours = p.session(prog, day, fmt, topic, speaker)
            p.attend(prog, sid, hours, day, members)
    p.assess(prog, members, PROGRAMME_PHASES, PROGRAMME_TESTS, self_rated=("pre", "post"))


def _programme_members(p: Prefecture) -> tuple[list[dict], list[dict]]:
    """The 72 youngest chiefs in post at the start, and the 4 youngest of the others in post on
    the late-join day who stay in post (a chief about to be promoted fills no vacancy)."""

    def youngest_first(chiefs: list[dict]) -> list[dict]:
        return sorted(chiefs, key=lambda c: (p.rows.get("person", c["pid"])[4], c["pid"]), reverse=True)

    starters = youngest_first(p.in_post_on(PROGRAMME_START))[:72]
    taken = {c["pid"] for c in starters}
    late = [c for c in youngest_first(p.in_post_on(LATE_JOIN)) if c["pid"] not in taken and c["end"] is None]
    return starters, late[:4]


# -- four residential classes in two years ------------------------------------------------
def classes(p: Prefecture) -> None:
    for code, name, name_en, start, theme in CLASSES:
        if start > p.as_of:
            continue
        end = start + dt.timedelta(days=4)
        # No attendance threshold of its own: a residential class completes within the leave limit.
        cls = p.cohort(code, name, name_en, "class", start, end, None)
        members = p.rng.sample(p.in_post_on(start), 40)
        for c in members:
            p.enroll(cls, c, start, end)
        for k in range(10):
            fmt = ("lecture", "lecture", "site_visit", "seminar", "experience_sharing")[k % 5]
            day, speaker = start + dt.timedelta(days=k // 2), "特邀专家" if fmt == "lecture" else None
            if day <= p.as_of:
                sid, hours = p.session(cls, day, fmt, TOPICS[theme][k % 4], speaker)
                p.attend(cls, sid, hours, day, members)
        p.assess(cls, members, [("pre", start), ("post", end)], CLASS_TESTS)


# -- the lecture series: 7 academician lectures, open to every chief -------------------------
def lecture_series(p: Prefecture) -> None:
    series = p.cohort(
        "GCDJT",
        "港城大讲堂",
        "Port City Lecture Series",
        "lecture_series",
        SERIES_START,
        SERIES_END,
        None,
    )
    # Every chief in post while it runs, a successor from their first day in post.
    members = [
        c for c in p.chiefs if c["start"] <= SERIES_END and (c["end"] is None or c["end"] > SERIES_START)
    ]
    for c in members:
        p.enroll(series, c, max(SERIES_START, c["start"]), None)
    for k, topic in enumerate(LECTURES):
        day = D(2025 + k // 4, 3 + (k % 4) * 2, 18)
        if day <= p.as_of:
            sid, hours = p.session(series, day, "lecture", topic, "院士")
            p.attend(series, sid, hours, day, members)


# -- the yearly rotation: every chief spends 12 days (90 class hours) in one of two batches --
def rotations(p: Prefecture) -> None:
    for year in ROTATION_YEARS:
        starts = (_monday_from(D(year, 3, 1)), _monday_from(D(year, 6, 8)))
        for batch, members in enumerate(_rotation_split(p, starts)):
            if starts[batch] <= p.as_of:
                _rotation_batch(p, year, batch, starts[batch], members)


def _rotation_split(p: Prefecture, starts: tuple[dt.date, dt.date]) -> tuple[list[dict], list[dict]]:
    """Who goes in which batch: the chiefs in post at the first batch alternately, except that
    one leaving before the second goes in the first; who took up a post in between goes in the
    second. So every chief in post on either start day is in exactly one batch."""
    first, second = p.in_post_on(starts[0]), p.in_post_on(starts[1])
    in_first = {c["pid"] for c in first}
    batches: tuple[list[dict], list[dict]] = ([], [])
    for k, c in enumerate(first):
        batches[1 if k % 2 and in_post(c, starts[1]) else 0].append(c)
    batches[1].extend(c for c in second if c["pid"] not in in_first)
    return batches


def _rotation_batch(p: Prefecture, year: int, batch: int, start: dt.date, members: list[dict]) -> None:
    days = working_days(start, ROTATION_DAYS)
    rot: Cohort = p.cohort(
        f"LX-{year}{'AB'[batch]}",
        f"{year}年乡镇党政正职集中轮训第{batch + 1}期",
        f"{year} rotation training, batch {batch + 1}",
        "rotation",
        days[0],
        days[-1],
        None,
    )
    for c in members:
        p.enroll(rot, c, days[0], days[-1])
    for k, day in enumerate(days):
        if day > p.as_of:
            break
        for half in range(2):
            fmt = ("lecture", "seminar", "site_visit", "experience_sharing")[(2 * k + half) % 4]
            topic, speaker = TOPICS["programme"][(2 * k + half) % 8], "党校教师" if fmt == "lecture" else None
            sid, hours = p.session(rot, day, fmt, topic, speaker, hours=ROTATION_SESSION_HOURS)
            p.attend(rot, sid, hours, day, members)
