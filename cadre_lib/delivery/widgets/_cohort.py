"""The cohort picker: choose a cohort, see its summary table and participants-by-county chart."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as W
import pandas as pd
import traitlets as T

from ... import people
from ...core.codes import for_display
from ...core.errors import some_of
from ...core.plots import figure_png, text
from ...core.widgets import Choice, WorkspaceModel
from ...core.workspace import Workspace
from .._analysis import cohort_summary
from .._attendance import cohort_attendance
from .._sessions import cohort_sessions

__all__ = ["CohortPickerModel", "CohortPicker", "cohort_picker"]


class CohortPickerModel(WorkspaceModel):
    """Which cohort is chosen, and its summary and county breakdown as of a date; both follow
    every save to the workspace."""

    watches = frozenset({"cohort", "enrollment", "session", "attendance", "post_tenure"})
    cohort = T.Unicode()
    choices = T.List(T.Unicode(), read_only=True)
    summary = T.Instance(pd.DataFrame, allow_none=True)
    by_county = T.Instance(pd.DataFrame, allow_none=True)

    def __init__(self, ws: Workspace, as_of: dt.date, cohort: str | None = None):
        super().__init__()
        self.ws, self.as_of = ws, as_of
        self._read_cohorts()
        if not self.choices:
            raise ValueError(
                "工作区中还没有培训项目 the workspace has no cohorts yet: import a roster or build the demo first"
            )
        self.cohort = cohort or self.choices[0]
        if self.summary is None:  # the first value did not trigger a change
            self.reload()
        self.follow(ws)

    def title(self, code: str | None = None) -> str:
        """'code — name' of a cohort, as shown in the picker."""
        row = self.cohort_table.set_index("code").loc[code or self.cohort]
        return f"{code or self.cohort} — {row['name']}"

    @T.validate("cohort")
    def _known(self, proposal: dict) -> str:
        if proposal["value"] not in self.choices:
            raise T.TraitError(
                f"工作区中没有该培训项目 no cohort {proposal['value']!r} in this workspace; choose one of "
                f"{some_of(list(self.choices), proposal['value'])}"
            )
        return proposal["value"]

    @T.observe("cohort")
    def _refresh(self, _change: dict) -> None:
        self._read_figures()

    def _read_cohorts(self) -> None:
        self.cohort_table = people.cohorts(self.ws, enrolled=False)
        choices = self.cohort_table["code"].tolist()
        if choices != self.choices:  # thousands in a national workspace: validated only on change
            self.set_trait("choices", choices)

    def _workspace_changed(self, tables: frozenset[str]) -> None:
        # A mark or an enrolment saved changes the figures; only a cohort saved changes the list.
        if "cohort" in tables:
            self._read_cohorts()
        if tables & self.watches:
            self._read_figures()

    def reload(self) -> None:
        """Read the cohorts (one may have been added) and the chosen one's figures again."""
        self._read_cohorts()
        self._read_figures()

    def _read_figures(self) -> None:
        members = people.cohort_members(self.ws, self.cohort, as_of=self.as_of)
        self.by_county = people.members_by_county(members)
        sessions, attendance = cohort_sessions(self.ws, self.cohort), cohort_attendance(self.ws, self.cohort)
        end = self.cohort_table.set_index("code")["end_date"].get(self.cohort)
        self.summary = cohort_summary(members, sessions, attendance, self.as_of, end)


class CohortPicker(W.VBox):
    """Dropdown of cohorts over the chosen cohort's summary table and participants-by-county chart."""

    def __init__(self, model: CohortPickerModel):
        self.model = model
        self.cohort = W.Dropdown(
            description="培训项目 Cohort",
            style={"description_width": "initial"},
            layout=W.Layout(width="32em"),
        )
        self._cohort_choice = Choice(self.cohort, model, "cohort", self._options())
        model.observe(lambda _c: self._cohort_choice.set_options(self._options()), names="choices")
        self.summary = W.HTML(layout=W.Layout(min_width="26em"))
        self.summary.add_class("cadre-cohort-summary")
        self.chart = W.Image(format="png", layout=W.Layout(max_width="640px"))
        super().__init__([self.cohort, W.HBox([self.summary, self.chart])])
        self.add_class("cadre-cohort-picker")
        model.observe(self._render, names="summary")
        self._render()

    def _options(self) -> list[tuple[str, str]]:
        return [(self.model.title(c), c) for c in self.model.choices]

    def _render(self, _change: dict | None = None) -> None:
        m = self.model
        title = f"<b>{html.escape(m.title())}</b> · 截至 as of {m.as_of.isoformat()}"
        self.summary.value = title + for_display(m.summary).to_html(index=False, border=0)
        ax = people.plot_members_by_county(m.by_county, title=text("参训人员分布", "Participants by county"))
        self.chart.value = figure_png(ax.figure)

    def __repr__(self) -> str:
        return f"CohortPicker(cohort={self.model.cohort!r}, as_of={self.model.as_of.isoformat()!r})"


def cohort_picker(ws: Workspace, as_of: dt.date, cohort: str | None = None) -> CohortPicker:
    """A ready cohort picker over a workspace (does not display it).

    >>> # picker = cohort_picker(ws, dt.date(2026, 11, 30), "SHXF"); picker
    """
    return CohortPicker(CohortPickerModel(ws, as_of, cohort))
