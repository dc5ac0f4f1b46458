"""The score sheet: one test's scores for a cohort, entered in a column and saved all or none."""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import pandas as pd
import traitlets as T

from ...core.codes import codes, label
from ...core.errors import CadreError
from ...core.widgets import Choice, WorkspaceModel, bind, status_html
from ...core.workspace import Workspace
from ...people import cohort_members
from ...people.widgets import answer, typed_day
from .._assessments import assessments, record_scores, score_versions
from .._instruments import instruments

__all__ = ["ScoreSheetModel", "ScoreSheet", "score_sheet"]


class ScoreSheetModel(WorkspaceModel):
    """The sheet's state: which test (instrument, dimension, phase, rater role, date), the
    cohort's members by the as-of date, and the scores typed ({person_id: text}), shown with
    those already stored for that test. `message` says what was saved or why not.

    A score typed remembers the version of the stored score it replaces (None: there was none),
    and keeps it while the sheet reloads after other saves: the save names it, so a score another
    office saved meanwhile is never overwritten; the trainer is told whose score stands."""

    watches = frozenset({"assessment", "instrument", "enrollment"})
    instruments = T.Instance(pd.DataFrame)
    instrument = T.Unicode("")
    dimension = T.Unicode("")
    phase = T.Unicode("pre")
    rater_role = T.Unicode("training_office")
    date = T.Unicode("")
    members = T.List()  # (name, person_id)
    scores = T.Dict()
    versions = T.Dict()  # {person_id: version} of the stored scores of the chosen test
    message = T.Unicode("")
    ok = T.Bool(True)

    def __init__(self, ws: Workspace, cohort: str, as_of: dt.date):
        super().__init__()
        self.ws, self.cohort, self.as_of = ws, cohort, as_of
        self._texts: dict[int, str] = {}  # the stored scores as the sheet shows them
        self._pending: dict[int, int | None] = {}  # typed, not saved: the version each was made on
        self._loading = False
        self.instruments = instruments(ws)
        if self.instruments.empty:
            raise CadreError("尚未设置测评工具 no assessment instrument is declared: declare one first")
        self.date = f"{as_of:%Y-%m-%d}"
        self.instrument = str(self.instruments["code"].iloc[0])
        self.reload()
        self.follow(ws)

    def _chosen(self):
        """The chosen instrument's row, or None when no declared instrument has that code (the
        save then says so)."""
        found = self.instruments[self.instruments["code"] == self.instrument]
        return None if found.empty else found.iloc[0]

    def dimensions(self) -> list[str]:
        """The dimensions the chosen instrument measures."""
        row = self._chosen()
        return [d for d in ("" if row is None else row["dimensions"]).split(",") if d] or list(
            codes("dimension")
        )

    def scale(self) -> tuple[float, float] | None:
        row = self._chosen()
        return None if row is None else (float(row["scale_min"]), float(row["scale_max"]))

    def _keep_dimension(self) -> None:
        if self.dimension not in self.dimensions():
            self.dimension = self.dimensions()[0]

    @T.observe("instrument")
    def _instrument(self, _change: dict) -> None:
        self._pending = {}
        self._keep_dimension()
        self._stored()

    @T.observe("dimension", "phase", "rater_role")
    def _test(self, _change: dict) -> None:
        self._pending = {}  # scores typed for another test are not this one's
        self._stored()

    @T.observe("scores")
    def _typed(self, change: dict) -> None:
        if self._loading:
            return
        for pid, text in change["new"].items():
            if pid not in self._pending and text != self._texts.get(pid, ""):
                self._pending[pid] = self.versions.get(pid)

    def reload(self) -> None:
        self.instruments = instruments(self.ws)
        members = cohort_members(self.ws, self.cohort, as_of=self.as_of)
        self.members = [(r.name, int(r.person_id)) for r in members.itertuples()]
        self._keep_dimension()
        self._stored()

    def _stored(self) -> None:
        """The scores already stored for the chosen test, as the sheet shows them."""
        if not self.dimension:
            return
        s = assessments(self.ws, self.cohort)
        s = s[
            (s["instrument"] == self.instrument)
            & (s["dimension"] == self.dimension)
            & (s["phase"] == self.phase)
            & (s["rater_role"] == self.rater_role)
        ]
        self._texts = {int(p): f"{v:g}" for p, v in zip(s["person_id"], s["score"], strict=True)}
        kept = {pid: self.scores.get(pid, "") for pid in self._pending}
        self._loading = True
        try:
            self.versions = score_versions(
                self.ws, self.cohort, instrument=self.instrument, dimension=self.dimension, phase=self.phase,
                rater_role=self.rater_role,
            )  # fmt: skip
            self.scores = {**self._texts, **kept}
        finally:
            self._loading = False

    def stored_count(self) -> int:
        return len(self.scores)

    def save(self, scores: dict | None = None) -> bool:
        """Save the scores typed (or those given, {person_id: score}); all or none, except that a
        score someone else saved since it was typed is left as theirs, and said so."""
        if scores is None:
            scores, versions = {pid: self.scores.get(pid, "") for pid in self._pending}, dict(self._pending)
        else:
            versions = {pid: self.versions.get(pid) for pid in scores}
        try:
            saved = record_scores(
                self.ws,
                self.cohort,
                scores,
                instrument=self.instrument,
                dimension=self.dimension,
                phase=self.phase,
                date=typed_day(self.date),
                rater_role=self.rater_role,
                as_of=self.as_of,
                versions=versions,
            )
        except CadreError as exc:
            text = str(exc)
            self.ok, self.message = False, text if text.startswith("未保存") else f"未保存 Not saved: {text}"
            return False
        self._pending = {}
        self._stored()  # what stands now: ours, or theirs where they saved first
        self.ok = not any(s.action == "conflict" for s in saved)
        self.message = answer(saved) if saved else "没有可保存的成绩 no score typed to save."
        return True


class ScoreSheet(W.VBox):
    """Instrument, dimension, phase, rater role and date above a column of score boxes."""

    def __init__(self, model: ScoreSheetModel):
        self.model = model
        style = {"description_width": "7em"}
        self.instrument = W.Dropdown(
            description="测评工具 Instrument", style=style, layout=W.Layout(width="30em")
        )
        self.dimension = W.Dropdown(description="维度 Dimension", style=style)
        self.phase = W.Dropdown(
            options=[(label("phase", p), p) for p in codes("phase")], description="阶段 Phase", style=style
        )
        self.rater_role = W.Dropdown(
            options=[(label("rater_role", r), r) for r in codes("rater_role")],
            description="评价人 Rater",
            style=style,
        )
        self.date = W.Text(description="测评日期 Date", style=style)
        self.scale = W.HTML()
        self.save_button = W.Button(description="保存 Save", button_style="primary")
        self.message = W.HTML()
        self.boxes: dict[int, W.Text] = {}
        self.grid = W.GridBox(layout=W.Layout(grid_template_columns="repeat(4, 16em)"))
        self._instrument = Choice(self.instrument, model, "instrument", self._instrument_options())
        self._dimension = Choice(self.dimension, model, "dimension", self._dimension_options())
        for name in ("phase", "rater_role", "date"):
            bind(model, name, getattr(self, name))
        self.save_button.on_click(lambda _b: model.save())
        model.observe(self._rows, names=["members", "scores"])
        model.observe(self._choices, names=["instrument", "instruments"])
        model.observe(self._render, names=["message"])
        head = W.HBox(
            [W.VBox([self.instrument, self.dimension, self.phase]), W.VBox([self.rater_role, self.date])]
        )
        super().__init__([head, self.scale, self.grid, self.save_button, self.message])
        self.add_class("cadre-scores")
        self._choices()
        self._rows()

    def _instrument_options(self) -> list[tuple[str, str]]:
        frame = self.model.instruments
        return [(f"{r.name}（{r.scale_min:g}–{r.scale_max:g}分）", r.code) for r in frame.itertuples()]

    def _dimension_options(self) -> list[tuple[str, str]]:
        return [(label("dimension", d), d) for d in self.model.dimensions()]

    def _choices(self, _change: dict | None = None) -> None:
        self._instrument.set_options(self._instrument_options())
        self._dimension.set_options(self._dimension_options())
        scale = self.model.scale()
        self.scale.value = (
            f"分值范围 {scale[0]:g}–{scale[1]:g} scale {scale[0]:g} to {scale[1]:g}；空白不保存 blank boxes are skipped"
            if scale
            else "请选择测评工具 choose an instrument"
        )

    def _rows(self, _change: dict | None = None) -> None:
        m = self.model
        if set(self.boxes) != {pid for _n, pid in m.members}:
            self.boxes = {
                pid: W.Text(description=name, layout=W.Layout(width="15em")) for name, pid in m.members
            }
            for pid, box in self.boxes.items():
                box.observe(lambda ch, p=pid: self._typed(p, ch["new"]), names="value")
            self.grid.children = list(self.boxes.values())
        for pid, box in self.boxes.items():
            box.value = m.scores.get(pid, "")

    def _typed(self, pid: int, value: str) -> None:
        if self.model.scores.get(pid, "") != value:
            self.model.scores = {**self.model.scores, pid: value}

    def _render(self, _change: dict | None = None) -> None:
        self.message.value = status_html(self.model.ok, self.model.message)

    def __repr__(self) -> str:
        return f"ScoreSheet(cohort={self.model.cohort!r})"


def score_sheet(ws: Workspace, cohort: str, as_of: dt.date) -> ScoreSheet:
    """The score sheet of a cohort (does not display it)."""
    return ScoreSheet(ScoreSheetModel(ws, cohort, as_of))
