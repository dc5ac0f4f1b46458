"""The import widget: choose a file, read the check, confirm; nothing is written before confirming."""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

import ipywidgets as W
import traitlets as T

from ..errors import CadreError, InvalidEntry
from ..ids import scrub_ids
from ..importers import IMPORTERS, check_file
from ..importing import ImportRejected, ImportReport
from ..readers import sheet_names
from ..store import Workspace
from .common import cohort_options, status_html

__all__ = ["ImportModel", "ImportWidget", "import_widget"]

SHOWN_ROWS = 50  # rows of problems or of the preview drawn; a big file's list is a download
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _first_rows(frame, total: int, zh: str, en: str) -> str:
    """The table as HTML, saying how many of how many rows it shows when it is cut."""
    note = (
        f"<p>显示前 {len(frame)} {zh}，共 {total} {zh}。Showing the first {len(frame)} of {total} {en}.</p>"
        if total > len(frame)
        else ""
    )
    return note + frame.to_html(index=False, border=0, na_rep="")


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

    def __init__(self, ws: Workspace, kind: str, cohort: str | None = None, as_of: dt.date | None = None):
        super().__init__()
        self.ws, self.kind, self.as_of, self._data = ws, kind, as_of, b""
        self.cohort = cohort or ""

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
            self.report = check_file(self.ws, self.kind, self._data, self.file_name, **self._options())
        except CadreError as exc:  # the workspace or its rules file cannot be used right now
            self.report, self.state = None, "rejected"
            self.status = f"未检查 Not checked: {exc}"
            return None
        self.state = "checked" if self.report.ok else "rejected"
        self.status = self.report.summary() + (
            " 确认无误后点击“导入”。Press Import to write it." if self.report.ok else ""
        )
        return self.report

    def confirm(self) -> ImportReport:
        """Write what the check showed, in one transaction; refused unless the last check passed."""
        if self.state != "checked":
            self.status = (
                "没有可导入的文件，请先选择文件。Nothing to import: choose a file first."
                if self.state == "empty"
                else "未导入：请改正所列问题后重新选择文件。Not imported: fix the problems listed and load the file again."
                if self.state == "rejected"
                else "该文件已导入，请选择下一个文件。Already imported; load the next file."
            )
            return self.report
        try:
            self.report = IMPORTERS[self.kind](self.ws).run(
                self._data, self.file_name, progress=self._progress, **self._options()
            )
        except ImportRejected as exc:  # the workspace changed since the check
            self.report, self.state = exc.report, "rejected"
            self.status = exc.report.summary()
            return self.report
        except CadreError as exc:  # e.g. someone else saving at the same moment: nothing was written
            self.state = "checked"
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
    """Upload, sheet and cohort pickers, the check's preview and errors, and an Import button."""

    def __init__(self, model: ImportModel, cohorts: list[tuple[str, str]]):
        self.model = model
        self._upload = W.FileUpload(
            accept=".xlsx,.xls,.csv",
            multiple=False,
            description="选择文件 File",
            layout=W.Layout(width="12em"),
        )
        wide = {"description_width": "initial"}
        self._sheet = W.Dropdown(description="工作表 Sheet", options=[], style=wide)
        self._cohort = W.Dropdown(
            description="培训项目 Cohort",
            options=[("（不选）none", ""), *cohorts],
            style=wide,
            layout=W.Layout(width="30em"),
        )
        self._import = W.Button(description="导入 Import", button_style="primary", disabled=True)
        self._bar = W.FloatProgress(min=0, max=1, layout=W.Layout(width="16em"))
        self._status = W.HTML()
        self._status.add_class("cadre-import-status")
        self._table = W.HTML()
        self._download = W.Button(
            description="下载问题清单 Download all problems (.xlsx)", layout=W.Layout(width="22em")
        )
        self._link = W.HTML()
        self._link.add_class("cadre-import-download")
        self._download.on_click(self._offer_download)
        T.link((model, "cohort"), (self._cohort, "value"))
        T.dlink((model, "progress"), (self._bar, "value"))
        self._upload.observe(self._uploaded, names="value")
        self._sheet.observe(self._sheet_chosen, names="value")
        self._import.on_click(lambda _b: model.confirm())
        model.observe(self._render, names=["status", "report", "state", "sheets"])
        super().__init__(
            [
                W.HBox([self._upload, self._sheet, self._cohort]),
                W.HBox([self._import, self._bar]),
                self._status,
                W.HBox([self._download, self._link]),
                self._table,
            ]
        )
        self.add_class("cadre-import")
        self._render()

    def _uploaded(self, change: dict) -> None:
        if change["new"]:
            item = change["new"][0]
            self.model.load(item["name"], bytes(item["content"]))

    def _sheet_chosen(self, change: dict) -> None:
        if change["new"]:
            self.model.sheet = change["new"]

    def _render(self, _change: dict | None = None) -> None:
        m = self.model
        if list(self._sheet.options) != m.sheets:
            self._sheet.options = m.sheets
        self._sheet.value = m.sheet if m.sheet in m.sheets else None
        self._import.disabled = m.state != "checked"
        self._status.value = status_html(m.state != "rejected", m.status)
        errors = m.report.errors if m.report is not None else []
        self._download.layout.display = "" if errors else "none"
        self._link.value = ""
        if m.report is None:
            self._table.value = ""
        elif errors:
            self._table.value = _first_rows(
                m.report.errors_frame(SHOWN_ROWS), len(errors), "个问题", "problems"
            )
        else:
            preview = m.report.preview()
            self._table.value = _first_rows(preview.head(SHOWN_ROWS), len(preview), "行", "rows")

    def _offer_download(self, _button: W.Button | None = None) -> None:
        offer = self.model.errors_download()
        if offer is not None:
            name, uri = html.escape(offer[0]), offer[1]
            self._link.value = f'<a download="{name}" href="{uri}">保存 Save {name}</a>'

    def __repr__(self) -> str:
        return f"ImportWidget(kind={self.model.kind!r})"


def import_widget(
    ws: Workspace, kind: str, cohort: str | None = None, as_of: dt.date | None = None
) -> ImportWidget:
    """An import widget for 'roster' or 'sessions' files (does not display it)."""
    return ImportWidget(ImportModel(ws, kind, cohort, as_of), cohort_options(ws))
