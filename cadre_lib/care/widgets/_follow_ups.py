"""The follow-up board: the open follow-ups of the talks, past due first, and closing one."""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import pandas as pd
import traitlets as T

from ...core.codes import label
from ...core.errors import CadreError
from ...core.widgets import SHOWN_ROWS, Choice, WorkspaceModel, bind, status_html
from ...core.workspace import Workspace
from ...people.widgets import typed_day
from .._display import display_table, owners_shown
from .._talks import close_follow_up, follow_ups

__all__ = ["FollowUpModel", "FollowUpBoard", "follow_up_board"]

_SHOWN = [
    "name",
    "county",
    "township",
    "talk_date",
    "talker_role",
    "action",
    "owner",
    "due_date",
    "days_past_due",
]


class FollowUpModel(WorkspaceModel):
    """The follow-ups open on the as-of date (`table`), the one chosen to close, its date and
    whether it was done or dropped; `message` says what was saved or why not."""

    watches = frozenset({"talk", "follow_up", "post_tenure"})
    table = T.Instance(pd.DataFrame, allow_none=True)
    options = T.List()
    chosen = T.Int(0)
    date = T.Unicode("")
    status = T.Unicode("done")
    message = T.Unicode("")
    ok = T.Bool(True)

    def __init__(self, ws: Workspace, as_of: dt.date):
        super().__init__()
        self.ws, self.as_of = ws, as_of
        self.date = f"{as_of:%Y-%m-%d}"
        self.reload()
        self.follow(ws)

    def reload(self) -> None:
        table = follow_ups(self.ws, self.as_of, open_only=True)
        self.options = [(_option(r), int(r.id)) for r in owners_shown(table).itertuples()]
        self.table = table

    def save(self) -> bool:
        """Close the chosen follow-up on the date typed (not after the as-of date)."""
        if not self.chosen:
            self.ok, self.message = False, "未保存：请选择跟进事项。Not saved: choose a follow-up."
            return False
        try:
            saved = close_follow_up(self.ws, self.chosen, typed_day(self.date), self.status, self.as_of)
        except CadreError as exc:
            self.ok, self.message = False, f"未保存 Not saved: {exc}"
            return False
        self.ok, self.message = True, saved.message()
        return True


OPTION_ROWS = 200  # follow-ups the list offers at once; the search finds the others


def _option(r) -> str:
    """A follow-up as the list offers it: how late, who, what, by whom, by when (both languages)."""
    late = f"逾期{r.days_past_due}天 {r.days_past_due} days past due · " if r.past_due else ""
    return f"{late}{r.name} · {r.action} · {r.owner} · 时限 due {r.due_date}"


class FollowUpBoard(W.VBox):
    """How many follow-ups are open and past due, the list, and closing one."""

    def __init__(self, model: FollowUpModel):
        self.model = model
        style = {"description_width": "8em"}
        self.summary = W.HTML()
        self.table = W.HTML()
        self.search = W.Text(
            description="查找 Search", style=style, layout=W.Layout(width="32em"), continuous_update=False,
            placeholder="姓名、乡镇、事项或责任人 name, township, action or owner",
        )  # fmt: skip
        self.chosen = W.Dropdown(description="跟进事项 Follow-up", style=style, layout=W.Layout(width="48em"))
        self.date = W.Text(description="办结日期 Date", style=style)
        self.status = W.ToggleButtons(
            options=[(label("follow_up_status", s), s) for s in ("done", "dropped")],
            style={"button_width": "12em"},
        )
        self.save_button = W.Button(description="保存 Save", button_style="primary")
        self.message = W.HTML()
        self._chosen = Choice(self.chosen, model, "chosen", self._options())
        bind(model, "date", self.date)
        bind(model, "status", self.status)
        self.save_button.on_click(lambda _b: model.save())
        model.observe(self._render, names="table")
        model.observe(lambda _c: self._chosen.set_options(self._options()), names="options")
        self.search.observe(lambda _c: self._chosen.set_options(self._options()), names="value")
        model.observe(lambda _c: self._answer(), names="message")
        super().__init__(
            [
                self.summary,
                self.table,
                self.search,
                self.chosen,
                self.date,
                self.status,
                self.save_button,
                self.message,
            ]  # fmt: skip
        )
        self.add_class("cadre-follow-ups")
        self._render()

    def _options(self) -> list[tuple[str, int]]:
        """The open follow-ups that match the search, past due first: at most OPTION_ROWS, so a
        province's thousands are found by searching, never sent to the browser as one list."""
        options = self.model.options
        typed = self.search.value.strip()
        if typed:
            t = self.model.table
            hay = (
                t[["name", "county", "township", "action", "owner"]]
                .fillna("")
                .astype(str)
                .agg(" ".join, axis=1)
            )
            keep = set(t.loc[hay.str.contains(typed, regex=False), "id"].astype(int))
            options = [o for o in options if o[1] in keep]
        head = "（选择）choose"
        if len(options) > OPTION_ROWS:
            head = (
                f"（共{len(options):,}项，列出前{OPTION_ROWS}项，可查找）{len(options):,} open: the first "
                f"{OPTION_ROWS} are listed; search for others"
            )
        shown = options[:OPTION_ROWS]
        chosen = [o for o in self.model.options if o[1] == self.model.chosen and o not in shown]
        return [(head, 0), *shown, *chosen]

    def _render(self, _change: dict | None = None) -> None:
        t = self.model.table
        late, unowned = int(t["past_due"].sum()), int(t["owner"].isna().sum())
        self.summary.value = (
            f"<p>截至{self.model.as_of:%Y-%m-%d}，未办结跟进事项{len(t)}项，其中超期{late}项，责任人待明确{unowned}项。"
            f" As of {self.model.as_of:%Y-%m-%d}: {len(t)} follow-up(s) open, {late} past their due date, "
            f"{unowned} with the owner to be assigned.</p>"
        )
        shown = display_table(t.head(SHOWN_ROWS), _SHOWN)
        note = f"<p>显示前{SHOWN_ROWS}项 showing the first {SHOWN_ROWS}</p>" if len(t) > SHOWN_ROWS else ""
        self.table.value = note + shown.to_html(index=False, border=0, na_rep="")

    def _answer(self) -> None:
        self.message.value = status_html(self.model.ok, self.model.message)

    def __repr__(self) -> str:
        return f"FollowUpBoard(as_of={self.model.as_of:%Y-%m-%d})"


def follow_up_board(ws: Workspace, as_of: dt.date) -> FollowUpBoard:
    """The open follow-ups and closing one (does not display it)."""
    return FollowUpBoard(FollowUpModel(ws, as_of))
