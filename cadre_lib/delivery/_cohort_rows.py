"""What the schedule and sign-in importers share: each row's cohort, named in it or chosen for the file."""

from __future__ import annotations

import datetime as dt

from ..core.errors import InvalidEntry
from ..core.import_report import ImportReport
from ..core.importing import Importer, ParsedRow
from ..core.problems import Problem
from ..people import find_cohort

__all__ = ["CohortRows"]


class CohortRows(Importer):
    """Importers whose rows name their cohort in a column, or take the one chosen for the file."""

    def cohort_for_file(self, cohort: str | None) -> tuple[int, dt.date] | None:
        """The cohort chosen for the whole file; refused in one message when the file has no
        培训项目 column and none was chosen (rather than the same error on every row)."""
        default = find_cohort(self.ws, cohort)
        if default is None and "cohort" not in self._headers:
            raise InvalidEntry(Problem.NO_COHORT_COLUMN)
        return default

    def row_cohort(self, report: ImportReport, pr: ParsedRow, default: tuple | None) -> tuple | None:
        """(cohort id, start date) of a row, or None after reporting why there is none."""
        named = pr.values.get("cohort")
        if not named:
            if default is None:
                self.error(report, pr, "cohort", Problem.WHICH_COHORT)
            return default
        cache = self.__dict__.setdefault("_cohorts", {})
        if named not in cache:
            try:
                cache[named] = find_cohort(self.ws, named)
            except InvalidEntry as exc:
                cache[named] = exc
        if isinstance(cache[named], InvalidEntry):
            self.error(report, pr, "cohort", cache[named])
            return None
        return cache[named]
