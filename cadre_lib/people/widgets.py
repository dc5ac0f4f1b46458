"""People widgets: the roster import (choose a file, read the check, confirm) and the cohort list;
and what every form about one chief shares (a typed date, the chiefs to choose from, the answer)."""

from __future__ import annotations

import datetime as dt

import traitlets as T

from ..core.codes import label
from ..core.errors import CadreError, InvalidEntry
from ..core.normalize import parse_date
from ..core.widgets import ImportModel, ImportWidget, WorkspaceModel
from ..core.workspace import Workspace
from ._cohorts import cohorts
from ._directory import chiefs
from ._roster import RosterImporter

__all__ = ["cohort_options", "roster_import", "typed_day", "chief_options", "answer", "ChiefFormModel"]


def cohort_options(ws: Workspace) -> list[tuple[str, str]]:
    """(label, code) of every cohort, oldest first, for a dropdown."""
    return [(f"{r.code} — {r.name}", r.code) for r in cohorts(ws).itertuples()]


def roster_import(ws: Workspace, cohort: str | None = None, as_of: dt.date | None = None) -> ImportWidget:
    """The roster import widget: people found in the file are enrolled in `cohort` from `as_of`
    (does not display it)."""
    return ImportWidget(ImportModel(ws, RosterImporter, cohort, as_of), cohort_options(ws))


def typed_day(text: str) -> dt.date:
    """A date typed in a form (2026-06-01, 2026.6.1, 2026年6月1日), with its day."""
    try:
        parsed = parse_date(text)
    except InvalidEntry as exc:
        raise CadreError(f"日期 date: {exc}") from None
    if parsed is None or not parsed[1]:
        raise CadreError(
            "请填写日期，须写到日，例如2026-06-01 fill in the date with its day, e.g. 2026-06-01"
        )
    return parsed[0]


def chief_options(ws: Workspace, as_of: dt.date) -> list[tuple[str, int]]:
    """(县 乡镇 职务 姓名, person_id) of the township chiefs in post on `as_of`, by place."""
    rows = chiefs(ws, as_of).drop_duplicates("person_id")
    return [
        (f"{r.county} {r.township} {label('post', r.post, 'zh')} {r.name}", int(r.person_id))
        for r in rows.itertuples()
    ]


def answer(saved: list) -> str:
    """What a save did, counted, Chinese first; the entries themselves when there are few, and
    every entry someone else saved first (not overwritten: theirs stands)."""
    counts = {k: sum(s.action == k for s in saved) for k in ("new", "update", "unchanged")}
    zh = f"已保存：新增{counts['new']}项，更新{counts['update']}项，未变化{counts['unchanged']}项。"
    en = f"Saved: {counts['new']} new, {counts['update']} updated, {counts['unchanged']} unchanged."
    if 0 < len(saved) <= 3:
        return " ".join(s.message() for s in saved)
    conflicts = [s.message() for s in saved if s.action == "conflict"]
    return " ".join(
        [f"{zh} {en}", *conflicts[:8], *([f"…（另{len(conflicts) - 8}项）"] if len(conflicts) > 8 else [])]
    )


class ChiefFormModel(WorkspaceModel):
    """What a form about one chief holds: the chief (from those in post on the as-of date), the
    date typed (the as-of date to start with), the review period if the form has one, and its
    answer (`message`, `ok`)."""

    watches = frozenset({"post_tenure"})
    person_id = T.Int(0)
    date = T.Unicode("")
    people = T.List()
    message = T.Unicode("")
    ok = T.Bool(True)

    def __init__(self, ws: Workspace, period: str | None, as_of: dt.date):
        super().__init__()
        self.ws, self.period, self.as_of = ws, period, as_of
        self.date = f"{as_of:%Y-%m-%d}"
        self.reload()
        self.follow(ws)

    def reload(self) -> None:
        self.people = chief_options(self.ws, self.as_of)
