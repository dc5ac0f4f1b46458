"""Integrity and definitions: why an enrolment ended, pass marks, and row versions on entries.

- `enrollment.end_reason`: why an enrolment ended before its cohort did (promoted, withdrawn,
  transferred, other). A promotion is the programme's success, not a dropout, so the standings
  and the cohort overview count it apart. Earlier withdrawals are read: one ended the day before
  (or the day of) a promotion of the same person in the ledger is `promoted`, any other
  `withdrawn`.
- `instrument.pass_mark`: the score an instrument must reach to pass (optional); a residential
  class that names its assessment in the rules file needs it passed to complete (结业).
- `version` on `assessment`, `frontline_review`, `talk` and `outcome`: a form's save names the
  version it was made on, so of two offices entering the same score, rating, talk or decision at
  once one is stored and the other is told which value stands and who saved it (as the sign-in
  sheet does).

Revision ID: 0009
Revises: 0008
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

VERSIONED = ("assessment", "frontline_review", "talk", "outcome")


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _read_end_reasons() -> None:
    """Each withdrawn enrolment's reason: promoted when a promotion of the same person is dated
    the day after its end (or the day itself, for one that ended the day it began)."""
    conn = op.get_bind()
    promotions: dict[int, set] = {}
    for person_id, day in conn.execute(
        sa.text("SELECT person_id, date FROM outcome WHERE kind = 'promotion'")
    ):
        promotions.setdefault(int(person_id), set()).add(_as_date(day))
    rows = conn.execute(
        sa.text("SELECT id, person_id, end_date FROM enrollment WHERE status = 'withdrawn'")
    ).all()
    for row_id, person_id, end in rows:
        end = _as_date(end)
        days = promotions.get(int(person_id), set())
        promoted = end is not None and (end + dt.timedelta(days=1) in days or end in days)
        conn.execute(
            sa.text("UPDATE enrollment SET end_reason = :reason WHERE id = :id"),
            {"reason": "promoted" if promoted else "withdrawn", "id": row_id},
        )


def upgrade() -> None:
    with op.batch_alter_table("enrollment") as batch:
        batch.add_column(sa.Column("end_reason", sa.String(16)))
    with op.batch_alter_table("instrument") as batch:
        batch.add_column(sa.Column("pass_mark", sa.Float))
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    _read_end_reasons()


def downgrade() -> None:
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
    with op.batch_alter_table("instrument") as batch:
        batch.drop_column("pass_mark")
    with op.batch_alter_table("enrollment") as batch:
        batch.drop_column("end_reason")
