"""cadre_lib: run and evaluate leadership-training programmes for township chiefs.

`cadre_lib.core` is the shared core (the workspace, rules, codes, files); each stage has its
package (`cadre_lib.people`, `cadre_lib.delivery`, `cadre_lib.evaluation`, `cadre_lib.care`) with
its widgets in `<stage>.widgets`; `cadre_lib.demo` builds the synthetic demo. The
names below are the most used, loaded on first use, so `import cadre_lib` stays cheap and
plotting or widget libraries are imported only by the notebooks that draw or ask.
`cadre_lib.stats` (paired change, multiple comparisons) works on any data, not only a workspace.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "Workspace": "core.workspace",
    "open_workspace": "core.workspace",
    "resolve_url": "core.locations",
    "Rules": "core.rules",
    "load_rules": "core.rules",
    "CadreError": "core.errors",
    "WorkspaceError": "core.errors",
    "NoWorkspace": "core.errors",
    "OutdatedWorkspace": "core.errors",
    "RulesError": "core.errors",
    "MissingEntry": "core.errors",
    "InvalidEntry": "core.errors",
    "ConflictError": "core.errors",
    "Problem": "core.problems",
    "validate_national_id": "core.ids",
    "mask_national_id": "core.ids",
    "label": "core.codes",
    "codes": "core.codes",
    "for_display": "core.codes",
    "use_theme": "core.plots",
    "ImportRejected": "core.import_report",
    "ImportReport": "core.import_report",
    "build_demo": "demo",
    "DemoSpec": "demo",
    "import_roster": "importers",
    "import_sessions": "importers",
    "check_file": "importers",
}

# The stage packages and the core, also loaded on first use (`cadre_lib.delivery.…`).
_PACKAGES = ("core", "people", "delivery", "evaluation", "care", "stats", "demo")

__all__ = sorted(_EXPORTS) + list(_PACKAGES) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _PACKAGES:
        return importlib.import_module(f".{name}", __name__)
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cadre_lib' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
