"""The data model of the design: geography, people, cohorts, delivery, assessment, outcomes.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id():
    return sa.Column("id", sa.Integer, primary_key=True)


def _fk(name, target, nullable=False):
    return sa.Column(name, sa.Integer, sa.ForeignKey(f"{target}.id"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "county",
        _id(),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("name_en", sa.String(128)),
    )
    op.create_table(
        "township",
        _id(),
        _fk("county_id", "county"),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("name_en", sa.String(128)),
        sa.Column("kind", sa.String(16), nullable=False, server_default="township"),
    )
    op.create_table(
        "person",
        _id(),
        sa.Column("national_id", sa.String(18), unique=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("sex", sa.String(1)),
        sa.Column("birth_date", sa.Date),
        sa.Column("ethnicity", sa.String(32)),
        sa.Column("education", sa.String(32)),
        sa.Column("phone", sa.String(32)),
        sa.Column("notes", sa.Text),
    )
    op.create_table(
        "post_tenure",
        _id(),
        _fk("person_id", "person"),
        _fk("township_id", "township"),
        sa.Column("post", sa.String(16), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date),
    )
    op.create_table(
        "cohort",
        _id(),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("name_en", sa.String(256)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date),
        sa.Column("completion_threshold", sa.Float),
    )
    op.create_table(
        "enrollment",
        _id(),
        _fk("cohort_id", "cohort"),
        _fk("person_id", "person"),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date),
        sa.UniqueConstraint("cohort_id", "person_id", name="uq_enrollment_cohort_person"),
    )
    op.create_table(
        "session",
        _id(),
        _fk("cohort_id", "cohort"),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("format", sa.String(24), nullable=False),
        sa.Column("topic", sa.String(256), nullable=False),
        sa.Column("hours", sa.Float, nullable=False),
        sa.Column("speaker", sa.String(128)),
        sa.Column("location", sa.String(128)),
    )
    op.create_table(
        "attendance",
        _id(),
        _fk("session_id", "session"),
        _fk("person_id", "person"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("hours_credited", sa.Float, nullable=False),
        sa.UniqueConstraint("session_id", "person_id", name="uq_attendance_session_person"),
    )
    op.create_table(
        "assessment",
        _id(),
        _fk("person_id", "person"),
        _fk("cohort_id", "cohort"),
        sa.Column("dimension", sa.String(24), nullable=False),
        sa.Column("phase", sa.String(8), nullable=False),
        sa.Column("instrument", sa.String(64), nullable=False),
        sa.Column("rater_role", sa.String(32)),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
    )
    op.create_table(
        "frontline_review",
        _id(),
        _fk("person_id", "person"),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("arena", sa.String(24), nullable=False),
        sa.Column("rating", sa.String(16), nullable=False),
        sa.Column("evidence", sa.Text),
        sa.Column("source", sa.String(16)),
    )
    op.create_table(
        "comment",
        _id(),
        _fk("person_id", "person"),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("arena", sa.String(24)),
        sa.Column("commenter_role", sa.String(24), nullable=False),
        sa.Column("sentiment", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
    )
    op.create_table(
        "talk",
        _id(),
        _fk("person_id", "person"),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("talker_role", sa.String(24), nullable=False),
        sa.Column("unannounced", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("concerns", sa.Text),
        sa.Column("follow_ups", sa.Text),
        sa.Column("follow_up_due", sa.Date),
        sa.Column("follow_up_done", sa.Date),
    )
    op.create_table(
        "outcome",
        _id(),
        _fk("person_id", "person"),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("detail", sa.Text),
        sa.Column("impact_end", sa.Date),
        sa.Column("reviewed_on", sa.Date),
    )
    op.create_table(
        "township_indicator",
        _id(),
        _fk("township_id", "township"),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("indicator", sa.String(48), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(16)),
        sa.UniqueConstraint("township_id", "period", "indicator", name="uq_indicator"),
    )
    op.create_table(
        "audit_log",
        _id(),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("table_name", sa.String(32), nullable=False),
        sa.Column("row_key", sa.String(128)),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
    )


def downgrade() -> None:
    for name in (
        "audit_log",
        "township_indicator",
        "outcome",
        "talk",
        "comment",
        "frontline_review",
        "assessment",
        "attendance",
        "session",
        "enrollment",
        "cohort",
        "post_tenure",
        "person",
        "township",
        "county",
    ):
        op.drop_table(name)
