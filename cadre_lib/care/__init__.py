"""Care and incentives: the supervisory talks register with its follow-ups and the cadence the
rules set, the 1+4 procedures and the outcomes ledger (promotions, rank promotions, merits,
discipline and accountability), and who is eligible for what as of a date.

The public API of this stage; other stages import only these names (its `_` modules are its
own). Widgets are in `cadre_lib.care.widgets`, for notebooks; charts load on first use.
"""

from ._cadence import (
    cadence,
    default_since,
    newly_appointed,
    overdue_talks,
    talk_compliance,
    talk_counts,
    talk_coverage,
    talker_titles,
)
from ._display import display_table
from ._eligibility import eligibility, eligibility_table, expired_table, impact_periods, just_expired
from ._impact import IMPACT_KINDS, care_rules_text, impact_end, impact_table, rank_ready_on
from ._import import OutcomeImporter, TalkImporter
from ._ledger import (
    KIND_FIELDS,
    LEDGER_COLUMNS,
    OUTCOME_KEY,
    check_outcome,
    ledger_summary,
    outcome_version,
    outcomes,
    post_title,
    rank_history,
    record_outcome,
    record_rank,
)
from ._reports import export_care
from ._talkers import talker_role_of
from ._talks import (
    TALK_KEY,
    add_follow_up,
    check_follow_up,
    check_talk,
    close_follow_up,
    follow_ups,
    record_talk,
    talk_version,
    talks,
)

__all__ = [
    "check_talk",
    "check_follow_up",
    "record_talk",
    "talk_version",
    "add_follow_up",
    "close_follow_up",
    "talks",
    "follow_ups",
    "TALK_KEY",
    "talker_role_of",
    "cadence",
    "talk_compliance",
    "overdue_talks",
    "newly_appointed",
    "talk_coverage",
    "talk_counts",
    "default_since",
    "talker_titles",
    "check_outcome",
    "record_outcome",
    "record_rank",
    "outcomes",
    "outcome_version",
    "rank_history",
    "post_title",
    "KIND_FIELDS",
    "LEDGER_COLUMNS",
    "OUTCOME_KEY",
    "impact_end",
    "impact_table",
    "impact_periods",
    "rank_ready_on",
    "IMPACT_KINDS",
    "eligibility",
    "just_expired",
    "eligibility_table",
    "expired_table",
    "ledger_summary",
    "care_rules_text",
    "TalkImporter",
    "OutcomeImporter",
    "display_table",
    "export_care",
    "plot_talk_coverage",
    "plot_overdue_by_talker",
]

_PLOTS = ("plot_talk_coverage", "plot_overdue_by_talker")


def __getattr__(name: str):
    # Charts load matplotlib and seaborn: only when one is asked for (PEP 562).
    if name in _PLOTS:
        from . import _plots

        return getattr(_plots, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
