"""Write the API reference pages of the documentation site from each stage's `__all__`.

One page per package (the workbook's top-level names, then each stage with its widgets), the
names grouped as a reader looks for them: reads (records as stored), writes (to the workspace or
a file), analyses (figures, tables and charts computed from the records), widgets (for
notebooks), and types and constants. Each entry is rendered by mkdocstrings from the object's
docstring where it is defined.

    python tools/docs_reference.py          # write docs/reference/*.md
    python tools/docs_reference.py --check  # fail if a page is not what the code says (tests)

A public function or class without a docstring fails both: the reference would have a hole.
"""

from __future__ import annotations

import argparse
import enum
import importlib
import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "reference"

PAGES = {  # page -> (title, package, its widgets package or None)
    "workbook": ("The workbook: workspace, rules, codes, errors", "cadre_lib", None),
    "people": ("People and rosters 干部与名册 (`cadre_lib.people`)", "cadre_lib.people", "cadre_lib.people.widgets"),
    "delivery": ("Training delivery 培训实施 (`cadre_lib.delivery`)", "cadre_lib.delivery", "cadre_lib.delivery.widgets"),
    "evaluation": ("Evaluation 考核评价 (`cadre_lib.evaluation`)", "cadre_lib.evaluation", "cadre_lib.evaluation.widgets"),
    "care": ("Care and incentives 关怀激励 (`cadre_lib.care`)", "cadre_lib.care", "cadre_lib.care.widgets"),
    "stats": ("Statistics on plain numbers (`cadre_lib.stats`)", "cadre_lib.stats", None),
}  # fmt: skip
GROUPS = ("Reads", "Writes", "Checks", "Analyses", "Widgets", "Helpers", "Types and constants")
# A write changes the workspace (or writes a file): its name says so with its verb; a check
# is the write path's validation, without writing.
WRITE_VERBS = (
    "check_",
    "add_",
    "record_",
    "mark_",
    "enroll",
    "withdraw",
    "declare_",
    "close_",
    "edit_",
    "import_",
    "export_",
)
# An analysis computes from the records: charts, and names that say what they compute.
ANALYSIS_WORDS = (
    "plot_", "standing", "change", "compliance", "eligib", "overview", "summary", "digest", "split",
    "sensitivity", "coverage", "overdue", "counts", "by_county", "by_session", "matrix", "mix", "classif",
    "flags", "levels", "yearly", "requirement", "warnings", "impact", "ready", "expired", "newly", "cadence",
    "leavers", "left_early", "theme", "tag_", "adjust", "paired", "multiple", "training_days", "year_hours",
    "post_days", "unmarked", "frontline", "arena_", "rating_counts", "feedback_by", "attendance_by",
)  # fmt: skip


# Where a name's words mislead the rules above, it is placed by hand.
PLACED = {
    "build_demo": "Writes", "enrolled_on": "Reads", "eligible_raters": "Reads", "load_themes": "Reads",
    "themes_for": "Reads", "frontline_rule_text": "Reads", "requirement_from_rules": "Helpers",
    "format_p": "Helpers", "use_theme": "Helpers", "codes": "Helpers", "label": "Helpers",
    "for_display": "Helpers", "display_table": "Helpers", "mask_national_id": "Helpers",
    "validate_national_id": "Checks", "resolve_url": "Helpers", "post_title": "Helpers",
    "default_since": "Helpers", "talker_role_of": "Helpers", "same_name": "Helpers",
    "open_workspace": "Reads",
}  # fmt: skip


def group_of(name: str, obj: object, widget: bool) -> str:
    if widget:
        return "Widgets"
    if inspect.isclass(obj) or not callable(obj):
        return "Types and constants"
    if name in PLACED:
        return PLACED[name]
    if name.startswith("check_"):  # validation on the way to a write, writing nothing
        return "Checks"
    if name.startswith(WRITE_VERBS):
        return "Writes"
    if any(word in name for word in ANALYSIS_WORDS):
        return "Analyses"
    return "Reads"


def _entries(package: str, widget: bool) -> list[tuple[str, str, object]]:
    module = importlib.import_module(package)
    out = []
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.ismodule(obj) or name.startswith("__"):
            continue
        out.append((name, group_of(name, obj, widget), obj))
    return out


def _missing_docstrings(entries) -> list[str]:
    """Public functions and classes without a docstring of their own (a dataclass's generated
    `Name(field: type, …)` is not one)."""
    return [
        name
        for name, _group, obj in entries
        if (inspect.isfunction(obj) or inspect.isclass(obj))
        and (not (obj.__doc__ or "").strip() or (obj.__doc__ or "").startswith(f"{obj.__name__}("))
    ]


def _identifier(package: str, name: str, obj: object) -> str:
    """Where mkdocstrings finds the object: where it is defined (the top level loads lazily)."""
    if inspect.isfunction(obj) or inspect.isclass(obj):
        return f"{obj.__module__}.{obj.__qualname__}"
    return f"{package}.{name}"


def page(key: str) -> tuple[str, list[str]]:
    """The page's Markdown and the public names on it that lack a docstring."""
    title, package, widgets = PAGES[key]
    entries = [(package, *e) for e in _entries(package, False)]
    if widgets:
        entries += [(widgets, *e) for e in _entries(widgets, True)]
    intro = (inspect.getdoc(importlib.import_module(package)) or "").split("\n\n")[0]
    lines = [f"# {title}", "", intro, ""]
    for group in GROUPS:
        names = [(pkg, n, obj) for pkg, n, g, obj in entries if g == group]
        if not names:
            continue
        lines += [f"## {group}", ""]
        for pkg, name, obj in names:
            lines += [f"::: {_identifier(pkg, name, obj)}", "    options:", f"      heading: {name}"]
            if inspect.isclass(obj) and issubclass(obj, enum.Enum):  # its members are its codes
                lines += ["      show_if_no_docstring: true"]
            lines += [""]
    missing = _missing_docstrings([(n, g, o) for _p, n, g, o in entries])
    return "\n".join(lines).rstrip() + "\n", [f"{package}.{n}" for n in missing]


def index() -> str:
    lines = [
        "# API reference",
        "",
        "Every public name of the workbook, per package, as analysts call them: reads return records as",
        "stored (codes, masked ID numbers); writes change the workspace (or write a file) and say what",
        "they saved; checks validate values on the way to a write and write nothing; analyses compute",
        "figures, tables and charts; widgets are for notebooks; helpers label, format and parse. Other",
        "stages import only these names; a package's `_` modules are its own.",
        "",
    ]
    lines += [f"- [{PAGES[key][0]}]({key}.md)" for key in PAGES]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="fail if a page differs from what would be written"
    )
    args = parser.parse_args(argv)
    pages = {"index": (index(), [])} | {key: page(key) for key in PAGES}
    missing = [name for _text, names in pages.values() for name in names]
    if missing:
        print("these public names have no docstring: " + ", ".join(missing), file=sys.stderr)
        return 1
    stale = [key for key, (text, _m) in pages.items() if _read(OUT / f"{key}.md") != text]
    if args.check:
        if stale:
            print(f"docs/reference is out of date ({', '.join(stale)}): run make docs", file=sys.stderr)
        return 1 if stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for key in stale:
        (OUT / f"{key}.md").write_text(pages[key][0], encoding="utf-8")
    return 0


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
