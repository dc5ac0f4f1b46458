"""Evaluation widgets, for notebooks: the instrument form, the score sheet, the frontline review form, the comment
form, a chief's digest, and the imports of scores, ratings and comments. Each is a view over a model that follows the workspace: a save in
one shows in the others without re-running a cell."""

from ._comment import CommentForm, CommentModel, comment_form
from ._digest import DigestModel, DigestView, digest_view
from ._imports import assessment_import, comment_import, review_import
from ._instrument import InstrumentForm, InstrumentModel, instrument_form
from ._review import ReviewForm, ReviewModel, review_form
from ._scores import ScoreSheet, ScoreSheetModel, score_sheet

__all__ = [
    "ScoreSheetModel",
    "ScoreSheet",
    "score_sheet",
    "ReviewModel",
    "ReviewForm",
    "review_form",
    "CommentModel",
    "CommentForm",
    "comment_form",
    "DigestModel",
    "DigestView",
    "digest_view",
    "InstrumentModel",
    "InstrumentForm",
    "instrument_form",
    "assessment_import",
    "review_import",
    "comment_import",
]
