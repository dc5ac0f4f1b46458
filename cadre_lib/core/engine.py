"""Opening a workspace's database: its file checked, the engine made with the behaviour the
workbook relies on (SQLite's pragmas and write transactions, lookups no driver can send made
safe), and a store's refusals put in words a trainer reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from .errors import (
    CadreError,
    ConflictError,
    DuplicateKey,
    InvalidEntry,
    NoWorkspace,
    WorkspaceError,
    one_line,
)
from .ids import scrub_ids
from .locations import read_only_sqlite
from .normalize import storable

__all__ = ["sqlite_file", "check_file", "make_engine", "use_wal", "read_only", "refusal"]


def sqlite_file(url: URL) -> Path | None:
    """The SQLite file behind `url`, or None for a server or an in-memory workspace."""
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database)
    return None


def check_file(path: Path | None, create: bool) -> None:
    """Refuse a folder, and a missing or empty file unless this open may create a workspace."""
    if path is None:
        return
    if path.is_dir():
        raise WorkspaceError(
            f"工作区路径是文件夹 {path.name!r} is a folder; give a file name such as {path.name}/cadre.sqlite"
        )
    empty = not path.exists() or path.stat().st_size == 0
    if empty and not create:
        what = "是空文件 is an empty file, not a workspace" if path.exists() else "不存在 does not exist"
        raise NoWorkspace(
            f"工作区 {path} {what}; build one with 'cadre demo --db {path}' or give another --db"
        )
    if empty:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"无法创建文件夹 cannot create {path.parent}: {exc.strerror}") from None


def make_engine(url: URL, file: Path | None, *, readonly: bool, echo: bool, shown: str) -> Engine:
    """The engine of a workspace: read-only where asked (SQLite's `mode=ro`, PostgreSQL's read-only
    transactions), SQLite with foreign keys and transactions the workbook begins itself (a write
    begins IMMEDIATE), and every lookup sent through `_storable_params`."""
    kwargs: dict[str, Any] = {"echo": echo}
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and file is None:
        kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif sqlite and readonly:
        kwargs["creator"] = read_only_sqlite(file)
    try:
        engine = sa.create_engine(url, **kwargs)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise WorkspaceError(f"无法使用 cannot use {shown}: {one_line(exc)}") from None
    if readonly and not sqlite:
        engine = engine.execution_options(postgresql_readonly=True)
    event.listen(engine, "before_cursor_execute", _storable_params, retval=True)
    if sqlite:
        _sqlite_behaviour(engine, readonly)
    return engine


def _sqlite_behaviour(engine: Engine, readonly: bool) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # transactions begin below, not in the driver
        if not readonly:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001
        immediate = conn.get_execution_options().get("cadre_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def read_only(exc: DBAPIError) -> bool:
    """The driver refused to write because the file, its folder or the transaction is read-only."""
    reason = str(exc.orig).lower()
    return "readonly" in reason or "read-only" in reason


def use_wal(engine: Engine) -> None:
    """Write-ahead logging (readers never wait for a writer), set once in a file that is ours."""
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        if raw.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            raw.execute("PRAGMA journal_mode=WAL")


def refusal(exc: DBAPIError, shown: str) -> CadreError:
    """A store's refusal in words a trainer reads: what happened and that nothing was saved,
    never the database's own wording (kept in `detail`, IDs masked, for whoever investigates)."""
    reason = str(exc.orig).lower()
    if isinstance(exc, IntegrityError) and "unique" in reason:
        out: CadreError = DuplicateKey(
            "同一记录刚刚已由他人保存，本次未保存任何内容，请重新打开后再试 the same record was saved by someone "
            "else at the same moment; nothing was saved: reload it and try again"
        )
    elif isinstance(exc, IntegrityError):
        out = InvalidEntry(
            "工作区拒绝保存：缺少必填内容，或所指的记录已不存在，本次未保存任何内容 the workspace refused the "
            "save: a value it needs is missing, or a record it refers to no longer exists; nothing was saved"
        )
    elif any(w in reason for w in ("locked", "busy", "deadlock", "could not serialize")):
        out = ConflictError(
            "他人正在保存，请稍后重试 someone else is saving to the workspace right now; try again"
        )
    elif read_only(exc):
        out = WorkspaceError(
            f"工作区文件只读，不能保存 {shown} cannot be written (the file or its folder is read-only); nothing "
            "was saved"
        )
    else:
        out = InvalidEntry(
            "工作区拒绝保存，本次未保存任何内容 the workspace refused the save; nothing was saved (the IT person "
            "can see why with CADRE_DEBUG=1)"
        )
    out.detail = scrub_ids(one_line(exc))  # type: ignore[attr-defined]
    return out


_INT64, _INT32 = 2**63, 2**31


def _storable_params(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
    """A lookup by text a driver cannot send (NUL, half a surrogate pair: typed into a form, it
    can match nothing) sends the text with those characters replaced instead of failing in the
    driver; a number beyond the engine's integer columns is refused, saying so. Writes never get
    here with such values: the transaction refuses them first, naming the field."""
    if executemany or not parameters:
        return statement, parameters
    bound = _INT32 if conn.dialect.name == "postgresql" else _INT64  # its integer columns' range
    items = parameters.items() if isinstance(parameters, dict) else enumerate(parameters)
    fixed = {}
    for k, v in items:
        if type(v) is str and not storable(v):
            fixed[k] = v.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
        elif type(v) is int and not -bound <= v < bound:
            raise InvalidEntry(f"数值超出范围：{v} the number {v} is out of range: no record has it")
    if not fixed:
        return statement, parameters
    if isinstance(parameters, dict):
        return statement, {**parameters, **fixed}
    return statement, type(parameters)(fixed.get(n, v) for n, v in enumerate(parameters))
