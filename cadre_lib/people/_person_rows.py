"""The base of the importers whose rows are about people already in the workspace."""

from __future__ import annotations

import sqlalchemy as sa

from ..core.errors import InvalidEntry
from ..core.fields import unit_keys
from ..core.ids import mask_national_id
from ..core.import_report import ImportReport
from ..core.importing import Importer, ParsedRow, suggest
from ..core.normalize import clean_header
from ..core.problems import Problem
from ..core.schema import TABLES
from ._directory import place_on, tenures

__all__ = ["PersonRows"]


class PersonRows(Importer):
    """An importer whose rows are about a person already in the workspace (scores, ratings,
    comments, talks, outcomes): finding each row's person by ID number, else by name (the
    township tells namesakes apart); reporting a check's refusal on its column; and refusing the
    same entry twice in one file."""

    def _people(self, only: set[int] | None = None) -> None:
        """Who the workspace holds, read once a run; and a fresh start for the run's other state
        (an importer that checked a file and then imports it must not find every row twice)."""
        self._seen: dict[tuple, int] = {}
        self._members: dict[int, set[int]] = {}
        p = TABLES["person"]
        frame = self.ws.frame(sa.select(p.c.id, p.c.name, p.c.national_id), reveal_ids=True)
        if only is not None:
            frame = frame[frame["id"].isin(only)]
        places = place_on(tenures(self.ws), None)["township"]
        self._by_id = {nid: int(i) for i, nid in zip(frame["id"], frame["national_id"], strict=True) if nid}
        self._by_name: dict[str, list[int]] = {}
        for i, name in zip(frame["id"], frame["name"], strict=True):
            self._by_name.setdefault(name, []).append(int(i))
        self._township = {int(i): unit_keys(t, "") for i, t in places.items() if isinstance(t, str)}
        self._names = dict(zip(frame["id"].astype(int), frame["name"], strict=True))

    def person(self, report: ImportReport, pr: ParsedRow, among: set[int] | None = None) -> int | None:
        """The row's person (by ID, else by name and township), or None after reporting why.
        `among`: the people a name is looked for first (a cohort's members), so that a namesake
        elsewhere in the workspace does not make a member's name ambiguous."""
        v = pr.values
        if v.get("national_id"):
            pid = self._by_id.get(v["national_id"][0])
            if pid is None:
                shown = mask_national_id(v["national_id"][0])
                self.error(report, pr, "national_id", Problem.UNKNOWN_PERSON, value=shown, suggestion="")
            return pid
        found = self._by_name.get(v["name"], [])
        if among is not None and any(p in among for p in found):
            found = [p for p in found if p in among]
        if len(found) > 1 and v.get("township"):
            found = [p for p in found if clean_header(v["township"]) in self._township.get(p, set())]
        if len(found) == 1:
            return found[0]
        if not found:
            hint = suggest(v["name"], list(self._by_name))
            self.error(report, pr, "name", Problem.UNKNOWN_PERSON, value=v["name"], suggestion=hint)
        else:
            self.error(report, pr, "name", Problem.SAME_NAME_PERSON, value=v["name"], count=len(found))
        return None

    def refused(self, report: ImportReport, pr: ParsedRow, exc: InvalidEntry, default: str) -> None:
        """A check's refusal, on the column of the field it names (when the file has it)."""
        key = exc.field if exc.field in self._headers else default
        self.error(report, pr, key, exc)

    def seen(self, report: ImportReport, pr: ParsedRow, key: tuple, what: str) -> bool:
        """True (and reported) when the same entry is already on an earlier row of the file."""
        earlier = self._seen
        if key in earlier:
            self.error(report, pr, "name", Problem.DUPLICATE_ENTRY, row=earlier[key], what=what)
            return True
        earlier[key] = pr.row
        return False
