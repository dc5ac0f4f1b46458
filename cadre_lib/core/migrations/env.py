"""Alembic environment: runs on the connection the Workspace hands over."""

from alembic import context

from cadre_lib.core.schema import metadata

connection = context.config.attributes["connection"]
# Batch mode lets later migrations alter SQLite tables (copy-and-move) on the same code path.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
