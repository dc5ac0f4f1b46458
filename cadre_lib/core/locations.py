"""Where a workspace lives: its URL, the file behind it, and emptying it without losing what it held."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from .errors import WorkspaceError, one_line
from .schema import metadata

__all__ = [
    "resolve_url",
    "hide_password",
    "empty_workspace",
    "read_only_sqlite",
    "DEFAULT_URL_ENV",
    "NOTEBOOK_WORKSPACE",
]

DEFAULT_URL_ENV = "CADRE_DB_URL"
NOTEBOOK_WORKSPACE = "../workspace/demo.sqlite"  # the demo of this checkout, seen from notebooks/


def resolve_url(target: str | os.PathLike | sa.URL | None) -> sa.URL:
    """Turn a URL, a file path or None (use $CADRE_DB_URL) into a SQLAlchemy URL.

    The workbook works on SQLite files and on PostgreSQL through psycopg 3; `postgresql://`
    is read as `postgresql+psycopg://`. Anything else is refused with what to write instead.

    >>> resolve_url("postgresql://me@db/cadre").drivername
    'postgresql+psycopg'
    >>> resolve_url(":memory:").render_as_string()
    'sqlite://'
    """
    if isinstance(target, sa.URL):
        target = target.render_as_string(hide_password=False)
    if target is None:
        target = os.environ.get(DEFAULT_URL_ENV)
        if not target:
            raise WorkspaceError(
                f"未指定工作区 no workspace given: pass a file path or URL (--db), or set {DEFAULT_URL_ENV}"
            )
    text = str(target).strip()
    if text == ":memory:":
        return make_url("sqlite://")
    if "://" not in text:
        return make_url("sqlite:///" + str(Path(text).expanduser().resolve()))
    hint = "write sqlite:///path/to/file.sqlite or postgresql+psycopg://user@host:5432/database"
    try:
        url = make_url(text)
        url.port  # noqa: B018 - a malformed port only shows when it is read
    except (ArgumentError, ValueError):
        raise WorkspaceError(
            f"“{hide_password(text)}”不是有效的数据库地址 is not a database URL; {hint}"
        ) from None
    backend, _, driver = url.drivername.partition("+")
    if backend == "postgresql" and driver in ("", "psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return url
    raise WorkspaceError(
        f"不支持的数据库 the workbook works with SQLite files and PostgreSQL (through psycopg), "
        f"not '{url.drivername}'; {hint}"
    )


def hide_password(text: str) -> str:
    """A URL as typed, with anything between '://user:' and the last '@' hidden."""
    head, sep, rest = text.partition("://")
    if not sep or "@" not in rest:
        return text
    userinfo, _, host = rest.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return f"{head}://{user}{':***' if ':' in userinfo else ''}@{host}"


def empty_workspace(target: str | os.PathLike | sa.URL, keep_copy: bool = False) -> Path | None:
    """Drop every table of a workspace in one transaction, leaving an empty database in place.

    Nothing is deleted from under a notebook that has the workspace open: it sees the change on
    its next read, and what it writes afterwards is kept. With `keep_copy`, a SQLite file is
    first copied beside itself (`demo.replaced-20261128-104500.sqlite`), with everything its
    write-ahead log holds, and emptied only if no one saved in between; that path is returned.
    A server workspace is not copied (back it up with pg_dump first).
    """
    url = resolve_url(target)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return _empty_sqlite(Path(url.database), keep_copy)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            metadata.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    except DBAPIError as exc:
        raise WorkspaceError(
            f"无法连接 cannot reach {url.render_as_string(hide_password=True)}: {one_line(exc)}"
        ) from None
    finally:
        engine.dispose()
    return None


def _empty_sqlite(path: Path, keep_copy: bool) -> Path | None:
    import sqlite3

    kept = None
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        for _attempt in range(5):
            seen = conn.execute("PRAGMA data_version").fetchone()[0]
            if keep_copy:
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                kept = path.with_name(f"{path.stem}.replaced-{stamp}{path.suffix}")
                with sqlite3.connect(kept) as copy:
                    conn.backup(copy)  # a consistent snapshot, write-ahead log included
            conn.execute("BEGIN IMMEDIATE")
            if conn.execute("PRAGMA data_version").fetchone()[0] == seen:
                break  # no one saved since the copy: it holds everything that goes
            conn.execute("ROLLBACK")
        else:
            raise WorkspaceError(
                f"{path.name} 正被频繁写入 is being written to all the time; try again later"
            )
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in tables:
            if not name.startswith("sqlite_"):
                conn.execute(f'DROP TABLE "{name}"')
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise WorkspaceError(f"无法清空工作区 cannot empty {path.name}: {exc}") from None
    finally:
        conn.close()
    return kept


def read_only_sqlite(path: Path) -> Callable[[], Any]:
    """A connect function that opens a SQLite file read-only and never writes to it.

    A file in write-ahead mode needs its -shm file; where that cannot be made (a read-only
    folder), the file is opened as immutable, which reads it as it stands.
    """
    import sqlite3
    from urllib.parse import quote

    uri = "file:" + quote(str(path))

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri + "?mode=ro", uri=True, check_same_thread=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
        return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, check_same_thread=False)

    return connect
