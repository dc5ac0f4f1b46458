"""Who a row or an entry is about: the name, ID number, township and county given must all name
one person, or the row is refused naming both people, never attached to the ID's owner.

`Directory` reads the workspace's people and posts once (an import checks thousands of rows);
`check_identity` checks one entry made through the API or a form. Both decide by the same rules:

- an ID number finds its owner, and a name given beside it must be the owner's;
- without an ID, the name finds the person (among a cohort's members first), the township and
  county telling namesakes apart;
- a township or county given must be where the person held a township post on the row's date
  (or, when they held none that day, their last post before it; with no date, their last post).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from ..core.errors import InvalidEntry
from ..core.fields import unit_keys
from ..core.ids import mask_national_id
from ..core.importing import suggest
from ..core.normalize import clean_header, clean_text
from ..core.problems import Problem
from ..core.schema import TABLES
from ..core.workspace import Workspace
from ._directory import tenures

__all__ = ["Directory", "Post", "check_identity", "same_name"]


def same_name(typed: str | None, stored: str | None) -> bool:
    """Whether a name as typed is the stored name (spaces and letter case aside: 王 伟, Li wei)."""
    if typed is None or stored is None:
        return False
    return clean_header(typed).casefold() == clean_header(stored).casefold()


@dataclass(frozen=True)
class Post:
    """A township post a person held: from `start` to the day before `end` (None: still held)."""

    start: dt.date
    end: dt.date | None
    township: str
    county: str
    township_keys: frozenset[str]
    county_keys: frozenset[str]

    def held_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)


def _day(value: object) -> dt.date | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value  # type: ignore[return-value]


def _posts(rows: pd.DataFrame) -> dict[int, list[Post]]:
    """Each person's township posts, oldest first, from `tenures` rows."""
    out: dict[int, list[Post]] = {}
    columns = ("person_id", "start_date", "end_date", "township", "township_code", "county", "county_code")
    for pid, start, end, town, town_code, county, county_code in zip(
        *(rows[c] for c in columns), strict=True
    ):
        post = Post(
            _day(start), _day(end), town, county,  # type: ignore[arg-type]
            frozenset(unit_keys(town, town_code)), frozenset(unit_keys(county, county_code)),
        )  # fmt: skip
        out.setdefault(int(pid), []).append(post)
    for posts in out.values():
        posts.sort(key=lambda p: p.start)
    return out


def places_on(posts: list[Post], day: dt.date | None) -> list[Post]:
    """The posts a township or county typed for `day` is checked against: those held that day,
    else the last one begun by then, else (no day, or none begun yet) the last one of all."""
    if day is not None:
        held = [p for p in posts if p.held_on(day)]
        if held:
            return held
        begun = [p for p in posts if p.start <= day]
        if begun:
            return begun[-1:]
    return posts[-1:]


def _place_refusal(
    pid_name: str, national_id: str | None, posts: list[Post], given: Mapping, day: dt.date | None
) -> InvalidEntry | None:
    """The refusal when the township or county given is not where the person held their post."""
    for key in ("township", "county"):
        typed = clean_text(given.get(key))
        if typed is None:
            continue
        shown = mask_national_id(national_id) or "无身份证号 no ID"
        if not posts:
            return InvalidEntry(
                Problem.NO_POST_ON_RECORD, field=key, name=pid_name, national_id=shown, value=typed
            )
        places = places_on(posts, day)
        wanted = clean_header(typed)
        if any(wanted in (p.township_keys if key == "township" else p.county_keys) for p in places):
            continue
        last = places[-1]
        return InvalidEntry(
            Problem.PLACE_MISMATCH, field=key, name=pid_name, national_id=shown, value=typed,
            county=last.county, township=last.township,
            when_zh=f"{day:%Y-%m-%d}" if day and last.held_on(day) else "最近",
            when_en=f"on {day:%Y-%m-%d}" if day and last.held_on(day) else "last",
        )  # fmt: skip
    return None


class Directory:
    """Everyone in the workspace and where they held township posts, read once for an import."""

    def __init__(self, ws: Workspace, only: Iterable[int] | None = None):
        p = TABLES["person"]
        frame = ws.frame(sa.select(p.c.id, p.c.name, p.c.national_id), reveal_ids=True)
        if only is not None:
            frame = frame[frame["id"].isin(set(only))]
        ids = frame["id"].astype(int).tolist()
        self.names: dict[int, str] = dict(zip(ids, frame["name"], strict=True))
        self.national_ids: dict[int, str | None] = dict(zip(ids, frame["national_id"], strict=True))
        self.by_id = {nid: pid for pid, nid in self.national_ids.items() if nid}
        self.by_name: dict[str, list[int]] = {}
        for pid, name in self.names.items():
            self.by_name.setdefault(clean_header(name).casefold(), []).append(pid)
        self.posts = _posts(tenures(ws, person_ids=None if only is None else ids))

    def find(self, given: Mapping, day: dt.date | None = None, among: set[int] | None = None) -> int:
        """The one person the row names, every identifying value given agreeing; InvalidEntry
        (its `field` the column at fault) otherwise. `given`: name, national_id (text, or the
        (number, birth, sex) an importer parsed), township, county. `among`: the people a name
        is looked for first (a cohort's members), so a namesake elsewhere does not get in the way."""
        nid = given.get("national_id")
        nid = nid[0] if isinstance(nid, tuple) else (clean_text(nid) or "").upper() or None
        if nid:
            pid = self.by_id.get(nid)
            if pid is None:
                raise InvalidEntry(
                    Problem.UNKNOWN_PERSON, field="national_id", value=mask_national_id(nid), suggestion=""
                )
            self.check(pid, given, day)
            return pid
        return self._by_name(given, day, among)

    def _by_name(self, given: Mapping, day: dt.date | None, among: set[int] | None) -> int:
        name = clean_text(given.get("name"))
        found = self.by_name.get(clean_header(name or "").casefold(), [])
        if among is not None and any(p in among for p in found):
            found = [p for p in found if p in among]
        if not found:
            hint = suggest(name or "", list(self.names.values()))
            raise InvalidEntry(Problem.UNKNOWN_PERSON, field="name", value=name, suggestion=hint)
        placed = [p for p in found if self._place(p, given, day) is None]
        if len(placed) == 1:
            return placed[0]
        if len(found) == 1:  # the only one of that name, elsewhere than the row says
            raise self._place(found[0], given, day)  # type: ignore[misc]
        raise InvalidEntry(Problem.SAME_NAME_PERSON, field="name", value=name, count=len(placed or found))

    def _place(self, pid: int, given: Mapping, day: dt.date | None) -> InvalidEntry | None:
        return _place_refusal(
            self.names[pid], self.national_ids.get(pid), self.posts.get(pid, []), given, day
        )

    def check(self, pid: int, given: Mapping, day: dt.date | None = None) -> None:
        """Refuse (InvalidEntry) a name, township or county given that is not person `pid`'s."""
        name = clean_text(given.get("name"))
        if name is not None and not same_name(name, self.names[pid]):
            raise InvalidEntry(
                Problem.ID_OF_ANOTHER, field="name", name=name, owner=self.names[pid],
                national_id=mask_national_id(self.national_ids.get(pid)),
            )  # fmt: skip
        refused = self._place(pid, given, day)
        if refused is not None:
            raise refused


def check_identity(conn, person_id: int, *, name: str | None = None, national_id: str | None = None) -> str:
    """The name of person `person_id` (InvalidEntry when there is none), after checking that a
    `name` or `national_id` given beside the id are theirs: an entry made through the API or a
    form names one person, or it is refused naming both. `conn`: a connection or a transaction."""
    conn = getattr(conn, "conn", conn)
    p = TABLES["person"]
    row = conn.execute(sa.select(p.c.name, p.c.national_id).where(p.c.id == person_id)).first()
    if row is None:
        raise InvalidEntry(Problem.UNKNOWN_PERSON, field="person_id", value=f"#{person_id}", suggestion="")
    typed_id = (clean_text(national_id) or "").replace(" ", "").upper() or None
    if typed_id is not None and typed_id != (row.national_id or ""):
        owner = conn.execute(sa.select(p.c.name).where(p.c.national_id == typed_id)).scalar()
        raise InvalidEntry(
            Problem.NOT_THIS_PERSON, field="national_id", person_id=person_id, owner=row.name,
            given=mask_national_id(typed_id), other=f"（该号码属于{owner}）" if owner else "",
            other_en=f" (that ID is {owner}'s)" if owner else "",
        )  # fmt: skip
    if name is not None and not same_name(clean_text(name), row.name):
        raise InvalidEntry(
            Problem.NOT_THIS_PERSON, field="name", person_id=person_id, owner=row.name, given=clean_text(name),
            other="", other_en="",
        )  # fmt: skip
    return row.name
