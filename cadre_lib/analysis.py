"""Pure analyses: DataFrames in, DataFrames out; no I/O, no widgets, no clock."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .vocab import codes, label

__all__ = [
    "held_sessions",
    "TABLE_LABELS",
    "workspace_overview",
    "chiefs_by_county",
    "cohort_summary",
    "members_by_county",
    "format_mix",
    "attendance_by_session",
    "attendance_matrix",
    "feedback_by_session",
]

TABLE_LABELS: dict[str, tuple[str, str]] = {
    "county": ("县（区）", "Counties and districts"),
    "township": ("乡镇（街道）", "Townships and sub-districts"),
    "person": ("干部", "People"),
    "post_tenure": ("任职记录", "Post tenures"),
    "cohort": ("培训项目", "Cohorts"),
    "enrollment": ("参训记录", "Enrollments"),
    "session": ("培训课次", "Training sessions"),
    "attendance": ("考勤记录", "Attendance records"),
    "assessment": ("测评成绩", "Assessment scores"),
    "frontline_review": ("一线考察", "Frontline reviews"),
    "comment": ("评价意见", "Evaluation comments"),
    "talk": ("谈心谈话", "Supervisory talks"),
    "outcome": ("激励与问责", "Outcomes"),
    "township_indicator": ("乡镇指标", "Township indicators"),
    "session_feedback": ("课程评价", "Session feedback"),
    "audit_log": ("操作日志", "Audit log entries"),
}


def held_sessions(sessions: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The sessions held by `as_of` (on or before it), in their order."""
    return sessions[pd.to_datetime(sessions["date"]) <= pd.Timestamp(as_of)]


def workspace_overview(counts: dict[str, int]) -> pd.DataFrame:
    """What the workspace holds: one row per table with its bilingual name and row count.

    >>> workspace_overview({"county": 6}).iloc[0].tolist()
    ['县（区）', 'Counties and districts', 6]
    """
    rows = [(*TABLE_LABELS.get(t, (t, t)), n) for t, n in counts.items()]
    return pd.DataFrame(rows, columns=["内容", "What", "Rows"])


def chiefs_by_county(chiefs: pd.DataFrame) -> pd.DataFrame:
    """Chiefs in post per county and post, with townships counted once, in county-code order.

    `chiefs` is `Workspace.chiefs(as_of)`.
    """
    out = (
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
    return out


def cohort_summary(
    members: pd.DataFrame, sessions: pd.DataFrame, attendance: pd.DataFrame, as_of: dt.date
) -> pd.DataFrame:
    """Key figures of one cohort as of a date, as a two-language (figure, value) table.

    Sessions and attendance after `as_of` are left out, so the figures are those a trainer
    could have known on that day.
    """
    held = held_sessions(sessions, as_of)
    att = attendance[pd.to_datetime(attendance["date"]) <= pd.Timestamp(as_of)]
    offered = float(att["hours"].sum())
    credited = float(att["hours_credited"].sum())
    status = members["status"].value_counts()
    rows = [
        ("参训人数", "Participants", len(members)),
        *[
            (label("enrollment_status", s, "zh"), label("enrollment_status", s, "en"), int(status.get(s, 0)))
            for s in ("active", "completed", "withdrawn")
        ],
        ("已办课次", "Sessions held", len(held)),
        ("已办学时", "Class hours held", round(float(held["hours"].sum()), 1)),
        (
            "出勤率",
            "Attendance rate (hours credited / offered)",
            f"{credited / offered:.1%}" if offered else "–",
        ),
        (
            "人均获得学时",
            "Hours credited per participant",
            round(credited / len(members), 1) if len(members) else 0.0,
        ),
    ]
    return pd.DataFrame(rows, columns=["指标", "Figure", "Value"]).astype({"Value": str})


def members_by_county(members: pd.DataFrame) -> pd.DataFrame:
    """Participants of a cohort per county (county of their latest post), largest first."""
    out = members.groupby(["county", "county_en"], dropna=False).size().rename("participants").reset_index()
    return out.sort_values(["participants", "county_en"], ascending=[False, True], ignore_index=True)


def format_mix(sessions: pd.DataFrame) -> pd.DataFrame:
    """Class hours per cohort and session format, from `delivery.all_sessions`, in cohort date order."""
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
