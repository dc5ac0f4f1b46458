"""Every withdrawal has a date: an undated one gets the date of the person's last mark in that
cohort, or the day they joined when they have none.

Without a date no one can tell which sessions a withdrawn person was still expected at, and the
sign-in sheet, marking and the sign-in import once answered that differently. From this
version on, entry and import refuse a withdrawal without a date.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        UPDATE enrollment
        SET end_date = COALESCE(
            (
                SELECT MAX(s.date)
                FROM attendance a JOIN session s ON s.id = a.session_id
                WHERE a.person_id = enrollment.person_id AND s.cohort_id = enrollment.cohort_id
            ),
            enrollment.start_date
        )
        WHERE status = 'withdrawn' AND end_date IS NULL
        """
    )


def downgrade() -> None:
    pass  # the dates given stay: they are what the records mean
