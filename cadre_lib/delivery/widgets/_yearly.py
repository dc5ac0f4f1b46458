"""The yearly requirement of every township chief: filter by county, see who is short."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as W
import pandas as pd
import traitlets as T

from ...core.codes import for_display
from ...core.widgets import Choice, WorkspaceModel, rows_html
from ...core.workspace import Workspace
from .._rules_text import credit_text, day_rule_text
from .._yearly import YEARLY_COLUMNS, yearly_compliance

__all__ = ["YearlyModel", "YearlyView", "yearly_view", "YEARLY_SHOWN"]

# The columns a trainer reads, in order (codes; `for_display` heads them in both languages).
YEARLY_SHOWN = [c for c in YEARLY_COLUMNS[1:] if c not in ("post_days", "projected_days", "hours_short")]


class YearlyModel(WorkspaceModel):
    """Every chief's yearly figures as of a date, for one county or all; follows every save."""

    watches = frozenset({"attendance", "session", "enrollment", "post_tenure", "cohort", "person"})
    county = T.Unicode("")  # "" = every county
    only_short = T.Bool(False)
    table = T.Instance(pd.DataFrame)

    def __init__(self, ws: Workspace, as_of: dt.date, county: str = ""):
        super().__init__()
        self.ws, self.as_of = ws, as_of
        self.everyone = yearly_compliance(ws, as_of)
        self.county = county
        self.reload()
        self.follow(ws)

    def counties(self) -> list[str]:
        return list(dict.fromkeys(self.everyone["county"]))

    @T.observe("county", "only_short")
    def _refilter(self, _change: dict) -> None:
        self._filter()

    def reload(self) -> None:
        self.everyone = yearly_compliance(self.ws, self.as_of)
        self._filter()

    def _filter(self) -> None:
        t = self.everyone
        if self.county:
            t = t[t["county"] == self.county]
        if self.only_short:
            t = t[t["short"]]
        self.table = t.reset_index(drop=True)

    def headline(self) -> str:
        """How many chiefs, how many comply already, how many will be short: in both languages."""
        t = self.everyone if not self.county else self.everyone[self.everyone["county"] == self.county]
        n, ok, short = len(t), int(t["complies"].sum()), int(t["short"].sum())
        where = self.county or "全市"
        where_en = "this county" if self.county else "all counties"
        return (
            f"{where}本年度任职的乡镇党政正职 {n} 人，截至 {self.as_of.isoformat()} 已达到年度培训要求 {ok} 人，"
            f"按已排课程预计年末仍不达标 {short} 人。"
            f" {n} chiefs held a township post this year in {where_en}; {ok} have met the yearly "
            f"requirement as of {self.as_of.isoformat()}, and {short} will fall short by year end even "
            "if they attend every scheduled session."
        )


class YearlyView(W.VBox):
    """County filter and "only those short" over the yearly table of every chief."""

    def __init__(self, model: YearlyModel):
        self.model = model
        self.county = W.Dropdown(description="县（区） County", style={"description_width": "initial"})
        self._county_choice = Choice(
            self.county, model, "county", [("全部 All", "")] + [(c, c) for c in model.counties()]
        )
        self.only_short = W.Checkbox(description="只看预计不达标者 Only those short", indent=False)
        W.link((self.only_short, "value"), (model, "only_short"))
        self.headline, self.table = W.HTML(), W.HTML()
        rules = (credit_text(model.ws.rules), day_rule_text(model.ws.rules))
        rule = W.HTML("".join(f"<p style='font-size:90%'>{html.escape(line)}</p>" for line in rules))
        super().__init__([W.HBox([self.county, self.only_short]), self.headline, rule, self.table])
        self.add_class("cadre-yearly")
        model.observe(self._render, names="table")
        self._render()

    def _render(self, _change: dict | None = None) -> None:
        m = self.model
        self.headline.value = f"<p>{html.escape(m.headline())}</p>"
        shown = for_display(m.table, columns=YEARLY_SHOWN)
        self.table.value = (
            "<div style='max-height:28em;overflow:auto'>" + rows_html(shown, "人", "chiefs") + "</div>"
        )

    def __repr__(self) -> str:
        return f"YearlyView(as_of={self.model.as_of.isoformat()!r}, county={self.model.county!r})"


def yearly_view(ws: Workspace, as_of: dt.date, county: str = "") -> YearlyView:
    """Every chief's yearly requirement as of a date, with a county filter (does not display it).

    >>> # view = yearly_view(ws, dt.date(2026, 11, 30)); view
    """
    return YearlyView(YearlyModel(ws, as_of, county))
