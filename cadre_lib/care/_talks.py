"""The talks register: supervisory talks with township chiefs, what each chief raised, and the
follow-up actions agreed, each with its owner, due date and status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd
import sqlalchemy as sa

from ..core.codes import label
from ..core.errors import DuplicateKey, InvalidEntry
from ..core.fields import parse_code, parse_codes
from ..core.ids import snippet
from ..core.normalize import clean_prose, clean_text, parse_date
from ..core.problems import Problem
from ..core.rules import Rules, check_day
from ..core.saved import Saved
from ..core.schema import TABLES
from ..core.tx import ANY_VERSION, Put, Tx
from ..core.workspace import Workspace
from ..people import check_identity, place_on, tenures
from ._talkers import county_keys, talker

__all__ = [
    "TALK_KEY",
    "check_talk",
    "check_follow_up",
    "record_talk",
    "talk_version",
    "put_talk",
    "put_follow_up",
    "add_follow_up",
    "close_follow_up",
    "talks",
    "follow_ups",
    "chief_on",
    "as_day",
    "differs",
    "given_changes",
]

TALK_KEY = ("person_id", "date", "talker_role")  # one talk per chief, day and talker role
TEXT_LIMIT = 2000


def as_day(value: object, field: str, zh: str, en: str, required: bool = True) -> dt.date | None:
    """A date given to the API or typed in a file or form (a date, 2026-11-03, 2026.11.3,
    2026年11月3日), with its day; None when blank and not required; InvalidEntry otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidEntry(Problem.REQUIRED, field=field, zh=zh, en=en)
        return None
    try:
        parsed = parse_date(value)
    except InvalidEntry as exc:
        raise InvalidEntry(exc.problem or Problem.NOT_A_DATE, field=field, **exc.params) from None
    if parsed is None or not parsed[1]:
        raise InvalidEntry(Problem.NEEDS_DAY, field=field, text=snippet(value, 20))
    return parsed[0]


def _day(values: Mapping, key: str, zh: str, en: str, required: bool = True) -> dt.date | None:
    return as_day(values.get(key), key, zh, en, required)


def _text(values: Mapping, key: str, zh: str, en: str, limit: int, required: bool) -> str | None:
    text = clean_prose(values.get(key))
    if text is None and required:
        raise InvalidEntry(Problem.EMPTY_TEXT, field=key, zh=zh, en=en)
    if text is not None and len(text) > limit:
        raise InvalidEntry(Problem.TOO_LONG, field=key, limit=limit)
    return text


def _after(later: dt.date, earlier: dt.date, field: str, words: tuple[str, str, str, str]) -> None:
    """Refuse `later` before `earlier`; `words`: the two dates' names (zh, en, zh, en)."""
    if later < earlier:
        raise InvalidEntry(
            Problem.DATE_ORDER,
            field=field,
            later=f"{later:%Y-%m-%d}",
            earlier=f"{earlier:%Y-%m-%d}",
            later_zh=words[0],
            later_en=words[1],
            earlier_zh=words[2],
            earlier_en=words[3],
        )


def check_follow_up(
    values: Mapping, talk_day: dt.date, as_of: dt.date | None = None, rules: Rules | None = None
) -> dict:
    """One follow-up action as stored (action, owner, due_date, status, done_date), every value
    checked: the action and a due date on or after the talk. The owner may be blank: a follow-up
    agreed before anyone was made responsible is kept with its owner unassigned (None), and listed
    as 责任人待明确 until one is named. A closed one (done or dropped) needs its date, on or after
    the talk and not after `as_of`; a date with no status means done. A blank status is None: a
    new follow-up is open, a stored one keeps its own. Dates lie in the `rules`' windows."""
    action = _text(values, "action", "跟进事项", "follow-up action", 1000, True)
    owner = clean_text(values.get("owner"))
    if owner is not None and len(owner) > 64:
        raise InvalidEntry(Problem.TOO_LONG, field="owner", limit=64)
    due = _day(values, "due_date", "办理时限", "due date")
    check_day(rules, "planned", due, as_of, "due_date", ("办理时限", "due date"))
    _after(due, talk_day, "due_date", ("办理时限", "follow-up due date", "谈话日期", "talk date"))
    status = parse_code("follow_up_status", values.get("status"))
    done = _day(values, "done_date", "办结日期", "date it was closed", required=status in ("done", "dropped"))
    if status == "open":
        done = None
    elif done is not None:
        status = status or "done"
        check_day(rules, "held", done, as_of, "done_date", ("办结日期", "date it was closed"))
        _after(done, talk_day, "done_date", ("办结日期", "date it was closed", "谈话日期", "talk date"))
    return {"action": action, "owner": owner, "due_date": due, "status": status, "done_date": done}


def check_talk(
    values: Mapping,
    as_of: dt.date | None = None,
    rules: Rules | None = None,
    counties: frozenset[str] = frozenset(),
) -> dict:
    """The talk to store (date, talker_role, talker_name, talker_title, unannounced, concerns,
    concern_tags) and its checked `follow_ups`; InvalidEntry names the field. The talker's role is
    a code, a label or a title as written (`talker_title`, stored as the talker of a new talk with
    none written), or read from the talker's title (`_talkers.talker`). `concern_tags` may be codes, labels or a list of them. A talk after `as_of` is refused: the register records talks held.
    Fields left blank are None (a stored talk keeps its own); `unannounced` too, unless given.
    The same follow-up action twice is one follow-up (the last one given). Every date lies in
    its window of the `rules` (`Rules.check_date`). `counties`: the workspace's county names as
    title keys (`_talkers.county_keys`), so a county-level city's 市委书记 is its county's."""
    day = _day(values, "date", "谈话日期", "talk date")
    check_day(rules, "held", day, as_of, "date", ("谈话日期", "talk date"))
    role, name, title = talker(values.get("talker_role"), values.get("talker_name"), counties)
    tags = values.get("concern_tags")
    if isinstance(tags, (list, tuple, set, frozenset)):
        tags = ",".join(str(t) for t in tags)
    unannounced = values.get("unannounced")
    row = {
        "date": day,
        "talker_role": role,
        "talker_name": name,
        "talker_title": title,
        "unannounced": None if unannounced is None else bool(unannounced),
        "concerns": _text(values, "concerns", "反映问题", "concerns", TEXT_LIMIT, False),
        "concern_tags": parse_codes("concern", tags),
    }
    actions = {}
    for f in values.get("follow_ups") or ():
        checked = check_follow_up(f, day, as_of, rules)
        actions[checked["action"]] = checked
    row["follow_ups"] = list(actions.values())
    return row


def differs(old: object, new: object) -> bool:
    """A stored value (None, NaN, a Timestamp, 0/1 for a flag) against a checked one."""
    if old is None or (isinstance(old, float) and old != old):
        return new is not None
    if isinstance(old, pd.Timestamp):
        old = old.date()
    if isinstance(new, bool):
        return bool(old) != new
    return old != new


def given_changes(old: Mapping, new: Mapping) -> dict:
    """What `new` changes in a stored row: the fields it gives (not None) that differ. A
    follow-up set open again loses its closing date."""
    out = {k: v for k, v in new.items() if k in old and v is not None and differs(old[k], v)}
    if new.get("status") == "open" and old.get("done_date") is not None and "done_date" in old:
        if not (isinstance(old["done_date"], float) and old["done_date"] != old["done_date"]):
            out["done_date"] = None
    return out


def new_talk_row(row: Mapping) -> dict:
    """A talk as first stored: with no talker written, the title its role was given as (kept as
    written; a talk stored already keeps its own talker); the city organization department's visit
    (or any talk whose talker is written with 四不两直) is unannounced unless said otherwise."""
    out = dict(row)
    title = out.pop("talker_title", None)
    out["talker_name"] = out["talker_name"] or title
    if out["unannounced"] is None:
        out["unannounced"] = out["talker_role"] == "city_deputy" or "四不两直" in (out["talker_name"] or "")
    return out


def new_follow_up_row(row: Mapping) -> dict:
    return {**row, "status": row["status"] or "open"}


def chief_on(
    tx_or_conn, person_id: int, day: dt.date, *, name: str | None = None, national_id: str | None = None
) -> tuple[str, bool]:
    """(name, in post): the person's name (InvalidEntry when there is no such person, or when a
    `name` or `national_id` given beside the id is not theirs) and whether they held a township
    post on `day` (a tenure's end date is its first day out of post)."""
    conn = getattr(tx_or_conn, "conn", tx_or_conn)
    pt = TABLES["post_tenure"]
    name = check_identity(conn, person_id, name=name, national_id=national_id)
    held = conn.execute(
        sa.select(pt.c.id).where(
            pt.c.person_id == person_id,
            pt.c.start_date <= day,
            sa.or_(pt.c.end_date.is_(None), pt.c.end_date > day),
        )
    ).first()
    return name, held is not None


def once_more(save):
    """Run `save`; when another save of the same record won a race to create it (the store
    refused a second row with its key), run it again: it now finds the record and updates it."""
    try:
        return save()
    except DuplicateKey:
        return save()


def _talk_words(name: str, row: Mapping) -> tuple[str, str]:
    role = row["talker_role"]
    return (
        f"{label('talker_role', role, 'zh')}与{name}谈话（{row['date']:%Y-%m-%d}）",
        f"the talk of the {label('talker_role', role, 'en')} with {name} on {row['date']:%Y-%m-%d}",
    )


def record_talk(
    ws: Workspace,
    person_id: int,
    date: dt.date,
    talker_role: str | None,
    *,
    concerns: str | None = None,
    concern_tags: Iterable[str] | str | None = None,
    talker_name: str | None = None,
    unannounced: bool | None = None,
    follow_ups: Iterable[Mapping] = (),
    as_of: dt.date | None = None,
    name: str | None = None,
    national_id: str | None = None,
    version: int | None | str = ANY_VERSION,
) -> Saved:
    """Store one talk with a township chief and the follow-ups agreed in it, all or nothing.

    Refused, with nothing saved: a person not in the workspace (or not the one a `name` or
    `national_id` given beside `person_id` names), one who held no township post that day, a
    talk after `as_of` (default: today), a follow-up due before the talk. The same
    chief, day and talker role again is the same talk: the details given are updated (a blank
    keeps what is stored) and its follow-ups matched by their action (a new action is added).
    `version`: the version of the stored talk the form was made on (None: there was none); when
    another save registered or changed the talk since, its details are not overwritten (the
    answer, `conflict`, says who saved it) and only follow-ups with a new action are added."""
    row = check_talk(
        {
            "date": date, "talker_role": talker_role, "concerns": concerns, "concern_tags": concern_tags,
            "talker_name": talker_name, "unannounced": unannounced, "follow_ups": list(follow_ups),
        },
        as_of or ws.clock().date(),
        ws.rules,
        county_keys(ws),
    )  # fmt: skip
    actions = row.pop("follow_ups")
    given = {"name": name, "national_id": national_id}
    name, done, changed = _save_talk(ws, person_id, row, actions, given, version)
    action = "update" if done.action == "unchanged" and any(changed) else done.action
    zh, en = _talk_words(name, row)
    n = len(actions)
    if n and action != "conflict":
        zh, en = f"{zh}，跟进事项{n}项", f"{en}, with {n} follow-up action(s)"
    note = None
    if action == "conflict" and any(changed):
        added = sum(changed)
        note = (f"您填写的新跟进事项{added}项已添加", f"your {added} new follow-up action(s) were added")
    stands = talk_stands(done) if action == "conflict" else None
    return Saved(action, done.id, (zh, en), stands, note, done.by)


def _save_talk(
    ws: Workspace, person_id: int, row: dict, actions: list[dict], given: Mapping, version: int | None | str
) -> tuple[str, Put, list[bool]]:
    """One transaction: the talk and its follow-ups; (name, what was done to the talk, which
    follow-ups changed). After a conflict only follow-ups with a new action are added."""
    with ws.transaction() as tx:
        name, in_post = chief_on(tx, person_id, row["date"], **given)
        if not in_post:
            raise InvalidEntry(
                Problem.NOT_A_CHIEF, field="person_id", name=name, day=f"{row['date']:%Y-%m-%d}"
            )
        done = put_talk(tx, person_id, row, version)
        keep = done.action == "conflict"
        return name, done, [put_follow_up(tx, done.id, f, only_new=keep) for f in actions]


def talk_version(ws: Workspace, person_id: int, date: dt.date, talker_role: str) -> int | None:
    """The version of the talk registered for a chief, day and talker role (None: none yet): what
    the talk form's save names as the version it was made on."""
    t = TABLES["talk"]
    with ws.engine.connect() as conn:
        return conn.execute(
            sa.select(t.c.version).where(
                t.c.person_id == person_id, t.c.date == date, t.c.talker_role == talker_role
            )
        ).scalar()


def put_talk(tx: Tx, person_id: int, row: dict, version: int | None | str = ANY_VERSION) -> Put:
    """Register the talk of its key or update the one there with the details given (a blank
    keeps what is stored), through `Tx.put`: the talk's row is locked, so follow-ups of two saves
    of one talk are matched one after the other, and a save that loses the race to register it
    waits for the winner and then finds its row."""
    key = {"person_id": person_id, "date": row["date"], "talker_role": row["talker_role"]}
    given = {k: v for k, v in row.items() if k in _TALK_DETAILS and v is not None}
    first = {k: v for k, v in new_talk_row(row).items() if k not in key}
    return tx.put("talk", key, given, version, new=first)


_TALK_DETAILS = ("talker_name", "unannounced", "concerns", "concern_tags")


def talk_stands(put: Put) -> str | None:
    """What a talk saved by someone else holds, for the answer of a save that did not overwrite
    it: its talker and concerns as written (None when nothing is known)."""
    parts = [(put.was or {}).get(k) for k in ("talker_name", "concerns")]
    return snippet("；".join(p for p in parts if isinstance(p, str) and p), 60) or None


def put_follow_up(tx: Tx, talk_id: int, row: dict, only_new: bool = False) -> bool:
    """Add or update one follow-up of a talk (matched by its action); True when anything changed.
    `only_new`: add it if its action is new, leave one already there as it is."""
    f = TABLES["follow_up"]
    old = (
        tx.conn.execute(sa.select(f).where(f.c.talk_id == talk_id, f.c.action == row["action"]))
        .mappings()
        .first()
    )
    if old is None:
        tx.insert("follow_up", {"talk_id": talk_id, **new_follow_up_row(row)})
        return True
    new = {} if only_new else given_changes(old, row)
    if new:
        tx.update("follow_up", old["id"], new)
    return bool(new)


def _talk_of(tx: Tx, talk_id: int) -> Mapping:
    t, p = TABLES["talk"], TABLES["person"]
    talk = (
        tx.conn.execute(sa.select(t, p.c.name).join(p, p.c.id == t.c.person_id).where(t.c.id == talk_id))
        .mappings()
        .first()
    )
    if talk is None:
        raise InvalidEntry(
            f"没有编号为{talk_id}的谈话记录 no talk #{talk_id} in the workspace; choose a talk from the register",
            field="talk_id",
        )
    return talk


def add_follow_up(
    ws: Workspace, talk_id: int, action: str, owner: str | None, due_date: dt.date, status: str | None = None,
    done_date: dt.date | None = None,
) -> Saved:  # fmt: skip
    """Add a follow-up action to a talk already registered (the same action again updates it)."""
    with ws.transaction() as tx:
        talk = _talk_of(tx, talk_id)
        row = check_follow_up(
            {
                "action": action,
                "owner": owner,
                "due_date": due_date,
                "status": status,
                "done_date": done_date,
            },
            talk["date"],
            ws.clock().date(),
            ws.rules,
        )
        changed = put_follow_up(tx, talk_id, row)
        f = TABLES["follow_up"]
        fid = tx.conn.execute(
            sa.select(f.c.id).where(f.c.talk_id == talk_id, f.c.action == row["action"])
        ).scalar_one()
    what = (
        f"跟进事项“{snippet(row['action'], 21)}”（{talk['name']}）",
        f"follow-up '{snippet(row['action'], 21)}' for {talk['name']}",
    )
    return Saved("new" if changed else "unchanged", fid, what)


def close_follow_up(
    ws: Workspace, follow_up_id: int, on: dt.date | str, status: str = "done", as_of: dt.date | None = None
) -> Saved:
    """Record that a follow-up was done (or dropped) on `on`, which is not before its talk nor
    after `as_of` (default: today)."""
    on = as_day(on, "done_date", "办结日期", "date it was closed")
    check_day(
        ws.rules, "held", on, as_of or ws.clock().date(), "done_date", ("办结日期", "date it was closed")
    )
    code = parse_code("follow_up_status", status)
    if code not in ("done", "dropped"):
        raise InvalidEntry(
            "办结时状态应为“已办结”或“不再办理” a follow-up is closed as done or dropped", field="status"
        )
    f = TABLES["follow_up"]
    with ws.transaction() as tx:
        old = tx.conn.execute(sa.select(f).where(f.c.id == follow_up_id)).mappings().first()
        if old is None:
            raise InvalidEntry(
                f"没有编号为{follow_up_id}的跟进事项 no follow-up #{follow_up_id}; choose one from the list",
                field="follow_up_id",
            )
        talk = _talk_of(tx, old["talk_id"])
        _after(on, talk["date"], "done_date", ("办结日期", "date it was closed", "谈话日期", "talk date"))
        what = (
            f"跟进事项“{snippet(old['action'], 21)}”{label('follow_up_status', code, 'zh')}（{on:%Y-%m-%d}）",
            f"follow-up '{snippet(old['action'], 21)}' {label('follow_up_status', code, 'en').lower()} on {on:%Y-%m-%d}",
        )
        if old["status"] == code and old["done_date"] == on:
            return Saved("unchanged", follow_up_id, what)
        tx.update("follow_up", follow_up_id, {"status": code, "done_date": on})
    return Saved("update", follow_up_id, what)


def _places(ws: Workspace, as_of: dt.date | None) -> pd.DataFrame:
    return place_on(tenures(ws, begun_by=as_of), as_of)[["county", "township", "post"]]


def talks(ws: Workspace, as_of: dt.date | None = None, person_id: int | None = None) -> pd.DataFrame:
    """The register: id, person_id, name, county, township, post, date, talker_role, talker_name,
    unannounced, concern_tags, concerns and follow_ups (how many), by date. `as_of`: talks held
    by then, with each chief's place on that day."""
    t, p, f = TABLES["talk"], TABLES["person"], TABLES["follow_up"]
    n = sa.select(sa.func.count()).where(f.c.talk_id == t.c.id).scalar_subquery()
    q = sa.select(
        t.c.id, t.c.person_id, p.c.name, t.c.date, t.c.talker_role, t.c.talker_name, t.c.unannounced,
        t.c.concern_tags, t.c.concerns, n.label("follow_ups"),
    ).join(p, p.c.id == t.c.person_id).order_by(t.c.date, t.c.id)  # fmt: skip
    if as_of is not None:
        q = q.where(t.c.date <= as_of)
    if person_id is not None:
        q = q.where(t.c.person_id == person_id)
    frame = ws.frame(q).join(_places(ws, as_of), on="person_id")
    front = ["id", "person_id", "name", "county", "township", "post"]
    return frame[front + [c for c in frame.columns if c not in front]].reset_index(drop=True)


def follow_ups(ws: Workspace, as_of: dt.date, open_only: bool = False) -> pd.DataFrame:
    """Follow-ups of the talks held by `as_of`, as they stood that day: id, talk_id, person_id,
    name, county, township, talk_date, talker_role, action, owner (None: to be assigned), due_date, status (one closed
    after `as_of` is still open), done_date, past_due (open with its due date passed) and
    days_past_due. Past due first, the longest first."""
    t, p, f = TABLES["talk"], TABLES["person"], TABLES["follow_up"]
    q = (
        sa.select(
            f.c.id, f.c.talk_id, t.c.person_id, p.c.name, t.c.date.label("talk_date"), t.c.talker_role,
            f.c.action, f.c.owner, f.c.due_date, f.c.status, f.c.done_date,
        )
        .join(t, t.c.id == f.c.talk_id)
        .join(p, p.c.id == t.c.person_id)
        .where(t.c.date <= as_of)
    )  # fmt: skip
    frame = ws.frame(q)
    later = pd.to_datetime(frame["done_date"]) > pd.Timestamp(as_of)
    frame.loc[later, ["status", "done_date"]] = ["open", None]
    due = pd.to_datetime(frame["due_date"])
    frame["past_due"] = (frame["status"] == "open") & due.notna() & (due < pd.Timestamp(as_of))
    frame["days_past_due"] = (pd.Timestamp(as_of) - due).dt.days.where(frame["past_due"]).astype("Int64")
    if open_only:
        frame = frame[frame["status"] == "open"]
    frame = frame.join(_places(ws, as_of)[["county", "township"]], on="person_id")
    frame = frame.sort_values(
        ["past_due", "days_past_due", "due_date", "id"], ascending=[False, False, True, True]
    )
    front = ["id", "talk_id", "person_id", "name", "county", "township"]
    return frame[front + [c for c in frame.columns if c not in front]].reset_index(drop=True)
