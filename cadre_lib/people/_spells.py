"""Unbroken service in a township post, from the tenures: pure, on plain DataFrames."""

from __future__ import annotations

import pandas as pd

__all__ = ["service_spells"]


def service_spells(rows: pd.DataFrame) -> pd.DataFrame:
    """Unbroken service as a township chief, from `tenures` rows: person_id, first (first day)
    and until (first day out of post; NaT while in post). Tenures that meet or overlap make one
    spell (a chief who moves to another township keeps serving)."""
    t = rows[["person_id", "start_date", "end_date"]].copy()
    t["start"] = pd.to_datetime(t["start_date"]).astype("datetime64[ns]")
    t["end"] = pd.to_datetime(t["end_date"]).astype("datetime64[ns]").fillna(pd.Timestamp.max)
    t = t.sort_values(["person_id", "start"])
    reach = t.groupby("person_id")["end"].cummax()
    before = reach.groupby(t["person_id"]).shift()
    t["spell"] = (before.isna() | (t["start"] > before)).cumsum()
    out = t.groupby("spell").agg(
        person_id=("person_id", "first"), first=("start", "min"), until=("end", "max")
    )
    out["until"] = out["until"].where(out["until"] != pd.Timestamp.max)
    return out.reset_index(drop=True)
