"""What an import found: every problem with its place and code, what would be written, and summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CadreError
from .ids import scrub_ids
from .problems import Problem, describe

__all__ = ["RowError", "ImportReport", "ImportRejected", "SHOWN_ERRORS", "ERROR_COLUMNS"]

_COUNTED = {"new": "imported", "update": "updated", "unchanged": "unchanged"}
SHOWN_ERRORS = 20  # problems printed or drawn; the full list goes to a file the user names
ERROR_COLUMNS = {
    "sheet": "工作表 Sheet",
    "row": "行 Row",
    "column": "列 Column",
    "value": "内容 Value",
    "reason": "问题及处理 Problem and what to do",
    "code": "代码 Code",
}


@dataclass(frozen=True)
class RowError:
    """One problem: where it is (as Excel shows it), the value (IDs masked), its code and what it
    is made of; `reason` words it, Chinese then English."""

    sheet: str
    row: int | None
    column: str | None
    value: str | None
    problem: Problem
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Whatever a cell held, a problem report never carries an ID number in clear.
        object.__setattr__(self, "value", scrub_ids(self.value))

    @property
    def reason(self) -> str:
        return scrub_ids(describe(self.problem, self.params))

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.problem.value,
            "reason": self.reason,
        }


@dataclass
class ImportReport:
    """What an import found and did (or, on a dry run, would do)."""

    kind: str
    file_name: str
    file_hash: str
    sheet: str = ""
    encoding: str | None = None  # how a CSV file was read; None for a workbook
    dry_run: bool = True
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_rows: list[int] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    plan: list[dict[str, Any]] = field(default_factory=list)
    # Rows whose stored value someone else saved between the check and the write: the file's
    # value replaced it all the same (as an import does), and the plan's `was` says which value.
    replaced: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def wrote(self, at: int, action: str, was: str | None, by: str | None) -> None:
        """What the write did to the row planned at `at` (the plan's index) when it is not what
        the check said: a row stored meanwhile by someone else (`by`) was replaced, `was` its value."""
        planned = self.plan[at]
        if action == planned["action"] and (was or "") == (planned.get("was") or ""):
            return
        if action in ("update", "unchanged") and planned["action"] != action:
            self.count(action)
            setattr(self, _COUNTED[planned["action"]], getattr(self, _COUNTED[planned["action"]]) - 1)
        planned["action"] = action
        planned["was"] = f"{was or ''}（{by}保存）" if by else (was or "")
        self.replaced.append(planned["row"])

    def count(self, action: str) -> None:
        """Count one planned row as 'new', 'update' or 'unchanged'."""
        attr = {"new": "imported", "update": "updated", "unchanged": "unchanged"}[action]
        setattr(self, attr, getattr(self, attr) + 1)

    def problem_counts(self) -> list[tuple[Problem, int]]:
        """How many problems of each kind, most first (then in the order they first appear)."""
        counts: dict[Problem, int] = {}
        for e in self.errors:
            counts[e.problem] = counts.get(e.problem, 0) + 1
        return sorted(counts.items(), key=lambda kv: -kv[1])

    def problems_by_kind(self):
        """The problem counts as a table a trainer reads: kind (in words), code, how many."""
        import pandas as pd

        rows = [(describe(p, {}, "zh"), p.value, n) for p, n in self.problem_counts()]
        return pd.DataFrame(rows, columns=["问题 Problem", "代码 Code", "数量 Count"])

    def to_json(self, limit: int | None = None) -> dict[str, Any]:
        """The machine-readable summary printed by `cadre import … --format json`.

        `errors` holds every problem (a program reading it needs them all; the text view is the
        one that sums up), or the first `limit`; `error_count` is the total and `problems` the
        count per code.
        """
        return {
            "file": scrub_ids(self.file_name),
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "sheet": scrub_ids(self.sheet),
            "unknown_columns": [scrub_ids(c) for c in self.unknown_columns],
            "replaced": list(self.replaced),  # rows saved by someone else after the check, replaced
            "error_count": len(self.errors),
            "problems": {p.value: n for p, n in self.problem_counts()},
            "errors": [e.as_dict() for e in self.errors[:limit]],
        }

    def errors_frame(self, limit: int | None = None):
        """The errors (the first `limit`, or all) as a table a trainer reads, headed in both languages."""
        import pandas as pd

        shown = self.errors[:limit]
        frame = pd.DataFrame([e.as_dict() for e in shown], columns=list(ERROR_COLUMNS))
        frame[["column", "value"]] = frame[["column", "value"]].fillna("")
        return frame.astype({"row": "Int64"}).rename(columns=ERROR_COLUMNS)

    def write_errors(self, path: str | Path) -> Path:
        """Write every problem to `path` (.xlsx, or .csv in UTF-8 that Excel opens), to hand back
        with the file. Refuses to replace a file that is already there."""
        from .export import write_table

        return write_table(path, self.errors_frame(), sheet="问题清单 Problems")

    def errors_workbook(self) -> bytes:
        """Every problem as the bytes of an .xlsx file (the import widget's download)."""
        from .export import table_bytes

        return table_bytes(self.errors_frame(), sheet="问题清单 Problems")

    def preview(self):
        """The rows that would be (or were) written, with what happens to each (IDs masked)."""
        import pandas as pd

        from .ids import mask_frame

        return mask_frame(pd.DataFrame(self.plan))

    def summary(self) -> str:
        """One line in plain words, Chinese first."""
        name = scrub_ids(self.file_name)
        if self.errors:
            return self._rejected(name)
        extra = (
            f"; columns kept in notes: {', '.join(scrub_ids(c) for c in self.unknown_columns)}"
            if self.unknown_columns
            else ""
        )
        zh = "将" if self.dry_run else "已"
        n = len(self.replaced)
        rows = ", ".join(map(str, self.replaced[:8])) + (" …" if n > 8 else "")
        meanwhile_zh = (
            f"其中第{rows}行的记录在检查后已由他人保存，已按文件替换（原记录见预览）。" if n else ""
        )
        meanwhile_en = (
            f" {n} row(s) ({rows}) had been saved by someone else after the check; the file's values replaced "
            "them (the preview shows what was there)."
            if n
            else ""
        )
        return (
            f"{name}：{zh}新增 {self.imported}、{zh}更新 {self.updated}、不变 {self.unchanged}。{meanwhile_zh} "
            f"{'would import' if self.dry_run else 'imported'} {self.imported} new, "
            f"{'would update' if self.dry_run else 'updated'} {self.updated}, {self.unchanged} unchanged{extra}."
            f"{meanwhile_en}"
        )

    def _rejected(self, name: str) -> str:
        garbled = self.encoding not in (None, "UTF-8", "UTF-16")  # read by a guess among encodings
        return (
            f"{name}：发现 {len(self.errors)} 个问题，未导入任何数据，请改正后重新导入。"
            + (f"（按 {self.encoding} 编码读取，如内容乱码请另存为“CSV UTF-8”）" if garbled else "")
            + f" {len(self.errors)} problem(s) found; nothing "
            f"{'can be' if self.dry_run else 'was'} imported. Fix them in the file and import it again."
            + (
                f" (Read as {self.encoding} text: if names look garbled, save it as CSV UTF-8.)"
                if garbled
                else ""
            )
        )


class ImportRejected(CadreError):
    """Nothing was imported; `report.errors` lists every problem with its row and column."""

    def __init__(self, report: ImportReport):
        super().__init__(report.summary())
        self.report = report
