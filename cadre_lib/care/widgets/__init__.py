"""Care widgets, for notebooks: the talk form, the follow-up board, the ledger form, the overdue
list per talker and the eligibility view, and the imports of talks and decisions. Each is a view
over a model that follows the workspace: a save in one shows in the others without re-running a
cell."""

from ._follow_ups import FollowUpBoard, FollowUpModel, follow_up_board
from ._imports import outcome_import, talk_import
from ._outcome import OutcomeForm, OutcomeModel, outcome_form
from ._talk import TalkForm, TalkModel, talk_form
from ._views import (
    ComplianceModel,
    ComplianceView,
    EligibilityModel,
    EligibilityView,
    compliance_view,
    eligibility_view,
)

__all__ = [
    "TalkModel",
    "TalkForm",
    "talk_form",
    "FollowUpModel",
    "FollowUpBoard",
    "follow_up_board",
    "OutcomeModel",
    "OutcomeForm",
    "outcome_form",
    "ComplianceModel",
    "ComplianceView",
    "compliance_view",
    "EligibilityModel",
    "EligibilityView",
    "eligibility_view",
    "talk_import",
    "outcome_import",
]
