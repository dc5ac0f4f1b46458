"""Importers of evaluation records: assessment scores, frontline ratings and comments.

Each row is checked by the same function the entry forms use (`check_assessment`,
`check_review`, `check_comment`), so a file and a form refuse the same things with the same
words; the person is found by ID number, else by name (the township tells namesakes apart).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ..core.codes import label
from ..core.errors import InvalidEntry
from ..core.fields import pick
from ..core.importing import Progress
from ..core.problems import Problem
from ..core.schema import TABLES
from ..people import PersonRows, find_cohort
from ._assessments import ASSESSMENT_KEY, check_assessment
from ._comments import check_comment
from ._instruments import find_instrument, instruments
from ._reviews import REVIEW_KEY, check_review

__all__ = ["AssessmentImporter", "ReviewImporter", "CommentImporter"]


# A blank rater role is the training office's score; the plan says it was not typed.
_DEFAULTED = "（未填，视为培训主管部门 blank: the training office）"


class AssessmentImporter(PersonRows):
    """Assessment scores: one row a score of a person in a cohort (the cohort named in the row
    or chosen for the file); a blank rater role is the training office."""

    kind = "assessments"
    fields = pick(
        "cohort", "name", "national_id", "county", "township", "instrument", "dimension", "phase", "rater_role",
        "score", "date", "remark",
        required=("name", "instrument", "dimension", "phase", "score", "date"),
    )  # fmt: skip

    def resolve(
        self, rows, report, cohort: str | None = None, as_of: dt.date | None = None, **_: Any
    ) -> None:
        """Check each score as an entry would be, find its person in its cohort, plan it."""
        default = find_cohort(self.ws, cohort) if cohort else None
        if default is None and "cohort" not in self._headers:
            raise InvalidEntry(Problem.NO_COHORT_COLUMN)
        today, known = as_of or self.ws.clock().date(), instruments(self.ws)
        self._people()
        self._plan: list[dict] = []
        for pr in rows:
            if any(
                pr.values.get(k) is None
                for k in ("name", "instrument", "dimension", "phase", "score", "date")
            ):
                continue
            target = self._cohort(report, pr, default)
            if target is None:
                continue
            try:
                found = find_instrument(self.ws, pr.values["instrument"], known)
                row = check_assessment(
                    self.ws,
                    {**pr.values, "rater_role": pr.values.get("rater_role") or "training_office"},
                    found,
                    today,
                )
            except InvalidEntry as exc:
                self.refused(report, pr, exc, "score")
                continue
            pid = self.person(report, pr, among=self._member_ids(target[0]))
            if pid is not None and self._in_cohort(report, pr, pid, target):
                self._plan_score(report, pr, {**row, "person_id": pid, "cohort_id": target[0]}, found)

    def _cohort(self, report, pr, default) -> tuple | None:
        named = pr.values.get("cohort")
        if not named:
            if default is None:
                self.error(report, pr, "cohort", Problem.WHICH_COHORT)
            return default
        try:
            return find_cohort(self.ws, named)
        except InvalidEntry as exc:
            self.error(report, pr, "cohort", exc)
            return None

    def _member_ids(self, cohort_id: int) -> set[int]:
        """Everyone ever enrolled in the cohort (read once a run)."""
        if cohort_id not in self._members:
            e = TABLES["enrollment"]
            frame = self.ws.frame(sa.select(e.c.person_id).where(e.c.cohort_id == cohort_id))
            self._members[cohort_id] = set(frame["person_id"].astype(int))
        return self._members[cohort_id]

    def _in_cohort(self, report, pr, pid: int, target: tuple) -> bool:
        if pid in self._member_ids(target[0]):
            return True
        code = self.ws.frame(sa.select(TABLES["cohort"].c.code).where(TABLES["cohort"].c.id == target[0]))
        self.error(
            report,
            pr,
            "name",
            Problem.NOT_IN_COHORT,
            name=self._names.get(pid, ""),
            cohort=code["code"].iloc[0],
        )
        return False

    def _plan_score(self, report, pr, row: dict, instrument: dict) -> None:
        key = tuple(row[k] for k in ASSESSMENT_KEY)
        if self.seen(report, pr, key, "score"):
            return
        a = TABLES["assessment"]
        old = self.ws.frame(
            sa.select(a.c.id, a.c.score, a.c.date).where(*[a.c[k] == row[k] for k in ASSESSMENT_KEY])
        )
        action = (
            "new"
            if old.empty
            else "unchanged"
            if (old["score"].iloc[0], old["date"].iloc[0]) == (row["score"], row["date"])
            else "update"
        )
        report.count(action)
        role = label("rater_role", row["rater_role"], "zh") + (
            "" if pr.values.get("rater_role") else _DEFAULTED
        )
        report.plan.append(
            {
                "row": pr.row, "action": action, "name": pr.values["name"], "instrument": instrument["name"],
                "dimension": label("dimension", row["dimension"], "zh"), "phase": label("phase", row["phase"], "zh"),
                "rater_role": role, "score": row["score"],
                "was": "" if old.empty else f"{old['score'].iloc[0]:g}",
            }
        )  # fmt: skip
        self._plan.append({"action": action, "row": row, "at": len(report.plan) - 1})

    def write(self, tx, progress: Progress | None) -> None:
        """Each score saved by its key: one stored meanwhile by someone else is replaced (as a
        file replaces what is stored) and the report says which value it replaced."""
        for p in self._plan:
            row = p["row"]
            done = tx.put(
                "assessment",
                {k: row[k] for k in ASSESSMENT_KEY},
                {"score": row["score"], "date": row["date"]},
            )
            was = (done.was or {}).get("score")
            planned = self.report.plan[p["at"]].get("was")
            self.report.wrote(p["at"], done.action, planned if was is None else f"{was:g}", done.by)
        if progress:
            progress(len(self._plan), len(self._plan))


class ReviewImporter(PersonRows):
    """Frontline ratings: one row a source's rating of one arena of a chief in a period."""

    kind = "reviews"
    fields = pick(
        "name", "national_id", "county", "township", "period", "arena", "source", "level", "evidence", "date", "remark",
        required=("name", "period", "arena", "source", "level"),
    )  # fmt: skip

    def resolve(self, rows, report, as_of: dt.date | None = None, **_: Any) -> None:
        """Check each rating as the form would, find its chief, plan it."""
        self._people()
        r = TABLES["frontline_review"]
        stored = self.ws.frame(
            sa.select(
                r.c.id, r.c.person_id, r.c.period, r.c.arena, r.c.source, r.c.level, r.c.evidence, r.c.date
            )
        )
        existing = {tuple(x[k] for k in REVIEW_KEY): x for x in stored.to_dict("records")}
        self._plan = []
        for pr in rows:
            if any(pr.values.get(k) is None for k in ("name", "period", "arena", "source", "level")):
                continue
            try:
                row = check_review(pr.values, as_of or self.ws.clock().date(), self.ws.rules)
            except InvalidEntry as exc:
                self.refused(report, pr, exc, "level")
                continue
            pid = self.person(report, pr)
            if pid is None or self.seen(report, pr, (pid, *(row[k] for k in REVIEW_KEY[1:])), "rating"):
                continue
            old = existing.get((pid, *(row[k] for k in REVIEW_KEY[1:])))
            stored_row = {"level": row["level"], "evidence": row["evidence"], "date": row["date"]}
            changes = {} if old is None else {k: v for k, v in stored_row.items() if _differs(old[k], v)}
            action = "new" if old is None else "update" if changes else "unchanged"
            report.count(action)
            report.plan.append(
                {
                    "row": pr.row, "action": action, "name": pr.values["name"], "period": row["period"],
                    "arena": label("arena", row["arena"], "zh"), "source": label("review_source", row["source"], "zh"),
                    "level": row["level"], "was": "" if old is None else str(old["level"]),
                }
            )  # fmt: skip
            self._plan.append({"row": {"person_id": pid, **row}, "at": len(report.plan) - 1})

    def write(self, tx, progress: Progress | None) -> None:
        """Each rating saved by its key: one stored meanwhile by someone else is replaced (as a
        file replaces what is stored) and the report says which level it replaced."""
        for p in self._plan:
            row = p["row"]
            key = {k: row[k] for k in REVIEW_KEY}
            done = tx.put("frontline_review", key, {k: row[k] for k in ("level", "evidence", "date")})
            level = (done.was or {}).get("level")
            planned = self.report.plan[p["at"]].get("was")
            self.report.wrote(p["at"], done.action, planned if level is None else str(level), done.by)
        if progress:
            progress(len(self._plan), len(self._plan))


def _differs(old: object, new: object) -> bool:
    if old is None or (isinstance(old, float) and old != old):
        return new is not None
    if isinstance(old, pd.Timestamp):
        old = old.date()
    return old != new


class CommentImporter(PersonRows):
    """Evaluation comments: one row a comment about a chief, with the commenter's role (never a
    name); a comment already stored (same person, period, role, date and text) stays as it is."""

    kind = "comments"
    fields = pick(
        "name", "national_id", "county", "township", "period", "arena", "commenter_role", "text", "date", "remark",
        required=("name", "period", "commenter_role", "text", "date"),
    )  # fmt: skip

    def resolve(self, rows, report, as_of: dt.date | None = None, **_: Any) -> None:
        """Check each comment as the form would, find its chief, plan it."""
        self._people()
        c = TABLES["comment"]
        stored = self.ws.frame(
            sa.select(c.c.person_id, c.c.period, c.c.commenter_role, c.c.date, c.c.text), reveal_ids=True
        )
        existing = set(map(tuple, stored.to_numpy().tolist()))
        self._plan = []
        for pr in rows:
            if any(pr.values.get(k) is None for k in ("name", "period", "commenter_role", "text", "date")):
                continue
            try:
                row = check_comment(pr.values, as_of or self.ws.clock().date(), self.ws.rules)
            except InvalidEntry as exc:
                self.refused(report, pr, exc, "text")
                continue
            pid = self.person(report, pr)
            key = (pid, row["period"], row["commenter_role"], row["date"], row["text"])
            if pid is None or self.seen(report, pr, key, "comment"):
                continue
            action = "unchanged" if key in existing else "new"
            report.count(action)
            report.plan.append(
                {
                    "row": pr.row, "action": action, "name": pr.values["name"], "period": row["period"],
                    "commenter_role": label("commenter_role", row["commenter_role"], "zh"), "text": row["text"],
                }
            )  # fmt: skip
            if action == "new":
                self._plan.append({"person_id": pid, **row})

    def write(self, tx, progress: Progress | None) -> None:
        if self._plan:
            tx.insert("comment", self._plan)
        if progress:
            progress(len(self._plan), len(self._plan))
