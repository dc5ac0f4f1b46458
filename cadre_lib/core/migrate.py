"""Bringing a workspace's schema up to date (alembic), or saying why it cannot be opened."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import sqlalchemy as sa

from .errors import NoWorkspace, OutdatedWorkspace, WorkspaceError

__all__ = ["MIGRATIONS", "bring_up_to_date", "newest_revision"]

MIGRATIONS = Path(__file__).parent / "migrations"


@functools.cache
def newest_revision() -> str:
    """The newest revision of the migrations, read from their files: the one no other revises."""
    found = {}
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision = re.search(r'^revision = "([^"]+)"', text, re.M)
        down = re.search(r'^down_revision = (?:"([^"]+)"|None)', text, re.M)
        if revision and down:
            found[revision.group(1)] = down.group(1)
    heads = set(found) - set(found.values())
    if len(heads) != 1:
        raise WorkspaceError(f"the workbook's migrations have {len(heads)} newest revisions: {sorted(heads)}")
    return heads.pop()


def bring_up_to_date(
    conn: sa.Connection, shown: str, *, create: bool, readonly: bool
) -> tuple[str | None, str]:
    """Check the database behind `conn` (named `shown` in messages) holds a cadre workspace of a
    schema this code knows, and upgrade it to the newest unless `readonly`.

    Returns (the revision it was upgraded from, or None; the newest revision). A workspace
    already at the newest revision is recognised without loading alembic (every notebook and
    command opens one; alembic's import costs a fifth of a second).
    """
    head = newest_revision()
    if sa.inspect(conn).has_table("alembic_version"):
        current = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        if current == [head]:
            return None, head
    return _with_alembic(conn, shown, create=create, readonly=readonly)


def _with_alembic(conn: sa.Connection, shown: str, *, create: bool, readonly: bool) -> tuple[str | None, str]:
    """`bring_up_to_date` for a workspace that is new, older, newer or not a workspace at all."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    current = MigrationContext.configure(conn).get_current_revision()
    if current is None and sa.inspect(conn).get_table_names():
        raise WorkspaceError(
            f"{shown} 不是干部培训工作区 holds tables but is not a cadre workspace; "
            "it was left as it is. Give an empty database or a new file"
        )
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise WorkspaceError(
            f"{shown} 由更新版本创建 was made by a newer version of the workbook "
            f"(schema {current}); update the workbook"
        )
    if current is None and not create:
        raise NoWorkspace(f"{shown} 没有工作区 holds no workspace; build one with 'cadre demo --db …' first")
    if current != head and readonly:
        raise OutdatedWorkspace(
            f"{shown} 需要升级 has schema {current} and this workbook reads {head}; "
            "bring it up to date with 'cadre upgrade --db …' (reading never changes a workspace)"
        )
    if current != head:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return (current if current != head else None), head
