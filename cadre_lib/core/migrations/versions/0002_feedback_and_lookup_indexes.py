"""Session feedback (Kirkpatrick level 1) and indexes for per-person and per-township look-ups.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("session.id"), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("person.id"), nullable=False),
        sa.Column("usefulness", sa.Integer, nullable=False),
        sa.Column("relevance", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text),
        sa.UniqueConstraint("session_id", "person_id", name="uq_feedback_session_person"),
    )
    # Standings and talk cadence read one person's rows at a time; without these
    # indexes every look-up scans the whole attendance or talk table.
    op.create_index("ix_attendance_person", "attendance", ["person_id"])
    op.create_index("ix_talk_person_date", "talk", ["person_id", "date"])
    op.create_index("ix_post_tenure_township", "post_tenure", ["township_id"])


def downgrade() -> None:
    op.drop_index("ix_post_tenure_township", "post_tenure")
    op.drop_index("ix_talk_person_date", "talk")
    op.drop_index("ix_attendance_person", "attendance")
    op.drop_table("session_feedback")
