"""Who to tell when a workspace changes: the widget models of this kernel that show it.

A save (a transaction that wrote) publishes the tables it changed, keyed by the workspace's URL,
so every Workspace object open on the same database in this kernel tells the same listeners.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable

from .errors import CadreError

__all__ = ["subscribe", "publish"]

log = logging.getLogger(__name__)
_LISTENERS: dict[str, list[Callable[[], Callable | None]]] = {}


def subscribe(key: str, callback: Callable[[frozenset[str]], None]) -> None:
    """Call `callback(tables)` after every save to the workspace `key`; a bound method is held
    weakly, so a model that is gone is simply not called."""
    ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") else (lambda: callback)
    _LISTENERS.setdefault(key, []).append(ref)


def publish(key: str, tables: set[str]) -> None:
    """Tell every live listener of `key` which tables a save changed."""
    if not tables:
        return
    live = []
    for ref in _LISTENERS.get(key, []):
        callback = ref()
        if callback is not None:
            live.append(ref)
            try:
                callback(frozenset(tables))
            except CadreError:  # a view that cannot show the new state says so itself
                pass
            except Exception:  # one broken view must not keep the others from being told
                log.exception("a widget failed to follow a change to the workspace")
    _LISTENERS[key] = live
