"""Evaluation: assessment scores on declared instruments, the five-frontline review, and
evaluation comments read by a themes dictionary.

The public API of this stage; other stages import only these names (its `_` modules are its
own). Widgets are in `cadre_lib.evaluation.widgets`, for notebooks; charts load on first use.
The statistics of change are in `cadre_lib.stats`, which works on any data.
"""

from ..core.saved import Saved
from ._assessments import (
    ASSESSMENT_KEY,
    assessments,
    check_assessment,
    record_assessment,
    record_scores,
    score_versions,
)
from ._change import AGE_BANDS, GROUPINGS, PAIR_KEYS, assessment_change, paired_scores, with_person
from ._classify import (
    THRESHOLDS,
    classify,
    frontline_rule_text,
    lines_unconfirmed,
    rating_counts,
    split_note,
    split_sensitivity,
    threshold_marks,
)
from ._comments import COMMENT_LIMIT, check_comment, comments, record_comment, theme_summary
from ._digest import Digest, person_digest
from ._import import AssessmentImporter, CommentImporter, ReviewImporter
from ._instruments import (
    check_score,
    declare_instrument,
    find_instrument,
    instrument_names,
    instruments,
    measure_name,
)
from ._leavers import leavers, left_early, left_early_note, left_early_summary
from ._reviews import (
    REVIEW_KEY,
    arena_by_county,
    arena_levels,
    check_review,
    county_arena_means,
    flags_table,
    frontline_classification,
    frontline_flags,
    frontline_sensitivity,
    rating_versions,
    record_ratings,
    record_review,
    reviews,
)
from ._themes import THEMES_FILE, Theme, Themes, load_themes, tag_comments, themes_for

__all__ = [
    "declare_instrument",
    "instruments",
    "find_instrument",
    "check_score",
    "instrument_names",
    "measure_name",
    "check_assessment",
    "record_assessment",
    "record_scores",
    "score_versions",
    "assessments",
    "ASSESSMENT_KEY",
    "paired_scores",
    "assessment_change",
    "PAIR_KEYS",
    "GROUPINGS",
    "AGE_BANDS",
    "with_person",
    "left_early",
    "left_early_summary",
    "left_early_note",
    "leavers",
    "check_review",
    "record_review",
    "record_ratings",
    "rating_versions",
    "reviews",
    "arena_levels",
    "classify",
    "frontline_classification",
    "frontline_flags",
    "flags_table",
    "county_arena_means",
    "frontline_sensitivity",
    "split_sensitivity",
    "split_note",
    "THRESHOLDS",
    "threshold_marks",
    "lines_unconfirmed",
    "arena_by_county",
    "REVIEW_KEY",
    "frontline_rule_text",
    "rating_counts",
    "check_comment",
    "record_comment",
    "comments",
    "theme_summary",
    "COMMENT_LIMIT",
    "Themes",
    "Theme",
    "load_themes",
    "themes_for",
    "tag_comments",
    "THEMES_FILE",
    "Saved",
    "AssessmentImporter",
    "ReviewImporter",
    "CommentImporter",
    "Digest",
    "person_digest",
    "plot_paired_slopes",
    "plot_gains",
    "plot_arena_heatmap",
    "plot_theme_tones",
]

_PLOTS = ("plot_paired_slopes", "plot_gains", "plot_arena_heatmap", "plot_theme_tones")


def __getattr__(name: str):
    # Charts load matplotlib and seaborn: only when one is asked for (PEP 562).
    if name in _PLOTS:
        from . import _plots

        return getattr(_plots, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
