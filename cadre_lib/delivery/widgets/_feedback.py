"""The feedback form: one participant's rating of one session (Kirkpatrick level 1)."""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import pandas as pd
import traitlets as T

from ...core.errors import CadreError
from ...core.widgets import Choice, WorkspaceModel, bind, status_html
from ...core.workspace import Workspace
from .._analysis import held_sessions
from .._feedback import eligible_raters, record_feedback
from .._sessions import cohort_sessions

__all__ = ["FeedbackModel", "FeedbackForm", "feedback_form"]


class FeedbackModel(WorkspaceModel):
    """The form's state: the session held by the as-of date, who rates it (only those who came),
    two 1-5 ratings and a comment. `message` says what was saved or why not."""

    watches = frozenset({"session", "attendance", "enrollment"})
    sessions = T.Instance(pd.DataFrame)
    session_id = T.Int(0)
    raters = T.List()  # (name, person_id) of those who may rate the session
    person_id = T.Int(0)
    usefulness = T.Int(None, allow_none=True)
    relevance = T.Int(None, allow_none=True)
    comment = T.Unicode("")
    message = T.Unicode("")
    ok = T.Bool(True)

    def __init__(self, ws: Workspace, cohort: str, as_of: dt.date):
        super().__init__()
        self.ws, self.cohort, self.as_of = ws, cohort, as_of
        self.sessions = held_sessions(cohort_sessions(ws, cohort), as_of)
        if self.sessions.empty:
            raise CadreError(f"截至{as_of}，{cohort} 尚未开课 cohort {cohort} has held no session by {as_of}")
        self.session_id = int(self.sessions["id"].iloc[-1])
        self.follow(ws)

    @T.observe("session_id")
    def _session_chosen(self, _change: dict) -> None:
        self.raters = self.people()
        self.person_id = 0

    def reload(self) -> None:
        self.sessions = held_sessions(cohort_sessions(self.ws, self.cohort), self.as_of)
        self.raters = self.people()

    def people(self) -> list[tuple[str, int]]:
        """Who can rate the chosen session: those who attended it."""
        return [(name, pid) for pid, name in eligible_raters(self.ws, self.session_id).items()]

    def save(self, person_id=None, usefulness=None, relevance=None, comment=None) -> bool:
        """Save the rating in the form (or the one given); the form is cleared once it is saved."""
        person_id = person_id if person_id is not None else self.person_id
        usefulness = usefulness if usefulness is not None else self.usefulness
        relevance = relevance if relevance is not None else self.relevance
        comment = comment if comment is not None else self.comment
        if not person_id:
            self.ok, self.message = False, "未保存：请选择学员。Not saved: choose who is rating."
            return False
        if not usefulness or not relevance:
            self.ok, self.message = (
                False,
                "未保存：请为两项评分（1-5）。Not saved: rate both usefulness and relevance, 1 to 5.",
            )
            return False
        try:
            record_feedback(self.ws, self.session_id, person_id, usefulness, relevance, comment)
        except CadreError as exc:
            self.ok, self.message = False, f"未保存 Not saved: {exc}"
            return False
        name = dict((p, n) for n, p in self.raters).get(person_id, person_id)
        self.usefulness = self.relevance = None
        self.comment = ""
        self.ok = True
        self.message = (
            f"已保存 {name} 的评价。Saved {name}'s rating: usefulness {usefulness}, relevance {relevance}."
        )
        return True


class FeedbackForm(W.VBox):
    """Session, participant, two 1-5 ratings and a comment."""

    def __init__(self, model: FeedbackModel):
        self.model = model
        wide = {"description_width": "initial"}
        scale = [(str(k), k) for k in range(1, 6)]
        self.session = W.Dropdown(description="课次 Session", layout=W.Layout(width="36em"), style=wide)
        self.person = W.Dropdown(description="学员 Participant", style=wide)
        self.usefulness = W.ToggleButtons(
            options=scale, value=None, description="有用 Useful", style={"button_width": "2.5em"}
        )
        self.relevance = W.ToggleButtons(
            options=scale, value=None, description="切题 Relevant", style={"button_width": "2.5em"}
        )
        self.comment = W.Text(description="意见 Comment", style=wide)
        self.save_button = W.Button(description="保存 Save", button_style="primary")
        self.message = W.HTML()
        self._session_choice = Choice(self.session, model, "session_id", self._session_options())
        self._person_choice = Choice(self.person, model, "person_id", self._people_options())
        for name in ("usefulness", "relevance", "comment"):
            bind(model, name, getattr(self, name))
        self.save_button.on_click(lambda _b: model.save())
        model.observe(self._sessions, names="sessions")
        model.observe(self._people, names="raters")
        model.observe(self._render, names="message")
        controls = [
            self.session,
            self.person,
            self.usefulness,
            self.relevance,
            self.comment,
            self.save_button,
        ]
        super().__init__([*controls, self.message])
        self.add_class("cadre-feedback")

    def _session_options(self) -> list[tuple[str, int]]:
        return [(f"{r.date} · {r.topic}", int(r.id)) for r in self.model.sessions.itertuples()]

    def _people_options(self) -> list[tuple[str, int]]:
        return [("（选择）choose", 0), *self.model.raters]

    def _sessions(self, _change: dict | None = None) -> None:
        self._session_choice.set_options(self._session_options())

    def _people(self, _change: dict | None = None) -> None:
        self._person_choice.set_options(self._people_options())

    def _render(self, _change: dict | None = None) -> None:
        self.message.value = status_html(self.model.ok, self.model.message)

    def __repr__(self) -> str:
        return f"FeedbackForm(cohort={self.model.cohort!r})"


def feedback_form(ws: Workspace, cohort: str, as_of: dt.date) -> FeedbackForm:
    """The session feedback form of a cohort (does not display it)."""
    return FeedbackForm(FeedbackModel(ws, cohort, as_of))
