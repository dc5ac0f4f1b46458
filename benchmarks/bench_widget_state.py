"""P6: the widget state each notebook sends to the browser, on the national workspace.

Every notebook is run whole (as Run All does) on the scale-550 workspace, with its widget state
kept as JupyterLab keeps it (`store_widget_state`); the size of that state is what the browser
receives and draws before a trainer can use the page. Goal: at most 2 MB a notebook. A dropdown
of every chief in the country (77,000 of them) was 25 to 34 MB in notebooks 04 and 05.

    .venv/bin/cadre demo --db build/national.sqlite --scale 550   # once, about 1½ minutes
    .venv/bin/python benchmarks/bench_widget_state.py --db build/national.sqlite --cohort SHXF-001
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
GOAL_MB = 2.0


def _parameters(nb, workspace: Path, cohort: str, exports: Path) -> None:
    """Point the parameters cell at the workspace, the cohort and a scratch export folder."""
    cell = next(c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", []))
    source = cell.source
    source = re.sub(r'^WORKSPACE = ".*?"', f'WORKSPACE = "{workspace}"', source, flags=re.M)
    source = re.sub(r'^COHORT = ".*?"', f'COHORT = "{cohort}"', source, flags=re.M)
    source = re.sub(r'^EXPORT_DIR = ".*?"', f'EXPORT_DIR = "{exports}"', source, flags=re.M)
    cell.source = source


def widget_state_mb(path: Path, workspace: Path, cohort: str, top: int = 0) -> tuple[float, int, float]:
    """(widget state in MB, widget models, seconds to run) of one notebook run whole; with
    `top`, the largest models are printed (what to make smaller)."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as exports:
        _parameters(nb, workspace, cohort, Path(exports))
        client = NotebookClient(
            nb, timeout=3600, kernel_name="python3", store_widget_state=True,
            resources={"metadata": {"path": str(path.parent)}},
        )  # fmt: skip
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models = len(state.get("state", {}))
    sizes = sorted(((len(json.dumps(m, ensure_ascii=False)), m) for m in state.get("state", {}).values()),
                   key=lambda x: -x[0])  # fmt: skip
    for size, model in sizes[:top]:
        s = model.get("state", {})
        what = s.get("description") or str(s.get("value", ""))[:40] or s.get("_dom_classes", "")
        print(f"    {size / 1e6:6.2f} MB  {model.get('model_name')}  {what}")
    return len(json.dumps(state, ensure_ascii=False).encode("utf-8")) / 1e6, models, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="build/national.sqlite", help="the SQLite workspace (scale 550)")
    ap.add_argument("--cohort", default="SHXF-001", help="the cohort the notebooks open on")
    ap.add_argument("--only", default="", help="run only the notebooks whose name holds this")
    ap.add_argument("--top", type=int, default=0, help="print the N largest widget models of each")
    args = ap.parse_args()
    workspace = Path(args.db).resolve()
    if not workspace.exists():
        sys.exit(f"no workspace at {workspace}: build it with cadre demo --db {args.db} --scale 550")
    print(f"P6 widget state per notebook on {workspace.name} (goal ≤ {GOAL_MB:g} MB)")
    print(f"{'notebook':<34} {'state MB':>9} {'models':>7} {'run s':>7}  goal")
    worst = 0.0
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        if args.only not in path.name:
            continue
        mb, models, seconds = widget_state_mb(path, workspace, args.cohort, args.top)
        worst = max(worst, mb)
        print(
            f"{path.name:<34} {mb:>9.2f} {models:>7} {seconds:>7.1f}  {'met' if mb <= GOAL_MB else 'NOT met'}"
        )
    print(f"largest: {worst:.2f} MB")


if __name__ == "__main__":
    main()
