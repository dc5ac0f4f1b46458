"""The shape of the code: small functions and classes, and names that agree across modules."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "cadre_lib"
MAX_FUNCTION, MAX_CLASS = 60, 300


def _sizes():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue  # a migration is a record of one change, read once, never edited
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                yield path.relative_to(PACKAGE.parent), node, node.end_lineno - node.lineno + 1


def test_no_function_over_60_lines_and_no_class_over_300():
    too_long = [
        f"{path}:{node.lineno} {node.name} ({lines} lines)"
        for path, node, lines in _sizes()
        if lines > (MAX_CLASS if isinstance(node, ast.ClassDef) else MAX_FUNCTION)
    ]
    listed = "\n".join(too_long)
    assert not too_long, f"split these (or say why not in a decision record under docs/decisions/):\n{listed}"


def test_the_command_line_offers_every_importer_and_no_other():
    from cadre_lib.cli import KINDS
    from cadre_lib.importers import IMPORTERS

    assert set(KINDS) == set(IMPORTERS)


def test_development_tools_are_not_in_the_installed_package():
    assert not list(PACKAGE.rglob("*refresh*")), "re-executing notebooks is a tool in tools/, not the library"


def test_the_examples_in_docstrings_run():
    import doctest
    import importlib

    failed, attempted = [], 0
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if "migrations" in parts:
            continue  # alembic's env.py runs a migration when imported
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
        attempted += result.attempted
        if result.failed:
            failed.append(f"{name}: {result.failed} of {result.attempted}")
    assert not failed, failed
    assert attempted >= 10, f"only {attempted} examples found: is the package where this test looks?"


def test_every_stage_resolves_from_the_package_alone():
    """`import cadre_lib` and then `cadre_lib.<stage>` works for every package under cadre_lib
    (each stage, the core, stats, the demo), in a fresh interpreter where nothing else has
    imported them first; each is listed in `dir(cadre_lib)`."""
    import subprocess
    import sys

    stages = sorted(
        p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file() and not p.name.startswith("_")
    )
    code = (
        "import cadre_lib, sys\n"
        f"for name in {stages!r}:\n"
        "    assert name in dir(cadre_lib), name\n"
        "    assert getattr(cadre_lib, name).__name__ == 'cadre_lib.' + name, name\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_no_column_label_is_declared_twice():
    """A label declared twice keeps only the second, silently: every column has one label."""
    tree = ast.parse((PACKAGE / "core" / "codes.py").read_text(encoding="utf-8"))
    keys: list[str] = []
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.AnnAssign | ast.Assign):
            names = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            target = node.value if any(getattr(n, "id", "") == "COLUMN_LABELS" for n in names) else None
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "update":
            target = node.args[0] if getattr(node.func.value, "id", "") == "COLUMN_LABELS" else None
        if isinstance(target, ast.Dict):
            keys += [k.value for k in target.keys if isinstance(k, ast.Constant)]
    assert len(keys) > 100
    assert sorted({k for k in keys if keys.count(k) > 1}) == []
