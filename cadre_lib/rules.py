"""The department's rules: packaged defaults, optionally overridden by a rules.toml."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InvalidEntry

__all__ = ["load_rules"]


_OPEN_TABLES = {"training.completion.cohorts."}  # keys are the department's own (cohort codes)


def _merge(base: dict, override: dict, where: str = "") -> dict:
    out = dict(base)
    for key, value in override.items():
        if where in _OPEN_TABLES:
            if not isinstance(value, (int, float)) or not 0 < value <= 1:
                raise InvalidEntry(f"rules file: '{where}{key}' must be a share between 0 and 1, e.g. 0.8")
            out[key] = float(value)
            continue
        if key not in base:
            raise InvalidEntry(
                f"rules file: unknown setting '{where}{key}' (known: {', '.join(sorted(base))})"
            )
        if isinstance(base[key], dict) != isinstance(value, dict) or (
            not isinstance(value, dict)
            and not isinstance(value, type(base[key]))
            and not (isinstance(base[key], float) and isinstance(value, int))
        ):
            raise InvalidEntry(f"rules file: '{where}{key}' should be like {base[key]!r}, not {value!r}")
        out[key] = _merge(base[key], value, f"{where}{key}.") if isinstance(value, dict) else value
    return out


def load_rules(path: str | Path | None = None) -> dict[str, Any]:
    """The default rules, with the settings of `path` (a TOML file) laid over them.

    >>> load_rules()["attendance"]["credit"]["late"]
    0.75
    """
    rules = tomllib.loads(resources.files("cadre_lib").joinpath("rules_default.toml").read_text("utf-8"))
    if path is not None:
        try:
            override = tomllib.loads(Path(path).read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InvalidEntry(f"rules file {Path(path).name}: {exc}") from None
        rules = _merge(rules, override)
    return rules
