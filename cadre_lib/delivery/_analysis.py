"""Pure analyses: DataFrames in, DataFrames out; no I/O, no widgets, no clock."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..core.codes import codes
from ..people import in_enrollment, status_on

__all__ = [
    "held_sessions",
    "cohort_summary",
    "unmarked_counts",
    "expected_marks",
    "format_mix",
    "attendance_by_session",
    "attendance_matrix",
    "feedback_by_session",
]


def held_sessions(sessions: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The sessions held by `as_of` (on or before it), in their order."""
    return sessions[pd.to_datetime(sessions["date"]) <= pd.Timestamp(as_of)]


def cohort_summary(
    members: pd.DataFrame,
    sessions: pd.DataFrame,
    attendance: pd.DataFrame,
    as_of: dt.date,
    cohort_end: dt.date | None = None,
) -> pd.DataFrame:
    """Key figures of one cohort as of a date: a `figure` code and its `value`, a number
    (`for_display` labels the figures and shows the attendance rate as a percentage).

    Everything is as it stood on `as_of`: participants who had joined by then, each with the
    status in force that day (an ended enrolment counts as ended: whether it was completed is
    in the standings; one ended by a promotion counts as promoted, apart from the withdrawn);
    sessions and marks up to that day. The attendance rate is credited
    hours over the hours that have a mark; sessions still unmarked are counted apart.
    """
    held = held_sessions(sessions, as_of)
    att = attendance[pd.to_datetime(attendance["date"]) <= pd.Timestamp(as_of)]
    offered, credited = float(att["hours"].sum()), float(att["hours_credited"].sum())
    joined = members[pd.to_datetime(members["start_date"]) <= pd.Timestamp(as_of)]
    status = status_on(joined, as_of, cohort_end).value_counts()
    missing = unmarked_counts(joined, held, att)
    rows = [
        ("participants", len(joined)),
        *[(s, int(status.get(s, 0))) for s in ("active", "ended", "promoted", "withdrawn")],
        ("sessions_held", len(held)),
        ("hours_held", round(float(held["hours"].sum()), 1)),
        ("sessions_unmarked", int((missing > 0).sum())),
        ("marks_missing", int(missing.sum())),
        ("attendance_rate", credited / offered if offered else float("nan")),
        ("hours_per_participant", round(credited / len(joined), 1) if len(joined) else 0.0),
    ]
    return pd.DataFrame(rows, columns=["figure", "value"])


def expected_marks(members: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Every (session_id, person_id) on a sheet: each participant at each session held while
    they were enrolled (`in_enrollment`), as one table rather than one look-up per session."""
    pairs = members[["person_id", "start_date", "end_date"]].merge(
        sessions[["id", "date"]].rename(columns={"id": "session_id"}), how="cross"
    )
    on_sheet = in_enrollment(pairs["start_date"], pairs["end_date"], pairs["date"]).to_numpy(dtype=bool)
    return pairs.loc[on_sheet, ["session_id", "person_id"]]


def unmarked_counts(members: pd.DataFrame, held: pd.DataFrame, attendance: pd.DataFrame) -> pd.Series:
    """Per held session (by id): how many participants on its sheet have no mark yet."""
    expected = expected_marks(members.drop_duplicates("person_id"), held)
    marked = attendance[["session_id", "person_id"]].drop_duplicates().assign(marked=True)
    got = expected.merge(marked, on=["session_id", "person_id"], how="left")
    missing = got["marked"].isna().groupby(got["session_id"]).sum()
    return missing.reindex(held["id"].to_numpy(), fill_value=0).astype(int).rename(None).rename_axis(None)


def format_mix(sessions: pd.DataFrame) -> pd.DataFrame:
    """Class hours per cohort and session format, from `all_sessions`, in cohort date order."""
    order = sessions.drop_duplicates("cohort")["cohort"].tolist()
    out = sessions.pivot_table(
        index="cohort", columns="format", values="hours", aggfunc="sum", fill_value=0.0
    )
    out = out.reindex(index=order, columns=[c for c in codes("format") if c in out.columns])
    out.columns.name = None
    return out


def attendance_by_session(
    sessions: pd.DataFrame, attendance: pd.DataFrame, members: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per session: date, topic, people marked, the share of their hours credited, and (given
    the cohort's `members`) how many on its sheet are not marked yet. A session with no mark
    at all has no rate: it is missing paperwork, not a session nobody came to."""
    got = attendance.groupby("session_id").agg(
        marked=("person_id", "size"), credited=("hours_credited", "sum"), offered=("hours", "sum")
    )
    out = sessions[["id", "date", "format", "topic", "hours"]].merge(
        got, left_on="id", right_index=True, how="left"
    )
    out["marked"] = out["marked"].fillna(0).astype(int)
    out["rate"] = out["credited"] / out["offered"]
    if members is not None:
        out["missing"] = out["id"].map(unmarked_counts(members, sessions, attendance)).fillna(0).astype(int)
    return out.rename(columns={"id": "session_id"}).reset_index(drop=True)


def attendance_matrix(
    members: pd.DataFrame, sessions: pd.DataFrame, attendance: pd.DataFrame
) -> pd.DataFrame:
    """The sign-in sheet as a table: one row per participant (by name), one column per session
    date, status codes; "unmarked" where the person was enrolled that day but has no mark, and
    empty where they were not enrolled."""
    people = members.sort_values("person_id")
    grid = attendance.pivot_table(index="person_id", columns="session_id", values="status", aggfunc="first")
    grid = grid.reindex(index=people["person_id"], columns=sessions["id"]).astype(object)
    on_sheet = expected_marks(people, sessions).assign(on=True)
    expected = on_sheet.pivot_table(index="person_id", columns="session_id", values="on", aggfunc="any")
    expected = (
        expected.reindex(index=people["person_id"], columns=sessions["id"]).notna().to_numpy(dtype=bool)
    )
    values = grid.to_numpy(dtype=object, copy=True)
    values[expected & grid.isna().to_numpy(dtype=bool)] = "unmarked"
    return pd.DataFrame(
        values,
        index=people["name"].to_numpy(),
        columns=[f"{d} #{i}" for d, i in zip(sessions["date"], sessions["id"], strict=True)],
    )


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
