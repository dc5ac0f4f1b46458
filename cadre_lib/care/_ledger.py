"""The outcomes ledger and the 1+4 procedures: promotions, rank promotions, merits, discipline
and precise accountability, risk filings and fault-tolerance decisions, each a decision about
one chief on a date; and the rank history that years in rank are counted from.

A promotion ends the chief's township post and withdraws them from every cohort they are still
in, in the same transaction as the ledger row: the day before the promotion is their last day
expected at training, and their successor may take the post from the promotion day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ..core.codes import codes, label
from ..core.errors import InvalidEntry
from ..core.fields import parse_code
from ..core.ids import snippet
from ..core.normalize import clean_prose, clean_text
from ..core.problems import Problem
from ..core.rules import Rules, check_day
from ..core.saved import Saved
from ..core.schema import TABLES
from ..core.tx import ANY_VERSION, Tx
from ..core.workspace import Workspace
from ..people import place_on, tenures
from ._impact import running_impacts, years_needed
from ._talks import as_day, chief_on, once_more

__all__ = [
    "KIND_FIELDS",
    "LEDGER_COLUMNS",
    "OUTCOME_KEY",
    "check_outcome",
    "record_outcome",
    "record_rank",
    "outcome_version",
    "outcomes",
    "rank_history",
    "post_title",
    "ledger_summary",
    "write_new",
    "check_rank_step",
    "later_rank",
]

OUTCOME_KEY = ("person_id", "kind", "date")  # one decision per chief, kind and day
LEDGER_COLUMNS = (
    "detail", "impact_end", "reviewed_on", "sanction", "rank", "award", "from_post", "to_post", "result",
    "result_date",
)  # fmt: skip
# Per kind: the fields it must have, and those it may have besides (anything else is refused).
KIND_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "promotion": (("to_post",), ("from_post", "detail")),
    "rank_promotion": (("rank",), ("detail",)),
    "merit": (("award",), ("detail",)),
    "discipline": (("sanction",), ("detail", "impact_end", "reviewed_on")),
    "accountability": (("sanction",), ("detail", "impact_end", "reviewed_on")),
    "risk_filing": (("detail",), ("result", "result_date")),
    "fault_tolerance": (("detail",), ()),
}
_WORDS = {
    "detail": ("事由", "detail"),
    "impact_end": ("影响期至", "impact end"),
    "reviewed_on": ("期满评价日期", "review date"),
    "sanction": ("处分或问责种类", "sanction"),
    "rank": ("职级", "rank"),
    "award": ("奖励", "award"),
    "from_post": ("原职务", "post it was from"),
    "to_post": ("新职务", "post promoted to"),
    "result": ("备案事项结果", "result"),
    "result_date": ("结果日期", "result date"),
}
_CODED = {"sanction": "sanction", "rank": "rank", "award": "award", "result": "filing_result"}
_DATED = ("impact_end", "reviewed_on", "result_date")
# Party and administrative sanctions are discipline; accountability may be any measure.
_DISCIPLINE = tuple(c for c in codes("sanction") if c.startswith(("party_", "admin_")))


def _value(values: Mapping, key: str) -> Any:
    raw = values.get(key)
    if key in _CODED:
        return parse_code(_CODED[key], raw)
    if key in _DATED:
        return as_day(raw, key, _WORDS[key][0], _WORDS[key][1], required=False)
    text = clean_prose(raw) if key == "detail" else clean_text(raw)
    limit = 1000 if key == "detail" else 128
    if text is not None and len(text) > limit:
        raise InvalidEntry(Problem.TOO_LONG, field=key, limit=limit)
    return text


def _kind_words(kind: str) -> dict:
    return {
        "kind_zh": label("outcome_kind", kind, "zh"),
        "kind_en": label("outcome_kind", kind, "en").lower(),
    }


def _field_words(key: str, kind: str) -> dict:
    return {"field_zh": _WORDS[key][0], "field_en": _WORDS[key][1], **_kind_words(kind)}


def check_outcome(values: Mapping, as_of: dt.date | None = None, rules: Rules | None = None) -> dict:
    """The ledger row to store (kind, date and every column of `LEDGER_COLUMNS`), each value
    checked against its kind (`KIND_FIELDS`): what a kind needs is required, what it does not
    use is refused rather than dropped (a column shifted in a file shows here). The decision, a
    review and a result are dated by `as_of`, an impact end stated by the decision within the
    plans' window (`Rules.check_date`)."""
    kind = parse_code("outcome_kind", values.get("kind"))
    if kind is None:
        raise InvalidEntry(Problem.REQUIRED, field="kind", zh="类别", en="kind")
    day = as_day(values.get("date"), "date", "日期", "date")
    check_day(rules, "held", day, as_of, "date", ("决定日期", "decision date"))
    needs, may = KIND_FIELDS[kind]
    row: dict[str, Any] = {"kind": kind, "date": day, **{k: _value(values, k) for k in LEDGER_COLUMNS}}
    for key in LEDGER_COLUMNS:  # what does not belong first: a column shifted in a file shows here
        if row[key] is not None and key not in needs + may:
            raise InvalidEntry(Problem.NOT_FOR_KIND, field=key, **_field_words(key, kind))
    for key in needs:
        if row[key] is None:
            raise InvalidEntry(Problem.NEEDED_FOR_KIND, field=key, **_field_words(key, kind))
    for key in _DATED:
        if row[key] is not None:
            check_day(rules, "planned" if key == "impact_end" else "held", row[key], as_of, key, _WORDS[key])
    _check_coherent(row)
    return row


def _check_coherent(row: dict) -> None:
    """Dates in order (an impact end, a review or a result after the decision) and a
    disciplinary sanction that is one (party or administrative)."""
    for key in _DATED:
        if row[key] is not None and row[key] < row["date"]:
            raise InvalidEntry(
                Problem.DATE_ORDER, field=key, later=f"{row[key]:%Y-%m-%d}", earlier=f"{row['date']:%Y-%m-%d}",
                later_zh=_WORDS[key][0], later_en=_WORDS[key][1], earlier_zh="决定日期", earlier_en="decision date",
            )  # fmt: skip
    if row["kind"] == "risk_filing" and (row["result"] is None) != (row["result_date"] is None):
        missing = "result_date" if row["result_date"] is None else "result"
        raise InvalidEntry(
            Problem.NEEDED_FOR_KIND, field=missing, field_zh=_WORDS[missing][0],
            field_en=_WORDS[missing][1], **_kind_words("risk_filing"),
        )  # fmt: skip
    if row["kind"] == "discipline" and row["sanction"] not in _DISCIPLINE:
        raise InvalidEntry(
            Problem.NOT_DISCIPLINE, field="sanction", sanction_zh=label("sanction", row["sanction"], "zh"),
            sanction_en=label("sanction", row["sanction"], "en"),
        )  # fmt: skip


def post_title(township: str, township_kind: str | None, post: str) -> str:
    """A chief's post as a decision writes it: 青山镇党委书记, 海滨街道办事处主任."""
    sub = township_kind == "subdistrict" or township.endswith("街道")
    if post == "secretary":
        return township + ("党工委书记" if sub else "党委书记")
    return township + ("办事处主任" if sub else "镇长")


def _what(name: str, row: Mapping) -> tuple[str, str]:
    kind = row["kind"]
    extra_zh = next(
        (label(_CODED[k], row[k], "zh") for k in ("sanction", "rank", "award") if row.get(k)),
        row.get("to_post") or "",
    )
    extra_en = next((label(_CODED[k], row[k], "en") for k in ("sanction", "rank", "award") if row.get(k)), "")
    return (
        f"{name}{label('outcome_kind', kind, 'zh')}{('（' + extra_zh + '）') if extra_zh else ''}，{row['date']:%Y-%m-%d}",
        f"{label('outcome_kind', kind, 'en').lower()} of {name}{(' (' + extra_en + ')') if extra_en else ''} "
        f"on {row['date']:%Y-%m-%d}",
    )


def record_outcome(
    ws: Workspace,
    person_id: int,
    kind: str,
    date: dt.date,
    *,
    as_of: dt.date | None = None,
    name: str | None = None,
    national_id: str | None = None,
    version: int | None | str = ANY_VERSION,
    **fields: Any,
) -> Saved:
    """Record one decision about a chief in the ledger (`fields`: those of its kind, see
    `KIND_FIELDS`); the same chief, kind and day again updates it (a field left blank keeps what
    is stored).

    A promotion (new) ends the township post on `date` and ends every enrolment they are still
    in as promoted, their last day the day before; refused when they held no township post
    that day or are marked at a session on or after it. A rank promotion starts the new rank in
    the rank history; refused when it is not above the rank held. The answer notes a promotion
    or rank promotion made while an impact period runs, or before the years in rank are met.
    `version`: the version of the stored decision the form was made on (None: none); another
    save since is not overwritten (the answer, `conflict`, says who saved it)."""
    unknown = sorted(set(fields) - set(LEDGER_COLUMNS))
    if unknown:
        raise InvalidEntry(
            Problem.UNKNOWN_FIELD, field=unknown[0], value=unknown[0], known=", ".join(LEDGER_COLUMNS)
        )
    row = check_outcome({"kind": kind, "date": date, **fields}, as_of or ws.clock().date(), ws.rules)
    given = {"name": name, "national_id": national_id}
    return once_more(lambda: _record(ws, person_id, dict(row), given, version))


def outcome_version(ws: Workspace, person_id: int, kind: str, date: dt.date) -> int | None:
    """The version of the decision recorded for a chief, kind and day (None: none yet): what the
    ledger form's save names as the version it was made on."""
    o = TABLES["outcome"]
    with ws.engine.connect() as conn:
        return conn.execute(
            sa.select(o.c.version).where(o.c.person_id == person_id, o.c.kind == kind, o.c.date == date)
        ).scalar()


def _record(ws: Workspace, person_id: int, row: dict, given: Mapping, version: int | None | str) -> Saved:
    with ws.transaction() as tx:
        name, in_post = chief_on(tx, person_id, row["date"], **given)
        o = TABLES["outcome"]
        old = (
            tx.conn.execute(
                sa.select(o)
                .where(o.c.person_id == person_id, o.c.kind == row["kind"], o.c.date == row["date"])
                .with_for_update()
            )
            .mappings()
            .first()
        )
        if old is not None and version != ANY_VERSION and old["version"] != version:
            by = tx.last_actor("outcome", old["id"])
            return Saved("conflict", old["id"], _what(name, row), _stands(old), None, by)
        if old is not None:
            new = {k: row[k] for k in LEDGER_COLUMNS if row[k] is not None and old[k] != row[k]}
            note = _start_rank(tx, ws, person_id, name, row["rank"], row["date"]) if "rank" in new else None
            if new:
                tx.update("outcome", old["id"], new)
            return Saved("update" if new else "unchanged", old["id"], _what(name, row), None, note)
        new_id, note = write_new(tx, ws, person_id, name, in_post, row)
        return Saved("new", new_id, _what(name, row), None, note)


def _stands(old: Mapping) -> str | None:
    """What a decision saved by someone else holds, for the answer of a save that did not
    overwrite it: the kind's coded field in words, and its detail."""
    coded = next((label(_CODED[k], old[k], "zh") for k in ("sanction", "rank", "award") if old.get(k)), None)
    parts = [coded, old.get("to_post"), old.get("detail")]
    return snippet("；".join(p for p in parts if isinstance(p, str) and p), 60) or None


def write_new(tx: Tx, ws: Workspace, person_id: int, name: str, in_post: bool, row: dict):
    """Write a new ledger row with what its kind does besides; (its id, the note to show)."""
    note = _effects(tx, ws, person_id, name, in_post, row)
    return tx.insert("outcome", {"person_id": person_id, **row})[0], note


def _effects(
    tx: Tx, ws: Workspace, person_id: int, name: str, in_post: bool, row: dict
) -> tuple[str, str] | None:
    """What a new promotion or rank promotion does besides its ledger row; the note to show."""
    notes: list[tuple[str, str]] = []
    if row["kind"] in ("promotion", "rank_promotion"):
        for r in running_impacts(tx.conn, ws.rules, person_id, row["date"]):
            notes.append(
                (
                    f"{r[0]}影响期至{r[1]:%Y-%m-%d}，尚未期满",
                    f"the impact period ({r[2].lower()}) runs to {r[1]:%Y-%m-%d}",
                )
            )
    if row["kind"] == "promotion":
        if not in_post:
            raise InvalidEntry(
                Problem.NOT_A_CHIEF, field="person_id", name=name, day=f"{row['date']:%Y-%m-%d}"
            )
        notes.append(_leave_posts(tx, person_id, name, row))
    if row["kind"] == "rank_promotion":
        short = _start_rank(tx, ws, person_id, name, row["rank"], row["date"])
        if short:
            notes.append(short)
    if not notes:
        return None
    return "；".join(n[0] for n in notes), "; ".join(n[1] for n in notes)


def _leave_posts(tx: Tx, person_id: int, name: str, row: dict) -> tuple[str, str]:
    """End the township post(s) held on the promotion day and withdraw from open enrolments."""
    pt, tw, e = TABLES["post_tenure"], TABLES["township"], TABLES["enrollment"]
    day, last = row["date"], row["date"] - dt.timedelta(days=1)
    held = tx.conn.execute(
        sa.select(pt.c.id, pt.c.post, tw.c.name, tw.c.kind)
        .join(tw, tw.c.id == pt.c.township_id)
        .where(
            pt.c.person_id == person_id,
            pt.c.start_date <= day,
            sa.or_(pt.c.end_date.is_(None), pt.c.end_date > day),
        )
    ).all()
    if row["from_post"] is None and held:
        row["from_post"] = post_title(held[0].name, held[0].kind, held[0].post)
    # The open enrolments are locked before the marks are looked at, so a mark saved at the same
    # moment (which holds them while it checks the sheet) is either seen here or sees this.
    open_rows = tx.conn.execute(
        sa.select(e.c.id, e.c.cohort_id, e.c.start_date)
        .where(
            e.c.person_id == person_id,
            e.c.status == "active",
            sa.or_(e.c.end_date.is_(None), e.c.end_date >= day),
        )
        .order_by(e.c.id)
        .with_for_update()
    ).all()
    refuse_marked(tx.conn, person_id, name, [r.cohort_id for r in open_rows], day)
    for r in held:
        tx.update("post_tenure", r.id, {"end_date": day})
    for r in open_rows:
        tx.update(
            "enrollment",
            r.id,
            {"status": "withdrawn", "end_date": max(last, r.start_date), "end_reason": "promoted"},
        )
    return (
        f"乡镇职务于{day:%Y-%m-%d}结束，在训项目{len(open_rows)}个因提拔结束",
        f"the township post ends on {day:%Y-%m-%d} and {len(open_rows)} open enrolment(s) end as promoted",
    )


def refuse_marked(conn, person_id: int, name: str, cohort_ids: list[int], day: dt.date) -> None:
    """Refuse a promotion dated on or before a session the chief is marked at in `cohort_ids`."""
    a, s, c = TABLES["attendance"], TABLES["session"], TABLES["cohort"]
    if not cohort_ids:
        return
    marked = conn.execute(
        sa.select(c.c.code, sa.func.max(s.c.date))
        .select_from(a.join(s, s.c.id == a.c.session_id).join(c, c.c.id == s.c.cohort_id))
        .where(a.c.person_id == person_id, s.c.cohort_id.in_(cohort_ids), s.c.date >= day)
        .group_by(c.c.code)
        .order_by(c.c.code)
    ).first()
    if marked is not None:
        raise InvalidEntry(
            Problem.MARKED_AFTER, field="date", name=name, cohort=marked[0], day=f"{marked[1]:%Y-%m-%d}",
            what_zh="提拔日期", what_en="promotion date",
        )  # fmt: skip


def held_rank(conn, person_id: int, day: dt.date):
    """The rank row (rank, start_date) in force the day before `day`, or None."""
    r = TABLES["rank_history"]
    return conn.execute(
        sa.select(r.c.rank, r.c.start_date)
        .where(r.c.person_id == person_id, r.c.start_date < day)
        .order_by(r.c.start_date.desc())
    ).first()


def later_rank(conn, person_id: int, day: dt.date):
    """The first rank row (rank, start_date) that starts after `day`, or None."""
    r = TABLES["rank_history"]
    return conn.execute(
        sa.select(r.c.rank, r.c.start_date)
        .where(r.c.person_id == person_id, r.c.start_date > day)
        .order_by(r.c.start_date)
    ).first()


def check_rank_step(name: str, rank: str, held, later) -> None:
    """Refuse a rank that is not above the one held before it (`held`), or not below the one
    that starts after it (`later`): the rank history only rises. Rows have rank and start_date."""
    ladder = codes("rank")
    for other, problem in ((held, Problem.RANK_NOT_ABOVE), (later, Problem.RANK_ORDER)):
        if other is None:
            continue
        wrong = ladder.index(other.rank) >= ladder.index(rank) if other is held else (
            ladder.index(other.rank) <= ladder.index(rank)
        )  # fmt: skip
        if wrong:
            raise InvalidEntry(
                problem, field="rank", name=name, since=f"{other.start_date:%Y-%m-%d}",
                held_zh=label("rank", other.rank, "zh"), held_en=label("rank", other.rank, "en").lower(),
                rank_zh=label("rank", rank, "zh"), rank_en=label("rank", rank, "en").lower(),
            )  # fmt: skip


def _start_rank(tx: Tx, ws: Workspace, person_id: int, name: str, rank: str, day: dt.date):
    """Start `rank` on `day` in the rank history, refusing one that would not rise (see
    `check_rank_step`); the note when the years in the rank below are not met."""
    held = held_rank(tx.conn, person_id, day)
    check_rank_step(name, rank, held, later_rank(tx.conn, person_id, day))
    r = TABLES["rank_history"]
    same = tx.conn.execute(sa.select(r.c.id).where(r.c.person_id == person_id, r.c.start_date == day)).first()
    if same is None:
        tx.insert("rank_history", {"person_id": person_id, "rank": rank, "start_date": day})
    else:
        tx.update("rank_history", same.id, {"rank": rank})
    return years_needed(ws.rules, held, rank, day)


def record_rank(
    ws: Workspace,
    person_id: int,
    rank: str,
    since: dt.date,
    *,
    as_of: dt.date | None = None,
    name: str | None = None,
    national_id: str | None = None,
) -> Saved:
    """Record the rank a person holds from `since` (a rank held before the ledger starts, or a
    correction); a rise in rank decided now is a rank promotion (`record_outcome`). A `name` or
    `national_id` given beside `person_id` must be theirs; `since` lies from the rules' earliest
    post date to `as_of` (default: today)."""
    code = parse_code("rank", rank)
    since = as_day(since, "rank_since", "任职级时间", "date the rank was taken")
    check_day(
        ws.rules,
        "post",
        since,
        as_of or ws.clock().date(),
        "rank_since",
        ("任职级时间", "date the rank was taken"),
    )
    if code is None:
        raise InvalidEntry(Problem.REQUIRED, field="rank", zh="职级", en="rank")
    r = TABLES["rank_history"]
    with ws.transaction() as tx:
        name, _ = chief_on(tx, person_id, since, name=name, national_id=national_id)
        what = (
            f"{name}自{since:%Y-%m-%d}起任{label('rank', code, 'zh')}",
            f"{name} in the rank of {label('rank', code, 'en').lower()} from {since:%Y-%m-%d}",
        )
        check_rank_step(
            name, code, held_rank(tx.conn, person_id, since), later_rank(tx.conn, person_id, since)
        )
        old = tx.conn.execute(
            sa.select(r.c.id, r.c.rank).where(r.c.person_id == person_id, r.c.start_date == since)
        ).first()
        if old is None:
            return Saved(
                "new",
                tx.insert("rank_history", {"person_id": person_id, "rank": code, "start_date": since})[0],
                what,
            )
        if old.rank == code:
            return Saved("unchanged", old.id, what)
        tx.update("rank_history", old.id, {"rank": code})
        return Saved("update", old.id, what, label("rank", old.rank, "zh"))


def outcomes(ws: Workspace, as_of: dt.date | None = None, kind: str | None = None) -> pd.DataFrame:
    """The ledger: id, person_id, name, county, township, kind, date and every ledger column,
    decided by `as_of` (a result or review after it is not known yet), by date."""
    o, p = TABLES["outcome"], TABLES["person"]
    q = (
        sa.select(o.c.id, o.c.person_id, p.c.name, o.c.kind, o.c.date, *(o.c[k] for k in LEDGER_COLUMNS))
        .join(p, p.c.id == o.c.person_id)
        .order_by(o.c.date, o.c.id)
    )
    if as_of is not None:
        q = q.where(o.c.date <= as_of)
    if kind is not None:
        q = q.where(o.c.kind == kind)
    frame = ws.frame(q)
    if as_of is not None:
        for key, also in (("result_date", "result"), ("reviewed_on", None)):
            later = pd.to_datetime(frame[key]) > pd.Timestamp(as_of)
            frame.loc[later, key] = None
            if also:
                frame.loc[later, also] = None
    places = place_on(tenures(ws, begun_by=as_of), as_of)[["county", "township"]]
    frame = frame.join(places, on="person_id")
    front = ["id", "person_id", "name", "county", "township"]
    return frame[front + [c for c in frame.columns if c not in front]].reset_index(drop=True)


def ledger_summary(ledger: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per kind of decision (in the vocabulary's order): decisions, people (how many chiefs),
    this_year and last_year (decisions dated in the as-of date's year and the one before)."""
    years = pd.to_datetime(ledger["date"]).dt.year
    rows = []
    for kind in codes("outcome_kind"):
        own = ledger["kind"] == kind
        rows.append(
            {
                "kind": kind, "decisions": int(own.sum()), "people": int(ledger.loc[own, "person_id"].nunique()),
                "this_year": int((own & (years == as_of.year)).sum()),
                "last_year": int((own & (years == as_of.year - 1)).sum()),
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def rank_history(ws: Workspace, as_of: dt.date | None = None) -> pd.DataFrame:
    """Ranks held: person_id, rank, start_date, end_date (the next rank's start; None while
    held), from rows begun by `as_of`."""
    r = TABLES["rank_history"]
    q = sa.select(r.c.person_id, r.c.rank, r.c.start_date).order_by(r.c.person_id, r.c.start_date)
    if as_of is not None:
        q = q.where(r.c.start_date <= as_of)
    frame = ws.frame(q)
    frame["end_date"] = frame.groupby("person_id")["start_date"].shift(-1)
    return frame
