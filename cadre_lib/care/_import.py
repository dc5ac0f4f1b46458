"""Importers of the care records: talks with their follow-ups, and the outcomes ledger.

Each row is checked by the same functions as the entry forms (`check_talk`, `check_follow_up`,
`check_outcome`), so a file and a form refuse the same things with the same words; the person
is found by ID number, else by name (the township tells namesakes apart). The whole file is
written in one transaction or not at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import pandas as pd
import sqlalchemy as sa

from ..core.codes import label
from ..core.errors import InvalidEntry
from ..core.fields import pick
from ..core.import_report import ImportReport
from ..core.importing import ParsedRow, Progress
from ..core.normalize import is_blank
from ..core.problems import Problem
from ..core.schema import TABLES
from ..people import PersonRows, tenures
from ._display import OWNER_TO_ASSIGN
from ._ledger import (
    LEDGER_COLUMNS,
    check_outcome,
    check_rank_step,
    held_rank,
    later_rank,
    refuse_marked,
    write_new,
)
from ._talkers import county_keys, talker_cell
from ._talks import check_talk, differs, given_changes, put_follow_up, put_talk, talk_stands

__all__ = ["TalkImporter", "OutcomeImporter"]


def _date(value: object) -> object:
    return value.date() if isinstance(value, pd.Timestamp) else value


class _ChiefRows(PersonRows):
    """What the talk and the ledger imports share: who held a township post on which days."""

    def _posts(self) -> None:
        rows = tenures(self.ws)
        self._spans: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
        for pid, start, end in zip(rows["person_id"], rows["start_date"], rows["end_date"], strict=True):
            self._spans.setdefault(int(pid), []).append((_date(start), None if pd.isna(end) else _date(end)))

    def in_post(self, pid: int, day: dt.date) -> bool:
        return any(s <= day and (e is None or e > day) for s, e in self._spans.get(pid, ()))

    # A refusal about a field the file has no column for lands on the column that stands in for it.
    _STANDS_FOR = {"talker_role": "talker_name"}

    def refused(self, report: ImportReport, pr: ParsedRow, exc: InvalidEntry, default: str) -> None:
        """A check's refusal on the column of the field it names: that column's own header even
        when the file lacks it (a register without 办理时限 is told so, never about its 谈话时间),
        or the column standing in for it (谈话人 for a missing 谈话人身份)."""
        key = exc.field
        if key not in self._headers and self._STANDS_FOR.get(key) in self._headers:
            key = self._STANDS_FOR[key]
        if key not in {f.key for f in self.fields}:
            key = default
        self.error(report, pr, key, exc)

    def not_a_chief(self, report: ImportReport, pr: ParsedRow, pid: int, day: dt.date) -> bool:
        """True (and reported) when the person held no township post on `day`."""
        if self.in_post(pid, day):
            return False
        self.error(report, pr, "date", Problem.NOT_A_CHIEF, name=self._names[pid], day=f"{day:%Y-%m-%d}")
        return True


class TalkImporter(_ChiefRows):
    """Supervisory talks: one row a talk with a chief, with at most one follow-up action; rows of
    the same chief, day and talker role are one talk with several follow-ups (its details given
    once, or the same on each). A talk already stored is matched, its follow-ups by action."""

    kind = "talks"
    fields = pick(
        "name", "national_id", "county", "township", "date", "talker_role", "talker_name", "concern_tags", "concerns",
        "action", "owner", "due_date", "follow_up_status", "done_date", "remark",
        required=("name", "date"), parsers={"talker_role": talker_cell},
    )  # fmt: skip
    _DETAILS = ("talker_name", "unannounced", "concerns", "concern_tags")

    def resolve(self, rows, report, as_of: dt.date | None = None, **_: Any) -> None:
        """Check each talk as the form would, find its chief, plan it. A register that has only a
        谈话人 column ("县委书记", "西岭县委组织部部长 王某") has the talker's role read from it."""
        if "talker_role" not in self._headers and "talker_name" not in self._headers:
            raise InvalidEntry(
                Problem.MISSING_COLUMNS, columns="谈话人身份", columns_en="谈话人身份 (talker role)"
            )
        self._counties = county_keys(self.ws)
        self._people()
        self._posts()
        t, f = TABLES["talk"], TABLES["follow_up"]
        stored = {
            (r["person_id"], _date(r["date"]), r["talker_role"]): r
            for r in self.ws.frame(sa.select(t)).to_dict("records")
        }
        actions = {(r["talk_id"], r["action"]): r for r in self.ws.frame(sa.select(f)).to_dict("records")}
        self._talks: dict[tuple, dict] = {}
        for pr in rows:
            if any(pr.values.get(k) is None for k in ("name", "date")):
                continue
            if pr.values.get("talker_role") is None and not is_blank(pr.cells.get("talker_role")):
                continue  # typed but unreadable: already reported on its column
            self._resolve_row(report, pr, as_of or self.ws.clock().date(), stored, actions)

    def _resolve_row(self, report, pr: ParsedRow, as_of: dt.date, stored: dict, actions: dict) -> None:
        v = pr.values
        follow = {"action": v.get("action"), "owner": v.get("owner"), "due_date": v.get("due_date"),
                  "status": v.get("follow_up_status"), "done_date": v.get("done_date")}  # fmt: skip
        given = any(follow[k] is not None for k in follow)
        try:
            row = check_talk(
                {**v, "follow_ups": [follow] if given else []}, as_of, self.ws.rules, self._counties
            )
        except InvalidEntry as exc:
            self.refused(report, pr, exc, "date")
            return
        pid = self.person(report, pr)
        if pid is None or self.not_a_chief(report, pr, pid, row["date"]):
            return
        key = (pid, row["date"], row["talker_role"])
        fu = row.pop("follow_ups")
        if self.seen(report, pr, (*key, fu[0]["action"] if fu else None), "talk"):
            return
        talk = self._talks.get(key)
        if talk is None:
            talk = {
                "row": {"person_id": pid, **row},
                "old": stored.get(key),
                "follow_ups": [],
                "first": pr.row,
                "at": len(report.plan),  # where its first row's plan goes
            }
            self._talks[key] = talk
        elif not self._same_details(report, pr, talk, row):
            return
        old = talk["old"]
        talk["changes"] = (
            {} if old is None else given_changes(old, {k: talk["row"][k] for k in self._DETAILS})
        )
        action = self._follow_up(talk, fu, actions)
        self._plan_row(report, pr, talk, row, fu, action)

    def _same_details(self, report, pr: ParsedRow, talk: dict, row: dict) -> bool:
        """A later row of a talk may give details its first rows left blank; one that gives
        other details than an earlier row is refused (and False)."""
        for k in self._DETAILS:
            if row[k] is None:
                continue
            if talk["row"][k] is None:
                talk["row"][k] = row[k]
            elif talk["row"][k] != row[k]:
                column = k if k in self._headers else "date"
                self.error(report, pr, column, Problem.TALK_DETAILS_DIFFER, row=talk["first"], field_zh=
                           _DETAIL_WORDS[k][0], field_en=_DETAIL_WORDS[k][1])  # fmt: skip
                return False
        return True

    @staticmethod
    def _follow_up(talk: dict, fu: list, actions: dict) -> str:
        talk_action = "new" if talk["old"] is None else "update" if talk["changes"] else "unchanged"
        if not fu:
            return talk_action
        old = actions.get((talk["old"]["id"], fu[0]["action"])) if talk["old"] is not None else None
        changes = {} if old is None else given_changes(old, fu[0])
        talk["follow_ups"].append(
            {"row": fu[0], "id": None if old is None else int(old["id"]), "changes": changes}
        )
        if old is None:
            return "new" if talk_action == "new" else "update"
        return "update" if changes or talk_action != "unchanged" else "unchanged"

    def _plan_row(self, report, pr: ParsedRow, talk: dict, row: dict, fu: list, action: str) -> None:
        report.count(action)
        report.plan.append(
            {
                "row": pr.row, "action": action, "name": pr.values["name"], "date": row["date"],
                "talker_role": label("talker_role", row["talker_role"], "zh"),
                "concern_tags": "、".join(label("concern", c, "zh") for c in (row["concern_tags"] or "").split(",") if c),
                "follow_up": fu[0]["action"] if fu else "", "owner": (fu[0]["owner"] or OWNER_TO_ASSIGN) if fu else "",
                "due_date": fu[0]["due_date"] if fu else None,
            }
        )  # fmt: skip

    def write(self, tx, progress: Progress | None) -> None:
        """Each talk saved by its key and its follow-ups by their action: a talk another office
        registered meanwhile is updated as a file updates one (a blank keeps what is stored),
        and the report says so."""
        done = 0
        for talk in self._talks.values():
            row = talk["row"]
            put = put_talk(tx, row["person_id"], row)
            seen = talk["old"]  # the talk as the check saw it (None: not registered then)
            if put.action != "new" and (
                seen is None or any(differs(seen[k], v) for k, v in (put.was or {}).items())
            ):
                self.report.wrote(talk["at"], "update", talk_stands(put) or "", put.by)  # saved meanwhile
            for fu in talk["follow_ups"]:
                put_follow_up(tx, put.id, fu["row"])
            done += 1
            if progress:
                progress(done, len(self._talks))


class OutcomeImporter(_ChiefRows):
    """The outcomes ledger: one row a decision about a chief (its kind says which columns it
    fills). A decision already stored (same chief, kind and date) is updated where the row gives
    a value; a new promotion ends the township post and the open enrolments as the form does."""

    kind = "outcomes"
    fields = pick(
        "name", "national_id", "county", "township", "kind", "date", "detail", "from_post", "to_post", "rank", "award",
        "sanction", "impact_end", "reviewed_on", "result", "result_date", "remark",
        required=("name", "kind", "date"),
    )  # fmt: skip

    def resolve(self, rows, report, as_of: dt.date | None = None, **_: Any) -> None:
        """Check each decision against its kind, find its chief, plan it."""
        self._people()
        self._posts()
        o = TABLES["outcome"]
        stored = {
            (r["person_id"], r["kind"], _date(r["date"])): r
            for r in self.ws.frame(sa.select(o)).to_dict("records")
        }
        today = as_of or self.ws.clock().date()
        self._plan: list[dict] = []
        self._promoted: dict[int, int] = {}  # chief -> the file row of their promotion
        self._ranks: dict[int, list[tuple[dt.date, str]]] = {}  # rank promotions planned by the file
        for pr in rows:
            if any(pr.values.get(k) is None for k in ("name", "kind", "date")):
                continue
            try:
                row = check_outcome(pr.values, today, self.ws.rules)
            except InvalidEntry as exc:
                self.refused(report, pr, exc, "kind")
                continue
            pid = self.person(report, pr)
            if pid is None or self.seen(report, pr, (pid, row["kind"], row["date"]), "decision"):
                continue
            old = stored.get((pid, row["kind"], row["date"]))
            if old is None and not self._effects_allowed(report, pr, pid, row):
                continue
            changes = {} if old is None else {
                k: row[k] for k in LEDGER_COLUMNS if row[k] is not None and differs(old[k], row[k])
            }  # fmt: skip
            action = "new" if old is None else "update" if changes else "unchanged"
            report.count(action)
            extra = next((label(v, row[k], "zh") for k, v in _SHOWN.items() if row[k]), row["to_post"] or "")
            report.plan.append(
                {"row": pr.row, "action": action, "name": pr.values["name"],
                 "kind": label("outcome_kind", row["kind"], "zh"), "date": row["date"], "detail": extra}
            )  # fmt: skip
            self._plan.append({"pid": pid, "row": row, "at": len(report.plan) - 1})

    def _effects_allowed(self, report, pr: ParsedRow, pid: int, row: dict) -> bool:
        """A new promotion needs the post held that day, no marks from then on, and no other
        promotion of the chief in the file; a new rank promotion must rise from the rank held
        before it and stay below the one after, counting the file's earlier rows."""
        try:
            if row["kind"] == "promotion":
                return self._promotion_allowed(report, pr, pid, row)
            if row["kind"] == "rank_promotion":
                self._rank_allowed(pid, row)
        except InvalidEntry as exc:
            self.refused(report, pr, exc, "date")
            return False
        return True

    def _promotion_allowed(self, report, pr: ParsedRow, pid: int, row: dict) -> bool:
        if pid in self._promoted:
            self.error(
                report,
                pr,
                "date",
                Problem.DUPLICATE_ENTRY,
                row=self._promoted[pid],
                what="promotion of this chief",
            )
            return False
        if self.not_a_chief(report, pr, pid, row["date"]):
            return False
        e = TABLES["enrollment"]
        with self.ws.engine.connect() as conn:
            cohorts = conn.execute(
                sa.select(e.c.cohort_id).where(
                    e.c.person_id == pid, e.c.status == "active",
                    sa.or_(e.c.end_date.is_(None), e.c.end_date >= row["date"]),
                )
            ).scalars().all()  # fmt: skip
            refuse_marked(conn, pid, self._names[pid], list(cohorts), row["date"])
        self._promoted[pid] = pr.row
        return True

    def _rank_allowed(self, pid: int, row: dict) -> None:
        day = row["date"]
        with self.ws.engine.connect() as conn:
            ranks = [r for r in (held_rank(conn, pid, day), later_rank(conn, pid, day)) if r is not None]
        ranks += [_Rank(r, d) for d, r in self._ranks.get(pid, ())]
        held = max((r for r in ranks if r.start_date < day), key=lambda r: r.start_date, default=None)
        later = min((r for r in ranks if r.start_date > day), key=lambda r: r.start_date, default=None)
        check_rank_step(self._names[pid], row["rank"], held, later)
        self._ranks.setdefault(pid, []).append((day, row["rank"]))

    def write(self, tx, progress: Progress | None) -> None:
        """Each decision by date, looked up again under a lock: a new one with what its kind does
        besides; one already there (recorded meanwhile by someone else too) updated where the row
        gives a value, the report saying when it was not there at the check."""
        o = TABLES["outcome"]
        for k, p in enumerate(sorted(self._plan, key=lambda p: p["row"]["date"])):
            row, pid = p["row"], p["pid"]
            old = tx.conn.execute(
                sa.select(o).where(o.c.person_id == pid, o.c.kind == row["kind"], o.c.date == row["date"])
                .with_for_update()
            ).mappings().first()  # fmt: skip
            if old is None:
                write_new(tx, self.ws, pid, self._names[pid], self.in_post(pid, row["date"]), dict(row))
            else:
                changes = {
                    c: row[c] for c in LEDGER_COLUMNS if row[c] is not None and differs(old[c], row[c])
                }
                if changes:
                    tx.update("outcome", old["id"], changes)
                action = "update" if changes else "unchanged"
                self.report.wrote(
                    p["at"], action, self.report.plan[p["at"]].get("was"), tx.last_actor("outcome", old["id"])
                )
            if progress:
                progress(k + 1, len(self._plan))


_DETAIL_WORDS = {
    "talker_name": ("谈话人", "talker"),
    "unannounced": ("四不两直", "unannounced visit"),
    "concerns": ("反映问题", "concerns"),
    "concern_tags": ("反映问题类别", "concern tags"),
}
_SHOWN = {"sanction": "sanction", "rank": "rank", "award": "award", "result": "filing_result"}


class _Rank(NamedTuple):
    rank: str
    start_date: dt.date
