"""One open transaction: every write through it is audited with the same time and actor."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from .audit import record, records
from .errors import ConflictError, InvalidEntry, MissingEntry
from .normalize import storable
from .schema import TABLES

__all__ = ["Tx", "Put", "ANY_VERSION"]

# What a save that names no version was made on: it replaces whatever is stored (an import, an
# API call). A form's save names the version it read (None: nothing was stored), and does not
# overwrite a row saved by someone else since.
ANY_VERSION = "any"

_BULK_CHUNK = 50_000


_LIMITS = {
    name: {c.name: c.type.length for c in t.c if getattr(c.type, "length", None)}
    for name, t in TABLES.items()
}


# Integer columns hold 32 bits on PostgreSQL (64 on SQLite): a number beyond is refused alike.
_INTEGERS = {
    name: {c.name for c in t.c if type(c.type) is sa.Integer and not c.primary_key}
    for name, t in TABLES.items()
}
_INT32 = 2**31


def _out_of_range(key: str, value: int) -> InvalidEntry:
    return InvalidEntry(f"数值超出范围：{value} {key} is out of range: {value}", field=key)


def _too_long(key: str, limit: int) -> InvalidEntry:
    return InvalidEntry(f"内容过长，最多{limit}字 {key} is too long: at most {limit} characters", field=key)


def _unstorable(key: str) -> InvalidEntry:
    return InvalidEntry(
        "含有无法保存的字符（空字符或不成对的代理项），请删除后重新输入 "
        f"{key} holds a character that cannot be stored (NUL, or half a surrogate pair): delete it and type it again",
        field=key,
    )


def _check_lengths(table: str, row: Mapping[str, Any]) -> None:
    """Refuse text either engine cannot store, or longer than its column holds (PostgreSQL
    would refuse it; SQLite would not)."""
    integers = _INTEGERS[table]
    for key, value in row.items():
        if isinstance(value, str) and not storable(value):
            raise _unstorable(key)
        if key in integers and type(value) is int and not -_INT32 <= value < _INT32:
            raise _out_of_range(key, value)
    for key, limit in _LIMITS[table].items():
        value = row.get(key)
        if isinstance(value, str) and len(value) > limit:
            raise _too_long(key, limit)


def _longest(column: Sequence[Any]) -> int:
    """The length of the longest text in a column (0 when there is none)."""
    kinds = set(map(type, column))
    if kinds <= {str, type(None)}:
        return max(map(len, filter(None, column)), default=0)
    return max((len(v) for v in column if isinstance(v, str)), default=0)


def _columns(rows: Sequence[Mapping[str, Any]], keys: tuple[str, ...]) -> list[Sequence[Any]]:
    """The values of `keys` in `rows`, column by column."""
    if len(keys) == 1:
        return [[r[keys[0]] for r in rows]]
    return list(zip(*map(operator.itemgetter(*keys), rows), strict=True)) if keys else []


def _check_column_lengths(table: str, shapes: Mapping[tuple[str, ...], tuple[list[int], list[list]]]) -> None:
    """`_check_lengths` of every row, column by column: text that cannot be stored is refused
    naming its column; then the refusal names the first row's first column (in the table's
    order) that is too long, as a check row by row would."""
    limits = _LIMITS[table]
    order = {k: i for i, k in enumerate(limits)}
    first: tuple[int, int] | None = None  # (row, column) of the first text too long
    for keys, (where, columns) in shapes.items():
        for key, column in zip(keys, columns, strict=True):
            if not storable("".join(v for v in column if type(v) is str)):
                raise _unstorable(key)
            if key in _INTEGERS[table]:
                beyond = next((v for v in column if type(v) is int and not -_INT32 <= v < _INT32), None)
                if beyond is not None:
                    raise _out_of_range(key, beyond)
            limit = limits.get(key)
            if limit is None or limit >= _longest(column):
                continue
            n = next(n for n, v in zip(where, column, strict=True) if isinstance(v, str) and len(v) > limit)
            first = min(first or (n, order[key]), (n, order[key]))
    if first is not None:
        key = list(limits)[first[1]]
        raise _too_long(key, limits[key])


def _bind_column(values: Sequence[Any], bind: Callable[[Any], Any]) -> list[Any]:
    """A column's values as the driver takes them; equal dates are converted once."""
    memo: dict[dt.date, Any] = {}
    out = []
    for value in values:
        if type(value) is dt.date:
            found = memo.get(value)
            if found is None:
                found = memo[value] = bind(value)
            out.append(found)
        else:
            out.append(None if value is None else bind(value))
    return out


@dataclass(frozen=True)
class Put:
    """What `Tx.put` did to the row of one key: `action` new, update, unchanged, or conflict (not
    saved: another save changed the row since the version it was made on; theirs stands);
    `was` the values it replaced (or, for a conflict, the values that stand), `by` who saved
    the row last before (from the audit log; None when nobody had)."""

    action: str
    id: int
    was: dict[str, Any] | None = None
    by: str | None = None


class Tx:
    """One open transaction: every write through it is audited with the same time and actor."""

    def __init__(self, conn: Connection, actor: str, at: dt.datetime):
        self.conn, self.actor, self.at = conn, actor, at
        self.tables: set[str] = set()  # the tables this transaction wrote to (for change signals)

    def _audit(
        self,
        action: str,
        table: str,
        keys: Iterable[str | None],
        old: Iterable[str | None],
        new: Iterable[str | None],
    ) -> None:
        """One audit entry for each row key with its old and new values, all with this
        transaction's time and actor (converted for the driver once, not once an entry)."""
        cols = ("at", "actor", "action", "table_name", "row_key", "old", "new")
        dialect = self.conn.dialect
        bind = TABLES["audit_log"].c.at.type.dialect_impl(dialect).bind_processor(dialect)
        at = bind(self.at) if bind is not None and self.at is not None else self.at
        head = map(itertools.repeat, (at, self.actor, action, table))
        self._write_many("audit_log", cols, zip(*head, keys, old, new), bound=True)

    def log(self, action: str, table: str, row_key: str | None, new: str | None) -> None:
        """Record an event that is not a row change (an import, say) in the audit log."""
        self._audit(action, table, [row_key], [None], [new])

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
        batch = [rows] if isinstance(rows, Mapping) else rows
        if not batch:
            return []
        where: dict[tuple[str, ...], list[int]] = {}
        for n, r in enumerate(batch):
            where.setdefault(tuple(r), []).append(n)
        # Column by column: the lengths, the values and their audit text are each one pass.
        shapes = {
            keys: (ns, _columns(batch if len(where) == 1 else [batch[n] for n in ns], keys))
            for keys, ns in where.items()
        }
        _check_column_lengths(table, shapes)
        ids = self._next_ids(table, len(batch))
        new: list[str | None] = [None] * len(batch)
        for keys, (ns, columns) in shapes.items():
            self._write_many(table, ("id", *keys), zip([ids[n] for n in ns], *columns, strict=True))
            for n, text in zip(ns, records(keys, columns, len(ns)), strict=True):
                new[n] = text
        self._audit("insert", table, map(str, ids), itertools.repeat(None), new)
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
        self.tables.add(table)
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
                self._audit("insert", table, [str(new_id)], [None], [record(row)])
        return ids

    def put(
        self,
        table: str,
        key: Mapping[str, Any],
        values: Mapping[str, Any],
        version: int | None | str = ANY_VERSION,
        new: Mapping[str, Any] | None = None,
    ) -> Put:
        """Save the row of `key` (the columns of a unique index) with `values`: insert it, or
        update the one there — saved earlier, or by another transaction at the same moment (an
        insert that loses that race waits for the winner and then updates its row, instead of
        being refused by the index).

        `version`: the row version the save was made on (None: no row then); when the row is not
        at that version any more, nothing is written and the answer is a conflict naming the
        values that stand and who saved them. `ANY_VERSION` (an import, an API call) replaces
        whatever is stored and says what it replaced. `new`: the values of a row inserted, when
        they are more than `values` (defaults a stored row keeps)."""
        t = TABLES[table]
        where = [t.c[k] == v for k, v in key.items()]
        old = self.conn.execute(sa.select(t).where(*where).with_for_update()).mappings().first()
        first = {**key, **(values if new is None else new)}
        if old is None and version in (None, ANY_VERSION):
            (new_id,) = self.insert_unless_present(table, [first], key=tuple(key))
            if new_id is not None:
                return Put("new", new_id)
            old = self.conn.execute(sa.select(t).where(*where).with_for_update()).mappings().first()
        if old is None:  # made on a row since deleted: save it anew
            return Put("new", self.insert(table, first)[0])
        if version != ANY_VERSION and old.get("version") != version:
            stands = {k: v for k, v in old.items() if k not in ("id", "version", *key)}
            return Put("conflict", old["id"], stands, self.last_actor(table, old["id"]))
        by = self.last_actor(table, old["id"])
        changed = self.update(table, old["id"], values)
        if not changed:
            return Put("unchanged", old["id"])
        return Put("update", old["id"], {k: o for k, (o, _n) in changed.items()}, by)

    def last_actor(self, table: str, row_id: int) -> str | None:
        """Who saved row `row_id` of `table` last (from the audit log), or None."""
        log = TABLES["audit_log"]
        return self.conn.execute(
            sa.select(log.c.actor)
            .where(log.c.table_name == table, log.c.row_key == str(row_id))
            .order_by(log.c.id.desc())
            .limit(1)
        ).scalar()

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
                "该记录在您读取后已由他人修改，本次未保存，请重新打开后再试 the record was changed by someone "
                "else since you read it; nothing was saved: reload it and try again"
            )
        changed = {k: (current[k], v) for k, v in values.items() if current[k] != v}
        if changed:
            self.tables.add(table)
            stmt = t.update().where(t.c.id == row_id).values({k: n for k, (_, n) in changed.items()})
            if versioned:
                stmt = stmt.where(t.c.version == current["version"]).values(version=t.c.version + 1)
            if self.conn.execute(stmt).rowcount != 1:
                raise ConflictError(
                    "该记录刚刚已由他人同时修改，本次未保存，请重新打开后再试 the record was changed by someone "
                    "else at the same moment; nothing was saved: reload it and try again"
                )
            old = record({k: o for k, (o, _) in changed.items()})
            new = record({k: n for k, (_, n) in changed.items()})
            self._audit("update", table, [str(row_id)], [old], [new])
        return changed

    def delete(self, table: str, row_id: int) -> None:
        """Delete one row, keeping its old values in the audit log."""
        t = TABLES[table]
        self.tables.add(table)
        current = self.conn.execute(sa.select(t).where(t.c.id == row_id)).mappings().first()
        if current is None:
            raise MissingEntry(f"记录不存在 {table} #{row_id} does not exist")
        self.conn.execute(t.delete().where(t.c.id == row_id))
        self._audit("delete", table, [str(row_id)], [record(dict(current))], [None])

    def bulk_insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        note: str = "",
        audit: bool = True,
    ) -> int:
        """Load many rows fast: driver-level executemany, one audit entry for the whole load.

        `rows` are tuples in the order of `columns`. Returns the number of rows written. A load
        made of several chunks passes `audit=False` for each and calls `audit_load` once.
        """
        dialect = self.conn.dialect
        if dialect.name == "postgresql" and dialect.driver == "psycopg":
            total = self._copy(table, columns, rows)
        else:
            total = self._write_many(table, columns, rows)
        if "id" in columns and self.conn.dialect.name == "postgresql":
            # Explicit ids do not move a serial's sequence; later inserts would collide.
            prep = self.conn.dialect.identifier_preparer
            self.conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {prep.quote(table)}), 1))"
            )
        if audit:
            self.audit_load(table, total, note)
        return total

    def audit_load(self, table: str, total: int, note: str = "") -> None:
        """The one audit entry of a bulk load of `total` rows into `table`."""
        self._audit(
            "bulk_insert",
            table,
            [None],
            [None],
            [json.dumps({"rows": total, "note": note}, ensure_ascii=False)],
        )

    def _write_many(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], bound: bool = False
    ) -> int:
        """executemany at the driver, in chunks, converting only the columns this driver needs
        (none when the rows are `bound` already)."""
        t = TABLES[table]
        self.tables.add(table)
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
            if not bound and (p := t.c[c].type.dialect_impl(dialect).bind_processor(dialect)) is not None
        ]
        total = 0
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, _BULK_CHUNK)):
            if procs:  # column by column: a roster's few distinct dates are each converted once
                columns = list(zip(*chunk, strict=True))
                for i, p in procs:
                    columns[i] = _bind_column(columns[i], p)
                chunk = list(zip(*columns, strict=True))
            elif set(map(type, chunk)) != {tuple}:
                chunk = [tuple(row) for row in chunk]
            self.conn.exec_driver_sql(sql, chunk)
            total += len(chunk)
        return total

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """COPY … FROM STDIN through psycopg 3, row by row (the driver adapts Python values). A
        refusal comes back as SQLAlchemy's error (IntegrityError for a key), as from any insert."""
        self.tables.add(table)
        dialect = self.conn.dialect
        prep = dialect.identifier_preparer
        sql = f"COPY {prep.quote(table)} ({', '.join(prep.quote(c) for c in columns)}) FROM STDIN"
        total = 0
        base = dialect.loaded_dbapi.Error
        try:
            with self.conn.connection.driver_connection.cursor() as cur, cur.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    total += 1
        except base as exc:
            raise DBAPIError.instance(sql, None, exc, base) from None
        return total
