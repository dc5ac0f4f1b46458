"""Care and incentives: talk follow-ups with an owner and a status, concern tags, and an
outcomes ledger that knows sanctions, ranks, awards, posts and the result of a risk filing.

- `follow_up`: one action agreed in a talk, with its owner, due date and status (open, done,
  dropped). The single follow-up text, due date and done date each talk held move here.
- `talk`: gains `concern_tags` (codes, comma-separated) and `talker_name`; its follow-up
  columns go (they are in `follow_up`).
- `outcome`: gains `sanction` (the kind of discipline or accountability measure, which sets its
  impact period), `rank` (of a rank promotion), `award` (of a merit), `from_post` and `to_post`
  (of a promotion), and `result` / `result_date` (what came of a risk filing). Earlier rows are
  read for these from their description (党内警告处分 -> party_warning, 晋升三级调研员 ->
  researcher_3, 记三等功 -> merit_3); an impact end already stored is kept as the decision's own.
- `rank_history`: the rank a person held from a date, so years in rank can be counted; each
  earlier rank promotion whose rank could be read starts one.
- One talk per chief, day and talker role, and one decision per chief, kind and day (unique
  indexes), so two saves of the same record at once cannot make two rows.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Words in an earlier description -> code (longest first, so 严重警告 is not read as 警告).
_SANCTIONS = (
    ("严重警告", "party_serious_warning"),
    ("撤销党内职务", "party_removal"),
    ("记大过", "admin_major_demerit"),
    ("记过", "admin_demerit"),
    ("降级", "admin_demotion"),
    ("撤职", "admin_removal"),
    ("诫勉", "admonishment"),
    ("责令辞职", "ordered_resignation"),
    ("免职", "dismissal"),
    ("降职", "demotion"),
    ("调整职务", "post_adjustment"),
    ("党内警告", "party_warning"),
    ("政务警告", "admin_warning"),
)
_RANKS = (
    ("一级调研员", "researcher_1"),
    ("二级调研员", "researcher_2"),
    ("三级调研员", "researcher_3"),
    ("四级调研员", "researcher_4"),
    ("一级主任科员", "principal_clerk_1"),
    ("二级主任科员", "principal_clerk_2"),
    ("三级主任科员", "principal_clerk_3"),
    ("四级主任科员", "principal_clerk_4"),
)
_AWARDS = (("一等功", "merit_1"), ("二等功", "merit_2"), ("三等功", "merit_3"), ("嘉奖", "commendation"))


def _read_codes(column: str, kind: str, words: tuple) -> None:
    for word, code in words:
        op.execute(
            sa.text(
                f"UPDATE outcome SET {column} = :code WHERE kind = :kind AND {column} IS NULL "
                "AND detail LIKE :pattern"
            ).bindparams(code=code, kind=kind, pattern=f"%{word}%")
        )


def upgrade() -> None:
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("talk_id", sa.Integer, sa.ForeignKey("talk.id"), nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("owner", sa.String(64)),
        sa.Column("due_date", sa.Date),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("done_date", sa.Date),
    )
    op.create_index("ix_follow_up_talk", "follow_up", ["talk_id"])
    op.create_index("ix_follow_up_status_due", "follow_up", ["status", "due_date"])
    op.execute(
        """
        INSERT INTO follow_up (talk_id, action, owner, due_date, status, done_date)
        SELECT id, follow_ups, NULL, follow_up_due,
               CASE WHEN follow_up_done IS NULL THEN 'open' ELSE 'done' END, follow_up_done
        FROM talk WHERE follow_ups IS NOT NULL AND TRIM(follow_ups) <> '' ORDER BY id
        """
    )
    # Plain ADD / DROP COLUMN, as in 0006: the tables keep their shape from run to run.
    op.execute("ALTER TABLE talk ADD COLUMN concern_tags VARCHAR(128)")
    op.execute("ALTER TABLE talk ADD COLUMN talker_name VARCHAR(64)")
    for column in ("follow_ups", "follow_up_due", "follow_up_done"):
        op.execute(f"ALTER TABLE talk DROP COLUMN {column}")
    for column, kind in (
        ("sanction", "VARCHAR(32)"),
        ("rank", "VARCHAR(32)"),
        ("award", "VARCHAR(32)"),
        ("from_post", "VARCHAR(128)"),
        ("to_post", "VARCHAR(128)"),
        ("result", "VARCHAR(16)"),
        ("result_date", "DATE"),
    ):
        op.execute(f"ALTER TABLE outcome ADD COLUMN {column} {kind}")
    _read_codes("sanction", "discipline", _SANCTIONS)
    _read_codes("rank", "rank_promotion", _RANKS)
    _read_codes("award", "merit", _AWARDS)
    op.execute("UPDATE outcome SET to_post = detail WHERE kind = 'promotion'")
    op.create_index("ix_outcome_person_kind", "outcome", ["person_id", "kind"])
    # One talk per chief, day and talker role, one decision per chief, kind and day: two saves of
    # the same record at the same moment cannot make two rows.
    op.create_index("uq_talk", "talk", ["person_id", "date", "talker_role"], unique=True)
    op.drop_index("ix_talk_person_date", "talk")
    op.create_index("uq_outcome", "outcome", ["person_id", "kind", "date"], unique=True)
    op.create_table(
        "rank_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("person.id"), nullable=False),
        sa.Column("rank", sa.String(32), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.UniqueConstraint("person_id", "start_date", name="uq_rank_history_person_start"),
    )
    op.execute(
        """
        INSERT INTO rank_history (person_id, rank, start_date)
        SELECT person_id, rank, MIN(date) FROM outcome
        WHERE kind = 'rank_promotion' AND rank IS NOT NULL
        GROUP BY person_id, rank ORDER BY person_id, MIN(date)
        """
    )


def downgrade() -> None:
    op.drop_table("rank_history")
    op.drop_index("uq_outcome", "outcome")
    op.create_index("ix_talk_person_date", "talk", ["person_id", "date"])
    op.drop_index("uq_talk", "talk")
    op.drop_index("ix_outcome_person_kind", "outcome")
    for column in ("result_date", "result", "to_post", "from_post", "award", "rank", "sanction"):
        op.execute(f"ALTER TABLE outcome DROP COLUMN {column}")
    op.execute("ALTER TABLE talk ADD COLUMN follow_ups TEXT")
    op.execute("ALTER TABLE talk ADD COLUMN follow_up_due DATE")
    op.execute("ALTER TABLE talk ADD COLUMN follow_up_done DATE")
    first = "(SELECT {col} FROM follow_up f WHERE f.talk_id = talk.id ORDER BY f.id LIMIT 1)"
    op.execute(
        "UPDATE talk SET follow_ups = "
        + first.format(col="action")
        + ", follow_up_due = "
        + first.format(col="due_date")
        + ", follow_up_done = "
        + first.format(col="done_date")
    )
    op.execute("ALTER TABLE talk DROP COLUMN talker_name")
    op.execute("ALTER TABLE talk DROP COLUMN concern_tags")
    op.drop_table("follow_up")
