"""The workspace: one SQLite file or PostgreSQL database, migrated, audited, transactional."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import getpass
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from . import events
from .engine import check_file, make_engine, read_only, refusal, sqlite_file, use_wal
from .errors import (
    MissingEntry,
    WorkspaceError,
    one_line,
)
from .ids import mask_frame, scrub_ids
from .locations import DEFAULT_URL_ENV, NOTEBOOK_WORKSPACE, resolve_url
from .migrate import MIGRATIONS, bring_up_to_date
from .rules import Rules, load_rules
from .schema import TABLES
from .tx import Tx

__all__ = ["Workspace", "open_workspace", "MIGRATIONS"]


def _default_clock() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def _default_actor() -> str:
    try:
        return os.environ.get("CADRE_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Workspace:
    """A cadre workspace behind one URL: SQLite file (default) or PostgreSQL, same code path.

    Opening it for writing creates the schema, or upgrades one made by an older version,
    through the Alembic migrations; every write runs in a transaction and leaves audit rows.
    Opened with `readonly=True` it changes nothing at all: no schema, no migration, no
    journal mode; a read-only file or folder is fine.

    >>> with Workspace(":memory:", actor="doc") as ws:
    ...     ws.insert("county", {"code": "C01", "name": "示例县", "name_en": "Example County"})
    [1]
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
        self._file = sqlite_file(self.url)
        check_file(self._file, self.create)
        self.engine = make_engine(
            self.url, self._file, readonly=self.readonly, echo=echo, shown=self.display_url
        )
        try:
            self._migrate()
            self.rules  # noqa: B018 - a rules file that cannot be used is refused at open, by every command
        except BaseException:
            self.engine.dispose()
            raise

    # -- opening -------------------------------------------------------------------------
    @property
    def rules_path(self) -> Path | None:
        """The rules file in force: the one given, else $CADRE_RULES, else rules.toml beside a
        SQLite workspace file, if it exists; None means the packaged defaults."""
        given = self._rules_path or os.environ.get("CADRE_RULES")
        if given:
            return Path(given)
        beside = self.folder / "rules.toml" if self.folder else None
        return beside if beside is not None and beside.is_file() else None

    @functools.cached_property
    def rules(self) -> Rules:
        """The department's rules for this workspace (defaults with the rules file laid over),
        read once: a change to the file takes effect when the workspace is opened again."""
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
        try:
            with self.engine.begin() as conn:
                self.upgraded_from, self.schema_revision = bring_up_to_date(
                    conn, self.display_url, create=self.create, readonly=self.readonly
                )
            if self._file is not None and not self.readonly:
                use_wal(self.engine)
        except DBAPIError as exc:
            if read_only(exc):
                raise WorkspaceError(
                    f"工作区只读，只能查看 {self.display_url} is read-only (the file or its folder): it can be "
                    "read (cadre info, import --dry-run, the notebooks' reading cells) but not written"
                ) from None
            raise WorkspaceError(
                f"无法打开工作区 cannot open workspace {self.display_url}: {scrub_ids(one_line(exc))}"
            ) from None

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
                    tx = Tx(conn, self.actor, self.clock())
                    yield tx
        except DBAPIError as exc:
            raise refusal(exc, self.display_url) from None
        # Committed: tell the widgets. Outside the error handling above, so that a widget that
        # fails to reload never turns a save that is stored into one reported as refused.
        self._changed(tx.tables - {"audit_log"})

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

    def analyze(self) -> None:
        """Fresh planner statistics after a bulk load, on PostgreSQL: until its autovacuum gets
        round to a table of millions of new rows, the planner guesses, and a look-up that an
        index answers in a millisecond can take seconds. (SQLite plans well from its indexes
        alone; its file is left as it is.)"""
        if self.engine.dialect.name == "postgresql":
            with self.engine.begin() as conn:
                conn.execute(sa.text("ANALYZE"))

    def id_of(self, table: str, column: str, value: Any) -> int:
        """The id of the row of `table` whose `column` is `value`; MissingEntry when there is none."""
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

    # -- change signals ------------------------------------------------------------------
    def on_change(self, callback: Callable[[frozenset[str]], None]) -> None:
        """Call `callback(tables)` after every save to this workspace in this kernel, from any
        Workspace object open on the same database: widget models reload what they show.

        A bound method is held weakly, so a model that is gone is simply not called.
        """
        events.subscribe(self.url.render_as_string(hide_password=False), callback)

    def _changed(self, tables: set[str]) -> None:
        events.publish(self.url.render_as_string(hide_password=False), tables)

    def overview(self):
        """What the workspace holds: one row per table (its code) with its number of rows."""
        import pandas as pd

        return pd.DataFrame(list(self.counts().items()), columns=["table", "rows"])

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
