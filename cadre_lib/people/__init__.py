"""People and rosters: places, cadres and their township posts, cohorts and who is in them.

The public API of this stage; other stages import only these names (its `_` modules are its
own). Widgets are in `cadre_lib.people.widgets`, for notebooks.
"""

from ._analysis import chiefs_by_county, members_by_county
from ._cohorts import (
    add_cohort,
    cohort_members,
    cohorts,
    enroll,
    enrolled_on,
    find_cohort,
    in_enrollment,
    status_on,
    withdraw,
)
from ._directory import add_county, add_person, add_township, chiefs, find_person, place_on, tenures
from ._identity import Directory, check_identity, same_name
from ._person_rows import PersonRows
from ._roster import RosterImporter
from ._spells import service_spells

__all__ = [
    "add_county",
    "add_township",
    "add_person",
    "find_person",
    "chiefs",
    "tenures",
    "service_spells",
    "place_on",
    "add_cohort",
    "enroll",
    "withdraw",
    "cohorts",
    "cohort_members",
    "find_cohort",
    "enrolled_on",
    "in_enrollment",
    "status_on",
    "RosterImporter",
    "PersonRows",
    "Directory",
    "check_identity",
    "same_name",
    "chiefs_by_county",
    "members_by_county",
    "plot_chiefs_by_county",
    "plot_members_by_county",
]


def __getattr__(name: str):
    # Charts load matplotlib and seaborn: only when one is asked for (PEP 562).
    if name in ("plot_chiefs_by_county", "plot_members_by_county"):
        from . import _plots

        return getattr(_plots, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
