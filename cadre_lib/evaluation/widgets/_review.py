"""The frontline review form: one arena of one chief, rated by each source (看, 听, 问)."""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import traitlets as T

from ...core.codes import codes, for_display, label
from ...core.errors import CadreError
from ...core.widgets import bind, show_choice, status_html
from ...core.workspace import Workspace
from ...people.widgets import ChiefForm, ChiefFormModel, answer, typed_day
from .._reviews import arena_levels, rating_versions, record_ratings, reviews

__all__ = ["ReviewModel", "ReviewForm", "review_form"]

SOURCES = codes("review_source")
LEVEL_OPTIONS = [("（未评）not rated", "")] + [
    (f"{k} {label('level', k)}", k) for k in ("5", "4", "3", "2", "1")
]


def _text(value: object) -> str:
    """A stored text as a box shows it: a missing one is empty."""
    return value if isinstance(value, str) else ""


class ReviewModel(ChiefFormModel):
    """The form's state: the chief, the arena, each source's level ('' for none) and evidence,
    and the date; it shows what is stored for that chief and `message` says what was saved.

    The form remembers the versions of the ratings it showed when the chief and arena were chosen
    and keeps what the trainer typed while other saves reload it: its save names those versions,
    so a rating another office saved meanwhile is never overwritten; the trainer is told whose
    rating stands."""

    watches = frozenset({"frontline_review", "post_tenure"})
    arena = T.Unicode(codes("arena")[0])
    levels = T.Dict()  # source -> "1".."5" or ""
    evidence = T.Dict()  # source -> text

    def reload(self) -> None:
        super().reload()
        if not getattr(self, "_edited", False):
            self._stored()

    @T.observe("person_id", "arena")
    def _chosen(self, _change: dict) -> None:
        self._stored()

    @T.observe("levels", "evidence")
    def _edit(self, _change: dict) -> None:
        if not getattr(self, "_loading", False):
            self._edited = True

    def stored(self):
        """The chosen chief's ratings of the period, one row per arena (`arena_levels`)."""
        own = reviews(self.ws, self.period, self.as_of)
        own = own[own["person_id"] == self.person_id]
        return arena_levels(own, self.ws.rules.frontline["disagreement_levels"])

    def _stored(self) -> None:
        own = reviews(self.ws, self.period, self.as_of)
        own = own[(own["person_id"] == self.person_id) & (own["arena"] == self.arena)].set_index("source")
        self._loading, self._edited = True, False
        try:
            self._made_on = rating_versions(self.ws, self.person_id, self.period, self.arena)
            self.levels = {s: str(int(own.loc[s, "level"])) if s in own.index else "" for s in SOURCES}
            self.evidence = {s: _text(own.loc[s, "evidence"]) if s in own.index else "" for s in SOURCES}
        finally:
            self._loading = False

    def latest(self, person_id: int) -> str:
        """Which arenas of the period the chief is rated in, for the chooser's card."""
        rated = reviews(self.ws, self.period, self.as_of)
        arenas = rated.loc[rated["person_id"] == person_id, "arena"].unique() if not rated.empty else []
        done = "、".join(label("arena", a, "zh") for a in arenas) or "无"
        return f"本考察期已评领域：{done}（{len(arenas)}/5） arenas rated this period: {len(arenas)} of 5"

    def save(self) -> bool:
        """Save the arena's ratings in the form, all or none (a rating saved meanwhile by someone
        else excepted: it stands, and the answer says so)."""
        if not self.person_id:
            self.ok, self.message = False, "未保存：请选择考察对象。Not saved: choose the chief."
            return False
        ratings = {s: (self.levels.get(s, ""), self.evidence.get(s) or None) for s in SOURCES}
        if not any(level for level, _e in ratings.values()):
            self.ok, self.message = (
                False,
                "未保存：请至少选择一种方式的等次。Not saved: choose a level for a source.",
            )
            return False
        try:
            saved = record_ratings(
                self.ws, self.person_id, self.period, self.arena, ratings, typed_day(self.date),
                as_of=self.as_of, versions={s: self._made_on.get(s) for s in SOURCES},
            )  # fmt: skip
        except CadreError as exc:
            text = str(exc)
            self.ok, self.message = False, text if text.startswith("未保存") else f"未保存 Not saved: {text}"
            return False
        self._stored()  # what stands now: ours, or theirs where they saved first
        self.ok, self.message = (
            not any(s.action == "conflict" for s in saved),
            answer(saved) + self._warning(),
        )
        return True

    def _warning(self) -> str:
        """A note when the arena's sources now differ by the rules' disagreement levels or more."""
        flagged = self.stored()
        flagged = flagged[(flagged["arena"] == self.arena) & flagged["flagged"]]
        if flagged.empty:
            return ""
        n = self.ws.rules.frontline["disagreement_levels"]
        return (
            f" 注意：看、听、问的等次相差{n}级及以上，请核实。 Note: the sources differ by {n} levels or more; "
            "check them."
        )


class ReviewForm(ChiefForm):
    """Chief and arena, then one line per source: its level and its evidence; and what is stored."""

    def __init__(self, model: ReviewModel):
        style = {"description_width": "8em"}
        self.arena = W.Dropdown(
            options=[(label("arena", a), a) for a in codes("arena")], description="领域 Arena", style=style
        )
        self.level = {
            s: W.Dropdown(
                options=LEVEL_OPTIONS,
                description=label("review_source", s, "zh").split("（")[0] + " " + s,
                style=style,
            )
            for s in SOURCES
        }
        self.evidence = {
            s: W.Text(placeholder="佐证 evidence", layout=W.Layout(width="30em")) for s in SOURCES
        }
        self.date = W.Text(description="考察日期 Date", style=style)
        self.listing = W.HTML()
        bind(model, "arena", self.arena)
        bind(model, "date", self.date)
        for s in SOURCES:
            self.level[s].observe(lambda ch, s=s: self._set("levels", s, ch["new"]), names="value")
            self.evidence[s].observe(lambda ch, s=s: self._set("evidence", s, ch["new"]), names="value")
        model.observe(self._show, names=["levels", "evidence"])
        model.observe(self._render, names="person_id")
        rows = [W.HBox([self.level[s], self.evidence[s]]) for s in SOURCES]
        controls = [self.arena, *rows, self.date]
        super().__init__(model, "考察对象 Chief", controls, after=(self.listing,), css="cadre-review")
        self._show()

    def _set(self, name: str, source: str, value: str | None) -> None:
        if value is None:  # a level no option offers, shown blank: the model keeps it
            return
        current = getattr(self.model, name)
        if current.get(source, "") != (value or ""):
            setattr(self.model, name, {**current, source: value or ""})

    def _show(self, _change: dict | None = None) -> None:
        for s in SOURCES:
            show_choice(self.level[s], self.model.levels.get(s, ""))
            self.evidence[s].value = self.model.evidence.get(s, "")

    def _render(self, _change: dict | None = None) -> None:
        self.message.value = status_html(self.model.ok, self.model.message)
        stored = self.model.stored() if self.model.person_id else None
        if stored is None or stored.empty:
            self.listing.value = ""
            return
        shown = for_display(stored, columns=["arena", *SOURCES, "mean", "flagged"])
        self.listing.value = "<b>已录入 Stored</b>" + shown.to_html(
            index=False, border=0, na_rep="", escape=True
        )

    def __repr__(self) -> str:
        return f"ReviewForm(period={self.model.period!r})"


def review_form(ws: Workspace, period: str, as_of: dt.date) -> ReviewForm:
    """The frontline review form of a period (does not display it)."""
    return ReviewForm(ReviewModel(ws, period, as_of))
