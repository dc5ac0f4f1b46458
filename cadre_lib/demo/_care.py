"""What the department does about its chiefs: outcomes (promotions are decided earlier, in
`Prefecture.promotions`), supervisory talks and township figures, after the year's frontline
review (`_frontline`). Nothing is dated after the as-of date."""

from __future__ import annotations

import datetime as dt
import random

from . import _frontline
from ._data import CONCERN_TAGS, CONCERNS, FOLLOW_UP_OWNERS, FOLLOW_UPS, D
from ._prefecture import Prefecture, Rows, add_outcome

__all__ = ["assessment_and_care"]


def assessment_and_care(p: Prefecture) -> None:
    """Frontline reviews, comments, talks, outcomes and township figures of one prefecture;
    then (drawn last, so that everything before keeps its draws) each chief's rank history and
    what came of the risk filings."""
    rows, rng, as_of = p.rows, p.rng, p.as_of
    _frontline.review_season(p)
    filings = _other_outcomes(rows, rng, p.by_latent, as_of)
    _talks(rows, rng, [c for c in p.chiefs if c["end"] is None], as_of)
    _indicators(rows, rng, sorted({c["tid"] for c in p.chiefs}))
    _ranks(rows, rng, p.chiefs, as_of)
    _filing_results(rows, rng, filings, as_of)


def _outcome(rows: Rows, as_of: dt.date, pid: int, kind: str, day: dt.date, **values) -> int | None:
    if day > as_of:  # not decided yet on the as-of date
        return None
    return add_outcome(rows, pid, kind, day, **values)


# The ten disciplinary actions: eight party warnings decided early in 2025, whose one-year impact
# periods ended in January to March 2026 and were reviewed in April (the report's 8), and two
# still running on the as-of date (a serious warning, 18 months; a demerit, 12 months).
_DISCIPLINE = [
    *((D(2025, 1 + k // 3, 10 + 5 * (k % 3)), "party_warning", "党内警告处分") for k in range(8)),
    (D(2025, 9, 10), "party_serious_warning", "党内严重警告处分"),
    (D(2026, 3, 10), "admin_demerit", "政务记过处分"),
]


def _other_outcomes(
    rows: Rows, rng: random.Random, by_latent: list[dict], as_of: dt.date
) -> list[tuple[int, dt.date]]:
    """Rank promotions, merits, disciplinary actions (8 expired and reviewed), two
    admonishments, risk filings and fault-tolerance decisions; returns the risk filings made."""
    secretaries = [c for c in by_latent[-100:-15] if c["post"] == "secretary"]
    for year, n in ((2025, 10), (2026, 12)):
        for c in secretaries[:n]:
            _outcome(
                rows,
                as_of,
                c["pid"],
                "rank_promotion",
                D(year, 6, 30),
                detail="晋升三级调研员",
                rank="researcher_3",
            )
            c["rank_up"] = D(year, 6, 30)
        secretaries = secretaries[n:]
    for c in by_latent[-22:-15]:
        _outcome(
            rows, as_of, c["pid"], "merit", D(2026, 3, 20), detail="连续两年获评高质量发展先进乡镇，记三等功",
            award="merit_3",
        )  # fmt: skip
    for k, (c, (day, sanction, detail)) in enumerate(zip(by_latent[:10], _DISCIPLINE, strict=True)):
        reviewed = D(2026, 4, 15) if k < 8 else None
        _outcome(
            rows, as_of, c["pid"], "discipline", day, detail=detail, sanction=sanction, reviewed_on=reviewed
        )
    for c in by_latent[10:12]:
        _outcome(
            rows, as_of, c["pid"], "accountability", D(2026, 8, 20), detail="重点项目推进不力，予以诫勉",
            sanction="admonishment",
        )  # fmt: skip
    filings = []
    for kind, n, day, detail in (
        ("risk_filing", 5, 8, "重大项目先行先试风险备案"),
        ("fault_tolerance", 3, 20, "改革探索中出现失误，予以容错"),
    ):
        for c in rng.sample(by_latent[10:60], n):
            made = D(2026, rng.randint(1, 10), day)
            row_id = _outcome(rows, as_of, c["pid"], kind, made, detail=detail)
            if kind == "risk_filing" and row_id is not None:
                filings.append((row_id, made))
    return filings


def _talks(rows: Rows, rng: random.Random, current: list[dict], as_of: dt.date) -> None:
    """Supervisory talks: last year nearly complete, this year with the gaps a department finds;
    then the make-up talks (`_make_ups`)."""
    held: set[tuple[int, str, dt.date]] = set()  # (chief, role, the day and the first day of its period)
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
                        held.add((c["pid"], role, D(year, 1 if role == "county_secretary" else months[0], 1)))
                        held.add((c["pid"], role, day))
        for c in rng.sample(current, 8):
            day = D(year, rng.randint(2, 11), rng.randint(1, 28))
            if c["start"] <= day <= as_of:
                _talk(rows, rng, c["pid"], day, "city_deputy", True, as_of)
    _make_ups(rows, current, held, as_of)


# Periods a talker may have missed and, half the time, made up early in the next one: (role, first
# day of the period missed, first and last month of the make-up).
_MISSED = (
    ("county_secretary", D(2025, 1, 1), (1, 3)),
    ("county_org_chief", D(2025, 7, 1), (1, 3)),
    ("county_org_chief", D(2026, 1, 1), (7, 9)),
)


def _make_ups(rows: Rows, current: list[dict], held: set, as_of: dt.date) -> None:
    """Extra talks that make up a missed period: a talk in the next period beside that period's own
    one (a talk meets one obligation, so a make-up is a talk of its own). Drawn from a generator of
    their own, so that everything drawn after the talks keeps its draws."""
    if not current:
        return
    rng = random.Random(f"make-ups/{current[0]['pid']}")
    for role, missed, months in _MISSED:
        for c in current:
            if c["start"] > missed or (c["pid"], role, missed) in held or rng.random() >= 0.5:
                continue
            day = D(missed.year + (missed.month == 7 or role == "county_secretary"), rng.randint(*months),
                    rng.randint(1, 28))  # fmt: skip
            if day <= as_of and (c["pid"], role, day) not in held:
                _talk(rows, rng, c["pid"], day, role, False, as_of)


def _talk(
    rows: Rows, rng: random.Random, pid: int, day: dt.date, role: str, unannounced: bool, as_of: dt.date
) -> None:
    """One talk and the follow-up agreed in it (due in 60 days; most done by then)."""
    due = day + dt.timedelta(days=60)
    done = due - dt.timedelta(days=rng.randint(0, 50)) if (due <= as_of and rng.random() < 0.8) else None
    concern = rng.randrange(len(CONCERNS))
    action = rng.randrange(len(FOLLOW_UPS))
    talk_id = rows.add(
        "talk",
        person_id=pid,
        date=day,
        talker_role=role,
        unannounced=unannounced,
        concerns=CONCERNS[concern],
        concern_tags=CONCERN_TAGS[concern],
        talker_name=None,
    )
    rows.add(
        "follow_up",
        talk_id=talk_id,
        action=FOLLOW_UPS[action],
        owner=FOLLOW_UP_OWNERS[action],
        due_date=due,
        status="open" if done is None else "done",
        done_date=done,
    )


def _ranks(rows: Rows, rng: random.Random, chiefs: list[dict], as_of: dt.date) -> None:
    """Each chief's rank history: the rank held on taking the post (secretaries often a
    fourth-level researcher already, heads a principal clerk), and the rise to third-level
    researcher of those whose rank promotion is in the ledger."""
    for c in chiefs:
        since = D(rng.randint(2019, 2025), rng.randint(1, 12), 1)
        if c.get("rank_up") and c["rank_up"] <= as_of:
            years = rng.randint(2, 5)
            rows.add("rank_history", person_id=c["pid"], rank="researcher_4",
                     start_date=c["rank_up"].replace(year=c["rank_up"].year - years))  # fmt: skip
            rows.add("rank_history", person_id=c["pid"], rank="researcher_3", start_date=c["rank_up"])
            continue
        if c["post"] == "secretary":
            rank = "researcher_4" if rng.random() < 0.4 else "principal_clerk_1"
        else:
            rank = "principal_clerk_1" if rng.random() < 0.5 else "principal_clerk_2"
        rows.add("rank_history", person_id=c["pid"], rank=rank, start_date=min(since, as_of))


def _filing_results(
    rows: Rows, rng: random.Random, filings: list[tuple[int, dt.date]], as_of: dt.date
) -> None:
    """What came of each initiative filed in advance, some months on (none yet for the newest)."""
    for row_id, made in filings:
        when = made + dt.timedelta(days=rng.randint(90, 240))
        if when <= as_of:
            result = rng.choice(("achieved", "achieved", "partly", "failed"))
            rows.set("outcome", row_id, result=result, result_date=when)


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
