"""The instrument form: declare a new test or evaluation, its scale and what it measures."""

from __future__ import annotations

import ipywidgets as W
import traitlets as T

from ...core.codes import codes, for_display, label
from ...core.errors import CadreError
from ...core.widgets import WorkspaceModel, bind, status_html
from ...core.workspace import Workspace
from .._instruments import declare_instrument, instruments

__all__ = ["InstrumentModel", "InstrumentForm", "instrument_form"]


class InstrumentModel(WorkspaceModel):
    """The form's state: code, names, the scale (as typed) and the dimensions measured (none
    ticked: any of the three). `message` says what was declared or why not."""

    watches = frozenset({"instrument"})
    code = T.Unicode("")
    name = T.Unicode("")
    name_en = T.Unicode("")
    scale_min = T.Unicode("0")
    scale_max = T.Unicode("100")
    pass_mark = T.Unicode("")  # blank: none
    dimensions = T.List(T.Unicode())
    message = T.Unicode("")
    ok = T.Bool(True)
    listing = T.Unicode("")

    def __init__(self, ws: Workspace):
        super().__init__()
        self.ws = ws
        self.reload()
        self.follow(ws)

    def reload(self) -> None:
        shown = for_display(instruments(self.ws), name_label="名称 Name")
        self.listing = shown.to_html(index=False, border=0, na_rep="", escape=True)

    def save(self) -> bool:
        """Declare the instrument in the form; the form is cleared once it is declared."""
        try:
            declare_instrument(
                self.ws, self.code, self.name, self.scale_min, self.scale_max,  # as typed: a refusal quotes them
                name_en=self.name_en or None, dimensions=list(self.dimensions) or None,
                pass_mark=self.pass_mark if self.pass_mark.strip() else None,
            )  # fmt: skip
        except CadreError as exc:
            self.ok, self.message = False, f"未保存 Not saved: {exc}"
            return False
        measures = "、".join(label("dimension", d, "zh") for d in self.dimensions) or "三个维度均可"
        self.ok = True
        self.message = (
            f"已添加测评工具“{self.name}”（{self.scale_min}–{self.scale_max}分，{measures}）。"
            f" Declared the instrument {self.code} ({self.scale_min} to {self.scale_max})."
        )
        self.code = self.name = self.name_en = self.pass_mark = ""
        self.dimensions = []
        return True


class InstrumentForm(W.VBox):
    """Code, Chinese and English names, lowest and highest score, the dimensions measured."""

    def __init__(self, model: InstrumentModel):
        self.model = model
        style = {"description_width": "8em"}
        self.code = W.Text(description="代码 Code", placeholder="如 theory_exam_2027", style=style)
        self.name = W.Text(description="名称 Name", placeholder="如 2027年理论知识测试", style=style)
        self.name_en = W.Text(description="英文名 English", style=style)
        self.scale_min = W.Text(description="最低分 Lowest", style=style)
        self.scale_max = W.Text(description="最高分 Highest", style=style)
        self.pass_mark = W.Text(
            description="合格分 Pass mark", placeholder="不设可空 blank: none", style=style
        )
        self.dimension = {
            d: W.Checkbox(description=label("dimension", d), indent=False) for d in codes("dimension")
        }
        self.save_button = W.Button(description="添加 Declare", button_style="primary")
        self.message, self.listing = W.HTML(), W.HTML()
        for name in ("code", "name", "name_en", "scale_min", "scale_max", "pass_mark"):
            bind(model, name, getattr(self, name))
        for d, box in self.dimension.items():
            box.observe(lambda ch, d=d: self._tick(d, ch["new"]), names="value")
        model.observe(self._untick, names="dimensions")
        self.save_button.on_click(lambda _b: model.save())
        model.observe(self._render, names=["message", "listing"])
        note = W.HTML("所测维度（都不选即三个维度均可） Dimensions measured (none ticked: any)")
        boxes = W.HBox(list(self.dimension.values()))
        fields = [self.code, self.name, self.name_en, self.scale_min, self.scale_max, self.pass_mark]
        super().__init__([*fields, note, boxes, self.save_button, self.message, self.listing])
        self.add_class("cadre-instrument")
        self._render()

    def _tick(self, dimension: str, on: bool) -> None:
        chosen = [
            d
            for d in codes("dimension")
            if (d == dimension and on) or (d != dimension and d in self.model.dimensions)
        ]
        if chosen != list(self.model.dimensions):
            self.model.dimensions = chosen

    def _untick(self, _change: dict) -> None:
        for d, box in self.dimension.items():
            box.value = d in self.model.dimensions

    def _render(self, _change: dict | None = None) -> None:
        self.message.value = status_html(self.model.ok, self.model.message)
        self.listing.value = self.model.listing

    def __repr__(self) -> str:
        return "InstrumentForm()"


def instrument_form(ws: Workspace) -> InstrumentForm:
    """The form that declares assessment instruments, above the list of those declared."""
    return InstrumentForm(InstrumentModel(ws))
