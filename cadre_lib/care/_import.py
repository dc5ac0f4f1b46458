"""Importers of the care records: talks with their follow-ups, and the outcomes ledger.

Each row is checked by the same functions as the entry forms (`check_talk`, `check_follow_up`,
`check_outcome`), so a file and a form refuse the same things with the same words; the person
is found by ID number, else by name (the township tells namesakes apart). The whole file is
written in one transaction or not at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ..core.codes import codes, label
from ..core.errors import InvalidEntry
from ..core.fields import pick
from ..core.import_report import ImportReport
from ..core.importing import ParsedRow, Progress
from ..core.problems import Problem
from ..core.schema import TABLES
from ..people import PersonRows, tenures
from ._ledger import LEDGER_COLUMNS, check_outcome, held_rank, refuse_marked, write_new
from ._talks import check_talk

__all__ = ["TalkImporter", "OutcomeImporter"]


def _date(value: object) -> object:
    return value.date() if isinstance(value, pd.Timestamp) else value


def _differs(old: object, new: object) -> bool:
    """A stored value (None, NaN, a Timestamp, 0/1 for a flag) against a checked one."""
    if old is None or (isinstance(old, float) and old != old):
        return new is not None
    if isinstance(new, bool):
        return bool(old) != new
    return _date(old) != new


class _ChiefRows(PersonRows):
    """What the talk and the ledger imports share: who held a township post on which days."""

    def _posts(self) -> None:
        rows = tenures(self.ws)
        self._spans: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
        for pid, start, end in zip(rows["person_id"], rows["start_date"], rows["end_date"], strict=True):
            self._spans.setdefault(int(pid), []).append((_date(start), None if pd.isna(end) else _date(end)))

    def in_post(self, pid: int, day: dt.date) -> bool:
        return any(s <= day and (e is None or e > day) for s, e in self._spans.get(pid, ()))

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
        "name", "national_id", "township", "date", "talker_role", "talker_name", "concern_tags", "concerns",
        "action", "owner", "due_date", "follow_up_status", "done_date", "remark",
        required=("name", "date", "talker_role"),
    )  # fmt: skip
    _DETAILS = ("talker_name", "unannounced", "concerns", "concern_tags")

    def resolve(self, rows, report, as_of: dt.date | None = None, **_: Any) -> None:
        """Check each talk as the form would, find its chief, plan it."""
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
            if any(pr.values.get(k) is None for k in ("name", "date", "talker_role")):
                continue
            self._resolve_row(report, pr, as_of or self.ws.clock().date(), stored, actions)

    def _resolve_row(self, report, pr: ParsedRow, as_of: dt.date, stored: dict, actions: dict) -> None:
        v = pr.values
        follow = {"action": v.get("action"), "owner": v.get("owner"), "due_date": v.get("due_date"),
                  "status": v.get("follow_up_status"), "done_date": v.get("done_date")}  # fmt: skip
        given = any(follow[k] is not None for k in follow)
        try:
            row = check_talk({**v, "follow_ups": [follow] if given else []}, as_of)
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
            old = stored.get(key)
            changes = {} if old is None else {k: row[k] for k in self._DETAILS if _differs(old[k], row[k])}
            talk = {
                "row": {"person_id": pid, **row},
                "old": old,
                "changes": changes,
                "follow_ups": [],
                "first": pr.row,
            }
            self._talks[key] = talk
        else:
            for k in self._DETAILS:
                if row[k] is not None and talk["row"][k] != row[k] and k != "unannounced":
                    self.error(report, pr, k if k in self._headers else "date", Problem.DUPLICATE_ENTRY,
                               row=talk["first"], what="talk, with other details,")  # fmt: skip
                    return
        action = self._follow_up(talk, fu, actions)
        self._plan_row(report, pr, talk, row, fu, action)

    @staticmethod
    def _follow_up(talk: dict, fu: list, actions: dict) -> str:
        talk_action = "new" if talk["old"] is None else "update" if talk["changes"] else "unchanged"
        if not fu:
            return talk_action
        old = actions.get((talk["old"]["id"], fu[0]["action"])) if talk["old"] is not None else None
        changes = {} if old is None else {k: v for k, v in fu[0].items() if _differs(old[k], v)}
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
                "follow_up": fu[0]["action"] if fu else "", "owner": fu[0]["owner"] if fu else "",
                "due_date": fu[0]["due_date"] if fu else None,
            }
        )  # fmt: skip

    def write(self, tx, progress: Progress | None) -> None:
        done = 0
        for talk in self._talks.values():
            if talk["old"] is None:
                talk_id = tx.insert("talk", talk["row"])[0]
            else:
                talk_id = int(talk["old"]["id"])
                if talk["changes"]:
                    tx.update("talk", talk_id, talk["changes"])
            for fu in talk["follow_ups"]:
                if fu["id"] is None:
                    tx.insert("follow_up", {"talk_id": talk_id, **fu["row"]})
                elif fu["changes"]:
                    tx.update("follow_up", fu["id"], fu["changes"])
            done += 1
            if progress:
                progress(done, len(self._talks))


class OutcomeImporter(_ChiefRows):
    """The outcomes ledger: one row a decision about a chief (its kind says which columns it
    fills). A decision already stored (same chief, kind and date) is updated where the row gives
    a value; a new promotion ends the township post and the open enrolments as the form does."""

    kind = "outcomes"
    fields = pick(
        "name", "national_id", "township", "kind", "date", "detail", "from_post", "to_post", "rank", "award",
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
        for pr in rows:
            if any(pr.values.get(k) is None for k in ("name", "kind", "date")):
                continue
            try:
                row = check_outcome(pr.values, today)
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
                k: row[k] for k in LEDGER_COLUMNS if row[k] is not None and _differs(old[k], row[k])
            }  # fmt: skip
            action = "new" if old is None else "update" if changes else "unchanged"
            report.count(action)
            extra = next((label(v, row[k], "zh") for k, v in _SHOWN.items() if row[k]), row["to_post"] or "")
            report.plan.append(
                {"row": pr.row, "action": action, "name": pr.values["name"],
                 "kind": label("outcome_kind", row["kind"], "zh"), "date": row["date"], "detail": extra}
            )  # fmt: skip
            self._plan.append(
                {"pid": pid, "row": row, "id": None if old is None else int(old["id"]), "changes": changes}
            )

    def _effects_allowed(self, report, pr: ParsedRow, pid: int, row: dict) -> bool:
        """A new promotion needs the post held that day and no marks from then on; a new rank
        promotion a rank above the one held."""
        if row["kind"] == "promotion":
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
                try:
                    refuse_marked(_Reader(conn), pid, self._names[pid], list(cohorts), row["date"])
                except InvalidEntry as exc:
                    self.refused(report, pr, exc, "date")
                    return False
        if row["kind"] == "rank_promotion":
            with self.ws.engine.connect() as conn:
                held = held_rank(conn, pid, row["date"])
            ladder = codes("rank")
            if held is not None and ladder.index(held.rank) >= ladder.index(row["rank"]):
                self.error(
                    report, pr, "rank", Problem.RANK_NOT_ABOVE, name=self._names[pid],
                    since=f"{held.start_date:%Y-%m-%d}", held_zh=label("rank", held.rank, "zh"),
                    held_en=label("rank", held.rank, "en").lower(), rank_zh=label("rank", row["rank"], "zh"),
                    rank_en=label("rank", row["rank"], "en").lower(),
                )  # fmt: skip
                return False
        return True

    def write(self, tx, progress: Progress | None) -> None:
        for k, p in enumerate(sorted(self._plan, key=lambda p: p["row"]["date"])):
            if p["id"] is None:
                write_new(tx, self.ws, p["pid"], self._names[p["pid"]], self.in_post(p["pid"], p["row"]["date"]),
                          dict(p["row"]))  # fmt: skip
            elif p["changes"]:
                tx.update("outcome", p["id"], p["changes"])
            if progress:
                progress(k + 1, len(self._plan))


_SHOWN = {"sanction": "sanction", "rank": "rank", "award": "award", "result": "filing_result"}


class _Reader:
    """A connection where a transaction is expected, for checks that only read."""

    def __init__(self, conn):
        self.conn = conn
