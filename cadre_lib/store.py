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

from .errors import ConflictError, InvalidEntry, MissingEntry, WorkspaceError
from .ids import mask_national_id, scrub_ids, validate_national_id
from .schema import TABLES, metadata

__all__ = ["Workspace", "resolve_url", "drop_workspace", "DEFAULT_URL_ENV"]

DEFAULT_URL_ENV = "CADRE_DB_URL"
MIGRATIONS = Path(__file__).parent / "migrations"
_BULK_CHUNK = 50_000


def resolve_url(target: str | os.PathLike | None) -> sa.URL:
    """Turn a URL, a file path or None (use $CADRE_DB_URL) into a SQLAlchemy URL.

    >>> resolve_url("postgresql+psycopg://me@db/cadre").get_backend_name()
    'postgresql'
    >>> resolve_url(":memory:").database
    ':memory:'
    """
    if target is None:
        target = os.environ.get(DEFAULT_URL_ENV)
        if not target:
            raise WorkspaceError(f"no workspace given: pass a file path or URL, or set {DEFAULT_URL_ENV}")
    text = str(target).strip()
    if text == ":memory:":
        return make_url("sqlite://")
    if "://" not in text:
        return make_url("sqlite:///" + str(Path(text).expanduser().resolve()))
    try:
        return make_url(text)
    except ArgumentError:
        raise WorkspaceError(
            f"'{text}' is not a database URL (try sqlite:///file.sqlite or postgresql+psycopg://user@host/db)"
        ) from None


def drop_workspace(target: str | os.PathLike) -> None:
    """Delete a workspace and everything in it: the SQLite file, or the tables on a server."""
    url = resolve_url(target)
    if url.get_backend_name() == "sqlite":
        if url.database not in (None, "", ":memory:"):
            for suffix in ("", "-wal", "-shm"):
                Path(url.database + suffix).unlink(missing_ok=True)
        return
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            metadata.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    except DBAPIError as exc:
        raise WorkspaceError(
            f"cannot reach {url.render_as_string(hide_password=True)}: {_one_line(exc)}"
        ) from None
    finally:
        engine.dispose()


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
            raise InvalidEntry(f"{key} is too long: at most {limit} characters", field=key)


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
            raise MissingEntry(f"{table} #{row_id} does not exist (it may have been deleted)")
        versioned = "version" in t.c
        if expect_version is not None and versioned and current["version"] != expect_version:
            raise ConflictError(f"{table} #{row_id} was changed by someone else since you read it")
        changed = {k: (current[k], v) for k, v in values.items() if current[k] != v}
        if changed:
            stmt = t.update().where(t.c.id == row_id).values({k: n for k, (_, n) in changed.items()})
            if versioned:
                stmt = stmt.where(t.c.version == current["version"]).values(version=t.c.version + 1)
            if self.conn.execute(stmt).rowcount != 1:
                raise ConflictError(f"{table} #{row_id} was changed by someone else at the same moment")
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
            raise MissingEntry(f"{table} #{row_id} does not exist")
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

    Opening it creates the schema, or upgrades one made by an older version, through the
    Alembic migrations. Every write runs in a transaction and leaves audit rows.

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
        rules: str | os.PathLike | None = None,
    ):
        self.url = resolve_url(target)
        self.create = create
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
    def _connect(self, echo: bool) -> Engine:
        url = self.url
        kwargs: dict[str, Any] = {"echo": echo}
        if url.get_backend_name() == "sqlite":
            if url.database in (None, "", ":memory:"):
                kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
            else:
                path = Path(url.database)
                if path.is_dir():
                    raise WorkspaceError(
                        f"workspace path {path.name!r} is a folder; give a file name such as {path.name}/cadre.sqlite"
                    )
                if not path.exists() and not self.create:
                    raise WorkspaceError(
                        f"there is no workspace at {path}; build one with 'cadre demo --db {path}'"
                    )
                path.parent.mkdir(parents=True, exist_ok=True)
        try:
            engine = sa.create_engine(url, **kwargs)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise WorkspaceError(f"cannot use {self.display_url}: {_one_line(exc)}") from None
        if url.get_backend_name() == "sqlite":
            memory = url.database in (None, "", ":memory:")

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record):  # noqa: ANN001
                dbapi_conn.isolation_level = None  # transactions begin below, not in the driver
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA foreign_keys=ON")
                if not memory:
                    cur.execute("PRAGMA journal_mode=WAL")
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
        if self.url.get_backend_name() == "sqlite" and self.url.database not in (None, "", ":memory:"):
            beside = Path(self.url.database).with_name("rules.toml")
            return beside if beside.is_file() else None
        return None

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
    def display_url(self) -> str:
        """The URL with any password hidden, safe to show."""
        return self.url.render_as_string(hide_password=True)

    def _migrate(self) -> None:
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(cfg).get_current_head()
        try:
            with self.engine.begin() as conn:
                current = MigrationContext.configure(conn).get_current_revision()
                known = {s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()}
                if current is None and sa.inspect(conn).get_table_names():
                    raise WorkspaceError(
                        f"{self.display_url} holds tables but is not a cadre workspace; give an empty database or a new file"
                    )
                if current is not None and current not in known:
                    raise WorkspaceError(
                        f"{self.display_url} was made by a newer version of the workbook (schema {current}); update the workbook"
                    )
                if current != head:
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
        except DBAPIError as exc:
            raise WorkspaceError(f"cannot open workspace {self.display_url}: {_one_line(exc)}") from None
        self.schema_revision = head

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
        try:
            with self.engine.connect() as conn:
                conn.execution_options(cadre_write=True)
                with conn.begin():
                    yield Tx(conn, self.actor, self.clock())
        except IntegrityError as exc:
            raise InvalidEntry(f"refused by the workspace: {scrub_ids(_one_line(exc))}") from None
        except DBAPIError as exc:
            if "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower():
                raise ConflictError("someone else is saving to the workspace right now; try again") from None
            raise InvalidEntry(f"refused by the workspace: {scrub_ids(_one_line(exc))}") from None

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
        row = {"name": str(name).strip(), **fields}
        if not row["name"]:
            raise InvalidEntry("a person needs a name", field="name")
        if national_id:
            nid, birth, sex = validate_national_id(national_id)
            for key, implied in (("birth_date", birth), ("sex", sex)):
                given = row.get(key)
                if given is not None and given != implied:
                    raise InvalidEntry(
                        f"{key} {given} does not agree with the ID number ({implied})", field=key
                    )
            row.update(national_id=nid, birth_date=birth, sex=sex)
            if self.find_person(nid) is not None:
                raise InvalidEntry(
                    f"a person with ID {mask_national_id(nid)} is already in the workspace",
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
            raise MissingEntry(f"no {table} with {column} {value!r} in this workspace")
        return found

    # -- reads ---------------------------------------------------------------------------
    def frame(self, query: sa.Select | str, **params: Any):
        """Run a select (Core or SQL text) and return a pandas DataFrame."""
        import pandas as pd

        stmt = sa.text(query) if isinstance(query, str) else query
        with self.engine.connect() as conn:
            result = conn.execute(stmt, params)
            # Plain tuples: pandas probes each Row for namedtuple fields, which costs an exception a row.
            return pd.DataFrame([tuple(r) for r in result], columns=list(result.keys()))

    def table(self, name: str, reveal_ids: bool = False):
        """A whole table as a DataFrame, sorted by id; national IDs masked unless reveal_ids."""
        t = TABLES[name]
        return self._masked(self.frame(sa.select(t).order_by(t.c.id)), reveal_ids)

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
        return self._masked(self.frame(q), reveal_ids)

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
        return self._masked(self.frame(q), reveal_ids)

    def cohort_sessions(self, cohort_code: str):
        """Sessions of a cohort in date order."""
        s = TABLES["session"]
        cohort_id = self._id_of("cohort", "code", cohort_code)
        return self.frame(sa.select(s).where(s.c.cohort_id == cohort_id).order_by(s.c.date, s.c.id))

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

    @staticmethod
    def _masked(df, reveal_ids: bool):
        if "national_id" in df.columns and not reveal_ids:
            df["national_id"] = df["national_id"].map(mask_national_id)
        return df

    def counts(self) -> dict[str, int]:
        """Rows per table, in the schema's order."""
        with self.engine.connect() as conn:
            return {
                name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for name, t in TABLES.items()
            }
