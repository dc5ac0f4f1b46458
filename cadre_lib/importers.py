"""Every importer by kind, for the command line and for callers who name a kind rather than a class."""

from __future__ import annotations

from typing import Any

from .care import OutcomeImporter, TalkImporter
from .core.import_report import ImportRejected, ImportReport
from .delivery import AttendanceImporter, SessionImporter
from .evaluation import AssessmentImporter, CommentImporter, ReviewImporter
from .people import RosterImporter

__all__ = [
    "RosterImporter",
    "SessionImporter",
    "AttendanceImporter",
    "AssessmentImporter",
    "ReviewImporter",
    "CommentImporter",
    "TalkImporter",
    "OutcomeImporter",
    "import_roster",
    "import_sessions",
    "import_assessments",
    "import_reviews",
    "import_comments",
    "import_talks",
    "import_outcomes",
    "check_file",
    "IMPORTERS",
]

IMPORTERS = {
    "roster": RosterImporter,
    "sessions": SessionImporter,
    "attendance": AttendanceImporter,
    "assessments": AssessmentImporter,
    "reviews": ReviewImporter,
    "comments": CommentImporter,
    "talks": TalkImporter,
    "outcomes": OutcomeImporter,
}


def import_roster(ws, source, name: str | None = None, **options: Any) -> ImportReport:
    """Import a roster file (path or bytes); see `Importer.run` for the options.

    Raises ImportRejected with every error when anything is wrong; nothing is written then.
    """
    return RosterImporter(ws).run(source, name, **options)


def import_sessions(ws, source, name: str | None = None, **options: Any) -> ImportReport:
    """Import a session schedule file (path or bytes); see `Importer.run` for the options."""
    return SessionImporter(ws).run(source, name, **options)


def import_assessments(ws, source, name: str | None = None, **options: Any) -> ImportReport:
    """Import assessment scores (path or bytes); `cohort=` for rows that name none.

    >>> # import_assessments(ws, "scores.xlsx", cohort="SHXF", as_of=dt.date(2026, 11, 30))
    """
    return AssessmentImporter(ws).run(source, name, **options)


def import_talks(ws, source, name: str | None = None, **options: Any) -> ImportReport:
    """Import supervisory talks with their follow-ups (path or bytes); see `Importer.run`."""
    return TalkImporter(ws).run(source, name, **options)


def import_outcomes(ws, source, name: str | None = None, **options: Any) -> ImportReport:
    """Import decisions of the outcomes ledger (path or bytes); see `Importer.run`. A new
    promotion ends the chief's township post and open enrolments, as the form does."""
    return OutcomeImporter(ws).run(source, name, **options)


def import_reviews(ws, source, name: str | None = None, **options: Any) -> ImportReport:
    """Import frontline ratings (path or bytes); see `Importer.run` for the options."""
    return ReviewImporter(ws).run(source, name, **options)


def import_comments(ws, source, name: str | None = None, **options: Any) -> ImportReport:
    """Import evaluation comments (path or bytes); see `Importer.run` for the options."""
    return CommentImporter(ws).run(source, name, **options)


def check_file(ws, kind: str, source, name: str | None = None, **options: Any) -> ImportReport:
    """A dry run that never raises for the file's problems: the report lists them instead.

    >>> # report = check_file(ws, "roster", "roster.xlsx", cohort="TC-2026B"); report.errors_frame()
    """
    try:
        return IMPORTERS[kind](ws).run(source, name, dry_run=True, **options)
    except ImportRejected as exc:
        return exc.report
