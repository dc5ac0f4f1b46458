"""Pure analyses: DataFrames in, DataFrames out; no I/O, no widgets, no clock."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..core.codes import codes

__all__ = [
    "held_sessions",
    "cohort_summary",
    "format_mix",
    "attendance_by_session",
    "attendance_matrix",
    "feedback_by_session",
]


def held_sessions(sessions: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The sessions held by `as_of` (on or before it), in their order."""
    return sessions[pd.to_datetime(sessions["date"]) <= pd.Timestamp(as_of)]


def cohort_summary(
    members: pd.DataFrame, sessions: pd.DataFrame, attendance: pd.DataFrame, as_of: dt.date
) -> pd.DataFrame:
    """Key figures of one cohort as of a date: a `figure` code and its `value`, a number
    (`for_display` labels the figures and shows the attendance rate as a percentage).

    Sessions and attendance after `as_of` are left out, so the figures are those a trainer
    could have known on that day.
    """
    held = held_sessions(sessions, as_of)
    att = attendance[pd.to_datetime(attendance["date"]) <= pd.Timestamp(as_of)]
    offered, credited = float(att["hours"].sum()), float(att["hours_credited"].sum())
    status = members["status"].value_counts()
    rows = [
        ("participants", len(members)),
        *[(s, int(status.get(s, 0))) for s in codes("enrollment_status")],
        ("sessions_held", len(held)),
        ("hours_held", round(float(held["hours"].sum()), 1)),
        ("attendance_rate", credited / offered if offered else float("nan")),
        ("hours_per_participant", round(credited / len(members), 1) if len(members) else 0.0),
    ]
    return pd.DataFrame(rows, columns=["figure", "value"])


def format_mix(sessions: pd.DataFrame) -> pd.DataFrame:
    """Class hours per cohort and session format, from `all_sessions`, in cohort date order."""
    order = sessions.drop_duplicates("cohort")["cohort"].tolist()
    out = sessions.pivot_table(
        index="cohort", columns="format", values="hours", aggfunc="sum", fill_value=0.0
    )
    out = out.reindex(index=order, columns=[c for c in codes("format") if c in out.columns])
    out.columns.name = None
    return out


def attendance_by_session(sessions: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """Per session: date, topic, people marked, and the share of offered hours credited."""
    got = attendance.groupby("session_id").agg(
        marked=("person_id", "size"), credited=("hours_credited", "sum"), offered=("hours", "sum")
    )
    out = sessions[["id", "date", "format", "topic", "hours"]].merge(
        got, left_on="id", right_index=True, how="left"
    )
    out["rate"] = out["credited"] / out["offered"]
    return out.rename(columns={"id": "session_id"}).reset_index(drop=True)


def attendance_matrix(
    members: pd.DataFrame, sessions: pd.DataFrame, attendance: pd.DataFrame
) -> pd.DataFrame:
    """The sign-in sheet as a table: one row per participant, one column per session date, status codes."""
    grid = attendance.pivot_table(index="person_id", columns="session_id", values="status", aggfunc="first")
    grid = grid.reindex(index=members.sort_values("person_id")["person_id"], columns=sessions["id"])
    grid.index = members.sort_values("person_id")["name"].to_numpy()
    grid.columns = [f"{d} #{i}" for d, i in zip(sessions["date"], sessions["id"], strict=True)]
    return grid


def feedback_by_session(sessions: pd.DataFrame, feedback: pd.DataFrame) -> pd.DataFrame:
    """Mean usefulness and relevance (1-5) and the number of ratings per session."""
    got = (
        feedback.groupby("session_id")
        .agg(
            ratings=("person_id", "size"), usefulness=("usefulness", "mean"), relevance=("relevance", "mean")
        )
        .round(2)
    )
    out = sessions[["id", "date", "topic"]].merge(got, left_on="id", right_index=True, how="left")
    return out.rename(columns={"id": "session_id"}).reset_index(drop=True)
