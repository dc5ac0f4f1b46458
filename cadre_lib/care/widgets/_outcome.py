"""The ledger form: one decision about a chief, with the fields its kind has."""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import traitlets as T

from ...core.codes import codes, label
from ...core.errors import CadreError
from ...core.tx import ANY_VERSION
from ...core.widgets import bind
from ...core.workspace import Workspace
from ...people.widgets import ChiefForm, ChiefFormModel, typed_day
from .._ledger import KIND_FIELDS, outcome_version, outcomes, record_outcome

__all__ = ["OutcomeModel", "OutcomeForm", "outcome_form"]

_CODED = {"rank": "rank", "award": "award", "sanction": "sanction", "result": "filing_result"}
_DATES = ("impact_end", "reviewed_on", "result_date")
_TEXTS = ("detail", "from_post", "to_post")


class OutcomeModel(ChiefFormModel):
    """The form's state: the chief, the kind, the date, and the fields of `KIND_FIELDS`; only the
    fields of the chosen kind are saved."""

    kind = T.Unicode(codes("outcome_kind")[0])
    detail = T.Unicode("")
    from_post = T.Unicode("")
    to_post = T.Unicode("")
    rank = T.Unicode("")
    award = T.Unicode("")
    sanction = T.Unicode("")
    impact_end = T.Unicode("")
    reviewed_on = T.Unicode("")
    result = T.Unicode("")
    result_date = T.Unicode("")

    def __init__(self, ws: Workspace, as_of: dt.date):
        super().__init__(ws, None, as_of)
        self._made_on: int | None | str = ANY_VERSION
        self._decision_chosen()

    @T.observe("person_id", "kind", "date")
    def _decision_chosen(self, _change: dict | None = None) -> None:
        """Which decision the form is about (chief, kind, day) and the version it is made on: a
        decision another office records or changes meanwhile is then never overwritten."""
        try:
            day = typed_day(self.date)
        except CadreError:
            self._made_on = ANY_VERSION  # no day yet: the save will say what is missing
            return
        self._made_on = outcome_version(self.ws, self.person_id, self.kind, day) if self.person_id else None

    def fields(self) -> tuple[str, ...]:
        """The fields the chosen kind has (needed first)."""
        needs, may = KIND_FIELDS.get(self.kind, ((), ()))  # not a kind: the save says so
        return needs + may

    def latest(self, person_id: int) -> str:
        """The chief's latest decision in the ledger by the as-of date, for the chooser's card."""
        ledger = outcomes(self.ws, self.as_of)
        own = ledger[ledger["person_id"] == person_id]
        if own.empty:
            return "台账中尚无记录 nothing in the ledger yet"
        r = own.sort_values("date").iloc[-1]
        return f"最近记录 {r['date']:%Y-%m-%d} {label('outcome_kind', r['kind'], 'zh')} latest entry {r['date']:%Y-%m-%d}"

    def save(self) -> bool:
        """Record the decision; refused with its reason (nothing saved) when anything is wrong."""
        if not self.person_id:
            self.ok, self.message = False, "未保存：请选择干部。Not saved: choose the chief."
            return False
        try:
            values = {}
            for key in self.fields():
                typed = getattr(self, key).strip()
                values[key] = (typed_day(typed) if key in _DATES else typed) if typed else None
            saved = record_outcome(
                self.ws, self.person_id, self.kind, typed_day(self.date), as_of=self.as_of,
                version=self._made_on, **values,
            )  # fmt: skip
        except CadreError as exc:
            self.ok, self.message = False, f"未保存 Not saved: {exc}"
            return False
        self._decision_chosen()  # the decision as it stands now is what a next save is made on
        self.ok, self.message = saved.action != "conflict", saved.message()
        return True


class OutcomeForm(ChiefForm):
    """Chief, kind and date, then the fields of that kind; the answer below."""

    def __init__(self, model: OutcomeModel):
        style = {"description_width": "9em"}
        self.kind = W.Dropdown(
            options=[(label("outcome_kind", k), k) for k in codes("outcome_kind")],
            description="类别 Kind",
            style=style,
        )
        self.date = W.Text(description="决定日期 Date", style=style)
        self.inputs: dict[str, W.Widget] = {}
        for key, words in (
            ("to_post", "新职务 To post"), ("from_post", "原职务 From post"), ("rank", "职级 Rank"),
            ("award", "奖励 Award"), ("sanction", "种类 Sanction"), ("detail", "事由 Detail"),
            ("impact_end", "影响期至 Impact end"), ("reviewed_on", "期满评价 Reviewed on"),
            ("result", "结果 Result"), ("result_date", "结果日期 Result date"),
        ):  # fmt: skip
            if key in _CODED:
                options = [("（不填）none", "")] + [(label(_CODED[key], c), c) for c in codes(_CODED[key])]
                box = W.Dropdown(options=options, description=words, style=style)
            elif key == "detail":
                box = W.Textarea(description=words, style=style)
            else:
                box = W.Text(description=words, style=style)
            box.layout = W.Layout(width="36em")  # one layout each: a field is hidden on its own
            bind(model, key, box)
            self.inputs[key] = box
        self.hint = W.HTML()
        bind(model, "kind", self.kind)
        bind(model, "date", self.date)
        model.observe(self._show_fields, names="kind")
        controls = [self.kind, self.date, *self.inputs.values(), self.hint]
        super().__init__(model, "干部 Chief", controls, css="cadre-outcome")
        self._show_fields()

    def _show_fields(self, _change: dict | None = None) -> None:
        shown = self.model.fields()
        for key, box in self.inputs.items():
            box.layout.display = None if key in shown else "none"
        self.hint.value = (
            "<small>提拔使用将结束其乡镇职务，在训项目以“提拔”结束；影响期不填则按规则文件计算。"
            " A promotion ends the township post, and the open enrolments end as promoted; a blank "
            "impact end follows the rules file.</small>"
        )

    def __repr__(self) -> str:
        return f"OutcomeForm(as_of={self.model.as_of:%Y-%m-%d})"


def outcome_form(ws: Workspace, as_of: dt.date) -> OutcomeForm:
    """The outcomes ledger form (does not display it)."""
    return OutcomeForm(OutcomeModel(ws, as_of))
