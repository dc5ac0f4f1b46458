"""Shared fixtures: temporary workspaces on SQLite always, and on PostgreSQL when configured."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import uuid

import pytest
import sqlalchemy as sa

from cadre_lib import Workspace, build_demo, people

PG_URL = os.environ.get("CADRE_TEST_PG_URL")
FIXED = dt.datetime(2026, 11, 30, 9, 30, 0)  # the demo's as-of day, so imports without --as-of agree with it


@pytest.fixture
def sqlite_url(tmp_path):
    return str(tmp_path / "ws.sqlite")


@contextlib.contextmanager
def fresh_pg_schema():
    """A URL whose search_path is a fresh schema of the test server, dropped afterwards."""
    if not PG_URL:
        pytest.skip("CADRE_TEST_PG_URL is not set")
    schema = f"cadre_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_schema_url():
    """A URL whose search_path is a fresh schema, dropped afterwards."""
    with fresh_pg_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    """Each store test runs on a SQLite file and, when configured, on PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "ws.sqlite")
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def ws(url):
    with Workspace(url, actor="tester", clock=lambda: FIXED) as workspace:
        yield workspace


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory):
    """A closed demo workspace file, built once per test run (copy it before writing)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with Workspace(path) as workspace:
        build_demo(workspace)
    return path


@pytest.fixture(scope="session")
def demo_ws(demo_path):
    """The default demo workspace, opened once per test run (read-only for tests)."""
    with Workspace(demo_path) as workspace:
        yield workspace


@pytest.fixture
def fresh_demo(demo_path, tmp_path):
    """A writable copy of the demo workspace for one test."""
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_path, path)
    with Workspace(path, actor="tester", clock=lambda: FIXED) as workspace:
        yield workspace


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_demo(request, demo_path, tmp_path):
    """A writable demo workspace on a SQLite file and, when configured, on PostgreSQL."""
    if request.param == "sqlite":
        shutil.copyfile(demo_path, tmp_path / "demo.sqlite")
        url = str(tmp_path / "demo.sqlite")
    else:
        url = request.getfixturevalue("pg_schema_url")
        with Workspace(url) as workspace:
            build_demo(workspace)
    with Workspace(url, actor="tester", clock=lambda: FIXED) as workspace:
        yield workspace


@pytest.fixture(scope="session")
def tiny_workspace():
    """Build a small workspace where a good row of any importer can land: county 甲县 with
    township 乙镇, cohort K1 with one participant (`member`, optionally with an ID number) and one
    session (2026-03-02, 讲座). Returns the builder; the caller opens and closes the workspace."""

    def build(path, member: str = "张三", national_id: str | None = None) -> Workspace:
        from cadre_lib.delivery import add_session

        ws = Workspace(path, actor="tiny", clock=lambda: FIXED)
        people.add_county(ws, "C1", "甲县")
        people.add_township(ws, "C1", "T1", "乙镇")
        people.add_cohort(ws, "K1", "测试班", "class", dt.date(2026, 1, 1))
        people.enroll(ws, "K1", people.add_person(ws, member, national_id), dt.date(2026, 1, 1))
        add_session(ws, "K1", dt.date(2026, 3, 2), "lecture", "讲座", 3)
        return ws

    return build


def downgrade(path, revision: str) -> None:
    """Take a workspace file back to an older schema, as an older version of the workbook left it."""
    from alembic import command
    from alembic.config import Config

    from cadre_lib.core.migrate import MIGRATIONS

    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS))
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    finally:
        engine.dispose()
