"""Re-execute notebooks in place and save their outputs without run-to-run churn.

Run as `python tools/refresh_notebooks.py notebooks/*.ipynb` (or `make refresh-notebooks`, which
points them at the tests' demo) after a deliberate change, then commit the notebooks: strict
nbval compares against them. A development tool: not part of the installed package.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def refresh(path: Path) -> None:
    """Execute one notebook top to bottom in its own folder and write it back."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        kernel_name="python3",
        record_timing=False,
        timeout=600,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    nb.metadata.pop("widgets", None)  # widget state carries random model ids
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for k, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        for j, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None:  # a random id per run: a stable one instead, so a refresh shows no churn
                view["model_id"] = hashlib.md5(f"{path.name}:{k}:{j}".encode()).hexdigest()
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    for name in argv:
        refresh(Path(name))
        print(f"refreshed {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
