"""The national overview as hand-written SQL: the reference `bench_overview.py` times the
library against. One statement per table (counties, cohorts), in the dialect of SQLite,
PostgreSQL or DuckDB; the numbers of the workspace's rules are written into the text."""

from __future__ import annotations

import datetime as dt

DIALECTS = {
    # name: (date literal, greatest, least, days from a to b)
    "sqlite": ("'{}'", "max", "min", "CAST(julianday({b}) - julianday({a}) AS INTEGER)"),
    "postgresql": ("DATE '{}'", "GREATEST", "LEAST", "({b} - {a})"),
    "duckdb": ("DATE '{}'", "GREATEST", "LEAST", "date_diff('day', {a}, {b})"),
}


def _codes(values) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values)) or "NULL"


def _credit(rules, status: str) -> str:
    whens = " ".join(f"WHEN '{code}' THEN {float(share)!r}" for code, share in dict(rules.credit).items())
    return f"(CASE {status} {whens} ELSE 0.0 END)"


def county_sql(rules, as_of: dt.date, dialect: str) -> str:
    lit, greatest, least, days = DIALECTS[dialect]
    d = {
        "as_of": lit.format(as_of),
        "jan1": lit.format(dt.date(as_of.year, 1, 1)),
        "dec31": lit.format(dt.date(as_of.year, 12, 31)),
        "next_jan1": lit.format(dt.date(as_of.year + 1, 1, 1)),
    }
    year_days = (dt.date(as_of.year + 1, 1, 1) - dt.date(as_of.year, 1, 1)).days
    counting = _codes(rules.counts_toward_yearly)
    full, half = (float(h) for h in rules.day_hours)
    rnd = "ROUND(CAST({} AS NUMERIC), 1)" if dialect == "postgresql" else "ROUND({}, 1)"

    def day(h: str) -> str:
        """A date's training days: full or half by the hours scheduled, counted in full when
        attended in full, else by the share attended rounded down to the half day (of the hours
        in `planned`: one cohort's, or all of that date's)."""
        return (
            f"(CASE WHEN planned >= {full - 1e-9!r} THEN (CASE WHEN {h} >= planned - 1e-9 THEN 1.0 "
            f"WHEN {h} >= planned / 2 - 1e-9 THEN 0.5 ELSE 0.0 END) "
            f"WHEN planned >= {half - 1e-9!r} THEN (CASE WHEN {h} >= planned - 1e-9 THEN 0.5 ELSE 0.0 END) "
            "ELSE 0.0 END)"
        )

    return f"""
WITH t AS (
  SELECT id, person_id, township_id, start_date, end_date,
         CASE WHEN end_date IS NULL OR end_date > {d["as_of"]} THEN 1 ELSE 0 END AS in_post
  FROM post_tenure
  WHERE start_date <= {d["as_of"]} AND (end_date IS NULL OR end_date > {d["jan1"]})
), place AS (
  SELECT person_id, township_id, in_post FROM (
    SELECT person_id, township_id, in_post, ROW_NUMBER() OVER (
      PARTITION BY person_id ORDER BY in_post DESC, start_date DESC, id DESC) AS rn
    FROM t) AS ranked
  WHERE rn = 1
), spans AS (
  SELECT person_id, {greatest}(start_date, {d["jan1"]}) AS s,
         CASE WHEN end_date IS NOT NULL AND end_date <= {d["as_of"]} THEN end_date
              ELSE {d["next_jan1"]} END AS e
  FROM t
), spans_before AS (
  SELECT person_id, s, e, MAX(e) OVER (
    PARTITION BY person_id ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS covered
  FROM spans WHERE e > s
), post_days AS (
  SELECT person_id, SUM({greatest}(0, {days.format(a="CASE WHEN covered IS NULL OR covered < s THEN s ELSE covered END", b="e")})) AS days
  FROM spans_before GROUP BY person_id
), year_rows AS (
  SELECT a.person_id, s.date, s.cohort_id, {_credit(rules, "a.status")} * s.hours AS hours, s.hours AS marked,
         1 AS credited
  FROM attendance a JOIN session s ON s.id = a.session_id JOIN cohort c ON c.id = s.cohort_id
  WHERE c.kind IN ({counting}) AND s.date >= {d["jan1"]} AND s.date <= {d["as_of"]}
  UNION ALL
  SELECT e.person_id, s.date, s.cohort_id, s.hours, 0.0, 0
  FROM enrollment e JOIN session s ON s.cohort_id = e.cohort_id JOIN cohort c ON c.id = s.cohort_id
  LEFT JOIN attendance a ON a.session_id = s.id AND a.person_id = e.person_id
  WHERE c.kind IN ({counting}) AND e.start_date <= s.date
    AND (e.end_date IS NULL OR e.end_date >= s.date OR (e.status = 'withdrawn' AND e.end_date > {d["as_of"]}))
    AND ((a.id IS NULL AND s.date >= {d["jan1"]} AND s.date <= {d["as_of"]})
         OR (s.date > {d["as_of"]} AND s.date <= {d["dec31"]}))
), per_cohort AS (
  SELECT person_id, date, SUM(CASE WHEN credited = 1 THEN hours ELSE 0.0 END) AS credited,
         SUM(marked) AS marked, SUM(hours) AS all_hours,
         SUM(marked) + SUM(CASE WHEN credited = 0 THEN hours ELSE 0.0 END) AS planned
  FROM year_rows GROUP BY person_id, date, cohort_id
), per_date AS (
  SELECT person_id, SUM(credited) AS credited, SUM(marked) AS marked, SUM(all_hours) AS all_hours,
         SUM(planned) AS planned, MAX({day("credited")}) AS credited_alone,
         MAX({day("all_hours")}) AS projected_alone
  FROM per_cohort GROUP BY person_id, date
), per_person AS (
  SELECT person_id, SUM(credited) AS credited, SUM(marked) AS marked, SUM(all_hours) AS projected,
         SUM(CASE WHEN {day("credited")} >= credited_alone THEN {day("credited")} ELSE credited_alone END)
           AS credited_days,
         SUM(CASE WHEN {day("all_hours")} >= projected_alone THEN {day("all_hours")} ELSE projected_alone END)
           AS projected_days
  FROM per_date GROUP BY person_id
), chiefs AS (
  SELECT tw.county_id,
         {rnd.format(f"{float(rules.hours_per_year)!r} * COALESCE(pd.days, 0) / {year_days}")} AS target_hours,
         {rnd.format(f"{float(rules.days_per_year)!r} * COALESCE(pd.days, 0) / {year_days}")} AS target_days,
         COALESCE(pp.credited, 0.0) AS credited, COALESCE(pp.marked, 0.0) AS marked,
         COALESCE(pp.projected, 0.0) AS projected, COALESCE(pp.projected_days, 0.0) AS projected_days
  FROM place pl JOIN township tw ON tw.id = pl.township_id
  LEFT JOIN post_days pd ON pd.person_id = pl.person_id
  LEFT JOIN per_person pp ON pp.person_id = pl.person_id
  WHERE pl.in_post = 1
), judged AS (
  SELECT county_id, credited, marked,
         CASE WHEN projected < target_hours - 1e-9 AND projected_days < target_days - 1e-9 THEN 0 ELSE 1 END AS on_track,
         ROW_NUMBER() OVER (PARTITION BY county_id ORDER BY credited) AS rn,
         COUNT(*) OVER (PARTITION BY county_id) AS n
  FROM chiefs
)
SELECT co.code AS county_code, co.name AS county, COUNT(*) AS chiefs_in_post, SUM(on_track) AS on_track,
       SUM(on_track) * 1.0 / COUNT(*) AS on_track_share,
       CASE WHEN SUM(marked) > 0 THEN SUM(credited) / SUM(marked) END AS attendance_rate,
       AVG(CASE WHEN 2 * rn BETWEEN n AND n + 2 THEN credited END) AS median_hours
FROM judged JOIN county co ON co.id = judged.county_id
GROUP BY co.id, co.code, co.name
"""


def cohort_sql(rules, as_of: dt.date, dialect: str) -> str:
    lit, _greatest, _least, _days = DIALECTS[dialect]
    as_of_lit = lit.format(as_of)
    completion = rules.settings["training"]["completion"]
    # The attendance threshold: the rules file's for the cohort, else the one stored with it,
    # else the default, except for residential kinds (the leave limit decides those).
    fallback = (
        f"CASE WHEN c.kind IN ({_codes(rules.residential_kinds)}) THEN NULL "
        f"ELSE {float(completion['default'])!r} END"
    )
    overrides = " ".join(f"WHEN '{code}' THEN {float(v)!r}" for code, v in completion["cohorts"].items())
    by_code = f"COALESCE(c.completion_threshold, {fallback})"
    if overrides:
        by_code = f"CASE c.code {overrides} ELSE {by_code} END"
    named = " ".join(
        f"WHEN '{code}' THEN '{instrument}'" for code, instrument in completion["pass_instruments"].items()
    )
    pass_instrument = f"CASE c.code {named} END" if named else "CAST(NULL AS VARCHAR(64))"
    rnd = "ROUND(CAST({} AS NUMERIC), 2)" if dialect == "postgresql" else "ROUND({}, 2)"
    limit = rnd.format(f"{float(rules.leave_limit)!r} * COALESCE(h.hours, 0.0)")
    counts = ", ".join(
        f"SUM(CASE WHEN shown = '{s}' THEN 1 ELSE 0 END) AS {s}"
        for s in ("active", "promoted", "withdrawn", "ended", "completed", "not_completed", "pending")
    )
    return f"""
WITH hours AS (
  SELECT cohort_id, SUM(hours) AS hours FROM session GROUP BY cohort_id
), cp0 AS (
  SELECT c.id, c.code, c.name, c.kind, c.start_date, c.end_date,
         CASE WHEN c.kind IN ({_codes(rules.completion_kinds)}) THEN 1 ELSE 0 END AS completes,
         CASE WHEN c.kind IN ({_codes(rules.completion_kinds)}) THEN {by_code} END AS threshold,
         CASE WHEN c.kind IN ({_codes(rules.residential_kinds)}) THEN {limit} END AS leave_limit,
         CASE WHEN c.kind IN ({_codes(rules.completion_kinds)}) THEN {pass_instrument} END AS pass_instrument
  FROM cohort c LEFT JOIN hours h ON h.cohort_id = c.id
), cp AS (
  SELECT cp0.*, i.pass_mark FROM cp0 LEFT JOIN instrument i ON i.code = cp0.pass_instrument
), scores AS (
  SELECT a.cohort_id, a.person_id, AVG(a.score) AS pass_score
  FROM assessment a JOIN cp ON cp.id = a.cohort_id AND a.instrument = cp.pass_instrument
  WHERE a.phase = 'post' AND a.date <= {as_of_lit} AND a.rater_role IN ('training_office', 'trainer')
  GROUP BY a.cohort_id, a.person_id
), eh AS (
  SELECT e.id, e.cohort_id, e.person_id, e.status, e.end_reason, e.end_date,
         COALESCE(SUM(s.hours), 0.0) AS offered,
         COALESCE(SUM(CASE WHEN a.id IS NULL THEN 0.0 ELSE s.hours END), 0.0) AS marked,
         COALESCE(SUM({_credit(rules, "a.status")} * s.hours), 0.0) AS credited,
         COALESCE(SUM(CASE WHEN a.status IN ({_codes(rules.leave_counts)}) THEN s.hours ELSE 0.0 END), 0.0) AS away
  FROM enrollment e
  LEFT JOIN session s ON s.cohort_id = e.cohort_id AND s.date <= {as_of_lit} AND s.date >= e.start_date
       AND (e.end_date IS NULL OR s.date <= e.end_date)
  LEFT JOIN attendance a ON a.session_id = s.id AND a.person_id = e.person_id
  WHERE e.start_date <= {as_of_lit}
  GROUP BY e.id, e.cohort_id, e.person_id, e.status, e.end_reason, e.end_date
), v AS (
  SELECT eh.cohort_id, eh.offered - eh.marked AS unmarked, cp.completes,
         CASE WHEN COALESCE(eh.end_date, cp.end_date) < {as_of_lit}
              THEN CASE WHEN eh.status = 'withdrawn' AND eh.end_reason = 'promoted' THEN 'promoted'
                        WHEN eh.status = 'withdrawn' THEN 'withdrawn' ELSE 'ended' END
              ELSE 'active' END AS status,
         COALESCE(CASE WHEN eh.offered - eh.marked > 0
              THEN (eh.credited + eh.offered - eh.marked) / eh.offered < cp.threshold - 1e-9
              ELSE eh.marked > 0 AND eh.credited < cp.threshold * eh.marked - 1e-9 END, FALSE) AS below,
         cp.leave_limit IS NOT NULL AND eh.away > cp.leave_limit + 1e-9 AS over_limit,
         COALESCE(sc.pass_score < cp.pass_mark - 1e-9, FALSE) AS failed_test,
         cp.pass_mark IS NOT NULL AND sc.pass_score IS NULL AS no_score
  FROM eh JOIN cp ON cp.id = eh.cohort_id
  LEFT JOIN scores sc ON sc.cohort_id = eh.cohort_id AND sc.person_id = eh.person_id
), shown AS (
  SELECT cohort_id,
         CASE WHEN status = 'ended' AND completes = 1 THEN
              CASE WHEN below OR over_limit OR failed_test THEN 'not_completed'
                   WHEN unmarked > 0 OR no_score THEN 'pending' ELSE 'completed' END
              ELSE status END AS shown
  FROM v
), counted AS (
  SELECT cohort_id, COUNT(*) AS participants, {counts} FROM shown GROUP BY cohort_id
)
SELECT cp.code AS cohort, cp.name, cp.kind, COALESCE(participants, 0) AS participants,
       COALESCE(active, 0) AS active, COALESCE(promoted, 0) AS promoted,
       COALESCE(withdrawn, 0) AS withdrawn, COALESCE(ended, 0) AS closed,
       COALESCE(completed, 0) AS completed, COALESCE(not_completed, 0) AS not_completed,
       COALESCE(pending, 0) AS pending,
       CASE WHEN completed + not_completed > 0 THEN completed * 1.0 / (completed + not_completed) END
         AS completion_rate
FROM cp LEFT JOIN counted ON counted.cohort_id = cp.id
ORDER BY cp.start_date, cp.code
"""
