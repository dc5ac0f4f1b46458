"""Delivery widgets: the schedule editor and the attendance sheet, each over a testable model."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as W
import pandas as pd
import traitlets as T

from .. import delivery
from ..analysis import held_sessions
from ..errors import CadreError, ConflictError
from ..normalize import parse_date, parse_number
from ..store import Workspace
from ..vocab import codes, label
from .common import cohort_options, status_html

__all__ = [
    "ScheduleModel",
    "ScheduleEditor",
    "schedule_editor",
    "AttendanceModel",
    "AttendanceSheet",
    "attendance_sheet",
    "FeedbackModel",
    "FeedbackForm",
    "feedback_form",
]

STATUS_OPTIONS = [(label("attendance_status", c, "zh"), c) for c in codes("attendance_status")]
FORMAT_OPTIONS = [(label("format", c), c) for c in codes("format")]


def _dates(text: str) -> list[dt.date]:
    """'2027-03-18, 2027-04-15' (commas, spaces or new lines between) to dates that have a day."""
    out = []
    for part in text.replace("，", ",").replace("\n", ",").split(","):
        if part.strip():
            try:
                parsed = parse_date(part)
            except CadreError as exc:
                raise CadreError(
                    f"{str(exc).split(';')[0]}；上课日期请写作 write session dates as 2027-03-18"
                ) from None
            if parsed is None or not parsed[1]:
                raise CadreError(f"“{part.strip()}”须写到日 '{part.strip()}' needs a day, e.g. 2027-03-18")
            out.append(parsed[0])
    if not out:
        raise CadreError("请至少填写一个日期 give at least one date, e.g. 2027-03-18")
    return out


def _same(value: object, shown: object) -> bool:
    """A form's value is what the list showed (blank and missing alike)."""
    if value is None or value == "":
        return shown is None or shown == "" or (isinstance(shown, float) and pd.isna(shown))
    return value == shown


def _table(df: pd.DataFrame) -> str:
    return df.to_html(index=False, border=0, na_rep="", escape=True)


class ScheduleModel(T.HasTraits):
    """A cohort's sessions, and adding or editing them; `message` says what happened."""

    cohort = T.Unicode()
    sessions = T.Instance(pd.DataFrame)
    message = T.Unicode("")
    ok = T.Bool(True)

    def __init__(self, ws: Workspace, cohort: str, as_of: dt.date | None = None):
        super().__init__()
        self.ws, self.as_of = ws, as_of
        self.cohort = cohort
        self.reload()

    @T.observe("cohort")
    def _cohort_changed(self, _change: dict) -> None:
        if hasattr(self, "ws"):
            self.reload()

    def reload(self) -> None:
        self.sessions = self.ws.cohort_sessions(self.cohort)

    def _say(self, ok: bool, text: str) -> None:
        self.ok, self.message = ok, text

    def add(
        self, dates: str, fmt: str, topic: str, hours: object, speaker: str = "", location: str = ""
    ) -> list[int]:
        """Add one session per date (a series when several dates are given, one topic or one per line)."""
        try:
            days = _dates(dates)
            topics = [t.strip() for t in topic.splitlines() if t.strip()] or [""]
            number = parse_number(hours, low=0.5, high=24, what="class hours")
            ids = delivery.add_series(
                self.ws,
                self.cohort,
                days,
                fmt,
                topics[0] if len(topics) == 1 else topics,
                number if number is not None else 0,
                speaker,
                location,
                as_of=self.as_of,
            )
        except CadreError as exc:
            self._say(False, f"未添加 Not added: {exc}")
            return []
        self.reload()
        self._say(
            True,
            f"已添加 {len(ids)} 次课 Added {len(ids)} session(s) to {self.cohort}: "
            + ", ".join(f"{d}" for d in days)
            + ".",
        )
        return ids

    def edit(self, session_id: int, **changes) -> dict:
        """Save changes to a session as it was when the list was loaded."""
        row = self.sessions.set_index("id").loc[session_id]
        try:
            if "date" in changes and isinstance(changes["date"], str):
                changes["date"] = _dates(changes["date"])[0]
            if "hours" in changes:
                changes["hours"] = parse_number(changes["hours"], low=0.5, high=24, what="class hours")
            # Only what the trainer changed: a field shown masked (an ID in a topic) is kept as stored.
            changes = {k: v for k, v in changes.items() if not _same(v, row[k])}
            done = delivery.edit_session(
                self.ws, session_id, int(row["version"]), as_of=self.as_of, **changes
            )
        except ConflictError:
            self.reload()
            self._say(
                False,
                "未保存：他人已先行修改。Not saved: someone else changed this session since you loaded it; "
                "the list now shows their version. Make your change again if it still applies.",
            )
            return {}
        except CadreError as exc:
            self._say(False, f"未保存 Not saved: {exc}")
            return {}
        self.reload()
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
        style = {"description_width": "7em"}
        self._cohort = W.Dropdown(
            options=cohorts, description="培训项目 Cohort", style=style, layout=W.Layout(width="34em")
        )
        T.link((model, "cohort"), (self._cohort, "value"))
        self._pick = W.Dropdown(description="课次 Session", style=style, layout=W.Layout(width="34em"))
        self._dates = W.Textarea(
            description="日期 Date(s)", placeholder="2027-03-18, 2027-04-15, …", style=style
        )
        self._format = W.Dropdown(options=FORMAT_OPTIONS, description="形式 Format", style=style)
        self._topic = W.Textarea(
            description="主题 Topic", placeholder="one topic, or one per date", style=style
        )
        self._hours = W.Text(description="学时 Hours", value="3", style=style)
        self._speaker = W.Text(description="主讲 Speaker", style=style)
        self._location = W.Text(description="地点 Place", style=style)
        self._add = W.Button(description="添加 Add", button_style="primary")
        self._save = W.Button(description="保存修改 Save changes", layout=W.Layout(width="14em"))
        self._message = W.HTML()
        self._list = W.HTML()
        self._add.on_click(
            lambda _b: model.add(
                self._dates.value,
                self._format.value,
                self._topic.value,
                self._hours.value,
                self._speaker.value,
                self._location.value,
            )
        )
        self._save.on_click(self._save_edit)
        self._pick.observe(self._load_session, names="value")
        model.observe(self._render, names=["sessions", "message"])
        super().__init__(
            [
                self._cohort,
                self._pick,
                W.HBox(
                    [
                        W.VBox([self._dates, self._topic]),
                        W.VBox([self._format, self._hours, self._speaker, self._location]),
                    ]
                ),
                W.HBox([self._add, self._save]),
                self._message,
                self._list,
            ]
        )
        self.add_class("cadre-schedule")
        self._render()

    def _load_session(self, change: dict) -> None:
        if not change["new"]:
            return
        row = self.model.sessions.set_index("id").loc[change["new"]]
        self._dates.value, self._format.value, self._topic.value = (
            str(row["date"]),
            row["format"],
            row["topic"],
        )
        self._hours.value = f"{row['hours']:g}"
        self._speaker.value = "" if pd.isna(row["speaker"]) else str(row["speaker"])
        self._location.value = "" if pd.isna(row["location"]) else str(row["location"])

    def _save_edit(self, _button) -> None:
        if not self._pick.value:
            self.model._say(
                False,
                "请先选择要修改的课次（新课次请用“添加”）。Choose a session to edit first (or use Add for a new one).",
            )
            return
        self.model.edit(
            self._pick.value,
            date=self._dates.value,
            format=self._format.value,
            topic=self._topic.value.strip(),
            hours=self._hours.value,
            speaker=self._speaker.value.strip() or None,
            location=self._location.value.strip() or None,
        )

    def _render(self, _change: dict | None = None) -> None:
        s = self.model.sessions
        self._pick.options = [("（新课次）new", 0)] + [
            (f"{r.date} · {r.topic}", int(r.id)) for r in s.itertuples()
        ]
        self._message.value = status_html(self.model.ok, self.model.message)
        shown = s.assign(format=s["format"].map(lambda c: label("format", c, "zh")))
        self._list.value = _table(shown[["date", "format", "topic", "hours", "speaker", "location"]])

    def __repr__(self) -> str:
        return f"ScheduleEditor(cohort={self.model.cohort!r})"


def schedule_editor(ws: Workspace, cohort: str, as_of: dt.date | None = None) -> ScheduleEditor:
    """The schedule editor for a cohort (does not display it); dates are checked as of `as_of`."""
    return ScheduleEditor(ScheduleModel(ws, cohort, as_of), cohort_options(ws))


class AttendanceModel(T.HasTraits):
    """One session's sign-in sheet: marks made here are pending until `save`, which never
    overwrites a mark someone else saved meanwhile. `standing` follows every save."""

    session_id = T.Int(0)
    sheet = T.Instance(pd.DataFrame)
    pending = T.Dict()
    standing = T.Instance(pd.DataFrame)
    message = T.Unicode("")
    ok = T.Bool(True)

    def __init__(self, ws: Workspace, cohort: str, as_of: dt.date, session_id: int | None = None):
        super().__init__()
        self.ws, self.cohort, self.as_of = ws, cohort, as_of
        self.sessions = ws.cohort_sessions(cohort)
        if self.sessions.empty:
            raise CadreError(
                f"{cohort} 尚无课程，请先在课程安排中添加 cohort {cohort} has no sessions yet: add them in the schedule first"
            )
        held = held_sessions(self.sessions, as_of)
        self.standing = delivery.cohort_standing(ws, cohort, as_of)
        self.session_id = session_id or int((held if not held.empty else self.sessions)["id"].iloc[-1])
        if self.sheet is None:
            self._load({})

    @T.observe("session_id")
    def _load(self, _change: dict) -> None:
        self.sheet = delivery.attendance_sheet(self.ws, self.session_id)
        self.pending = {}

    def mark(self, person_id: int, status: str) -> None:
        """Mark one participant (pending until saved)."""
        if status not in codes("attendance_status"):
            self._say(
                False,
                f"'{status}' is not an attendance status; use one of: "
                + ", ".join(f"{c} ({z})" for z, c in STATUS_OPTIONS),
            )
            return
        if person_id not in set(self.sheet["person_id"].astype(int)):
            self._say(False, f"person #{person_id} is not on this session's sheet")
            return
        current = self.sheet.set_index("person_id")["status"].get(person_id)
        pending = dict(self.pending)
        if current == status:
            pending.pop(person_id, None)
        else:
            pending[person_id] = status
        self.pending = pending
        self._say(True, f"{len(self.pending)} 处修改尚未保存。{len(self.pending)} change(s) not saved yet.")

    def mark_all(self, status: str = "present") -> None:
        """Mark everyone not yet marked with one status; then correct the exceptions one by one.

        Marks already saved are left alone: a trainer re-opening a marked session must not wipe
        its late arrivals and leave with one click.
        """
        current = self.sheet.set_index("person_id")["status"]
        unmarked = [int(pid) for pid in current.index if not isinstance(current[pid], str)]
        if not unmarked:
            self._say(
                True,
                "全部人员均已记录。Everyone on this sheet is already marked; change single marks where needed.",
            )
            return
        self.pending = {**self.pending, **dict.fromkeys(unmarked, status)}
        self._say(
            True,
            f"{len(unmarked)} unmarked participant(s) marked {label('attendance_status', status, 'zh')}; "
            f"{len(self.pending)} change(s) not saved yet.",
        )

    def save(self) -> delivery.SaveResult:
        """Write the pending marks; say what changed, and what was not saved and why."""
        versions = self.sheet.set_index("person_id")["version"]
        seen = {pid: (None if pd.isna(versions.get(pid)) else int(versions.get(pid))) for pid in self.pending}
        try:
            result = delivery.mark_attendance(self.ws, self.session_id, self.pending, seen)
        except CadreError as exc:
            self._say(False, f"未保存 Nothing saved: {exc}")
            return delivery.SaveResult()
        names = dict(zip(self.sheet["person_id"], self.sheet["name"], strict=True))
        self._load({})
        self.standing = delivery.cohort_standing(self.ws, self.cohort, self.as_of)
        self._say(not result.conflicts, result.message(names))
        return result

    def _say(self, ok: bool, text: str) -> None:
        self.ok, self.message = ok, text

    def session_title(self, session_id: int | None = None) -> str:
        row = self.sessions.set_index("id").loc[session_id or self.session_id]
        return f"{row['date']} · {label('format', row['format'], 'zh')} · {row['topic']} ({row['hours']:g} h)"


class AttendanceSheet(W.VBox):
    """The sign-in sheet of one session: a row of status buttons per participant, and standings."""

    def __init__(self, model: AttendanceModel):
        self.model = model
        self._session = W.Dropdown(
            options=[(model.session_title(int(i)), int(i)) for i in model.sessions["id"]],
            description="课次 Session",
            layout=W.Layout(width="40em"),
            style={"description_width": "initial"},
        )
        T.link((model, "session_id"), (self._session, "value"))
        self._all = W.Button(
            description="未记者全部出勤 All present",
            layout=W.Layout(width="16em"),
            tooltip="marks everyone not yet marked as present",
        )
        self._save = W.Button(description="保存 Save", button_style="primary")
        self._message = W.HTML()
        self._message.add_class("cadre-attendance-message")
        self._rows = W.VBox(layout=W.Layout(max_height="28em", overflow="auto"))
        self._standing = W.HTML()
        self._standing.add_class("cadre-standing")
        self._all.on_click(lambda _b: model.mark_all("present"))
        self._save.on_click(lambda _b: model.save())
        model.observe(self._build_rows, names="sheet")
        model.observe(self._render, names=["pending", "message", "standing"])
        super().__init__(
            [
                self._session,
                W.HBox([self._all, self._save]),
                self._message,
                self._rows,
                W.HTML("<b>Standing 学时情况</b>"),
                self._standing,
            ]
        )
        self.add_class("cadre-attendance")
        self._build_rows()

    def _build_rows(self, _change: dict | None = None) -> None:
        self._buttons: dict[int, W.ToggleButtons] = {}
        rows = []
        for r in self.model.sheet.itertuples():
            buttons = W.ToggleButtons(
                options=STATUS_OPTIONS,
                value=r.status if isinstance(r.status, str) else None,
                style={"button_width": "4.2em"},
            )
            buttons.observe(
                lambda ch, pid=int(r.person_id): ch["new"] and self.model.mark(pid, ch["new"]), names="value"
            )
            self._buttons[int(r.person_id)] = buttons
            # flex 0 0 auto: in a scrolling box, rows keep their height instead of squeezing together.
            row = W.HBox(
                [W.Label(r.name, layout=W.Layout(width="7em")), buttons], layout=W.Layout(flex="0 0 auto")
            )
            row.add_class(f"cadre-person-{int(r.person_id)}")
            rows.append(row)
        self._rows.children = rows
        self._render()

    def _render(self, _change: dict | None = None) -> None:
        m = self.model
        for pid, status in m.pending.items():
            if pid in self._buttons and self._buttons[pid].value != status:
                self._buttons[pid].value = status
        self._message.value = status_html(m.ok, m.message)
        on_sheet = set(m.sheet["person_id"].astype(int))
        t = m.standing[m.standing["person_id"].isin(on_sheet)]
        body = "".join(
            f'<tr data-person="{int(r.person_id)}"><td>{html.escape(r.name)}</td><td>{r.credited:.1f}</td>'
            f"<td>{r.offered:.1f}</td><td>{'' if r.rate is None or r.rate != r.rate else f'{r.rate:.0%}'}</td>"
            f"<td>{r.year_credited:.1f}</td><td>{'⚠' if r.below else ''}</td></tr>"
            for r in t.itertuples()
        )
        self._standing.value = (
            "<div style='max-height:24em;overflow:auto'><table><thead><tr>"
            "<th>姓名 Name</th><th>获得学时 Credited</th><th>应到学时 Offered</th>"
            "<th>出勤率 Rate</th><th>本年学时 This year</th><th>低于要求 Below</th></tr></thead>"
            f"<tbody>{body}</tbody></table></div>"
        )

    def __repr__(self) -> str:
        return f"AttendanceSheet(cohort={self.model.cohort!r}, session_id={self.model.session_id})"


def attendance_sheet(
    ws: Workspace, cohort: str, as_of: dt.date, session_id: int | None = None
) -> AttendanceSheet:
    """The attendance sheet of a cohort, opened at `session_id` or its latest session held by `as_of`."""
    return AttendanceSheet(AttendanceModel(ws, cohort, as_of, session_id))


class FeedbackModel(T.HasTraits):
    """One participant's rating of one session (Kirkpatrick level 1); `message` says what was saved."""

    session_id = T.Int(0)
    message = T.Unicode("")
    ok = T.Bool(True)

    def __init__(self, ws: Workspace, cohort: str, as_of: dt.date):
        super().__init__()
        self.ws, self.cohort = ws, cohort
        sessions = ws.cohort_sessions(cohort)
        self.sessions = held_sessions(sessions, as_of)
        if self.sessions.empty:
            raise CadreError(f"截至{as_of}，{cohort} 尚未开课 cohort {cohort} has held no session by {as_of}")
        self.session_id = int(self.sessions["id"].iloc[-1])

    def people(self) -> list[tuple[str, int]]:
        """Who can rate the chosen session: those who attended it."""
        return [(name, pid) for pid, name in delivery.eligible_raters(self.ws, self.session_id).items()]

    def save(
        self, person_id: int | None, usefulness: int | None, relevance: int | None, comment: str = ""
    ) -> bool:
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
            delivery.record_feedback(self.ws, self.session_id, person_id, usefulness, relevance, comment)
        except CadreError as exc:
            self.ok, self.message = False, f"未保存 Not saved: {exc}"
            return False
        name = dict((p, n) for n, p in self.people()).get(person_id, person_id)
        self.ok, self.message = (
            True,
            (f"已保存 {name} 的评价。Saved {name}'s rating: usefulness {usefulness}, relevance {relevance}."),
        )
        return True


class FeedbackForm(W.VBox):
    """Session, participant, two 1-5 ratings and a comment."""

    def __init__(self, model: FeedbackModel):
        self.model = model
        titles = {int(r.id): f"{r.date} · {r.topic}" for r in model.sessions.itertuples()}
        self._session = W.Dropdown(
            options=[(t, i) for i, t in titles.items()],
            description="课次 Session",
            layout=W.Layout(width="36em"),
            style={"description_width": "initial"},
        )
        T.link((model, "session_id"), (self._session, "value"))
        wide = {"description_width": "initial"}
        self._person = W.Dropdown(description="学员 Participant", style=wide)
        scale = [(str(k), k) for k in range(1, 6)]
        self._useful = W.ToggleButtons(
            options=scale, value=None, description="有用 Useful", style={"button_width": "2.5em"}
        )
        self._relevant = W.ToggleButtons(
            options=scale, value=None, description="切题 Relevant", style={"button_width": "2.5em"}
        )
        self._comment = W.Text(description="意见 Comment", style=wide)
        self._save = W.Button(description="保存 Save", button_style="primary")
        self._message = W.HTML()
        self._save.on_click(self._saved)
        model.observe(self._people, names="session_id")
        model.observe(self._render, names="message")
        super().__init__(
            [
                self._session,
                self._person,
                self._useful,
                self._relevant,
                self._comment,
                self._save,
                self._message,
            ]
        )
        self.add_class("cadre-feedback")
        self._people()

    def _people(self, _change: dict | None = None) -> None:
        self._person.options = [("（选择）choose", 0), *self.model.people()]

    def _saved(self, _button) -> None:
        if self.model.save(self._person.value, self._useful.value, self._relevant.value, self._comment.value):
            self._useful.value = self._relevant.value = None
            self._comment.value = ""

    def _render(self, _change: dict | None = None) -> None:
        self._message.value = status_html(self.model.ok, self.model.message)

    def __repr__(self) -> str:
        return f"FeedbackForm(cohort={self.model.cohort!r})"


def feedback_form(ws: Workspace, cohort: str, as_of: dt.date) -> FeedbackForm:
    """The session feedback form of a cohort (does not display it)."""
    return FeedbackForm(FeedbackModel(ws, cohort, as_of))
