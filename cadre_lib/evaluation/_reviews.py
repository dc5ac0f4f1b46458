"""The five-frontline review: each arena of a chief rated by each source on five levels, the
arenas whose sources disagree, and the classification the rules file's [frontline] rule gives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import sqlalchemy as sa

from ..core.codes import codes, label
from ..core.errors import InvalidEntry
from ..core.fields import parse_code, parse_level, parse_period
from ..core.ids import snippet
from ..core.normalize import clean_prose
from ..core.problems import Problem
from ..core.rules import Rules, check_day
from ..core.saved import Saved
from ..core.schema import TABLES
from ..core.tx import ANY_VERSION
from ..core.workspace import Workspace
from ..people import check_identity, place_on, tenures
from ._classify import classify, split_sensitivity

__all__ = [
    "check_review",
    "record_review",
    "record_ratings",
    "rating_versions",
    "reviews",
    "arena_levels",
    "frontline_classification",
    "frontline_sensitivity",
    "frontline_flags",
    "flags_table",
    "arena_by_county",
    "county_arena_means",
    "REVIEW_KEY",
]

REVIEW_KEY = ("person_id", "period", "arena", "source")
SOURCES = codes("review_source")


def check_review(values: Mapping, as_of: dt.date | None = None, rules: Rules | None = None) -> dict:
    """The row to store for one rating, every value checked (InvalidEntry naming the field); a
    date given lies in the `rules`' window of what happened, by `as_of`."""
    out: dict = {}
    steps = (
        ("period", parse_period, "考察期"),
        ("arena", lambda v: parse_code("arena", v), "考察领域"),
        ("source", lambda v: parse_code("review_source", v), "考察方式"),
        ("level", parse_level, "等次"),
    )
    for key, parse, zh in steps:
        try:
            out[key] = parse(values.get(key))
        except InvalidEntry as exc:
            raise InvalidEntry(exc.problem, field=key, **exc.params) from None
        if out[key] is None:
            raise InvalidEntry(Problem.REQUIRED, field=key, zh=zh, en=key)
    evidence = clean_prose(values.get("evidence"))
    if evidence is not None and len(evidence) > 1000:
        raise InvalidEntry(Problem.TOO_LONG, field="evidence", limit=1000)
    day = values.get("date")
    if day is not None and not isinstance(day, dt.date):
        raise InvalidEntry(Problem.NOT_A_DATE, field="date", text=snippet(day, 20))
    if day is not None:
        check_day(rules, "held", day, as_of, "date", ("考察日期", "review date"))
    return {**out, "evidence": evidence, "date": day}


def record_review(
    ws: Workspace,
    person_id: int,
    period: str,
    arena: str,
    source: str,
    level: int | str,
    evidence: str | None = None,
    date: dt.date | None = None,
    *,
    as_of: dt.date | None = None,
    name: str | None = None,
    national_id: str | None = None,
    version: int | None | str = ANY_VERSION,
) -> Saved:
    """Store one source's rating of one arena of a chief (codes or words: "investment" or
    招商引资, "hear" or 听, 4 or 较好); the same person, period, arena and source replaces it.
    A `name` or `national_id` given beside `person_id` must be theirs. `version`: the version of
    the stored rating this entry was made on (None: none); another save since is not overwritten
    (the answer is a conflict naming the rating that stands and who saved it)."""
    row = check_review(
        {
            "period": period,
            "arena": arena,
            "source": source,
            "level": level,
            "evidence": evidence,
            "date": date,
        },
        as_of or ws.clock().date(),
        ws.rules,
    )
    with ws.transaction() as tx:
        check_identity(tx, person_id, name=name, national_id=national_id)
        return _write(tx, person_id, row, version)


def record_ratings(
    ws: Workspace,
    person_id: int,
    period: str,
    arena: str,
    ratings: Mapping[str, tuple[object, str | None]],
    date: dt.date | None = None,
    *,
    as_of: dt.date | None = None,
    name: str | None = None,
    national_id: str | None = None,
    versions: Mapping[str, int | None] | None = None,
) -> list[Saved]:
    """Store one arena's ratings by several sources at once ({"look": (5, "evidence"), …}; a
    source with a blank level is skipped), all or none: when any is refused nothing is saved and
    the error names the source. `versions` ({source: the version of the stored rating the form
    showed, None for none}): a rating someone else saved since is not overwritten (its answer is
    a conflict naming theirs and who saved it); without it, each rating replaces the stored."""
    if date is not None:  # one date for every source: refused once, not once a source
        check_day(ws.rules, "held", date, as_of or ws.clock().date(), "date", ("考察日期", "review date"))
    rows, refused = [], []
    for source, (level, evidence) in ratings.items():
        if level is None or (isinstance(level, str) and not level.strip()):
            continue
        values = {"period": period, "arena": arena, "source": source, "level": level, "evidence": evidence}
        try:
            rows.append(check_review({**values, "date": date}, as_of or ws.clock().date(), ws.rules))
        except InvalidEntry as exc:
            refused.append(f"{label('review_source', source, 'zh').split('（')[0]}：{exc}")
    if refused:
        raise InvalidEntry(
            "未保存，请改正后再保存 nothing saved; correct and save again: " + "；".join(refused)
        )
    with ws.transaction() as tx:
        check_identity(tx, person_id, name=name, national_id=national_id)
        return [
            _write(tx, person_id, row, ANY_VERSION if versions is None else versions.get(row["source"]))
            for row in rows
        ]


def _write(tx, person_id: int, row: dict, version: int | None | str = ANY_VERSION) -> Saved:
    """Insert the rating, or replace the one with its key (unless another save changed it since
    `version`); say which."""
    p = TABLES["person"]
    name = tx.conn.execute(sa.select(p.c.name).where(p.c.id == person_id)).scalar()
    if name is None:
        raise InvalidEntry(Problem.UNKNOWN_PERSON, field="person_id", value=person_id, suggestion="")
    what = (
        f"{name} {row['period']} {label('arena', row['arena'], 'zh')}"
        f"（{label('review_source', row['source'], 'zh').split('（')[0]}）"
        f"{label('level', str(row['level']), 'zh')}",
        f"the {label('arena', row['arena'], 'en').lower()} rating by {row['source']} of {name} "
        f"for {row['period']}: level {row['level']}",
    )
    key = {"person_id": person_id, **{k: row[k] for k in REVIEW_KEY[1:]}}
    done = tx.put("frontline_review", key, _stored(row), version)
    level = (done.was or {}).get("level")
    shown = f"{level} {label('level', str(level), 'zh')}" if level is not None else None
    return Saved(done.action, done.id, what, was=shown, by=done.by)


def _stored(row: dict) -> dict:
    return {"level": row["level"], "evidence": row["evidence"], "date": row["date"]}


def rating_versions(ws: Workspace, person_id: int, period: str, arena: str) -> dict[str, int]:
    """{source: version} of a chief's ratings stored for one arena and period: what the review
    form's save names as the versions it was made on (a source absent had no rating)."""
    r = TABLES["frontline_review"]
    rows = ws.frame(
        sa.select(r.c.source, r.c.version).where(
            r.c.person_id == person_id, r.c.period == period, r.c.arena == arena
        )
    )
    return dict(zip(rows["source"], rows["version"].astype(int), strict=True))


def reviews(ws: Workspace, period: str | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """Ratings as stored, one row per person, period, arena and source: person_id, name, county,
    township, period, arena, source, level, evidence, date. `as_of`: those dated by then (an
    undated rating counts) and each person's place that day."""
    p, r = TABLES["person"], TABLES["frontline_review"]
    q = (
        sa.select(
            r.c.person_id, p.c.name, r.c.period, r.c.arena, r.c.source, r.c.level, r.c.evidence, r.c.date
        )
        .join(p, p.c.id == r.c.person_id)
        .order_by(r.c.period, r.c.person_id, r.c.arena, r.c.source)
    )
    if period is not None:
        q = q.where(r.c.period == period)
    if as_of is not None:
        q = q.where(sa.or_(r.c.date.is_(None), r.c.date <= as_of))
    frame = ws.frame(q)
    places = place_on(tenures(ws, begun_by=as_of), as_of)[["county", "township"]]
    frame = frame.join(places, on="person_id")
    front = ["person_id", "name", "county", "township"]
    return frame[front + [k for k in frame.columns if k not in front]].reset_index(drop=True)


def arena_levels(ratings: pd.DataFrame, disagreement_levels: int) -> pd.DataFrame:
    """One row per person and arena from `reviews` rows: the level each source gave (look, hear,
    ask; NaN where not rated), sources (how many rated), mean, spread (highest − lowest) and
    flagged (spread of at least `disagreement_levels`: the sources disagree)."""
    keys = ["person_id", "name", "county", "township", "arena"]
    if ratings.empty:
        return pd.DataFrame(columns=[*keys, *SOURCES, "sources", "mean", "spread", "flagged"])
    # Pivoted by person and arena alone, the place joined after: a pivot over every key column
    # forms all their combinations, which at national scale is more than any memory holds.
    wide = ratings.pivot_table(
        index=["person_id", "arena"], columns="source", values="level", aggfunc="first"
    )
    wide = wide.reindex(columns=list(SOURCES)).dropna(how="all").astype(float)
    wide.columns.name = None
    wide["sources"] = wide[list(SOURCES)].notna().sum(axis=1)
    wide["mean"] = wide[list(SOURCES)].mean(axis=1)
    wide["spread"] = wide[list(SOURCES)].max(axis=1) - wide[list(SOURCES)].min(axis=1)
    wide["flagged"] = wide["spread"] >= disagreement_levels
    place = ratings.drop_duplicates("person_id").set_index("person_id")[["name", "county", "township"]]
    out = wide.reset_index().join(place, on="person_id")
    out = out[[*keys, *[c for c in out.columns if c not in keys]]]
    out["arena"] = pd.Categorical(out["arena"], categories=codes("arena"), ordered=True)
    out = out.sort_values(["county", "township", "person_id", "arena"]).reset_index(drop=True)
    out["arena"] = out["arena"].astype(str)
    return out


def frontline_classification(ws: Workspace, period: str, as_of: dt.date | None = None) -> pd.DataFrame:
    """Every reviewed chief of a period classified by the rules file's rule (see `classify`)."""
    rule = ws.rules.frontline
    return classify(arena_levels(reviews(ws, period, as_of), rule["disagreement_levels"]), rule)


def frontline_sensitivity(
    ws: Workspace,
    period: str,
    as_of: dt.date | None = None,
    shifts: tuple[float, ...] = (-0.1, -0.05, 0.0, 0.05, 0.1),
) -> pd.DataFrame:
    """How the period's split moves when the rules file's thresholds move (see
    `split_sensitivity`): all three together, and each alone, by each of `shifts`."""
    rule = ws.rules.frontline
    return split_sensitivity(
        arena_levels(reviews(ws, period, as_of), rule["disagreement_levels"]), rule, shifts
    )


def frontline_flags(ws: Workspace, period: str, as_of: dt.date | None = None) -> pd.DataFrame:
    """The arenas whose sources disagree by the rules' disagreement_levels or more: one row per
    person and arena with each source's level, the spread, and each source's evidence."""
    return flags_table(reviews(ws, period, as_of), ws.rules.frontline["disagreement_levels"])


def flags_table(ratings: pd.DataFrame, disagreement_levels: int) -> pd.DataFrame:
    """`frontline_flags` computed from ratings as `reviews` returns them: no workspace."""
    levels = arena_levels(ratings, disagreement_levels)
    flagged = levels[levels["flagged"].astype(bool)].drop(columns=["flagged"])
    evidence = ratings.pivot_table(
        index=["person_id", "arena"], columns="source", values="evidence", aggfunc="first"
    ).reindex(columns=list(SOURCES))
    evidence.columns = [f"{s}_evidence" for s in SOURCES]
    evidence.columns.name = None
    return flagged.join(evidence, on=["person_id", "arena"]).reset_index(drop=True)


def arena_by_county(ws: Workspace, period: str, as_of: dt.date | None = None) -> pd.DataFrame:
    """Mean level per county (rows, by name) and arena (columns, in the five-frontline order),
    over every source's rating of every reviewed chief of the county; `chiefs` counts them."""
    return county_arena_means(reviews(ws, period, as_of))


def county_arena_means(ratings: pd.DataFrame) -> pd.DataFrame:
    """`arena_by_county` computed from ratings as `reviews` returns them: no workspace."""
    if ratings.empty:
        return pd.DataFrame(columns=["county", *codes("arena"), "chiefs"])
    table = ratings.pivot_table(index="county", columns="arena", values="level", aggfunc="mean")
    table = table.reindex(columns=list(codes("arena")))
    table["chiefs"] = ratings.groupby("county")["person_id"].nunique()
    table.columns.name = None
    return table.sort_index().reset_index()
