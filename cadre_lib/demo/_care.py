"""What the department learns and does about its chiefs: frontline reviews and the comments
gathered, outcomes (promotions are decided earlier, in `Prefecture.promotions`), supervisory talks
and township figures. Nothing is dated after the as-of date."""

from __future__ import annotations

import datetime as dt
import random

from ._data import ASK, COMMENTS, CONCERNS, FOLLOW_UPS, HEAR, HEAR_WHO, LOOK, D
from ._prefecture import Prefecture, Rows, in_post

__all__ = ["assessment_and_care"]

# The frontline review is held over these months: who is reviewed holds a post throughout.
REVIEW_SEASON = (D(2026, 5, 1), D(2026, 9, 28))
ARENAS = ("investment", "projects", "rural", "governance", "public_opinion")
SOURCES = ("look", "hear", "ask")
# The default rule of the rules file's [frontline] section, which the demo is built to satisfy.
STRONG_MEAN, STRONG_ARENA_MIN, WEAK_MEAN = 3.8, 3.0, 2.5
# Reviewed chiefs (by rank, weakest first) with one arena whose sources disagree: what was seen
# on the ground, heard from people and asked about do not tell one story.
FLAGGED = {
    2: "projects",
    5: "rural",
    11: "investment",
    19: "governance",
    27: "projects",
    40: "public_opinion",
    53: "rural",
}


def assessment_and_care(p: Prefecture) -> None:
    """Frontline reviews, comments, talks, outcomes and township figures of one prefecture."""
    rows, rng, as_of = p.rows, p.rng, p.as_of
    reviewable = [c for c in p.chiefs if all(in_post(c, day) for day in REVIEW_SEASON)]
    reviewed = sorted(rng.sample(reviewable, 66), key=lambda c: (c["latent"] + rng.gauss(0, 0.6), c["pid"]))
    stream = rng.getrandbits(32)  # each chief's review draws from its own generator
    for rank, c in enumerate(reviewed):
        own = random.Random(f"{stream}/{c['pid']}")
        _review(rows, own, c, "average" if rank < 8 else "strong", FLAGGED.get(rank), as_of)
        _comments(rows, own, c, "average" if rank < 8 else "strong", rank, as_of)
    _other_outcomes(rows, rng, p.by_latent, as_of)
    _talks(rows, rng, [c for c in p.chiefs if c["end"] is None], as_of)
    _indicators(rows, rng, sorted({c["tid"] for c in p.chiefs}))


def _levels(rng: random.Random, strength: str, flagged: str | None) -> dict[str, list[int]]:
    """Each arena's levels by look, hear and ask: one level apart at most, except the flagged
    arena (two apart); then nudged, outside the flagged arena, until the default rule gives
    `strength` (strong: mean ≥ 3.8 and no arena below 3.0; average: mean from 2.5 to below 3.8)."""
    bases = (4, 5) if strength == "strong" else (2, 3, 3, 3, 4)
    levels = {}
    for arena in ARENAS:
        base = rng.choice(bases)
        if arena == flagged:
            low = min(base, 4) - 1 if strength == "strong" else 2
            levels[arena] = rng.choice([[low + 2, low, low + 1], [low + 2, low + 1, low]])
            continue
        step = rng.choice((-1, 1))
        levels[arena] = [max(1, min(5, base + (step if rng.random() < 0.35 else 0))) for _ in SOURCES]
    free = [a for a in ARENAS if a != flagged]
    mean = lambda: sum(map(sum, levels.values())) / 15  # noqa: E731
    while strength == "strong" and mean() < STRONG_MEAN:
        arena = min(free, key=lambda a: (sum(levels[a]), a))
        levels[arena] = [min(5, v + 1) for v in levels[arena]]
    while strength == "average" and mean() >= STRONG_MEAN:
        arena = max(free, key=lambda a: (sum(levels[a]), a))
        levels[arena] = [max(1, v - 1) for v in levels[arena]]
    while mean() < WEAK_MEAN:
        arena = min(free, key=lambda a: (sum(levels[a]), a))
        levels[arena] = [min(5, v + 1) for v in levels[arena]]
    return levels


def _review(
    rows: Rows, rng: random.Random, c: dict, strength: str, flagged: str | None, as_of: dt.date
) -> None:
    """One chief's frontline review: every arena rated by each source, with its evidence."""
    start = REVIEW_SEASON[0] + dt.timedelta(days=rng.randint(0, 100))
    for k, (arena, levels) in enumerate(_levels(rng, strength, flagged).items()):
        day = min(start + dt.timedelta(days=2 * k + rng.randint(0, 1)), as_of, REVIEW_SEASON[1])
        for source, level in zip(SOURCES, levels, strict=True):
            rows.add(
                "frontline_review",
                person_id=c["pid"],
                period="2026",
                arena=arena,
                evidence=_evidence(rng, arena, source, level),
                source=source,
                level=level,
                date=day,
            )


def _evidence(rng: random.Random, arena: str, source: str, level: int) -> str:
    """What a source wrote down, in keeping with the level it gave."""
    tone = "good" if level >= 4 else "fair" if level == 3 else "poor"
    if source == "look":
        n = rng.randint(2, 12) if level >= 3 else rng.randint(1, 3)
        return LOOK[arena].format(
            n=n, m=rng.randint(1, 4), p=rng.randint(85, 100) if level >= 4 else rng.randint(55, 84)
        )
    if source == "hear":
        who = HEAR_WHO.format(a=rng.randint(5, 20), b=rng.randint(2, 8), c=rng.randint(8, 30))
        return f"{who}，{rng.choice(HEAR[tone])}"
    return rng.choice(ASK[tone])


def _comments(rows: Rows, rng: random.Random, c: dict, strength: str, rank: int, as_of: dt.date) -> None:
    """The comments gathered about one chief during the review: more concerns for the average."""
    weights = (0.65, 0.15, 0.2) if strength == "strong" else (0.3, 0.2, 0.5)
    for _ in range(6 + (rank % 3 == 0)):
        tone = rng.choices(("positive", "neutral", "negative"), weights)[0]
        day = D(2026, rng.randint(5, 9), rng.randint(1, 28))
        if day > as_of:
            continue
        rows.add(
            "comment",
            person_id=c["pid"],
            period="2026",
            arena=rng.choice((None, *ARENAS)),
            commenter_role=rng.choice(("party_member", "cadre", "company", "resident")),
            text=rng.choice(COMMENTS[tone]),
            date=day,
        )


def _outcome(
    rows: Rows,
    as_of: dt.date,
    pid: int,
    kind: str,
    day: dt.date,
    detail: str,
    impact_end=None,
    reviewed_on=None,
) -> None:
    if day > as_of:  # not decided yet on the as-of date
        return
    rows.add(
        "outcome",
        person_id=pid,
        kind=kind,
        date=day,
        detail=detail,
        impact_end=impact_end,
        reviewed_on=reviewed_on,
    )


def _other_outcomes(rows: Rows, rng: random.Random, by_latent: list[dict], as_of: dt.date) -> None:
    """Rank promotions, merits, disciplinary actions (8 expired and reviewed), risk filings and
    fault-tolerance decisions."""
    secretaries = [c for c in by_latent[-100:-15] if c["post"] == "secretary"]
    for year, n in ((2025, 10), (2026, 12)):
        for c in secretaries[:n]:
            _outcome(rows, as_of, c["pid"], "rank_promotion", D(year, 6, 30), "晋升三级调研员")
        secretaries = secretaries[n:]
    for c in by_latent[-22:-15]:
        _outcome(rows, as_of, c["pid"], "merit", D(2026, 3, 20), "连续两年获评高质量发展先进乡镇，记三等功")
    for k, c in enumerate(by_latent[:10]):
        expired = k < 8
        end = D(2025, 1 + k, 10) if expired else D(2027, 3, 1)
        reviewed = D(2026, 4, 15) if expired else None
        _outcome(
            rows, as_of, c["pid"], "discipline", D(2022 + k // 8, 1 + k, 10), "党内警告处分", end, reviewed
        )
    for kind, n, day, detail in (
        ("risk_filing", 5, 8, "重大项目先行先试风险备案"),
        ("fault_tolerance", 3, 20, "改革探索中出现失误，予以容错"),
    ):
        for c in rng.sample(by_latent[10:60], n):
            _outcome(rows, as_of, c["pid"], kind, D(2026, rng.randint(1, 10), day), detail)


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
                    if c["start"] <= day <= as_of:
                        _talk(rows, rng, c["pid"], day, role, False, as_of)
        for c in rng.sample(current, 8):
            day = D(year, rng.randint(2, 11), rng.randint(1, 28))
            if c["start"] <= day <= as_of:
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
