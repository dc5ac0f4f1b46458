"""The workspace: migrations, transactions, audit log, bulk loads and clear errors."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from cadre_lib import InvalidEntry, MissingEntry, Workspace, WorkspaceError, people
from cadre_lib.core.ids import check_character
from cadre_lib.core.schema import metadata
from cadre_lib.core.workspace import MIGRATIONS

HEAD = sorted(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))[-1]

VALID = "11010519491231002X"


def _place(ws):
    people.add_county(ws, "C1", "甲县", "Jia County")
    people.add_township(ws, "C1", "C1T01", "乙镇", "Yi Town")


def test_new_workspace_has_every_table_at_the_head_revision(ws):
    assert set(ws.counts()) == set(metadata.tables)
    assert ws.schema_revision == HEAD
    assert all(n == 0 for n in ws.counts().values())


def test_migrations_build_exactly_the_declared_schema(ws):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with ws.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_every_write_is_audited_with_old_and_new_values(ws):
    _place(ws)
    pid = people.add_person(ws, "王伟", VALID)
    ws.update("person", pid, {"phone": "000", "name": "王伟"})  # name unchanged: not logged
    log = ws.table("audit_log")
    assert log["action"].tolist() == ["insert", "insert", "insert", "update"]
    assert set(log["actor"]) == {"tester"}
    last = log.iloc[-1]
    assert (last["table_name"], last["row_key"]) == ("person", str(pid))
    assert json.loads(last["old"]) == {"phone": None} and json.loads(last["new"]) == {"phone": "000"}
    assert VALID not in "".join(log["new"].dropna())  # the audit log keeps IDs masked


def test_a_failed_transaction_leaves_nothing_behind(ws):
    _place(ws)
    before = ws.counts()
    with pytest.raises(InvalidEntry):
        with ws.transaction() as tx:
            tx.insert("person", {"name": "甲"})
            tx.insert(
                "enrollment",
                {"cohort_id": 999, "person_id": 999, "status": "active", "start_date": dt.date(2026, 1, 1)},
            )  # no such cohort
    assert ws.counts() == before


def test_bulk_insert_writes_rows_and_one_audit_entry(ws):
    n = ws.bulk_insert(
        "person",
        ["name", "birth_date"],
        ((f"人{i}", dt.date(1980, 1, 1 + i % 28)) for i in range(1234)),
        note="load",
    )
    assert n == 1234 and ws.counts()["person"] == 1234
    rows = ws.table("person")
    assert str(rows["birth_date"].iloc[27]) == "1980-01-28"
    log = ws.table("audit_log")
    assert len(log) == 1 and json.loads(log["new"].iloc[0]) == {"rows": 1234, "note": "load"}
    assert people.add_person(ws, "之后") == 1235  # ids keep counting after a load with or without ids


def test_bulk_insert_with_explicit_ids_keeps_later_inserts_working(ws):
    ws.bulk_insert("person", ["id", "name"], [(10, "甲"), (11, "乙")])
    assert people.add_person(ws, "丙") == 12


def test_person_ids_are_validated_unique_and_masked_on_read(ws):
    pid = people.add_person(ws, "王伟", VALID.lower())
    assert people.find_person(ws, VALID) == pid
    with pytest.raises(InvalidEntry, match="already in the workspace"):
        people.add_person(ws, "王伟", VALID)
    with pytest.raises(InvalidEntry, match="does not agree"):
        people.add_person(ws, "李", "110105198001010016", sex="F")  # the ID says male
    assert ws.table("person")["national_id"].iloc[0] == "110105**********2X"
    assert ws.table("person", reveal_ids=True)["national_id"].iloc[0] == VALID


def test_births_outside_the_rules_window_are_refused_with_or_without_an_id(ws):
    with pytest.raises(InvalidEntry, match="出生日期1900-01-01不在合理范围"):
        people.add_person(ws, "甲", birth_date=dt.date(1900, 1, 1))
    with pytest.raises(InvalidEntry, match="出生日期2020-01-01不在合理范围"):
        people.add_person(ws, "乙", "99010120200101002X"[:17] + check_character("99010120200101002"))
    assert ws.counts()["person"] == 0


@pytest.mark.parametrize(
    "write",
    [
        lambda tx: tx.insert("county", {"code": "C9", "name": "空\x00字"}),
        lambda tx: tx.insert("county", [{"code": "C8", "name": "好"}, {"code": "C9", "name": "半\ud800"}]),
        lambda tx: tx.update("county", 1, {"name": "\udfff"}),
        lambda tx: tx.insert("session", {"cohort_id": 2**31, "date": dt.date(2026, 1, 1), "format": "lecture",
                                         "topic": "x", "hours": 1}),
    ],
    ids=["NUL", "surrogate in a batch", "surrogate in an update", "integer beyond 32 bits"],
)  # fmt: skip
def test_values_an_engine_cannot_store_are_refused_by_field_on_both_engines(ws, write):
    """NUL (PostgreSQL refuses it), half a surrogate pair (neither driver encodes it) and an
    integer beyond PostgreSQL's integer column are refused alike on both engines, naming the
    field, before the driver sees them; nothing is written."""
    _place(ws)
    before = ws.counts()
    with pytest.raises(InvalidEntry, match=r"^[\u4e00-\u9fff].* (name|cohort_id) ") as refused:
        with ws.transaction() as tx:
            write(tx)
    assert "sqlite" not in str(refused.value).lower() and "psycopg" not in str(refused.value).lower()
    assert ws.counts() == before


def test_a_lookup_by_text_no_engine_stores_finds_nothing_and_a_number_beyond_range_says_so(ws):
    _place(ws)
    assert ws.frame("SELECT id FROM county WHERE name = :n", n="甲\x00县\ud800").empty
    with pytest.raises(InvalidEntry, match="数值超出范围"):
        ws.frame("SELECT id FROM county WHERE id = :i", i=2**70)


def test_unknown_references_say_what_is_missing(ws):
    with pytest.raises(MissingEntry, match="no county with code 'NOPE'"):
        people.add_township(ws, "NOPE", "T1", "镇")


@pytest.mark.parametrize(
    "target, message",
    [
        ("mysql+nosuchdriver://x/y", "works with SQLite files and PostgreSQL"),
        ("mysql://x@localhost/db", "not 'mysql'"),
        ("postgresql+asyncpg://u@localhost/db", "not 'postgresql\\+asyncpg'"),
        ("postgresql+psycopg://po:st@gres@:::/x", "is not a database URL"),
        ("not a url://", "is not a database URL"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot open workspace"),
    ],
)
def test_bad_urls_give_one_clear_line(target, message):
    with pytest.raises(WorkspaceError, match=message) as info:
        Workspace(target)
    assert "\n" not in str(info.value)


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list")
    with pytest.raises(WorkspaceError, match="file is not a database"):
        Workspace(path)
    assert path.read_text() == "shopping list"


def test_a_foreign_database_is_not_taken_over(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE payroll (x)")
    with pytest.raises(WorkspaceError, match="not a cadre workspace"):
        Workspace(path)


def test_opening_a_missing_file_without_create_says_how_to_make_one(tmp_path):
    with pytest.raises(WorkspaceError, match="cadre demo"):
        Workspace(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()


def test_a_workspace_made_at_the_first_migration_is_upgraded_in_place(url):
    engine = sa.create_engine(url if "://" in url else f"sqlite:///{url}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(sa.text("INSERT INTO person (name) VALUES ('旧')"))
        assert "session_feedback" not in sa.inspect(conn).get_table_names()
    engine.dispose()

    with Workspace(url) as ws:
        assert ws.schema_revision == HEAD
        assert ws.table("person")["name"].tolist() == ["旧"]
        assert ws.counts()["session_feedback"] == 0
        indexes = {i["name"] for i in sa.inspect(ws.engine).get_indexes("attendance")}
        assert "ix_attendance_person" in indexes


def test_a_newer_schema_is_refused(sqlite_url):
    Workspace(sqlite_url).close()
    with sqlite3.connect(sqlite_url) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(WorkspaceError, match="newer version"):
        Workspace(sqlite_url)


def test_two_writers_on_one_sqlite_file_take_turns_and_never_share_an_id(tmp_path):
    import threading
    import time

    path = tmp_path / "shared.sqlite"
    first, second = Workspace(path, actor="a"), Workspace(path, actor="b")
    got: dict[str, object] = {}

    def other_writer():
        got["id"] = people.add_person(
            second, "乙"
        )  # waits for the first writer's lock, then takes the next id

    with first.transaction() as tx:
        got["first"] = tx.insert("person", {"name": "甲"})[0]
        thread = threading.Thread(target=other_writer)
        thread.start()
        time.sleep(0.5)  # the other writer is now waiting for the write lock
        assert "id" not in got
    thread.join(timeout=10)
    assert (got["first"], got["id"]) == (1, 2)
    assert first.table("person")["name"].tolist() == ["甲", "乙"]
    first.close()
    second.close()


def test_a_widget_that_fails_to_follow_never_turns_a_stored_save_into_a_refusal(ws):
    told = []

    def broken(_tables):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("database is locked"))

    def working(tables):
        told.append(tables)

    ws.on_change(broken)
    ws.on_change(working)
    pid = people.add_person(ws, "王伟")  # stored, and said so, although one listener failed
    assert ws.table("person")["id"].tolist() == [pid]
    assert told == [frozenset({"person"})]
