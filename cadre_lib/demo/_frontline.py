"""The year's frontline review of one prefecture: every arena of 66 chiefs rated by look, hear and
ask, with what each source wrote down, and the comments gathered while the team was there.

Each chief's levels are drawn from their latent capability plus noise. The department's split is
then made to hold under the default [frontline] rule: the eight weakest by the levels drawn are
the average ones, the rest strong, and single ratings are nudged until the rule says so. A few
arenas get a disagreement the team has to recheck (the projects look well on the ground while the
residents heard complain, say). Every prefecture of a larger demo is built the same way, so each
gives 58 strong and 8 average. Nothing is dated after the as-of date."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass

from ..core.codes import codes
from ..core.rules import load_rules
from ._data import ASK, ASK_TOPIC, COMMENTS, HEAR, HEAR_WHO, LOOK, D
from ._prefecture import Prefecture, Rows, in_post

__all__ = ["review_season", "REVIEW_SEASON", "PERIOD", "REVIEWED", "AVERAGE"]

PERIOD = "2026"
REVIEW_SEASON = (D(2026, 5, 1), D(2026, 9, 28))  # who is reviewed holds a post throughout
REVIEWED, AVERAGE = 66, 8  # the report: 58 strong and 8 average, none weak
ARENAS, SOURCES, ROLES = codes("arena"), codes("review_source"), codes("commenter_role")
# How the sources come to disagree about an arena: (the source that saw it best, the one that saw
# it worst). Sites that look well while the people heard complain; a chief people like whose
# projects lag; projects on schedule whose problems the chief cannot explain when asked.
STORIES = (("look", "hear"), ("hear", "look"), ("look", "ask"), ("ask", "look"), ("hear", "ask"))
TONES = ("positive", "neutral", "concern")
TONE_WEIGHTS = {"strong": (0.65, 0.15, 0.2), "average": (0.3, 0.2, 0.5)}

Levels = dict[str, list[int]]  # arena -> the levels given by look, hear and ask


@dataclass(frozen=True)
class Visit:
    """The review team's visit to one chief: when it began, what the department found, the arena
    whose sources disagree (None: they agree throughout) and how many comments were gathered."""

    pid: int
    start: dt.date
    strength: str
    flagged: str | None
    comments: int


def review_season(p: Prefecture) -> None:
    """The frontline reviews and comments of one prefecture's 66 reviewed chiefs."""
    rng, rule = p.rng, load_rules().frontline
    reviewable = [c for c in p.chiefs if all(in_post(c, day) for day in REVIEW_SEASON)]
    # The order the rows are written in; drawn from the prefecture's generator as before, so the
    # talks and outcomes drawn after it stay as they were.
    reviewed = sorted(
        rng.sample(reviewable, REVIEWED), key=lambda c: (c["latent"] + rng.gauss(0, 0.6), c["pid"])
    )
    stream = rng.getrandbits(32)
    own = {c["pid"]: random.Random(f"{stream}/{c['pid']}") for c in reviewed}
    levels = {c["pid"]: _draw(own[c["pid"]], c["latent"]) for c in reviewed}
    by_mean = sorted(reviewed, key=lambda c: (_mean(levels[c["pid"]]), c["latent"], c["pid"]))
    average = {c["pid"] for c in by_mean[:AVERAGE]}
    flags = _disagreements(random.Random(f"{stream}/flags"), by_mean[:AVERAGE], by_mean[AVERAGE:])
    for k, c in enumerate(reviewed):
        pid, chief_rng = c["pid"], own[c["pid"]]
        strength = "average" if pid in average else "strong"
        arena, story = flags.get(pid, (None, None))
        if arena is not None:
            _disagree(levels[pid], arena, story, strength)
        _settle(levels[pid], strength, rule, arena)
        start = REVIEW_SEASON[0] + dt.timedelta(days=chief_rng.randint(0, 140))
        visit = Visit(pid, start, strength, arena, 6 + (k % 3 == 0))
        _ratings(p.rows, chief_rng, visit, levels[pid], p.as_of)
        _comments(p.rows, chief_rng, visit, p.as_of)


# -- levels: drawn, then a few disagreements, then the department's split ------------------
def _draw(rng: random.Random, latent: float) -> Levels:
    """Levels from the chief's latent capability plus noise: each arena around the chief's own
    level, each source around the arena's, the sources within a level of each other."""
    centre = 4.2 + 0.5 * latent
    out = {}
    for arena in ARENAS:
        middle = centre + rng.gauss(0, 0.35)
        out[arena] = _agree([_level(middle + rng.gauss(0, 0.45)) for _ in SOURCES], middle)
    return out


def _level(x: float) -> int:
    return max(1, min(5, round(x)))


def _agree(levels: list[int], middle: float) -> list[int]:
    """Sources two levels apart or more brought within a level of the middle one, on the side of
    `middle`: a gap that large is a disagreement the team rechecks, and the demo keeps those for
    the arenas `_disagree` tells a story about."""
    if max(levels) - min(levels) < 2:
        return levels
    pivot = sorted(levels)[1]
    low, high = (pivot, pivot + 1) if middle >= pivot else (pivot - 1, pivot)
    return [min(high, max(low, v)) for v in levels]


def _disagreements(
    rng: random.Random, average: list[dict], strong: list[dict]
) -> dict[int, tuple[str, tuple[str, str]]]:
    """Whose arena the sources disagree about, which arena and how (`STORIES`): two or three of
    the average chiefs and five or six of the strong, one arena each; every arena and every
    story comes up before any comes up twice."""
    chosen = rng.sample(average, rng.randint(2, 3)) + rng.sample(strong, rng.randint(5, 6))
    arenas, stories = rng.sample(ARENAS, len(ARENAS)) * 2, rng.sample(STORIES, len(STORIES)) * 2
    return {c["pid"]: (arenas[k], stories[k]) for k, c in enumerate(chosen)}


def _disagree(levels: Levels, arena: str, story: tuple[str, str], strength: str) -> None:
    """The arena as the sources of `story` saw it: the best two levels above the worst, the third
    in between. A strong chief's stays at 3 or more, as the rule wants of every arena."""
    best, worst = story
    top = 5 if strength == "strong" else max(3, min(5, round(sum(levels[arena]) / 3) + 1))
    levels[arena] = [top if s == best else top - 2 if s == worst else top - 1 for s in SOURCES]


def _mean(levels: Levels) -> float:
    return sum(map(sum, levels.values())) / sum(map(len, levels.values()))


def _strong(levels: Levels, rule: Mapping[str, float]) -> bool:
    lowest_arena = min(sum(v) / len(v) for v in levels.values())
    return _mean(levels) >= rule["strong_mean"] and lowest_arena >= rule["strong_arena_min"]


def _settle(levels: Levels, strength: str, rule: Mapping[str, float], keep: str | None) -> None:
    """Nudge single ratings outside the arena `keep` until `rule` gives `strength`: raise the
    lowest rating of the weakest arena while a strong chief is not strong (or anyone is below the
    weak line), lower the highest of the best arena while an average chief is strong. One level at
    a time, the lowest up or the highest down, so an arena's sources stay within a level."""
    free = [a for a in ARENAS if a != keep]
    for _ in range(4 * len(ARENAS) * len(SOURCES)):
        strong = _strong(levels, rule)
        if _mean(levels) < rule["weak_mean"] or (strength == "strong" and not strong):
            ratings = levels[min(free, key=lambda a: (sum(levels[a]), a))]
            ratings[ratings.index(min(ratings))] += 1
        elif strength == "average" and strong:
            ratings = levels[max(free, key=lambda a: (sum(levels[a]), a))]
            ratings[ratings.index(max(ratings))] -= 1
        else:
            return
    raise RuntimeError(f"demo review: levels {levels} cannot be made {strength}")


# -- what was written down ---------------------------------------------------------------
def _ratings(rows: Rows, rng: random.Random, visit: Visit, levels: Levels, as_of: dt.date) -> None:
    """The chief's 15 ratings with each source's evidence. The team takes an arena every other
    day: it looks at the sites first, hears people that day or the next, and asks the chief last.
    A rating the team has not made by the as-of date is not there (its draws are, so that the
    comments drawn after it do not depend on the date)."""
    for k, arena in enumerate(ARENAS):
        day = visit.start + dt.timedelta(days=2 * k)
        for source, level in zip(SOURCES, levels[arena], strict=True):
            when = day + dt.timedelta(days={"look": 0, "hear": rng.randint(0, 1), "ask": 1}[source])
            evidence = _evidence(rng, arena, source, level)
            if when > as_of:
                continue
            rows.add(
                "frontline_review",
                person_id=visit.pid,
                period=PERIOD,
                arena=arena,
                evidence=evidence,
                source=source,
                level=level,
                date=when,
            )


def _evidence(rng: random.Random, arena: str, source: str, level: int) -> str:
    """What a source wrote down about an arena, in keeping with the level it gave: the sites and
    registers seen, whose views were heard and what they said, the problems asked about."""
    tone = "good" if level >= 4 else "fair" if level == 3 else "poor"
    if source == "look":
        n = rng.randint(3, 9)
        share = {"good": (85, 100), "fair": (65, 84), "poor": (35, 64)}[tone]
        p = rng.randint(*share)
        done = min(n, round(n * p / 100))
        return LOOK[arena][tone].format(n=n, k=done, r=max(1, n - done), p=p, m=rng.randint(1, 3))
    if source == "hear":
        who = HEAR_WHO[arena].format(
            a=rng.randint(4, 12), b=rng.randint(3, 8), c=rng.randint(2, 5), d=rng.randint(8, 30)
        )
        return f"{who}，{rng.choice(HEAR[arena][tone])}"
    title, problems = ASK_TOPIC[arena]
    return f"{title}：{'、'.join(rng.sample(problems, 2))}。{rng.choice(ASK[tone])}"


def _comments(rows: Rows, rng: random.Random, visit: Visit, as_of: dt.date) -> None:
    """What people said of the chief while the team was there, each text once: mostly praise of a
    strong chief, more concerns about an average one, and a concern about the arena whose sources
    disagree. Not every commenter names an arena."""
    tones = rng.choices(TONES, TONE_WEIGHTS[visit.strength], k=visit.comments)
    said: set[str] = set()
    for k, tone in enumerate(tones):
        bank = COMMENTS[tone]
        if k == 0 and visit.flagged is not None:
            bank = [c for c in COMMENTS["concern"] if c[1] == visit.flagged]
        text, arena, roles = rng.choice([c for c in bank if c[0] not in said])
        said.add(text)
        role = rng.choice(roles or ROLES)
        named = arena if rng.random() < 0.8 else None
        day = min(visit.start + dt.timedelta(days=rng.randint(0, 10)), REVIEW_SEASON[1])
        if day > as_of:
            continue
        rows.add(
            "comment",
            person_id=visit.pid,
            period=PERIOD,
            arena=named,
            commenter_role=role,
            text=text,
            date=day,
        )
