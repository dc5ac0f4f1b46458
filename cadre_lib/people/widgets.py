"""People widgets: the roster import (choose a file, read the check, confirm) and the cohort list;
and what every form about one chief shares (a typed date, the chiefs to choose from, the answer)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

import ipywidgets as W
import pandas as pd
import traitlets as T

from ..core.codes import label
from ..core.errors import CadreError, InvalidEntry
from ..core.normalize import clean_text, parse_date
from ..core.widgets import Choice, ImportModel, ImportWidget, WorkspaceModel, status_html
from ..core.workspace import Workspace
from ._cohorts import cohorts
from ._directory import chiefs
from ._roster import RosterImporter

__all__ = [
    "cohort_options",
    "roster_import",
    "typed_day",
    "chief_roster",
    "chief_options",
    "answer",
    "ChiefFormModel",
    "ChiefChooser",
    "ChiefForm",
]


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


def chief_roster(ws: Workspace, as_of: dt.date) -> pd.DataFrame:
    """The township chiefs in post on `as_of` as a chooser offers them, by place: person_id,
    county, township, post (its Chinese label), name, in_post_since, label (县 乡镇 职务 姓名) and
    id_tail (the ID number's last four characters, to search by; the rest is not kept)."""
    rows = chiefs(ws, as_of, reveal_ids=True).drop_duplicates("person_id")
    out = rows[["person_id", "county", "township", "name", "in_post_since"]].copy()
    out["person_id"] = out["person_id"].astype(int)
    out["post"] = rows["post"].map(lambda p: label("post", p, "zh"))
    out["label"] = out["county"] + " " + out["township"] + " " + out["post"] + " " + out["name"]
    out["id_tail"] = rows["national_id"].fillna("").str[-4:].str.upper()
    return out.reset_index(drop=True)


def chief_options(ws: Workspace, as_of: dt.date) -> list[tuple[str, int]]:
    """(县 乡镇 职务 姓名, person_id) of the township chiefs in post on `as_of`, by place."""
    roster = chief_roster(ws, as_of)
    return list(zip(roster["label"], roster["person_id"].astype(int), strict=True))


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
    roster = T.Instance(pd.DataFrame)  # see `chief_roster`
    people = T.List()
    message = T.Unicode("")
    ok = T.Bool(True)

    def __init__(self, ws: Workspace, period: str | None, as_of: dt.date):
        super().__init__()
        self.ws, self.period, self.as_of = ws, period, as_of
        self.date = f"{as_of:%Y-%m-%d}"
        self.reload()
        self.follow(ws)

    def latest(self, person_id: int) -> str:
        """What the chooser's card says of the chief's latest record for this form (a stage's
        form says its own: the latest talk, decision or review); nothing here."""
        return ""

    def reload(self) -> None:
        self.roster = chief_roster(self.ws, self.as_of)
        self.people = list(zip(self.roster["label"], self.roster["person_id"].astype(int), strict=True))


FLAT_LIMIT = 200  # up to this many chiefs, the list offers them all before any choice is made
FOUND_LIMIT = 50  # a search shows at most this many matches


class ChiefChooser(W.VBox):
    """Choosing one chief at any size: county, then township, or a search by name or the last
    digits of the ID number; the list offers the chiefs that match (every chief when there are
    at most `FLAT_LIMIT`, never a list of a whole province), and a card under it shows the chosen
    chief's county, township, post and time in post, and what `latest` says of them (their
    latest record), so the trainer knows it is the right person.

    `model` holds `person_id` and `roster` (as `chief_roster` gives it); `person` is the list.
    """

    def __init__(self, model: T.HasTraits, description: str = "干部 Chief",
                 latest: Callable[[int], str] | None = None):  # fmt: skip
        self.model, self.latest = model, latest
        style = {"description_width": "9em"}
        self.county = W.Dropdown(description="县（区） County", style=style, layout=W.Layout(width="24em"))
        self.township = W.Dropdown(description="乡镇 Township", style=style, layout=W.Layout(width="24em"))
        self.search = W.Text(
            description="查找 Search", style=style, layout=W.Layout(width="24em"), continuous_update=False,
            placeholder="姓名或身份证号后几位 name or last ID digits",
        )  # fmt: skip
        self.person = W.Dropdown(description=description, style=style, layout=W.Layout(width="36em"))
        self.card = W.HTML()
        self.person.add_class("cadre-chief")
        self.search.add_class("cadre-chief-search")
        self._quiet = False
        self._set_counties()
        self._choice = Choice(self.person, model, "person_id", self._options())
        self.county.observe(self._county_chosen, names="value")
        for control in (self.township, self.search):
            control.observe(self._filtered, names="value")
        model.observe(self._roster_changed, names="roster")
        model.observe(self._followed, names="person_id")
        super().__init__([W.HBox([self.county, self.township]), self.search, self.person, self.card])
        self.add_class("cadre-chief-chooser")
        self._show_card()

    # -- what the list offers ------------------------------------------------------------
    def _roster(self) -> pd.DataFrame:
        return self.model.roster

    def _set_counties(self) -> None:
        counties = sorted(set(self._roster()["county"]))
        self._quiet = True
        try:
            self.county.options = [("（全部）all", ""), *((c, c) for c in counties)]
            self._set_townships()
        finally:
            self._quiet = False

    def _set_townships(self) -> None:
        roster = self._roster()
        towns = roster.loc[roster["county"] == self.county.value, "township"] if self.county.value else []
        self.township.options = [("（全部）all", ""), *((t, t) for t in dict.fromkeys(towns))]

    def _matches(self) -> pd.DataFrame:
        roster = self._roster()
        if self.county.value:
            roster = roster[roster["county"] == self.county.value]
        if self.township.value:
            roster = roster[roster["township"] == self.township.value]
        typed = (clean_text(self.search.value) or "").upper()
        if typed:
            roster = roster[
                roster["name"].str.contains(typed, regex=False) | roster["id_tail"].str.endswith(typed)
            ]
        return roster

    def _options(self) -> list[tuple[str, int]]:
        found = self._matches()
        narrowed = bool(self.county.value or self.search.value.strip())
        limit = FOUND_LIMIT if self.search.value.strip() else FLAT_LIMIT
        head = "（选择）choose"
        if len(found) > limit and not self.township.value:
            shown = found.iloc[0:0]
            head = f"（共{len(found):,}人，请先选县、乡镇或查找）{len(found):,} chiefs: choose a county and township, or search"
        else:
            shown = found
        if not narrowed and len(found) == 0:
            head = "（无在任乡镇党政正职）no chief in post"
        options = [(head, 0), *zip(shown["label"], shown["person_id"].astype(int), strict=True)]
        chosen = int(self.model.person_id or 0)
        if chosen and chosen not in {v for _l, v in options}:  # the chosen chief stays in view
            row = self._roster()[self._roster()["person_id"] == chosen]
            options += list(zip(row["label"], row["person_id"].astype(int), strict=True))
        return options

    # -- following the trainer and the model ----------------------------------------------
    def _county_chosen(self, _change: dict) -> None:
        if self._quiet:
            return
        self._quiet = True
        try:
            self._set_townships()
        finally:
            self._quiet = False
        self._filtered()

    def _filtered(self, _change: dict | None = None) -> None:
        if not self._quiet:
            self._choice.set_options(self._options())

    def _roster_changed(self, _change: dict) -> None:
        county, township = self.county.value, self.township.value
        self._set_counties()
        self._quiet = True
        try:
            self.county.value = county if county in [v for _l, v in self.county.options] else ""
            self._set_townships()
            self.township.value = township if township in [v for _l, v in self.township.options] else ""
        finally:
            self._quiet = False
        self._choice.set_options(self._options())
        self._show_card()

    def _followed(self, _change: dict) -> None:
        """A chief chosen by code (or by a search result) shows with their county and township."""
        if self.model.person_id and self.model.person_id not in [v for _l, v in self.person.options]:
            self._choice.set_options(self._options())
        self._show_card()

    def _show_card(self) -> None:
        pid = int(self.model.person_id or 0)
        row = self._roster()[self._roster()["person_id"] == pid]
        if row.empty:
            self.card.value = ""
            return
        r = row.iloc[0]
        since = f"{r['in_post_since']:%Y-%m-%d}" if pd.notna(r["in_post_since"]) else "—"
        text = f"{r['county']} {r['township']} {r['post']} {r['name']}，{since}起任现职 in post since {since}"
        more = self.latest(pid) if self.latest else ""
        # one line each, Chinese first: who and since when, then their latest record for this form
        self.card.value = f"<small>{html.escape(text)}{('<br>' + html.escape(more)) if more else ''}</small>"


class ChiefForm(W.VBox):
    """What every form about one chief shows: the chooser, the form's own `controls`, the save
    button, the answer (red when refused), and anything `after` it (a listing of what is stored).
    The form's model is a `ChiefFormModel`; its `save` says what was saved or why not."""

    def __init__(self, model: ChiefFormModel, chief_label: str, controls: list[W.Widget],
                 after: tuple[W.Widget, ...] = (), css: str = ""):  # fmt: skip
        self.model = model
        self.chooser = ChiefChooser(model, chief_label, latest=model.latest)
        self.person = self.chooser.person
        self.save_button = W.Button(description="保存 Save", button_style="primary")
        self.message = W.HTML()
        self.save_button.on_click(lambda _b: model.save())
        model.observe(self._render, names="message")
        super().__init__([self.chooser, *controls, self.save_button, self.message, *after])
        if css:
            self.add_class(css)
        self._render()

    def _render(self, _change: dict | None = None) -> None:
        self.message.value = status_html(self.model.ok, self.model.message)
