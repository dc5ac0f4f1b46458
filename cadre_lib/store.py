"""The workspace: one SQLite file or PostgreSQL database, migrated, audited, transactional."""

from __future__ import annotations

import copy
import datetime as dt
import getpass
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from .errors import ConflictError, InvalidEntry, MissingEntry, NoWorkspace, OutdatedWorkspace, WorkspaceError
from .ids import mask_frame, mask_national_id, scrub_ids, validate_national_id
from .schema import TABLES, metadata

__all__ = [
    "Workspace",
    "open_workspace",
    "resolve_url",
    "empty_workspace",
    "DEFAULT_URL_ENV",
    "NOTEBOOK_WORKSPACE",
]

DEFAULT_URL_ENV = "CADRE_DB_URL"
NOTEBOOK_WORKSPACE = "../workspace/demo.sqlite"  # the demo of this checkout, seen from notebooks/
MIGRATIONS = Path(__file__).parent / "migrations"
_BULK_CHUNK = 50_000


def resolve_url(target: str | os.PathLike | sa.URL | None) -> sa.URL:
    """Turn a URL, a file path or None (use $CADRE_DB_URL) into a SQLAlchemy URL.

    The workbook works on SQLite files and on PostgreSQL through psycopg 3; `postgresql://`
    is read as `postgresql+psycopg://`. Anything else is refused with what to write instead.

    >>> resolve_url("postgresql://me@db/cadre").drivername
    'postgresql+psycopg'
    >>> resolve_url(":memory:").database
    ':memory:'
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
            f"“{_hide_password(text)}”不是有效的数据库地址 is not a database URL; {hint}"
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


def _hide_password(text: str) -> str:
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
            f"无法连接 cannot reach {url.render_as_string(hide_password=True)}: {_one_line(exc)}"
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
                stamp = _default_clock().strftime("%Y%m%d-%H%M%S")
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


def _default_clock() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def _default_actor() -> str:
    try:
        return os.environ.get("CADRE_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _json(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    shown = {
        k: (mask_national_id(v) if k == "national_id" else scrub_ids(v) if isinstance(v, str) else v)
        for k, v in values.items()
    }
    return json.dumps(shown, ensure_ascii=False, sort_keys=True, default=str)


def _read_only(exc: DBAPIError) -> bool:
    """The driver refused to write because the file, its folder or the transaction is read-only."""
    reason = str(exc.orig).lower()
    return "readonly" in reason or "read-only" in reason


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


_LIMITS = {
    name: {c.name: c.type.length for c in t.c if getattr(c.type, "length", None)}
    for name, t in TABLES.items()
}


def _check_lengths(table: str, row: Mapping[str, Any]) -> None:
    """Refuse text longer than its column holds (PostgreSQL would refuse it; SQLite would not)."""
    for key, limit in _LIMITS[table].items():
        value = row.get(key)
        if isinstance(value, str) and len(value) > limit:
            raise InvalidEntry(
                f"内容过长，最多{limit}字 {key} is too long: at most {limit} characters", field=key
            )


def _read_only_sqlite(path: Path) -> Callable[[], Any]:
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


class Tx:
    """One open transaction: every write through it is audited with the same time and actor."""

    def __init__(self, conn: Connection, actor: str, at: dt.datetime):
        self.conn, self.actor, self.at = conn, actor, at

    def _audit(self, rows: list[dict]) -> None:
        if rows:
            cols = ("at", "actor", "action", "table_name", "row_key", "old", "new")
            self._write_many(
                "audit_log",
                cols,
                (
                    (self.at, self.actor, r["action"], r["table_name"], r["row_key"], r["old"], r["new"])
                    for r in rows
                ),
            )

    def log(self, action: str, table: str, row_key: str | None, new: str | None) -> None:
        """Record an event that is not a row change (an import, say) in the audit log."""
        self._audit([{"action": action, "table_name": table, "row_key": row_key, "old": None, "new": new}])

    def _next_ids(self, table: str, n: int) -> list[int]:
        """Ids for n new rows, taken inside this transaction."""
        prep = self.conn.dialect.identifier_preparer
        if self.conn.dialect.name == "postgresql":
            return [
                r[0]
                for r in self.conn.exec_driver_sql(
                    f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, {int(n)})"
                )
            ]
        top = self.conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {prep.quote(table)}").scalar()
        return list(range(top + 1, top + 1 + n))

    def insert(self, table: str, rows: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[int]:
        """Insert one row or several; return their ids. Each row gets an audit entry.

        Rows go to the driver in one executemany per shape of row, so thousands of rows
        (an import) cost little more than a bulk load while each still has its audit entry.
        """
        batch = [dict(rows)] if isinstance(rows, Mapping) else [dict(r) for r in rows]
        if not batch:
            return []
        for row in batch:
            _check_lengths(table, row)
        ids = self._next_ids(table, len(batch))
        shapes: dict[tuple[str, ...], list[tuple]] = {}
        for i, r in zip(ids, batch):
            shapes.setdefault(tuple(r), []).append((i, *r.values()))
        for columns, values in shapes.items():
            self._write_many(table, ("id", *columns), values)
        self._audit(
            [
                {"action": "insert", "table_name": table, "row_key": str(i), "old": None, "new": _json(r)}
                for i, r in zip(ids, batch)
            ]
        )
        return ids

    def insert_unless_present(
        self, table: str, rows: Sequence[Mapping[str, Any]], key: Sequence[str]
    ) -> list[int | None]:
        """Insert rows one at a time unless a row with the same `key` values is already there.

        Returns the new id of each row, or None where one was there first: saved earlier, or
        by another transaction that commits while this one waits (PostgreSQL makes the second
        writer wait for the first, then skips). Give rows in a stable order (by key, say), so
        that two writers never wait for each other in a circle.
        """
        from sqlalchemy.dialects import postgresql, sqlite

        t = TABLES[table]
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        ids: list[int | None] = []
        for row in rows:
            _check_lengths(table, row)
            stmt = (
                dialect.insert(t).values(dict(row)).on_conflict_do_nothing(index_elements=list(key))
            ).returning(t.c.id)
            new_id = self.conn.execute(stmt).scalar()
            ids.append(new_id)
            if new_id is not None:
                self._audit(
                    [
                        {
                            "action": "insert",
                            "table_name": table,
                            "row_key": str(new_id),
                            "old": None,
                            "new": _json(row),
                        }
                    ]
                )
        return ids

    def update(
        self, table: str, row_id: int, values: Mapping[str, Any], expect_version: int | None = None
    ) -> dict[str, tuple]:
        """Change columns of one row; return {column: (old, new)} for what really changed.

        For a table with row versions, every real change moves the version on; with
        `expect_version` the change is made only if the row is still at that version, and
        ConflictError says so otherwise (someone else saved it meanwhile).
        """
        t = TABLES[table]
        _check_lengths(table, values)
        current = self.conn.execute(sa.select(t).where(t.c.id == row_id)).mappings().first()
        if current is None:
            raise MissingEntry(f"记录已不存在 {table} #{row_id} does not exist (it may have been deleted)")
        versioned = "version" in t.c
        if expect_version is not None and versioned and current["version"] != expect_version:
            raise ConflictError(
                f"他人已先行修改 {table} #{row_id} was changed by someone else since you read it"
            )
        changed = {k: (current[k], v) for k, v in values.items() if current[k] != v}
        if changed:
            stmt = t.update().where(t.c.id == row_id).values({k: n for k, (_, n) in changed.items()})
            if versioned:
                stmt = stmt.where(t.c.version == current["version"]).values(version=t.c.version + 1)
            if self.conn.execute(stmt).rowcount != 1:
                raise ConflictError(
                    f"他人同时修改了该记录 {table} #{row_id} was changed by someone else at the same moment"
                )
            self._audit(
                [
                    {
                        "action": "update",
                        "table_name": table,
                        "row_key": str(row_id),
                        "old": _json({k: o for k, (o, _) in changed.items()}),
                        "new": _json({k: n for k, (_, n) in changed.items()}),
                    }
                ]
            )
        return changed

    def delete(self, table: str, row_id: int) -> None:
        """Delete one row, keeping its old values in the audit log."""
        t = TABLES[table]
        current = self.conn.execute(sa.select(t).where(t.c.id == row_id)).mappings().first()
        if current is None:
            raise MissingEntry(f"记录不存在 {table} #{row_id} does not exist")
        self.conn.execute(t.delete().where(t.c.id == row_id))
        self._audit(
            [
                {
                    "action": "delete",
                    "table_name": table,
                    "row_key": str(row_id),
                    "old": _json(dict(current)),
                    "new": None,
                }
            ]
        )

    def bulk_insert(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], note: str = ""
    ) -> int:
        """Load many rows fast: driver-level executemany, one audit entry for the whole load.

        `rows` are tuples in the order of `columns`. Returns the number of rows written.
        """
        total = self._write_many(table, columns, rows)
        if "id" in columns and self.conn.dialect.name == "postgresql":
            # Explicit ids do not move a serial's sequence; later inserts would collide.
            prep = self.conn.dialect.identifier_preparer
            self.conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {prep.quote(table)}), 1))"
            )
        self._audit(
            [
                {
                    "action": "bulk_insert",
                    "table_name": table,
                    "row_key": None,
                    "old": None,
                    "new": json.dumps({"rows": total, "note": note}, ensure_ascii=False),
                }
            ]
        )
        return total

    def _write_many(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """executemany at the driver, in chunks, converting only the columns this driver needs."""
        t = TABLES[table]
        dialect = self.conn.dialect
        prep = dialect.identifier_preparer
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        sql = (
            f"INSERT INTO {prep.quote(table)} ({', '.join(prep.quote(c) for c in columns)}) "
            f"VALUES ({', '.join([mark] * len(columns))})"
        )
        # Only columns whose type needs conversion for this driver (dates on SQLite) pay for it.
        procs = [
            (i, p)
            for i, c in enumerate(columns)
            if (p := t.c[c].type.dialect_impl(dialect).bind_processor(dialect)) is not None
        ]
        total = 0
        chunk: list[tuple] = []
        for row in rows:
            if procs:
                row = list(row)
                for i, p in procs:
                    if row[i] is not None:
                        row[i] = p(row[i])
                row = tuple(row)
            elif type(row) is not tuple:
                row = tuple(row)
            chunk.append(row)
            if len(chunk) >= _BULK_CHUNK:
                self.conn.exec_driver_sql(sql, chunk)
                total += len(chunk)
                chunk = []
        if chunk:
            self.conn.exec_driver_sql(sql, chunk)
            total += len(chunk)
        return total


class Workspace:
    """A cadre workspace behind one URL: SQLite file (default) or PostgreSQL, same code path.

    Opening it for writing creates the schema, or upgrades one made by an older version,
    through the Alembic migrations; every write runs in a transaction and leaves audit rows.
    Opened with `readonly=True` it changes nothing at all: no schema, no migration, no
    journal mode; a read-only file or folder is fine.

    >>> with Workspace(":memory:", actor="doc") as ws:
    ...     ws.add_county("C01", "示例县", "Example County")
    1
    """

    def __init__(
        self,
        target: str | os.PathLike | None = None,
        *,
        actor: str | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        echo: bool = False,
        create: bool = True,
        readonly: bool = False,
        rules: str | os.PathLike | None = None,
    ):
        self.url = resolve_url(target)
        self.create = create and not readonly
        self.readonly = readonly
        self._rules_path = rules
        self.actor = actor or _default_actor()
        self.clock = clock or _default_clock
        self.engine = self._connect(echo)
        try:
            self._migrate()
        except BaseException:
            self.engine.dispose()
            raise

    # -- opening -------------------------------------------------------------------------
    @property
    def _file(self) -> Path | None:
        """The SQLite file, or None for a server or an in-memory workspace."""
        if self.url.get_backend_name() == "sqlite" and self.url.database not in (None, "", ":memory:"):
            return Path(self.url.database)
        return None

    def _check_file(self) -> None:
        """Refuse a folder, and a missing or empty file unless this open may create a workspace."""
        path = self._file
        if path is None:
            return
        if path.is_dir():
            raise WorkspaceError(
                f"工作区路径是文件夹 {path.name!r} is a folder; give a file name such as {path.name}/cadre.sqlite"
            )
        empty = not path.exists() or path.stat().st_size == 0
        if empty and not self.create:
            what = "是空文件 is an empty file, not a workspace" if path.exists() else "不存在 does not exist"
            raise NoWorkspace(
                f"工作区 {path} {what}; build one with 'cadre demo --db {path}' or give another --db"
            )
        if empty:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WorkspaceError(f"无法创建文件夹 cannot create {path.parent}: {exc.strerror}") from None

    def _connect(self, echo: bool) -> Engine:
        url = self.url
        self._check_file()
        kwargs: dict[str, Any] = {"echo": echo}
        sqlite = url.get_backend_name() == "sqlite"
        if sqlite and self._file is None:
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        elif sqlite and self.readonly:
            kwargs["creator"] = _read_only_sqlite(self._file)
        try:
            engine = sa.create_engine(url, **kwargs)
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise WorkspaceError(f"无法使用 cannot use {self.display_url}: {_one_line(exc)}") from None
        if self.readonly and not sqlite:
            engine = engine.execution_options(postgresql_readonly=True)
        if sqlite:

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record):  # noqa: ANN001
                dbapi_conn.isolation_level = None  # transactions begin below, not in the driver
                if not self.readonly:
                    cur = dbapi_conn.cursor()
                    cur.execute("PRAGMA foreign_keys=ON")
                    cur.execute("PRAGMA synchronous=NORMAL")
                    cur.close()

            @event.listens_for(engine, "begin")
            def _begin(conn):  # noqa: ANN001
                immediate = conn.get_execution_options().get("cadre_write")
                conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    @property
    def rules_path(self) -> Path | None:
        """The rules file in force: the one given, else $CADRE_RULES, else rules.toml beside a
        SQLite workspace file, if it exists; None means the packaged defaults."""
        given = self._rules_path or os.environ.get("CADRE_RULES")
        if given:
            return Path(given)
        beside = self.folder / "rules.toml" if self.folder else None
        return beside if beside is not None and beside.is_file() else None

    @property
    def rules(self) -> dict[str, Any]:
        """The department's rules for this workspace (defaults with the rules file laid over)."""
        from .rules import load_rules

        return load_rules(self.rules_path)

    def with_identity(
        self, *, actor: str | None = None, clock: Callable[[], dt.datetime] | None = None
    ) -> Workspace:
        """The same workspace (same connections) writing under another actor or clock."""
        view = copy.copy(self)
        view.actor = actor or self.actor
        view.clock = clock or self.clock
        return view

    @property
    def folder(self) -> Path | None:
        """The folder a SQLite workspace file is in (where its rules, exports and samples go);
        None for a server or an in-memory workspace."""
        return None if self._file is None else self._file.parent

    @property
    def exports_dir(self) -> Path:
        """Where files made from this workspace go: the `exports` folder beside its file, or for a
        server workspace the `exports` folder beside this checkout's own workspace."""
        return (self.folder or Path(NOTEBOOK_WORKSPACE).parent) / "exports"

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, safe to show."""
        return self.url.render_as_string(hide_password=True)

    def _migrate(self) -> None:
        """Check that this is a cadre workspace of a schema this code knows; bring it to the
        newest schema when opened for writing, or say what to run when opened read-only."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        script = ScriptDirectory.from_config(cfg)
        head = script.get_current_head()
        try:
            with self.engine.begin() as conn:
                current = MigrationContext.configure(conn).get_current_revision()
                if current is None and sa.inspect(conn).get_table_names():
                    raise WorkspaceError(
                        f"{self.display_url} 不是干部培训工作区 holds tables but is not a cadre workspace; "
                        "it was left as it is. Give an empty database or a new file"
                    )
                if current is not None and current not in {s.revision for s in script.walk_revisions()}:
                    raise WorkspaceError(
                        f"{self.display_url} 由更新版本创建 was made by a newer version of the workbook "
                        f"(schema {current}); update the workbook"
                    )
                if current is None and not self.create:
                    raise NoWorkspace(
                        f"{self.display_url} 没有工作区 holds no workspace; build one with 'cadre demo --db …' first"
                    )
                if current != head and self.readonly:
                    raise OutdatedWorkspace(
                        f"{self.display_url} 需要升级 has schema {current} and this workbook reads {head}; "
                        "bring it up to date with 'cadre upgrade --db …' (reading never changes a workspace)"
                    )
                self.upgraded_from = current if current != head else None
                if current != head:
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
            if self._file is not None and not self.readonly:
                self._use_wal()
        except DBAPIError as exc:
            if _read_only(exc):
                raise WorkspaceError(
                    f"工作区只读，只能查看 {self.display_url} is read-only (the file or its folder): it can be "
                    "read (cadre info, import --dry-run, the notebooks' reading cells) but not written"
                ) from None
            raise WorkspaceError(
                f"无法打开工作区 cannot open workspace {self.display_url}: {scrub_ids(_one_line(exc))}"
            ) from None
        self.schema_revision = head

    def _use_wal(self) -> None:
        """Write-ahead logging (readers never wait for a writer), set once in a file that is ours."""
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            if raw.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                raw.execute("PRAGMA journal_mode=WAL")

    # -- lifecycle -----------------------------------------------------------------------
    def close(self) -> None:
        """Release connections; the workspace file stays as it is."""
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({self.display_url!r})"

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """All writes inside commit together or not at all; errors roll back and re-raise.

        On SQLite the transaction takes the write lock when it starts (BEGIN IMMEDIATE), so
        ids read inside it cannot be taken by another writer before it commits. Database
        errors come back as one line without the statement's parameters (they may hold IDs).
        """
        if self.readonly:
            raise WorkspaceError(
                f"工作区以只读方式打开，不能保存 {self.display_url} was opened read-only; open it for writing to save"
            )
        try:
            with self.engine.connect() as conn:
                conn.execution_options(cadre_write=True)
                with conn.begin():
                    yield Tx(conn, self.actor, self.clock())
        except IntegrityError as exc:
            raise InvalidEntry(
                f"工作区拒绝保存 refused by the workspace: {scrub_ids(_one_line(exc))}"
            ) from None
        except DBAPIError as exc:
            reason = str(exc.orig).lower()
            if "locked" in reason or "busy" in reason:
                raise ConflictError(
                    "他人正在保存，请稍后重试 someone else is saving to the workspace right now; try again"
                ) from None
            if _read_only(exc):
                raise WorkspaceError(
                    f"工作区文件只读，不能保存 {self.display_url} cannot be written (the file or its folder is "
                    "read-only); nothing was saved"
                ) from None
            raise InvalidEntry(
                f"工作区拒绝保存 refused by the workspace: {scrub_ids(_one_line(exc))}"
            ) from None

    # -- generic writes (each its own transaction) --------------------------------------
    def insert(self, table: str, rows: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[int]:
        with self.transaction() as tx:
            return tx.insert(table, rows)

    def update(self, table: str, row_id: int, values: Mapping[str, Any]) -> dict[str, tuple]:
        with self.transaction() as tx:
            return tx.update(table, row_id, values)

    def bulk_insert(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], note: str = ""
    ) -> int:
        with self.transaction() as tx:
            return tx.bulk_insert(table, columns, rows, note)

    # -- verbs ---------------------------------------------------------------------------
    def add_county(self, code: str, name: str, name_en: str | None = None) -> int:
        """Add a county or district; return its id."""
        return self.insert("county", {"code": code, "name": name, "name_en": name_en})[0]

    def add_township(
        self, county_code: str, code: str, name: str, name_en: str | None = None, kind: str = "township"
    ) -> int:
        """Add a township or sub-district under a county given by code; return its id."""
        county_id = self._id_of("county", "code", county_code)
        return self.insert(
            "township", {"county_id": county_id, "code": code, "name": name, "name_en": name_en, "kind": kind}
        )[0]

    def add_person(self, name: str, national_id: str | None = None, **fields: Any) -> int:
        """Add a cadre. A national ID is validated and sets birth date and sex; return the id."""
        from .rules import check_date

        row = {"name": str(name).strip(), **fields}
        if not row["name"]:
            raise InvalidEntry("请填写姓名 a person needs a name", field="name")
        if row.get("birth_date") is not None:
            check_date(self.rules, "birth", row["birth_date"], self.clock().date())
        if national_id:
            nid, birth, sex = validate_national_id(national_id)
            for key, implied in (("birth_date", birth), ("sex", sex)):
                given = row.get(key)
                if given is not None and given != implied:
                    raise InvalidEntry(
                        f"与身份证号不符 {key} {given} does not agree with the ID number ({implied})",
                        field=key,
                    )
            check_date(self.rules, "birth", birth, self.clock().date())
            row.update(national_id=nid, birth_date=birth, sex=sex)
            if self.find_person(nid) is not None:
                raise InvalidEntry(
                    f"身份证号{mask_national_id(nid)}已在工作区中 a person with ID {mask_national_id(nid)} is already in the workspace",
                    field="national_id",
                )
        return self.insert("person", row)[0]

    def find_person(self, national_id: str) -> int | None:
        """The id of the person with this ID number, or None."""
        t = TABLES["person"]
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(t.c.id).where(t.c.national_id == str(national_id).strip().upper())
            ).scalar()

    def add_cohort(self, code: str, name: str, kind: str, start_date: dt.date, **fields: Any) -> int:
        """Add a programme run, training class or lecture series; return its id."""
        return self.insert(
            "cohort", {"code": code, "name": name, "kind": kind, "start_date": start_date, **fields}
        )[0]

    def enroll(self, cohort_code: str, person_id: int, start_date: dt.date, status: str = "active") -> int:
        """Put a person into a cohort; return the enrollment id."""
        return self.insert(
            "enrollment",
            {
                "cohort_id": self._id_of("cohort", "code", cohort_code),
                "person_id": person_id,
                "status": status,
                "start_date": start_date,
            },
        )[0]

    def _id_of(self, table: str, column: str, value: Any) -> int:
        t = TABLES[table]
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(t.c.id).where(t.c[column] == value)).scalar()
        if found is None:
            raise MissingEntry(f"工作区中没有该记录 no {table} with {column} {value!r} in this workspace")
        return found

    # -- reads ---------------------------------------------------------------------------
    def frame(self, query: sa.Select | str, reveal_ids: bool = False, **params: Any):
        """Run a select (Core or SQL text) and return a pandas DataFrame.

        As everything the workspace shows, the result is masked: a national_id column, and ID
        numbers typed into any text, unless `reveal_ids` (the importers compare raw values).
        """
        import pandas as pd

        stmt = sa.text(query) if isinstance(query, str) else query
        with self.engine.connect() as conn:
            result = conn.execute(stmt, params)
            # Plain tuples: pandas probes each Row for namedtuple fields, which costs an exception a row.
            frame = pd.DataFrame([tuple(r) for r in result], columns=list(result.keys()))
        return mask_frame(frame, reveal_ids)

    def table(self, name: str, reveal_ids: bool = False):
        """A whole table as a DataFrame, sorted by id; national IDs masked unless reveal_ids."""
        t = TABLES[name]
        return self.frame(sa.select(t).order_by(t.c.id), reveal_ids)

    def chiefs(self, as_of: dt.date, reveal_ids: bool = False):
        """Township chiefs in post on `as_of`: one row per person and post, sorted by place."""
        p, pt, tw, co = (TABLES[n] for n in ("person", "post_tenure", "township", "county"))
        q = (
            sa.select(
                p.c.id.label("person_id"),
                p.c.name,
                p.c.sex,
                p.c.birth_date,
                p.c.national_id,
                co.c.code.label("county_code"),
                co.c.name.label("county"),
                co.c.name_en.label("county_en"),
                tw.c.code.label("township_code"),
                tw.c.name.label("township"),
                tw.c.name_en.label("township_en"),
                tw.c.kind.label("township_kind"),
                pt.c.post,
                pt.c.start_date.label("in_post_since"),
            )
            .join(pt, pt.c.person_id == p.c.id)
            .join(tw, tw.c.id == pt.c.township_id)
            .join(co, co.c.id == tw.c.county_id)
            .where(pt.c.start_date <= as_of, sa.or_(pt.c.end_date.is_(None), pt.c.end_date > as_of))
            .order_by(co.c.code, tw.c.code, pt.c.post, p.c.id)
        )
        return self.frame(q, reveal_ids)

    def cohorts(self):
        """Every cohort with its enrollment count, oldest first."""
        c, e = TABLES["cohort"], TABLES["enrollment"]
        q = (
            sa.select(c, sa.func.count(e.c.id).label("enrolled"))
            .outerjoin(e, e.c.cohort_id == c.c.id)
            .group_by(c.c.id)
            .order_by(c.c.start_date, c.c.code)
        )
        return self.frame(q)

    def cohort_members(self, cohort_code: str, reveal_ids: bool = False):
        """People enrolled in a cohort with status, dates and the county of their latest post."""
        c, e, p, pt, tw, co = (
            TABLES[n] for n in ("cohort", "enrollment", "person", "post_tenure", "township", "county")
        )
        cohort_id = self._id_of("cohort", "code", cohort_code)
        latest = (
            sa.select(pt.c.person_id, sa.func.max(pt.c.id).label("tenure_id"))
            .group_by(pt.c.person_id)
            .subquery()
        )
        q = (
            sa.select(
                p.c.id.label("person_id"),
                p.c.name,
                p.c.national_id,
                e.c.status,
                e.c.start_date,
                e.c.end_date,
                co.c.name.label("county"),
                co.c.name_en.label("county_en"),
                tw.c.name.label("township"),
                pt.c.post,
            )
            .join(e, e.c.person_id == p.c.id)
            .outerjoin(latest, latest.c.person_id == p.c.id)
            .outerjoin(pt, pt.c.id == latest.c.tenure_id)
            .outerjoin(tw, tw.c.id == pt.c.township_id)
            .outerjoin(co, co.c.id == tw.c.county_id)
            .where(e.c.cohort_id == cohort_id)
            .order_by(co.c.code, tw.c.code, p.c.id)
        )
        return self.frame(q, reveal_ids)

    def cohort_sessions(self, cohort_code: str, reveal_ids: bool = False):
        """Sessions of a cohort in date order (ID numbers typed into their text masked)."""
        s = TABLES["session"]
        cohort_id = self._id_of("cohort", "code", cohort_code)
        return self.frame(
            sa.select(s).where(s.c.cohort_id == cohort_id).order_by(s.c.date, s.c.id), reveal_ids
        )

    def cohort_attendance(self, cohort_code: str):
        """Attendance rows of a cohort's sessions, with the session date and hours offered."""
        s, a = TABLES["session"], TABLES["attendance"]
        cohort_id = self._id_of("cohort", "code", cohort_code)
        q = (
            sa.select(a.c.session_id, a.c.person_id, a.c.status, a.c.hours_credited, s.c.date, s.c.hours)
            .join(s, s.c.id == a.c.session_id)
            .where(s.c.cohort_id == cohort_id)
            .order_by(s.c.date, a.c.session_id, a.c.person_id)
        )
        return self.frame(q)

    def counts(self) -> dict[str, int]:
        """Rows per table, in the schema's order."""
        with self.engine.connect() as conn:
            return {
                name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for name, t in TABLES.items()
            }


def open_workspace(
    target: str | os.PathLike | None = "", *, readonly: bool = False, **options: Any
) -> Workspace:
    """The workspace a notebook's WORKSPACE parameter names: the parameter when it is given, else
    $CADRE_DB_URL, else the demo workspace of this checkout (`../workspace/demo.sqlite` from
    notebooks/). It must exist already: a notebook never makes a new one.

    >>> # ws = open_workspace(WORKSPACE, readonly=True)
    """
    chosen = target or os.environ.get(DEFAULT_URL_ENV) or NOTEBOOK_WORKSPACE
    return Workspace(chosen, create=False, readonly=readonly, **options)
