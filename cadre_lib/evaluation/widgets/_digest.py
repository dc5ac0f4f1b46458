"""A chief's evaluation on a page: the review classification, the arenas, the comments."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as W
import pandas as pd
import traitlets as T

from ...core.codes import for_display
from ...core.ids import shown as shown_text
from ...core.widgets import WorkspaceModel
from ...core.workspace import Workspace
from ...people.widgets import ChiefChooser, chief_roster
from .._digest import Digest, person_digest
from .._themes import themes_for

__all__ = ["DigestModel", "DigestView", "digest_view"]


class DigestModel(WorkspaceModel):
    """The chosen chief's digest of a period, rebuilt when a review or comment is saved."""

    watches = frozenset({"frontline_review", "comment", "post_tenure"})
    person_id = T.Int(0)
    roster = T.Instance(pd.DataFrame)  # see `chief_roster`
    digest = T.Instance(Digest, allow_none=True)

    def __init__(self, ws: Workspace, period: str, as_of: dt.date, person_id: int | None = None):
        super().__init__()
        self.ws, self.period, self.as_of = ws, period, as_of
        self.roster = chief_roster(ws, as_of)
        if person_id:
            self.person_id = person_id
        self.follow(ws)

    @T.observe("person_id")
    def _chosen(self, _change: dict) -> None:
        self.reload()

    def reload(self) -> None:
        self.roster = chief_roster(self.ws, self.as_of)
        self.digest = (
            person_digest(self.ws, self.person_id, self.period, self.as_of, themes_for(self.ws))
            if self.person_id
            else None
        )


class DigestView(W.VBox):
    """A chief to choose, and their digest: in words, the arenas, and the comments."""

    def __init__(self, model: DigestModel):
        self.model = model
        self.chooser = ChiefChooser(model, "干部 Chief")
        self.person = self.chooser.person
        self.page = W.HTML()
        model.observe(self._render, names="digest")
        super().__init__([self.chooser, self.page])
        self.add_class("cadre-digest")
        self._render()

    def _render(self, _change: dict | None = None) -> None:
        d = self.model.digest
        if d is None:
            self.page.value = "<i>请选择一名干部 choose a chief</i>"
            return
        parts = [f"<p>{html.escape(shown_text(d.text()))}</p>"]
        if not d.arenas.empty:
            arenas = for_display(d.arenas, columns=["arena", "look", "hear", "ask", "mean", "flagged"])
            parts.append(arenas.to_html(index=False, border=0, na_rep="", escape=True))
        if not d.comments.empty:
            shown = d.comments.assign(themes=d.comments["themes"].map(lambda v: _theme_words(self.model, v)))
            table = for_display(shown, columns=["date", "commenter_role", "arena", "text", "themes", "tone"])
            parts.append(table.to_html(index=False, border=0, na_rep="", escape=True))
        self.page.value = "".join(parts)

    def __repr__(self) -> str:
        return f"DigestView(period={self.model.period!r})"


def _theme_words(model: DigestModel, codes: str) -> str:
    themes = themes_for(model.ws)
    return "、".join(themes.label(c, "zh") for c in codes.split(",") if c)


def digest_view(ws: Workspace, period: str, as_of: dt.date, person_id: int | None = None) -> DigestView:
    """A chief's evaluation digest of a period (does not display it)."""
    return DigestView(DigestModel(ws, period, as_of, person_id))
