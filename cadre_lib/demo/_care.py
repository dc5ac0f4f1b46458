"""What the department does about its chiefs: outcomes (promotions are decided earlier, in
`Prefecture.promotions`), supervisory talks and township figures, after the year's frontline
review (`_frontline`). Nothing is dated after the as-of date."""

from __future__ import annotations

import datetime as dt
import random

from . import _frontline
from ._data import CONCERNS, FOLLOW_UPS, D
from ._prefecture import Prefecture, Rows

__all__ = ["assessment_and_care"]


def assessment_and_care(p: Prefecture) -> None:
    """Frontline reviews, comments, talks, outcomes and township figures of one prefecture."""
    rows, rng, as_of = p.rows, p.rng, p.as_of
    _frontline.review_season(p)
    _other_outcomes(rows, rng, p.by_latent, as_of)
    _talks(rows, rng, [c for c in p.chiefs if c["end"] is None], as_of)
    _indicators(rows, rng, sorted({c["tid"] for c in p.chiefs}))


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
