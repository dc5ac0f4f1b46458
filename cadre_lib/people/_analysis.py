"""Pure tables of places and people: DataFrames in, DataFrames out; no I/O, no clock."""

from __future__ import annotations

import pandas as pd

__all__ = ["chiefs_by_county", "members_by_county"]


def chiefs_by_county(chiefs: pd.DataFrame) -> pd.DataFrame:
    """Chiefs in post per county and post, with townships counted once, in county-code order.

    `chiefs` is `people.chiefs(ws, as_of)`.
    """
    return (
        chiefs.groupby(["county_code", "county", "county_en"], sort=True)
        .agg(
            townships=("township_code", "nunique"),
            secretaries=("post", lambda p: int((p == "secretary").sum())),
            heads=("post", lambda p: int((p == "head").sum())),
            chiefs=("person_id", "nunique"),
        )
        .reset_index()
        .drop(columns="county_code")
    )


def members_by_county(members: pd.DataFrame) -> pd.DataFrame:
    """Participants of a cohort per county (county of their latest post), largest first."""
    out = members.groupby(["county", "county_en"], dropna=False).size().rename("participants").reset_index()
    return out.sort_values(["participants", "county_en"], ascending=[False, True], ignore_index=True)
