"""Exceptions that tell the user what went wrong and what to do about it."""

from __future__ import annotations

__all__ = [
    "CadreError",
    "WorkspaceError",
    "NoWorkspace",
    "OutdatedWorkspace",
    "RulesError",
    "MissingEntry",
    "InvalidEntry",
    "ConflictError",
]


class CadreError(Exception):
    """Base class: every error the workbook raises on purpose is one of these."""


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
    """A value was refused; the message says which field and why."""

    def __init__(self, message: str, *, field: str | None = None, value: object = None):
        super().__init__(message)
        self.field = field
        self.value = value


class ConflictError(CadreError):
    """Someone else changed the record after it was read; nothing was overwritten."""
