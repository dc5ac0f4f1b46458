"""Indexes for a national workspace: the look-ups the notebooks and the overview make.

At 77,000 chiefs every one of these was a scan of a table of a million rows or more:

- `session (cohort_id, date)`: a cohort's sessions, in date order (the sign-in sheet, standings).
- `session (date)`: the sessions of a year (the yearly requirement, the national overview).
- `post_tenure (person_id, start_date)`: one person's posts (standings, forms, the ledger).
- `enrollment (person_id)`: one person's enrolments (withdrawing them on a promotion, a
  person's cohorts); `(cohort_id, person_id)` is already unique.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_session_cohort_date", "session", ["cohort_id", "date"]),
    ("ix_session_date", "session", ["date"]),
    ("ix_post_tenure_person", "post_tenure", ["person_id", "start_date"]),
    ("ix_enrollment_person", "enrollment", ["person_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table)
