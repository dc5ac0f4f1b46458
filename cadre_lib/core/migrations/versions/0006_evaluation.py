"""Evaluation: instruments with their scales, one score per rater role, five-level frontline
ratings per source, and nothing stored that the rules or the themes dictionary compute.

- `instrument`: each instrument a score is on, with its scale; the instruments already named by
  assessments are declared with the scale their scores were on (0-100, wider if a score is).
- `assessment`: one score per person, cohort, dimension, phase, instrument and rater role.
- `frontline_review`: a level (1-5) per arena and source replaces the strong / average word;
  the stored "overall" rows (a classification written by hand) are removed: the
  classification is computed from the rules file. Earlier words keep their meaning as levels
  (strong 4, average 3, weak 2). A review date is kept when known.
- `comment.sentiment` is dropped: no entry or import wrote it (only the demo did), and its
  tone is now read from the text by a dictionary an analyst can edit and check.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instrument",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("name_en", sa.String(128)),
        sa.Column("scale_min", sa.Float, nullable=False),
        sa.Column("scale_max", sa.Float, nullable=False),
        sa.Column("dimensions", sa.String(128)),
    )
    op.execute(
        """
        INSERT INTO instrument (code, name, scale_min, scale_max)
        SELECT instrument, instrument, CASE WHEN MIN(score) < 0 THEN MIN(score) ELSE 0 END,
               CASE WHEN MAX(score) > 100 THEN MAX(score) ELSE 100 END
        FROM assessment GROUP BY instrument ORDER BY instrument
        """
    )
    op.create_index(
        "uq_assessment_score",
        "assessment",
        ["person_id", "cohort_id", "dimension", "phase", "instrument", "rater_role"],
        unique=True,
    )
    # Plain ADD / DROP COLUMN (SQLite 3.35+, PostgreSQL) edit the tables in place; a batch
    # rebuild would reorder their foreign keys from run to run, so the same demo would differ.
    op.execute("ALTER TABLE frontline_review ADD COLUMN level INTEGER")
    op.execute("ALTER TABLE frontline_review ADD COLUMN date DATE")
    op.execute(
        "UPDATE frontline_review SET level = CASE rating WHEN 'strong' THEN 4 WHEN 'average' THEN 3 "
        "WHEN 'weak' THEN 2 ELSE NULL END"
    )
    op.execute("DELETE FROM frontline_review WHERE arena = 'overall' OR level IS NULL")
    op.execute("ALTER TABLE frontline_review DROP COLUMN rating")
    op.create_index(
        "uq_frontline_review", "frontline_review", ["person_id", "period", "arena", "source"], unique=True
    )
    op.execute("ALTER TABLE comment DROP COLUMN sentiment")


def downgrade() -> None:
    op.execute("ALTER TABLE comment ADD COLUMN sentiment VARCHAR(16) NOT NULL DEFAULT 'neutral'")
    op.drop_index("uq_frontline_review", "frontline_review")
    op.execute("ALTER TABLE frontline_review ADD COLUMN rating VARCHAR(16) NOT NULL DEFAULT 'average'")
    op.execute(
        "UPDATE frontline_review SET rating = CASE WHEN level >= 4 THEN 'strong' WHEN level = 3 "
        "THEN 'average' ELSE 'weak' END"
    )
    op.execute("ALTER TABLE frontline_review DROP COLUMN date")
    op.execute("ALTER TABLE frontline_review DROP COLUMN level")
    op.drop_index("uq_assessment_score", "assessment")
    op.drop_table("instrument")
