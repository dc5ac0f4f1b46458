"""Exceptions that tell the user what went wrong and what to do about it."""

from __future__ import annotations

from typing import Any

from .masking import scrub_ids
from .problems import Problem, describe

__all__ = [
    "CadreError",
    "WorkspaceError",
    "NoWorkspace",
    "OutdatedWorkspace",
    "RulesError",
    "MissingEntry",
    "InvalidEntry",
    "DuplicateKey",
    "ConflictError",
    "one_line",
    "some_of",
]


class CadreError(Exception):
    """Base class: every error the workbook raises on purpose is one of these. Whatever a message
    quotes (a code typed, a value read), it never carries an ID number in clear."""

    def __init__(self, *args: object):
        super().__init__(*(scrub_ids(a) if isinstance(a, str) else a for a in args))


class WorkspaceError(CadreError):
    """The workspace cannot be opened or used (bad URL, unreadable file, server down)."""


class NoWorkspace(WorkspaceError):
    """There is no workspace at the place given (no file, an empty file, an empty database)."""


class OutdatedWorkspace(WorkspaceError):
    """The workspace was made by an older version; a command that writes brings it up to date."""


class RulesError(CadreError):
    """The department's rules file cannot be used: a setting unknown, of the wrong kind or range."""


class MissingEntry(CadreError, ValueError):
    """A record the user named does not exist (a cohort code, a person, a township)."""


class InvalidEntry(CadreError, ValueError):
    """A value was refused: `problem` is its code and `params` what the words are made of
    (`str()` gives them, Chinese first); a few refusals outside imports are plain text."""

    def __init__(
        self, problem: Problem | str, *, field: str | None = None, value: object = None, **params: Any
    ):
        self.problem = problem if isinstance(problem, Problem) else None
        if value is not None:  # the wording may name the value ("乙镇" is not in 甲县)
            params.setdefault("value", value)
        self.params = params
        self.field = field
        self.value = value
        # Whatever a value held, the refusal's words never carry an ID number in clear.
        super().__init__(scrub_ids(describe(problem, params) if isinstance(problem, Problem) else problem))


class DuplicateKey(InvalidEntry):
    """The store refused a second row with the same key: usually another save of the same record
    won a race (the caller may look again and update it instead)."""


class ConflictError(CadreError):
    """Someone else changed the record after it was read; nothing was overwritten."""


def one_line(exc: BaseException) -> str:
    """The first line of an error (a driver's, when it wraps one): no statement, no parameters."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def some_of(names: list[str], value: str | None = None, shown: int = 12) -> str:
    """The known names a message offers, short at any size: the closest to `value` first, then
    the first few, and how many there are in all (a national workspace has thousands of cohorts).

    >>> some_of(["SHXF-001", "SHXF-002", "GCDJT-001"], "SHXF")
    'SHXF-001, SHXF-002, GCDJT-001'
    >>> some_of([f"C{i}" for i in range(100)], shown=3)
    'C0, C1, C2 … (100 in all)'
    """
    import difflib

    close = set(difflib.get_close_matches(value, names, n=3, cutoff=0.5) if value else [])
    first = list(dict.fromkeys([*(n for n in names if n in close), *names[:shown]]))[: max(shown, len(close))]
    return ", ".join(first) + (f" … ({len(names):,} in all)" if len(names) > len(first) else "")
