"""The sign-in sheet: one session at a time, a row of status buttons per participant, and standings."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as W
import pandas as pd
import traitlets as T

from ...core.codes import codes, label
from ...core.errors import CadreError
from ...core.widgets import Choice, WorkspaceModel, status_html
from ...core.workspace import Workspace
from .._analysis import held_sessions
from .._attendance import SaveResult, attendance_sheet, mark_attendance
from .._hours import cohort_standing
from .._rules_text import credit_text
from .._sessions import cohort_sessions

__all__ = ["AttendanceModel", "AttendanceSheet", "sign_in_sheet", "STATUS_OPTIONS"]

STATUS_OPTIONS = [(label("attendance_status", c, "zh"), c) for c in codes("attendance_status")]


class AttendanceModel(WorkspaceModel):
    """One session's sign-in sheet: marks made here are pending until `save`, which never
    overwrites a mark someone else saved meanwhile. The sessions, the sheet and the standings
    follow every save to the workspace, from this widget or any other."""

    watches = frozenset({"session", "attendance", "enrollment", "person"})
    sessions = T.Instance(pd.DataFrame)
    session_id = T.Int(0)
    sheet = T.Instance(pd.DataFrame)
    pending = T.Dict()
    # The version of each pending mark as it was when marked: a save in between (here or in
    # another widget) reloads the sheet, and must still be reported as a conflict, not overwritten.
    seen = T.Dict()
    standing = T.Instance(pd.DataFrame)
    message = T.Unicode("")
    ok = T.Bool(True)

    def __init__(self, ws: Workspace, cohort: str, as_of: dt.date, session_id: int | None = None):
        super().__init__()
        self.ws, self.cohort, self.as_of = ws, cohort, as_of
        self.sessions = cohort_sessions(ws, cohort)
        if self.sessions.empty:
            raise CadreError(
                f"{cohort} 尚无课程，请先在课程安排中添加 cohort {cohort} has no sessions yet: add them in the schedule first"
            )
        held = held_sessions(self.sessions, as_of)
        self.standing = cohort_standing(ws, cohort, as_of)
        self.session_id = session_id or int((held if not held.empty else self.sessions)["id"].iloc[-1])
        if self.sheet is None:
            self._load({})
        self.follow(ws)

    @T.observe("session_id")
    def _load(self, _change: dict) -> None:
        self.sheet = attendance_sheet(self.ws, self.session_id)
        self.pending, self.seen = {}, {}

    def reload(self, sessions: bool = True) -> None:
        """Read the sessions, this session's sheet and the standings again; marks not yet saved
        stay pending."""
        pending = dict(self.pending)
        if sessions:
            self.sessions = cohort_sessions(self.ws, self.cohort)
        self.sheet = attendance_sheet(self.ws, self.session_id)
        self.standing = cohort_standing(self.ws, self.cohort, self.as_of)
        self.pending = pending

    def _workspace_changed(self, tables: frozenset[str]) -> None:
        if tables & self.watches:  # a mark saved leaves the list of sessions as it was
            self.reload(sessions="session" in tables)

    def mark(self, person_id: int, status: str) -> None:
        """Mark one participant (pending until saved)."""
        if status not in codes("attendance_status"):
            options = ", ".join(f"{c} ({z})" for z, c in STATUS_OPTIONS)
            self._say(False, f"考勤状态不对 '{status}' is not an attendance status; use one of: {options}")
            return
        on_sheet = self.sheet.set_index("person_id")["on_sheet"]
        if not bool(on_sheet.get(person_id, False)):
            self._say(
                False,
                f"该学员当天不在参训名单中，不能记考勤 person #{person_id} is not on this session's sheet "
                "(not enrolled in the cohort on its date); their saved mark is shown as it is",
            )
            return
        if self.pending.get(person_id) == status:
            return  # already pending (a button showing the mark echoes it back): nothing new to say
        current = self.sheet.set_index("person_id")["status"].get(person_id)
        pending = dict(self.pending)
        if current == status:  # back to what the sheet shows: nothing to save
            pending.pop(person_id, None)
            self.seen = {k: v for k, v in self.seen.items() if k != person_id}
        else:
            self._remember_versions([person_id])
            pending[person_id] = status
        self.pending = pending
        self._say(True, f"{len(self.pending)} 处修改尚未保存。{len(self.pending)} change(s) not saved yet.")

    def mark_all(self, status: str = "present") -> None:
        """Mark everyone not yet marked with one status; then correct the exceptions one by one.

        Marks already saved are left alone: a trainer re-opening a marked session must not wipe
        its late arrivals and leave with one click.
        """
        sheet = self.sheet[self.sheet["on_sheet"]]
        current = sheet.set_index("person_id")["status"]
        unmarked = [int(pid) for pid in current.index if not isinstance(current[pid], str)]
        if not unmarked:
            self._say(
                True,
                "全部人员均已记录。Everyone on this sheet is already marked; change single marks where needed.",
            )
            return
        self._remember_versions(unmarked)
        self.pending = {**self.pending, **dict.fromkeys(unmarked, status)}
        zh = label("attendance_status", status, "zh")
        self._say(
            True,
            f"未记录的 {len(unmarked)} 人已标为{zh}，{len(self.pending)} 处修改尚未保存。"
            f"{len(unmarked)} unmarked participant(s) marked {zh}; {len(self.pending)} change(s) not saved yet.",
        )

    def save(self) -> SaveResult:
        """Write the pending marks; say what changed, and what was not saved and why."""
        seen = {pid: self.seen.get(pid) for pid in self.pending}
        names = dict(zip(self.sheet["person_id"], self.sheet["name"], strict=True))
        try:
            result = mark_attendance(self.ws, self.session_id, self.pending, seen)
        except CadreError as exc:
            self._say(False, f"未保存 Nothing saved: {exc}")
            return SaveResult()
        if not result.changed:  # nothing written, so no change signal: show what others saved
            self.reload()
        self.pending, self.seen = {}, {}  # a save's change signal has reloaded the sheet and standings
        self._say(not result.conflicts, result.message(names))
        return result

    def _remember_versions(self, person_ids: list[int]) -> None:
        """Keep the version of each mark as first seen, for the save's conflict check."""
        versions = self.sheet.set_index("person_id")["version"]
        seen = dict(self.seen)
        for pid in person_ids:
            if pid not in seen:
                seen[pid] = None if pd.isna(versions.get(pid)) else int(versions.get(pid))
        self.seen = seen

    def _say(self, ok: bool, text: str) -> None:
        self.ok, self.message = ok, text

    def session_title(self, session_id: int | None = None) -> str:
        row = self.sessions.set_index("id").loc[session_id or self.session_id]
        return f"{row['date']} · {label('format', row['format'], 'zh')} · {row['topic']} ({row['hours']:g} h)"


class AttendanceSheet(W.VBox):
    """The sign-in sheet of one session: a row of status buttons per participant, and standings."""

    def __init__(self, model: AttendanceModel):
        self.model = model
        self.session = W.Dropdown(
            description="课次 Session", layout=W.Layout(width="40em"), style={"description_width": "initial"}
        )
        self.all_present_button = W.Button(
            description="未记者全部出勤 All present",
            layout=W.Layout(width="16em"),
            tooltip="将尚未记录的学员全部记为出勤 marks everyone not yet marked as present",
        )
        self.save_button = W.Button(description="保存 Save", button_style="primary")
        self.message, self.standing = W.HTML(), W.HTML()
        self.message.add_class("cadre-attendance-message")
        self.standing.add_class("cadre-standing")
        self.rows = W.VBox(layout=W.Layout(max_height="28em", overflow="auto"))
        self._buttons: dict[int, W.ToggleButtons] = {}
        self._session_choice = Choice(self.session, model, "session_id", self._session_options())
        self.all_present_button.on_click(lambda _b: model.mark_all("present"))
        self.save_button.on_click(lambda _b: model.save())
        model.observe(self._sessions, names="sessions")
        model.observe(self._build_rows, names="sheet")
        model.observe(self._render, names=["pending", "message", "standing"])
        controls = [
            self.session,
            W.HBox([self.all_present_button, self.save_button]),
            self.message,
            self.rows,
        ]
        # What a mark earns: the part credit for late and left early is the department's choice.
        credit = W.HTML(f"<small>{html.escape(credit_text(model.ws.rules))}</small>")
        super().__init__([*controls, W.HTML("<b>学时情况 Standing</b>"), credit, self.standing])
        self.add_class("cadre-attendance")
        self._build_rows()

    def buttons_for(self, person_id: int) -> W.ToggleButtons:
        """The status buttons of one participant's row (as a trainer clicks them)."""
        return self._buttons[person_id]

    def _session_options(self) -> list[tuple[str, int]]:
        m = self.model
        return [(m.session_title(int(i)), int(i)) for i in m.sessions["id"]]

    def _sessions(self, _change: dict | None = None) -> None:
        self._session_choice.set_options(self._session_options())

    def _build_rows(self, _change: dict | None = None) -> None:
        self._buttons = {}
        rows = []
        for r in self.model.sheet.itertuples():
            buttons = W.ToggleButtons(
                options=STATUS_OPTIONS,
                value=r.status if isinstance(r.status, str) else None,
                style={"button_width": "4.2em"},
                disabled=not r.on_sheet,
                tooltip=None if r.on_sheet else "当天不在参训名单中 not enrolled on this date",
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
        self.rows.children = rows
        self._render()

    def _render(self, _change: dict | None = None) -> None:
        m = self.model
        for pid, status in m.pending.items():
            if pid in self._buttons and self._buttons[pid].value != status:
                self._buttons[pid].value = status
        self.message.value = status_html(m.ok, m.message)
        on_sheet = set(m.sheet["person_id"].astype(int))
        t = m.standing[m.standing["person_id"].isin(on_sheet)]

        def hours(v) -> str:
            return "–" if v is None or v != v else f"{v:.1f}"

        body = "".join(
            f'<tr data-person="{int(r.person_id)}"><td>{html.escape(r.name)}</td><td>{hours(r.credited)}</td>'
            f"<td>{hours(r.marked_hours)}</td><td>{hours(r.unmarked_hours) if r.unmarked_hours else ''}</td>"
            f"<td>{'' if r.rate is None or r.rate != r.rate else f'{r.rate:.0%}'}</td>"
            f"<td>{hours(r.year_credited)}</td><td>{'是 ⚠' if r.below else ''}</td></tr>"
            for r in t.itertuples()
        )
        self.standing.value = (
            "<div style='max-height:24em;overflow:auto'><table><thead><tr>"
            "<th>姓名 Name</th><th>获得学时 Credited</th><th>已记考勤学时 Marked</th>"
            "<th>未记考勤学时 Not yet marked</th><th>出勤率 Rate</th><th>本年已获学时 This year</th>"
            "<th>低于结业要求 Below</th></tr></thead>"
            f"<tbody>{body}</tbody></table></div>"
        )

    def __repr__(self) -> str:
        return f"AttendanceSheet(cohort={self.model.cohort!r}, session_id={self.model.session_id})"


def sign_in_sheet(
    ws: Workspace, cohort: str, as_of: dt.date, session_id: int | None = None
) -> AttendanceSheet:
    """The sign-in sheet of a cohort, opened at `session_id` or its latest session held by `as_of`."""
    return AttendanceSheet(AttendanceModel(ws, cohort, as_of, session_id))
