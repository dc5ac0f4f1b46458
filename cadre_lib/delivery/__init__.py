"""Training delivery: sessions, the sign-in sheet and its marks, hours and standings, feedback,
charts and the Excel export.

The public API of this stage; other stages import only these names (its `_` modules are its
own). Widgets are in `cadre_lib.delivery.widgets`, for notebooks; charts load on first use.
"""

from ._analysis import (
    attendance_by_session,
    attendance_matrix,
    cohort_summary,
    feedback_by_session,
    format_mix,
    held_sessions,
)
from ._attendance import (
    SaveResult,
    attendance_sheet,
    cohort_attendance,
    mark_attendance,
    on_the_sheet,
    session_participants,
)
from ._feedback import eligible_raters, record_feedback, session_feedback
from ._hours import cohort_requirement, cohort_standing, cohort_unmarked
from ._overview import COHORT_OVERVIEW_COLUMNS, COUNTY_OVERVIEW_COLUMNS, cohort_overview, county_overview
from ._reports import export_delivery
from ._rules_text import credit_text, day_rule_text, training_rules_text
from ._session_import import SessionImporter
from ._sessions import add_series, add_session, all_sessions, cohort_sessions, edit_session
from ._signin_import import AttendanceImporter
from ._standing import Requirement, requirement_from_rules, standings, unmarked_sessions, warnings_list
from ._yearly import YEARLY_COLUMNS, post_days, training_days, year_hours, yearly_compliance, yearly_figures

__all__ = [
    "add_session",
    "add_series",
    "edit_session",
    "cohort_sessions",
    "all_sessions",
    "on_the_sheet",
    "session_participants",
    "attendance_sheet",
    "mark_attendance",
    "SaveResult",
    "cohort_attendance",
    "record_feedback",
    "eligible_raters",
    "session_feedback",
    "yearly_compliance",
    "yearly_figures",
    "day_rule_text",
    "credit_text",
    "training_rules_text",
    "year_hours",
    "county_overview",
    "cohort_overview",
    "COUNTY_OVERVIEW_COLUMNS",
    "COHORT_OVERVIEW_COLUMNS",
    "post_days",
    "training_days",
    "YEARLY_COLUMNS",
    "cohort_standing",
    "cohort_requirement",
    "cohort_unmarked",
    "unmarked_sessions",
    "Requirement",
    "requirement_from_rules",
    "standings",
    "warnings_list",
    "held_sessions",
    "cohort_summary",
    "format_mix",
    "attendance_by_session",
    "attendance_matrix",
    "feedback_by_session",
    "SessionImporter",
    "AttendanceImporter",
    "export_delivery",
    "plot_format_mix",
    "plot_attendance_rate",
    "plot_attendance_heatmap",
    "plot_hours_vs_requirement",
]

_PLOTS = ("plot_format_mix", "plot_attendance_rate", "plot_attendance_heatmap", "plot_hours_vs_requirement")


def __getattr__(name: str):
    # Charts load matplotlib and seaborn: only when one is asked for (PEP 562).
    if name in _PLOTS:
        from . import _plots

        return getattr(_plots, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
