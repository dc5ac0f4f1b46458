"""Delivery widgets, for notebooks: the schedule editor, the sign-in sheet, the feedback form, the
cohort picker, the schedule and sign-in imports, and every chief's yearly requirement. Each is a view over a model that follows
the workspace: a save in one shows in the others without re-running a cell."""

from ._cohort import CohortPicker, CohortPickerModel, cohort_picker
from ._feedback import FeedbackForm, FeedbackModel, feedback_form
from ._imports import schedule_import, signin_import
from ._schedule import ScheduleEditor, ScheduleModel, schedule_editor
from ._sheet import AttendanceModel, AttendanceSheet, sign_in_sheet
from ._yearly import YearlyModel, YearlyView, yearly_view

__all__ = [
    "CohortPicker",
    "CohortPickerModel",
    "cohort_picker",
    "ScheduleModel",
    "ScheduleEditor",
    "schedule_editor",
    "AttendanceModel",
    "AttendanceSheet",
    "sign_in_sheet",
    "FeedbackModel",
    "FeedbackForm",
    "feedback_form",
    "schedule_import",
    "signin_import",
    "YearlyModel",
    "YearlyView",
    "yearly_view",
]
