"""cadre_lib: run and evaluate leadership-training programmes for township chiefs.

Submodules load on first use, so `import cadre_lib` stays cheap and plotting or widget
libraries are imported only by the notebooks that draw or ask.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "Workspace": "store",
    "resolve_url": "store",
    "open_workspace": "store",
    "CadreError": "errors",
    "WorkspaceError": "errors",
    "NoWorkspace": "errors",
    "OutdatedWorkspace": "errors",
    "RulesError": "errors",
    "MissingEntry": "errors",
    "InvalidEntry": "errors",
    "ConflictError": "errors",
    "validate_national_id": "ids",
    "mask_national_id": "ids",
    "label": "vocab",
    "codes": "vocab",
    "for_display": "vocab",
    "build_demo": "demo",
    "DemoSpec": "demo",
    "import_roster": "importers",
    "import_sessions": "importers",
    "check_file": "importers",
    "ImportRejected": "importing",
    "ImportReport": "importing",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cadre_lib' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
