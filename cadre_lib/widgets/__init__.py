"""Widgets: state in a traitlets model (testable without a browser), a thin ipywidgets view on top.

Each view's constructor returns a widget and never displays it; each model answers every
action with `status`/`message`: what was saved, or what was refused and why.
"""

from .cohort import CohortPicker, CohortPickerModel, cohort_picker
from .delivery import (
    AttendanceModel,
    AttendanceSheet,
    FeedbackForm,
    FeedbackModel,
    ScheduleEditor,
    ScheduleModel,
    attendance_sheet,
    feedback_form,
    schedule_editor,
)
from .imports import ImportModel, ImportWidget, import_widget

__all__ = [
    "CohortPicker",
    "CohortPickerModel",
    "cohort_picker",
    "ImportModel",
    "ImportWidget",
    "import_widget",
    "ScheduleModel",
    "ScheduleEditor",
    "schedule_editor",
    "AttendanceModel",
    "AttendanceSheet",
    "attendance_sheet",
    "FeedbackModel",
    "FeedbackForm",
    "feedback_form",
]
