"""The schedule editor: a cohort's sessions, a form to add one or a series, and editing one."""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import pandas as pd
import traitlets as T

from ...core.codes import codes, for_display, label
from ...core.errors import CadreError, ConflictError
from ...core.normalize import parse_date
from ...core.widgets import Choice, WorkspaceModel, bind, status_html
from ...core.workspace import Workspace
from ...people.widgets import cohort_options
from .._sessions import add_series, cohort_sessions, edit_session

__all__ = ["ScheduleModel", "ScheduleEditor", "schedule_editor"]

FORMAT_OPTIONS = [(label("format", c), c) for c in codes("format")]
NEW = 0  # the session picker's "a new session" choice


def _dates(text: str) -> list[dt.date]:
    """'2027-03-18, 2027-04-15' (commas, spaces or new lines between) to dates that have a day."""
    out = []
    for part in str(text).replace("，", ",").replace("\n", ",").split(","):
        if part.strip():
            parsed = parse_date(part)
            if parsed is None or not parsed[1]:
                raise CadreError(f"“{part.strip()}”须写到日 '{part.strip()}' needs a day, e.g. 2027-03-18")
            out.append(parsed[0])
    if not out:
        raise CadreError("请至少填写一个日期 give at least one date, e.g. 2027-03-18")
    return out


def _hours(text: object) -> object:
    """Hours as typed in the form (full-width digits too); the rules check the bounds."""
    from ...core.fields import FIELDS

    return FIELDS["hours"].parse(text)


def _same(value: object, shown: object) -> bool:
    """A form's value is what the list showed (blank and missing alike)."""
    if value is None or value == "":
        return shown is None or shown == "" or (isinstance(shown, float) and pd.isna(shown))
    return value == shown


class ScheduleModel(WorkspaceModel):
    """A cohort's sessions and the form a trainer fills: add one session or a series, or choose a
    session (`selected`) and change it. `message` says what happened."""

    watches = frozenset({"session", "cohort"})
    cohort = T.Unicode()
    sessions = T.Instance(pd.DataFrame)
    selected = T.Int(NEW)
    dates = T.Unicode("")
    format = T.Unicode("lecture")
    topic = T.Unicode("")
    hours = T.Unicode("3")
    speaker = T.Unicode("")
    location = T.Unicode("")
    message = T.Unicode("")
    ok = T.Bool(True)

    def __init__(self, ws: Workspace, cohort: str, as_of: dt.date | None = None):
        super().__init__()
        self.ws, self.as_of, self._chosen = ws, as_of, None
        self.cohort = cohort
        self.follow(ws)

    @T.observe("cohort")
    def _cohort_changed(self, _change: dict) -> None:
        self.selected = NEW
        if hasattr(self, "ws"):
            self.reload()

    def reload(self) -> None:
        self.sessions = cohort_sessions(self.ws, self.cohort)

    @T.observe("selected")
    def _load_session(self, change: dict) -> None:
        """Choosing a session fills the form with it, as the list shows it."""
        if not change["new"]:
            return
        row = self._row(change["new"])
        if row is None:
            return
        self._chosen = row  # what the form was filled from: a save is checked against it
        self.dates, self.format, self.topic = str(row["date"]), row["format"], row["topic"]
        self.hours = f"{row['hours']:g}"
        self.speaker = "" if pd.isna(row["speaker"]) else str(row["speaker"])
        self.location = "" if pd.isna(row["location"]) else str(row["location"])

    def _row(self, session_id: int):
        """The session as the list shows it, or None (said so) when the cohort has no such session."""
        found = self.sessions[self.sessions["id"] == session_id]
        if found.empty:
            self._chosen = None
            self._say(
                False,
                f"{self.cohort} 没有编号为 {session_id} 的课次。{self.cohort} has no session #{session_id}.",
            )
            return None
        return found.set_index("id").iloc[0]

    def _say(self, ok: bool, text: str) -> None:
        self.ok, self.message = ok, text

    def add(self, dates=None, fmt=None, topic=None, hours=None, speaker=None, location=None) -> list[int]:
        """Add one session per date (a series when several dates are given, one topic or one per
        line); each argument not given is taken from the form."""
        dates, fmt, topic = (
            dates if dates is not None else self.dates,
            fmt or self.format,
            topic if topic is not None else self.topic,
        )
        try:
            days = _dates(dates)
            topics = [t.strip() for t in str(topic).splitlines() if t.strip()] or [""]
            ids = add_series(
                self.ws,
                self.cohort,
                days,
                fmt,
                topics[0] if len(topics) == 1 else topics,
                _hours(hours if hours is not None else self.hours),
                speaker if speaker is not None else self.speaker,
                location if location is not None else self.location,
                as_of=self.as_of,
            )
        except CadreError as exc:
            self._say(False, f"未添加 Not added: {exc}")
            return []
        self._say(
            True,
            f"已添加 {len(ids)} 次课 Added {len(ids)} session(s) to {self.cohort}: "
            + ", ".join(map(str, days))
            + ".",
        )
        return ids

    def save(self) -> dict:
        """Save the form over the chosen session (only the fields the trainer changed)."""
        if not self.selected:
            self._say(
                False,
                "请先选择要修改的课次（新课次请用“添加”）。Choose a session to edit first (or use Add for a new one).",
            )
            return {}
        form = {"date": self.dates, "format": self.format, "topic": self.topic.strip(), "hours": self.hours}
        form |= {"speaker": self.speaker.strip() or None, "location": self.location.strip() or None}
        return self.edit(self.selected, **form)

    def edit(self, session_id: int, **changes) -> dict:
        """Save changes to a session as it was when chosen in the form (or, if it is not the one
        chosen, as the list shows it now). A change saved meanwhile, in this kernel or elsewhere,
        is a conflict, never overwritten; a field shown masked (an ID number typed into a topic)
        and not changed is kept as stored."""
        chosen = self._chosen
        row = chosen if chosen is not None and chosen.name == session_id else self._row(session_id)
        if row is None:
            return {}
        try:
            if isinstance(changes.get("date"), str):
                changes["date"] = _dates(changes["date"])[0]
            if "hours" in changes:
                changes["hours"] = _hours(changes["hours"])
            changes = {k: v for k, v in changes.items() if not _same(v, row[k])}
            done = edit_session(self.ws, session_id, int(row["version"]), as_of=self.as_of, **changes)
        except ConflictError:
            self.reload()
            self._chosen = None
            self._say(
                False,
                "未保存：他人已先行修改。Not saved: someone else changed this session since you loaded it; "
                "the list now shows their version. Make your change again if it still applies.",
            )
            return {}
        except CadreError as exc:
            self._say(False, f"未保存 Not saved: {exc}")
            return {}
        if chosen is not None and chosen.name == session_id:
            self._chosen = self.sessions.set_index("id").loc[session_id]  # the form now shows this
        self._say(
            True,
            "已保存 Saved: "
            + (", ".join(f"{k} {o} → {n}" for k, (o, n) in done.items()) or "nothing changed"),
        )
        return done


class ScheduleEditor(W.VBox):
    """Session list, a form to add one session or a series, and editing of a chosen session."""

    def __init__(self, model: ScheduleModel, cohorts: list[tuple[str, str]]):
        self.model = model
        style, wide = {"description_width": "7em"}, W.Layout(width="34em")
        self.cohort = W.Dropdown(options=cohorts, description="培训项目 Cohort", style=style, layout=wide)
        self.session = W.Dropdown(description="课次 Session", style=style, layout=wide)
        self.dates = W.Textarea(
            description="日期 Date(s)", placeholder="2027-03-18, 2027-04-15, …", style=style
        )
        self.format = W.Dropdown(options=FORMAT_OPTIONS, description="形式 Format", style=style)
        self.topic = W.Textarea(
            description="主题 Topic",
            placeholder="一个主题，或每个日期一行 one topic, or one per date",
            style=style,
        )
        self.hours = W.Text(description="学时 Hours", style=style)
        self.speaker = W.Text(description="主讲 Speaker", style=style)
        self.location = W.Text(description="地点 Place", style=style)
        self.add_button = W.Button(description="添加 Add", button_style="primary")
        self.save_button = W.Button(description="保存修改 Save changes", layout=W.Layout(width="14em"))
        self.message, self.listing = W.HTML(), W.HTML()
        for name in ("cohort", "dates", "format", "topic", "hours", "speaker", "location"):
            bind(model, name, getattr(self, name))
        self._session_choice = Choice(self.session, model, "selected", self._session_options())
        self.add_button.on_click(lambda _b: model.add())
        self.save_button.on_click(lambda _b: model.save())
        model.observe(self._render, names=["sessions", "message"])
        form = W.HBox(
            [W.VBox([self.dates, self.topic]), W.VBox([self.format, self.hours, self.speaker, self.location])]
        )
        children = [
            self.cohort,
            self.session,
            form,
            W.HBox([self.add_button, self.save_button]),
            self.message,
        ]
        super().__init__([*children, self.listing])
        self.add_class("cadre-schedule")
        self._render()

    def _render(self, _change: dict | None = None) -> None:
        s, m = self.model.sessions, self.model
        self._session_choice.set_options(self._session_options())
        self.message.value = status_html(m.ok, m.message)
        columns = ["date", "format", "topic", "hours", "speaker", "location"]
        shown = for_display(s, columns=columns)
        self.listing.value = shown.to_html(index=False, border=0, na_rep="", escape=True)

    def _session_options(self) -> list[tuple[str, int]]:
        return [("（新课次）new", NEW)] + [
            (f"{r.date} · {r.topic}", int(r.id)) for r in self.model.sessions.itertuples()
        ]

    def __repr__(self) -> str:
        return f"ScheduleEditor(cohort={self.model.cohort!r})"


def schedule_editor(ws: Workspace, cohort: str, as_of: dt.date | None = None) -> ScheduleEditor:
    """The schedule editor for a cohort (does not display it); dates are checked as of `as_of`."""
    return ScheduleEditor(ScheduleModel(ws, cohort, as_of), cohort_options(ws))
