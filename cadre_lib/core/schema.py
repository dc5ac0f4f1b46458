"""The data model as SQLAlchemy Core tables: the head state the migrations build."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = ["metadata", "TABLES"]

metadata = MetaData()


def _id() -> Column:
    return Column("id", Integer, primary_key=True)


def _fk(name: str, target: str, nullable: bool = False) -> Column:
    return Column(name, Integer, ForeignKey(f"{target}.id"), nullable=nullable)


county = Table(
    "county",
    metadata,
    _id(),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(64), nullable=False),
    Column("name_en", String(128)),
)

township = Table(
    "township",
    metadata,
    _id(),
    _fk("county_id", "county"),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(64), nullable=False),
    Column("name_en", String(128)),
    Column("kind", String(16), nullable=False, server_default="township"),
)

person = Table(
    "person",
    metadata,
    _id(),
    Column("national_id", String(18), unique=True),
    Column("name", String(64), nullable=False),
    Column("sex", String(1)),
    Column("birth_date", Date),
    Column("ethnicity", String(32)),
    Column("education", String(32)),
    Column("phone", String(32)),
    Column("notes", Text),
)

post_tenure = Table(
    "post_tenure",
    metadata,
    _id(),
    _fk("person_id", "person"),
    _fk("township_id", "township"),
    Column("post", String(16), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    Index("ix_post_tenure_township", "township_id"),
    Index("ix_post_tenure_person", "person_id", "start_date"),
)

cohort = Table(
    "cohort",
    metadata,
    _id(),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(128), nullable=False),
    Column("name_en", String(256)),
    Column("kind", String(16), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    Column("completion_threshold", Float),
)

enrollment = Table(
    "enrollment",
    metadata,
    _id(),
    _fk("cohort_id", "cohort"),
    _fk("person_id", "person"),
    Column("status", String(16), nullable=False, server_default="active"),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    # Why an enrolment ended before its cohort did (promoted, withdrawn, transferred, other):
    # a promotion is the programme's success and is counted apart from those who dropped out.
    Column("end_reason", String(16)),
    UniqueConstraint("cohort_id", "person_id", name="uq_enrollment_cohort_person"),
    Index("ix_enrollment_person", "person_id"),
)

session = Table(
    "session",
    metadata,
    _id(),
    _fk("cohort_id", "cohort"),
    Column("date", Date, nullable=False),
    Column("format", String(24), nullable=False),
    Column("topic", String(256), nullable=False),
    Column("hours", Float, nullable=False),
    Column("speaker", String(128)),
    Column("location", String(128)),
    Column("version", Integer, nullable=False, server_default="1"),
    Index("ix_session_cohort_date", "cohort_id", "date"),
    Index("ix_session_date", "date"),
)

attendance = Table(
    "attendance",
    metadata,
    _id(),
    _fk("session_id", "session"),
    _fk("person_id", "person"),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    UniqueConstraint("session_id", "person_id", name="uq_attendance_session_person"),
    Index("ix_attendance_person", "person_id"),
)

# An assessment instrument (a theory exam, a party-spirit evaluation, a case exercise): the
# scale its scores lie on and the dimensions it measures (NULL: any of the three).
instrument = Table(
    "instrument",
    metadata,
    _id(),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(128), nullable=False),
    Column("name_en", String(128)),
    Column("scale_min", Float, nullable=False),
    Column("scale_max", Float, nullable=False),
    Column("dimensions", String(128)),
    Column("pass_mark", Float),  # the score that passes, when the instrument has one
)

# One score per person, cohort, dimension, phase, instrument and rater role: a peer score is the
# peers' mean as the training office tallies it, so re-entering a score replaces it.
assessment = Table(
    "assessment",
    metadata,
    _id(),
    _fk("person_id", "person"),
    _fk("cohort_id", "cohort"),
    Column("dimension", String(24), nullable=False),
    Column("phase", String(8), nullable=False),
    Column("instrument", String(64), nullable=False),
    Column("rater_role", String(32)),
    Column("score", Float, nullable=False),
    Column("date", Date, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Index(
        "uq_assessment_score",
        "person_id",
        "cohort_id",
        "dimension",
        "phase",
        "instrument",
        "rater_role",
        unique=True,
    ),
)

# A chief's arena in a period as one source saw it (look, hear, ask), on the five-level scale.
# The strong / average / weak classification is computed from these by the rules, never stored.
frontline_review = Table(
    "frontline_review",
    metadata,
    _id(),
    _fk("person_id", "person"),
    Column("period", String(16), nullable=False),
    Column("arena", String(24), nullable=False),
    Column("evidence", Text),
    Column("source", String(16)),
    Column("level", Integer),
    Column("date", Date),
    Column("version", Integer, nullable=False, server_default="1"),
    Index("uq_frontline_review", "person_id", "period", "arena", "source", unique=True),
)

# A free-text comment and the role of who gave it (never a name); its themes and its tone are
# read from it by the themes dictionary, never stored.
comment = Table(
    "comment",
    metadata,
    _id(),
    _fk("person_id", "person"),
    Column("period", String(16), nullable=False),
    Column("arena", String(24)),
    Column("commenter_role", String(24), nullable=False),
    Column("text", Text, nullable=False),
    Column("date", Date, nullable=False),
)

# A supervisory talk: who held it (the role, and a name if given), with whom and when, and what
# the chief raised (concern codes, comma-separated, and the words). Its follow-ups are rows of
# `follow_up`. Compliance with the cadence is computed from these and the rules, never stored.
talk = Table(
    "talk",
    metadata,
    _id(),
    _fk("person_id", "person"),
    Column("date", Date, nullable=False),
    Column("talker_role", String(24), nullable=False),
    Column("unannounced", Boolean, nullable=False, server_default="0"),
    Column("concerns", Text),
    Column("concern_tags", String(128)),
    Column("talker_name", String(64)),
    Column("version", Integer, nullable=False, server_default="1"),
    Index("uq_talk", "person_id", "date", "talker_role", unique=True),
)

# An action agreed in a talk, with who is to carry it out, by when, and where it stands.
follow_up = Table(
    "follow_up",
    metadata,
    _id(),
    _fk("talk_id", "talk"),
    Column("action", Text, nullable=False),
    Column("owner", String(64)),
    Column("due_date", Date),
    Column("status", String(16), nullable=False, server_default="open"),
    Column("done_date", Date),
    Index("ix_follow_up_talk", "talk_id"),
    Index("ix_follow_up_status_due", "status", "due_date"),
)

# The outcomes ledger and the 1+4 procedures: one decision about a chief. Which columns a row
# fills depends on its kind: sanction (discipline, accountability), rank (rank promotion), award
# (merit), from_post / to_post (promotion), result / result_date (risk filing). `impact_end` is
# a decision's own end of its impact period; when NULL it is computed from the rules.
outcome = Table(
    "outcome",
    metadata,
    _id(),
    _fk("person_id", "person"),
    Column("kind", String(24), nullable=False),
    Column("date", Date, nullable=False),
    Column("detail", Text),
    Column("impact_end", Date),
    Column("reviewed_on", Date),
    Column("sanction", String(32)),
    Column("rank", String(32)),
    Column("award", String(32)),
    Column("from_post", String(128)),
    Column("to_post", String(128)),
    Column("result", String(16)),
    Column("result_date", Date),
    Column("version", Integer, nullable=False, server_default="1"),
    Index("ix_outcome_person_kind", "person_id", "kind"),
    Index("uq_outcome", "person_id", "kind", "date", unique=True),
)

# The rank (职级) a person holds from a date until the next row of theirs.
rank_history = Table(
    "rank_history",
    metadata,
    _id(),
    _fk("person_id", "person"),
    Column("rank", String(32), nullable=False),
    Column("start_date", Date, nullable=False),
    UniqueConstraint("person_id", "start_date", name="uq_rank_history_person_start"),
)

township_indicator = Table(
    "township_indicator",
    metadata,
    _id(),
    _fk("township_id", "township"),
    Column("period", String(16), nullable=False),
    Column("indicator", String(48), nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", String(16)),
    UniqueConstraint("township_id", "period", "indicator", name="uq_indicator"),
)

session_feedback = Table(
    "session_feedback",
    metadata,
    _id(),
    _fk("session_id", "session"),
    _fk("person_id", "person"),
    Column("usefulness", Integer, nullable=False),
    Column("relevance", Integer, nullable=False),
    Column("comment", Text),
    UniqueConstraint("session_id", "person_id", name="uq_feedback_session_person"),
)

audit_log = Table(
    "audit_log",
    metadata,
    _id(),
    Column("at", DateTime, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("table_name", String(32), nullable=False),
    Column("row_key", String(128)),
    Column("old", Text),
    Column("new", Text),
)

TABLES: dict[str, Table] = dict(metadata.tables)
