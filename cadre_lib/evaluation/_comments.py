"""Evaluation comments: free text with the commenter's role (never a name), tagged with themes
and read as positive or a concern by the themes dictionary, and a digest per person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import sqlalchemy as sa

from ..core.codes import codes, label
from ..core.errors import InvalidEntry
from ..core.fields import parse_code, parse_period
from ..core.ids import snippet
from ..core.normalize import clean_prose
from ..core.problems import Problem
from ..core.rules import Rules, check_day
from ..core.saved import Saved
from ..core.schema import TABLES
from ..core.workspace import Workspace
from ..people import check_identity, place_on, tenures
from ._themes import Themes, tag_comments, themes_for

__all__ = ["check_comment", "record_comment", "comments", "theme_summary", "COMMENT_LIMIT"]

COMMENT_LIMIT = 2000


def check_comment(values: Mapping, as_of: dt.date | None = None, rules: Rules | None = None) -> dict:
    """The row to store for one comment, every value checked (InvalidEntry naming the field); its
    date lies in the `rules`' window of what happened, by `as_of`."""
    out: dict = {}
    for key, parse, zh in (
        ("period", parse_period, "考察期"),
        ("commenter_role", lambda v: parse_code("commenter_role", v), "评价人身份"),
        ("arena", lambda v: parse_code("arena", v), "考察领域"),
    ):
        try:
            out[key] = parse(values.get(key))
        except InvalidEntry as exc:
            raise InvalidEntry(exc.problem, field=key, **exc.params) from None
        if out[key] is None and key != "arena":
            raise InvalidEntry(Problem.REQUIRED, field=key, zh=zh, en=key.replace("_", " "))
    text = clean_prose(values.get("text"))
    if not text:
        raise InvalidEntry(Problem.EMPTY_TEXT, field="text", zh="评价意见", en="comment")
    if len(text) > COMMENT_LIMIT:
        raise InvalidEntry(Problem.TOO_LONG, field="text", limit=COMMENT_LIMIT)
    day = values.get("date")
    if not isinstance(day, dt.date):
        raise InvalidEntry(Problem.REQUIRED, field="date", zh="日期", en="date")
    check_day(rules, "held", day, as_of, "date", ("评价日期", "comment date"))
    return {**out, "text": text, "date": day}


def record_comment(
    ws: Workspace,
    person_id: int,
    period: str,
    commenter_role: str,
    text: str,
    date: dt.date,
    arena: str | None = None,
    *,
    as_of: dt.date | None = None,
    name: str | None = None,
    national_id: str | None = None,
) -> Saved:
    """Store one comment about a chief (the commenter's role as a code or its word: "resident"
    or 群众; never their name). The same comment again (person, period, role, date and text) is
    not stored twice."""
    row = check_comment(
        {"period": period, "commenter_role": commenter_role, "text": text, "date": date, "arena": arena},
        as_of or ws.clock().date(),
        ws.rules,
    )
    c = TABLES["comment"]
    with ws.transaction() as tx:
        name = check_identity(tx, person_id, name=name, national_id=national_id)
        short = snippet(row["text"], 21)
        what = (
            f"{name} {label('commenter_role', row['commenter_role'], 'zh')}意见“{short}”",
            f"a comment from a {label('commenter_role', row['commenter_role'], 'en').lower()} about {name}",
        )
        same = [c.c[k] == v for k, v in {"person_id": person_id, **row}.items() if k != "arena"]
        old = tx.conn.execute(sa.select(c.c.id).where(*same)).scalar()
        if old is not None:
            return Saved("unchanged", int(old), what)
        return Saved("new", tx.insert("comment", {"person_id": person_id, **row})[0], what)


def comments(
    ws: Workspace,
    period: str | None = None,
    as_of: dt.date | None = None,
    person_id: int | None = None,
    themes: Themes | None = None,
) -> pd.DataFrame:
    """Comments with who they are about and how the dictionary reads them: id, person_id, name,
    county, township, period, arena, commenter_role, date, text, themes, matched, tone.
    `themes`: the dictionary to read them with (default: the workspace's, `themes_for`)."""
    p, c = TABLES["person"], TABLES["comment"]
    q = (
        sa.select(
            c.c.id, c.c.person_id, p.c.name, c.c.period, c.c.arena, c.c.commenter_role, c.c.date, c.c.text
        )
        .join(p, p.c.id == c.c.person_id)
        .order_by(c.c.person_id, c.c.date, c.c.id)
    )
    for column, value in (("period", period), ("person_id", person_id)):
        if value is not None:
            q = q.where(c.c[column] == value)
    if as_of is not None:
        q = q.where(c.c.date <= as_of)
    frame = ws.frame(q)
    places = place_on(tenures(ws, begun_by=as_of), as_of)[["county", "township"]]
    frame = frame.join(places, on="person_id")
    front = ["id", "person_id", "name", "county", "township"]
    frame = frame[front + [k for k in frame.columns if k not in front]].reset_index(drop=True)
    return tag_comments(frame, themes or themes_for(ws))


def theme_summary(tagged: pd.DataFrame, themes: Themes) -> pd.DataFrame:
    """Per theme of the dictionary (in its order, then "untagged"): theme, label, comments,
    positive, concern, neutral (by tone) and people (how many chiefs the comments are about)."""
    rows = []
    per_theme = [(t.code, t.label_zh + " " + t.label_en) for t in themes.themes]
    for code, shown in [*per_theme, ("", "未归类 Untagged")]:
        if code:
            own = tagged[tagged["themes"].map(lambda v, c=code: c in v.split(","))]
        else:
            own = tagged[tagged["themes"] == ""]
        tones = own["tone"].value_counts()
        rows.append(
            {
                "theme": code or "untagged",
                "label": shown,
                "comments": len(own),
                **{t: int(tones.get(t, 0)) for t in codes("tone")},
                "people": own["person_id"].nunique(),
            }
        )
    return pd.DataFrame(rows)
