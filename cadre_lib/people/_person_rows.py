"""The base of the importers whose rows are about people already in the workspace."""

from __future__ import annotations

import datetime as dt

from ..core.errors import InvalidEntry
from ..core.import_report import ImportReport
from ..core.importing import Importer, ParsedRow
from ..core.problems import Problem
from ._identity import Directory

__all__ = ["PersonRows"]


class PersonRows(Importer):
    """An importer whose rows are about a person already in the workspace (scores, ratings,
    comments, talks, outcomes): finding each row's person, every identifying column it gives
    (name, ID number, township, county) agreeing, or the row is refused naming both people;
    reporting a check's refusal on its column; and refusing the same entry twice in one file."""

    def _people(self, only: set[int] | None = None) -> None:
        """Who the workspace holds, read once a run; and a fresh start for the run's other state
        (an importer that checked a file and then imports it must not find every row twice)."""
        self._seen: dict[tuple, int] = {}
        self._members: dict[int, set[int]] = {}
        self.directory = Directory(self.ws, only)
        self._names = self.directory.names

    def person(
        self, report: ImportReport, pr: ParsedRow, among: set[int] | None = None, day: dt.date | None = None
    ) -> int | None:
        """The row's person, or None after reporting why (see `people.Directory.find`): by ID,
        else by name and place, each column given agreeing with the others. `among`: the people
        a name is looked for first (a cohort's members); `day`: the day the row is about (its
        date, when it has one), on which a township or county given must be theirs."""
        when = day if day is not None else pr.values.get("date")
        try:
            return self.directory.find(pr.values, when if isinstance(when, dt.date) else None, among)
        except InvalidEntry as exc:
            self.refused(report, pr, exc, "name")
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
