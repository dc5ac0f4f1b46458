"""Alembic migrations that create and upgrade a workspace's schema."""
