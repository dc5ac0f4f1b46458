"""Pieces every stage's widgets use: how an answer is shown, models that follow the workspace, and
the import widget (choose a file, read the check, confirm; nothing is written before confirming).

Each view keeps its state in a model (traitlets), binds its controls to it, and exposes the
controls a trainer uses as public attributes, which tests drive as a trainer would.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

import ipywidgets as W
import traitlets as T

from .errors import CadreError, InvalidEntry
from .ids import drop_controls, mask_frame, scrub_ids, shown
from .import_report import ImportRejected, ImportReport
from .importing import Importer
from .readers import sheet_names
from .workspace import Workspace

__all__ = [
    "status_html",
    "Choice",
    "bind",
    "show_choice",
    "WorkspaceModel",
    "ImportModel",
    "ImportWidget",
    "SHOWN_ROWS",
    "TABLE_ROWS",
    "rows_html",
]

SHOWN_ROWS = 50  # rows of problems or of the preview drawn; a big file's list is a download
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def status_html(ok: bool, text: str) -> str:
    """A widget's answer to the trainer: plain when it worked, red when something was refused."""
    return f'<span style="color:{"inherit" if ok else "#b00020"}">{html.escape(shown(text))}</span>'


class Choice:
    """A dropdown bound both ways to a model's trait, whose options can change under it.

    ipywidgets moves a dropdown to its first option whenever its options are replaced; through a
    plain link that passing choice would reach the model (a sign-in sheet would jump to the first
    session and drop the marks not saved yet, when a session is added elsewhere). Here new
    options keep the model's choice, and only a choice the trainer makes reaches the model.
    """

    def __init__(
        self, dropdown: W.Dropdown, model: T.HasTraits, name: str, options: list[tuple[str, object]]
    ):
        self.dropdown, self.model, self.name, self._quiet = dropdown, model, name, False
        self.set_options(options)
        dropdown.observe(self._picked, names="value")
        model.observe(self._shown, names=name)

    def set_options(self, options: list[tuple[str, object]]) -> None:
        """Show `options`, keeping the model's choice. If an offered choice is gone, the model takes
        the first option; a value no option ever offered (set by code) stays, shown blank."""
        chosen = getattr(self.model, self.name)
        was_offered = chosen in [o[1] if isinstance(o, tuple) else o for o in self.dropdown.options]
        values = [value for _label, value in options]
        self._quiet = True
        try:
            self.dropdown.options = options
            show_choice(self.dropdown, chosen)
        finally:
            self._quiet = False
        if chosen not in values and values and was_offered:
            self._quiet = True
            try:
                self.dropdown.value = values[0]
            finally:
                self._quiet = False
            setattr(self.model, self.name, values[0])

    def _picked(self, change: dict) -> None:
        if not self._quiet and change["new"] is not None:
            setattr(self.model, self.name, change["new"])

    def _shown(self, change: dict) -> None:
        # A choice among options not shown yet (the model moved on before the view's options
        # follow, or code set a value no option offers) shows blank until `set_options` offers
        # it; the model keeps it, and its save says why such a value is refused.
        self._quiet = True
        try:
            show_choice(self.dropdown, change["new"])
        finally:
            self._quiet = False


def _offered(control: W.ValueWidget) -> list:
    return [o[1] if isinstance(o, tuple) else o for o in control.options]


def show_choice(control: W.ValueWidget, value: object) -> None:
    """Show `value` in a choice among options, or leave it blank (None) when no option offers it."""
    control.value = value if value in _offered(control) else None


def _bind_many(model: T.HasTraits, name: str, control: W.SelectMultiple) -> None:
    """A multiple choice bound both ways: the values no option offers stay on the model only."""
    quiet = [False]

    def shown(change: dict) -> None:
        quiet[0] = True
        try:
            control.value = tuple(v for v in change["new"] if v in _offered(control))
        finally:
            quiet[0] = False

    def picked(change: dict) -> None:
        if not quiet[0]:
            setattr(model, name, tuple(change["new"]))

    shown({"new": getattr(model, name)})
    control.observe(picked, names="value")
    model.observe(shown, names=name)


def bind(model: T.HasTraits, name: str, control: W.ValueWidget) -> None:
    """Bind a control's value both ways to a model's trait. A choice among fixed options goes
    through `Choice` (or `_bind_many`), so a value set on the model that no option offers (an
    analyst's typo) is left out of the view instead of raising inside it; the model's save
    refuses it with the reason."""
    if isinstance(control, W.SelectMultiple):
        _bind_many(model, name, control)
    elif isinstance(control, W.Dropdown | W.ToggleButtons | W.RadioButtons | W.Select):
        options = [o if isinstance(o, tuple) else (str(o), o) for o in control.options]
        Choice(control, model, name, options)
    else:
        T.link((model, name), (control, "value"))


class WorkspaceModel(T.HasTraits):
    """A model that shows workspace data and reloads it when any widget saves to the workspace.

    Subclasses say which tables they show (`watches`) and implement `reload`.
    """

    watches: frozenset[str] = frozenset()

    @T.validate("message", "status")
    def _masked(self, proposal: dict) -> str:
        """A model's answer never holds an ID number in clear, whatever was typed into the form."""
        return scrub_ids(proposal["value"])

    def follow(self, ws: Workspace) -> None:
        """Reload whenever a save in this kernel changes one of the tables this model shows."""
        ws.on_change(self._workspace_changed)

    def _workspace_changed(self, tables: frozenset[str]) -> None:
        if tables & self.watches:
            self.reload()

    def reload(self) -> None:
        raise NotImplementedError


TABLE_ROWS = 200  # rows a widget's table draws: a national list of chiefs has 80,000


def _first_rows(frame, total: int, zh: str, en: str) -> str:
    """The table as HTML, saying how many of how many rows it shows when it is cut."""
    note = (
        f"<p>显示前 {len(frame):,} {zh}，共 {total:,} {zh}。Showing the first {len(frame):,} of {total:,} {en}.</p>"
        if total > len(frame)
        else ""
    )
    return note + mask_frame(drop_controls(frame.copy())).to_html(index=False, border=0, na_rep="")


def rows_html(frame, zh: str, en: str, limit: int = TABLE_ROWS) -> str:
    """At most `limit` rows of a table shown in a widget, as HTML, saying so when rows are left
    out (zh and en name what a row is: 人 / chiefs). Everything is in the table and the export."""
    return _first_rows(frame.head(limit), len(frame), zh, en)


class ImportModel(T.HasTraits):
    """A file being imported: checked on arrival (dry run), written only on confirm.

    `status` always says in plain words what happened: what would be written, what was
    written, or that nothing was written and why.
    """

    file_name = T.Unicode()
    sheet = T.Unicode()
    sheets = T.List(T.Unicode())
    cohort = T.Unicode()  # "" means none
    report = T.Instance(ImportReport, allow_none=True)
    state = T.Enum(["empty", "checked", "rejected", "imported"], default_value="empty")
    status = T.Unicode("请选择文件（.xlsx、.xls 或 .csv）。Choose a file: .xlsx, .xls or .csv.")
    progress = T.Float(0.0)

    @T.validate("status")
    def _masked(self, proposal: dict) -> str:
        return scrub_ids(proposal["value"])

    def __init__(
        self, ws: Workspace, importer: type[Importer], cohort: str | None = None, as_of: dt.date | None = None
    ):
        super().__init__()
        self.ws, self.importer, self.as_of, self._data = ws, importer, as_of, b""
        self.cohort = cohort or ""

    @property
    def kind(self) -> str:
        return self.importer.kind

    def load(self, name: str, data: bytes) -> ImportReport | None:
        """Take a file's bytes (from the upload widget or a path) and check it."""
        self._data, self.file_name = bytes(data), name
        try:
            self.sheets = sheet_names(self._data, name)
        except InvalidEntry as exc:
            self.sheet, self.sheets, self.report, self.state = "", [], None, "rejected"
            self.status = f"{name}: {exc}"
            return None
        with self.hold_trait_notifications():
            self.sheet = self.sheets[0] if self.sheets else ""
        return self.check()

    @T.observe("sheet", "cohort")
    def _recheck(self, _change: dict) -> None:
        if self._data and self.state != "imported":
            self.check()

    def _options(self) -> dict:
        return {"sheet": self.sheet or None, "cohort": self.cohort or None, "as_of": self.as_of}

    def check(self) -> ImportReport | None:
        """Dry run: fill `report` and say what would be written, or every problem."""
        try:
            self.report = self.importer(self.ws).run(
                self._data, self.file_name, dry_run=True, **self._options()
            )
        except ImportRejected as exc:
            self.report = exc.report
        except CadreError as exc:  # the workspace or its rules file cannot be used right now
            self.report, self.state = None, "rejected"
            self.status = f"未检查 Not checked: {exc}"
            return None
        self.state = "checked" if self.report.ok else "rejected"
        self.status = self.report.summary() + (
            " 确认无误后点击“导入”。Press Import to write it." if self.report.ok else ""
        )
        return self.report

    def confirm(self) -> ImportReport | None:
        """Write what the check showed, in one transaction; refused unless the last check passed."""
        if self.state != "checked":
            self.status = {
                "empty": "没有可导入的文件，请先选择文件。Nothing to import: choose a file first.",
                "rejected": "未导入：请改正所列问题后重新选择文件。Not imported: fix the problems listed and load the file again.",
                "imported": "该文件已导入，请选择下一个文件。Already imported; load the next file.",
            }[self.state]
            return self.report
        try:
            self.report = self.importer(self.ws).run(
                self._data, self.file_name, progress=self._progress, **self._options()
            )
        except ImportRejected as exc:  # the workspace changed since the check
            self.report, self.state = exc.report, "rejected"
            self.status = exc.report.summary()
            return self.report
        except CadreError as exc:  # e.g. someone else saving at the same moment: nothing was written
            self.status = f"未导入，未写入任何数据。Not imported, nothing was written: {exc}"
            return self.report
        self.state, self.progress = "imported", 1.0
        self.status = self.report.summary()
        return self.report

    def errors_download(self) -> tuple[str, str] | None:
        """(file name, data: URI) of every problem of the last check as an .xlsx file, made only
        when asked for (a long list takes seconds); None when there are no problems."""
        if self.report is None or not self.report.errors:
            return None
        data = base64.b64encode(self.report.errors_workbook()).decode("ascii")
        return f"{Path(scrub_ids(self.file_name)).stem}_问题清单.xlsx", f"data:{XLSX_MIME};base64,{data}"

    def _progress(self, done: int, total: int) -> None:
        self.progress = done / total if total else 1.0


class ImportWidget(W.VBox):
    """Upload, sheet and cohort pickers, the check's preview or problems (a count per kind and the
    first rows), a download of every problem, and an Import button."""

    def __init__(self, model: ImportModel, cohorts: list[tuple[str, str]]):
        self.model = model
        wide = {"description_width": "initial"}
        self.upload = W.FileUpload(
            accept=".xlsx,.xls,.csv",
            multiple=False,
            description="选择文件 File",
            layout=W.Layout(width="12em"),
        )
        self.sheet = W.Dropdown(description="工作表 Sheet", options=[], style=wide)
        self.cohort = W.Dropdown(
            description="培训项目 Cohort",
            options=[("（不选）none", ""), *cohorts],
            style=wide,
            layout=W.Layout(width="30em"),
        )
        self.import_button = W.Button(description="导入 Import", button_style="primary", disabled=True)
        self.download_button = W.Button(
            description="下载问题清单 Download all problems (.xlsx)", layout=W.Layout(width="22em")
        )
        self.status, self.kinds, self.table, self.link = W.HTML(), W.HTML(), W.HTML(), W.HTML()
        self.status.add_class("cadre-import-status")
        self.link.add_class("cadre-import-download")
        bar = W.FloatProgress(min=0, max=1, layout=W.Layout(width="16em"))
        bind(model, "cohort", self.cohort)
        T.dlink((model, "progress"), (bar, "value"))
        self.upload.observe(self._uploaded, names="value")
        self.sheet.observe(lambda c: c["new"] and setattr(model, "sheet", c["new"]), names="value")
        self.import_button.on_click(lambda _b: model.confirm())
        self.download_button.on_click(self._offer_download)
        model.observe(self._render, names=["status", "report", "state", "sheets"])
        super().__init__(
            [
                W.HBox([self.upload, self.sheet, self.cohort]),
                W.HBox([self.import_button, bar]),
                self.status,
                W.HBox([self.download_button, self.link]),
                self.kinds,
                self.table,
            ]
        )
        self.add_class("cadre-import")
        self._render()

    def _uploaded(self, change: dict) -> None:
        if change["new"]:
            item = change["new"][0]
            self.model.load(item["name"], bytes(item["content"]))

    def _render(self, _change: dict | None = None) -> None:
        m = self.model
        if list(self.sheet.options) != m.sheets:
            self.sheet.options = m.sheets
        self.sheet.value = m.sheet if m.sheet in m.sheets else None
        self.import_button.disabled = m.state != "checked"
        self.status.value = status_html(m.state != "rejected", m.status)
        errors = m.report.errors if m.report is not None else []
        self.download_button.layout.display = "" if errors else "none"
        self.link.value = ""
        self.kinds.value = m.report.problems_by_kind().to_html(index=False, border=0) if errors else ""
        if m.report is None:
            self.table.value = ""
        elif errors:
            self.table.value = _first_rows(
                m.report.errors_frame(SHOWN_ROWS), len(errors), "个问题", "problems"
            )
        else:
            preview = m.report.preview()
            self.table.value = _first_rows(preview.head(SHOWN_ROWS), len(preview), "行", "rows")

    def _offer_download(self, _button: W.Button | None = None) -> None:
        offer = self.model.errors_download()
        if offer is not None:
            name, uri = html.escape(offer[0]), offer[1]
            self.link.value = f'<a download="{name}" href="{uri}">保存 Save {name}</a>'

    def __repr__(self) -> str:
        return f"ImportWidget(kind={self.model.kind!r})"
