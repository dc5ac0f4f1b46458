"""Credited hours and enrolment outcomes are computed when read, from the rules in force.

A mark's credited hours were written when it was saved, so changing a credit share in the rules
file changed nobody's hours; they are now status × session hours × the rules' share, every time
they are read. Likewise "completed" was written by hand for every class member, whatever their
attendance: an outcome is now decided from the rules once the enrolment has ended, and only a
withdrawal (a fact someone records, with its date) is stored. Enrolments stored as completed
become active with their end date kept, which is when the outcome is decided.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+, PostgreSQL) edits the table in place; rebuilding it as a
    # batch would reorder its foreign keys from run to run, so the same demo would differ.
    op.execute("ALTER TABLE attendance DROP COLUMN hours_credited")
    op.execute("UPDATE enrollment SET status = 'active' WHERE status = 'completed'")


def downgrade() -> None:
    # The credit shares of the packaged rules, as version 0004 stored them.
    with op.batch_alter_table("attendance") as batch:
        batch.add_column(sa.Column("hours_credited", sa.Float, nullable=False, server_default="0"))
    op.execute(
        """
        UPDATE attendance SET hours_credited = (
            SELECT s.hours * CASE attendance.status
                WHEN 'present' THEN 1.0 WHEN 'late' THEN 0.75 WHEN 'left_early' THEN 0.5 ELSE 0.0 END
            FROM session s WHERE s.id = attendance.session_id
        )
        """
    )
