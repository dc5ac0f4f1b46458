"""The `cadre` command as a user runs it."""

import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from cadre_lib import Workspace, people
from cadre_lib.cli import main

CADRE = [str(Path(sys.executable).with_name("cadre"))]


def test_demo_then_info(tmp_path, capsys):
    db = tmp_path / "w" / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--seed", "3"]) == 0
    assert "demo workspace ready" in capsys.readouterr().out
    assert main(["info", "--db", str(db)]) == 0
    assert "attendance" in capsys.readouterr().out


def test_demo_twice_needs_replace(tmp_path, capsys):
    db = str(tmp_path / "demo.sqlite")
    assert main(["demo", "--db", db]) == 0
    assert main(["demo", "--db", db]) == 2
    assert "already holds data" in capsys.readouterr().err
    assert main(["demo", "--db", db, "--replace"]) == 0


def test_errors_are_one_line_with_exit_status_2(tmp_path):
    bad = tmp_path / "junk.sqlite"
    bad.write_bytes(b"\x00junk" * 100)
    run = subprocess.run([*CADRE, "info", "--db", str(bad)], capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    run = subprocess.run([*CADRE, "demo", "--scale", "0"], capture_output=True, text=True)
    assert run.returncode == 2 and "whole number of 1 or more" in run.stderr


# -- every usage or environment failure: one line on stderr, exit status 2 -------------------

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False
# Root ignores file permissions; without these capabilities it meets them like anyone else.
AS_USER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"] if ROOT else []


def _run(*args: str, user: bool = False, cwd: Path | None = None, **kw) -> subprocess.CompletedProcess:
    if user and ROOT and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: file permissions cannot be enforced")
    env = {k: v for k, v in os.environ.items() if k != "CADRE_DB_URL"}
    return subprocess.run(
        [*(AS_USER if user else []), *CADRE, *args], capture_output=True, text=True, cwd=cwd, env=env, **kw
    )


def _one_line_exit_2(run: subprocess.CompletedProcess, *words: str) -> None:
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr, run.stderr
    for word in words:
        assert word in run.stderr


@pytest.fixture
def read_only(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)


@pytest.mark.parametrize(
    "db, words",
    [
        ("mysql://x@localhost/db", ["not 'mysql'"]),
        ("postgresql+psycopg://po:st@gres@:::/x", ["not a database URL"]),
        ("postgresql+asyncpg://u@localhost/db", ["not 'postgresql+asyncpg'"]),
        ("http://example/x", ["not 'http'"]),
    ],
)
def test_urls_the_workbook_cannot_use_are_one_line(db, words):
    _one_line_exit_2(_run("info", "--db", db), *words)
    assert "st@gres" not in _run("info", "--db", db).stderr  # a password is never echoed


def test_writing_into_a_read_only_folder_is_one_line(demo_path, tmp_path, read_only):
    shutil.copyfile(demo_path, read_only / "demo.sqlite")
    read_only.chmod(0o555)
    before = (read_only / "demo.sqlite").read_bytes()
    _one_line_exit_2(_run("demo", "--db", str(read_only / "new.sqlite"), user=True), "cadre:")
    _one_line_exit_2(_run("demo", "--db", str(read_only / "demo.sqlite"), "--replace", user=True), "cadre:")
    _one_line_exit_2(_run("template", "roster", "--out", str(read_only / "r.xlsx"), user=True))
    _one_line_exit_2(_run("samples", "--db", str(demo_path), "--out", str(read_only / "s"), user=True))
    assert sorted(p.name for p in read_only.iterdir()) == ["demo.sqlite"]
    assert (read_only / "demo.sqlite").read_bytes() == before
    read_only.chmod(0o755)


def test_an_existing_folder_or_file_is_not_a_template(tmp_path):
    _one_line_exit_2(_run("template", "roster", "--out", str(tmp_path)), ".xlsx or .csv")
    (tmp_path / "mine.xlsx").write_bytes(b"a trainer's file")
    _one_line_exit_2(_run("template", "roster", "--out", str(tmp_path / "mine.xlsx")), "already exists")
    assert (tmp_path / "mine.xlsx").read_bytes() == b"a trainer's file"
    _one_line_exit_2(_run("template", "roster", "--out", str(tmp_path / "r.txt")), ".xlsx or .csv")


def test_a_csv_template_is_csv(tmp_path):
    out = tmp_path / "r.csv"
    assert _run("template", "roster", "--out", str(out)).returncode == 0
    text = out.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("姓名,公民身份号码") and not out.read_bytes().startswith(b"PK")


def test_a_closed_pipe_ends_quietly(demo_path):
    reader = subprocess.Popen(
        f"{shlex.quote(CADRE[0])} info --db {shlex.quote(str(demo_path))} | head -1",
        shell=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = reader.communicate(timeout=60)
    assert out.count("\n") == 1 and err == ""


def test_usage_errors_are_one_line(tmp_path):
    _one_line_exit_2(_run("import", "roster"), "the following arguments are required")
    _one_line_exit_2(_run("import", "roster", str(tmp_path / "none.xlsx"), "--db", "x.sqlite"), "no file")


# -- reading never changes a workspace ----------------------------------------------------------


def _state(path: Path) -> tuple[bytes, bytes]:
    return path.read_bytes(), sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0].encode()


def test_a_read_only_workspace_can_be_read(demo_path, read_only):
    db = read_only / "demo.sqlite"
    shutil.copyfile(demo_path, db)
    db.chmod(0o444)
    read_only.chmod(0o555)
    before = db.read_bytes()
    info = _run("info", "--db", str(db), user=True)
    assert info.returncode == 0 and "attendance" in info.stdout, info.stderr
    roster = Path(__file__).resolve().parents[1] / "data" / "samples" / "roster_clean.xlsx"
    dry = _run(
        "import", "roster", str(roster), "--db", str(db), "--dry-run", "--as-of", "2026-11-30", user=True
    )
    assert dry.returncode == 0 and "would import" in dry.stdout, dry.stderr
    _one_line_exit_2(_run("import", "roster", str(roster), "--db", str(db), user=True), "read-only")
    assert db.read_bytes() == before
    read_only.chmod(0o755)


def test_a_dry_run_or_info_on_an_empty_file_writes_nothing(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    roster = Path(__file__).resolve().parents[1] / "data" / "samples" / "roster_clean.xlsx"
    _one_line_exit_2(_run("import", "roster", str(roster), "--db", str(empty), "--dry-run"), "empty file")
    _one_line_exit_2(_run("info", "--db", str(empty)), "empty file")
    assert empty.stat().st_size == 0


def test_a_foreign_sqlite_file_is_refused_and_left_as_it_was(tmp_path):
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE shopping (item TEXT)")
    before = _state(foreign)
    for args in (["info"], ["upgrade"], ["demo", "--replace", "--discard-work"]):
        _one_line_exit_2(_run(*args, "--db", str(foreign)), "not a cadre workspace")
    assert _state(foreign) == before and before[1] == b"delete"


def test_an_old_workspace_is_read_only_after_an_upgrade(tmp_path):
    from alembic import command
    from alembic.config import Config

    from cadre_lib.core.workspace import MIGRATIONS

    db = tmp_path / "old.sqlite"
    engine = sa.create_engine(f"sqlite:///{db}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    engine.dispose()
    before = db.read_bytes()
    _one_line_exit_2(_run("info", "--db", str(db)), "cadre upgrade")
    assert db.read_bytes() == before
    up = _run("upgrade", "--db", str(db))
    assert up.returncode == 0 and "from schema 0002" in up.stdout
    assert _run("info", "--db", str(db)).returncode == 0


# -- what is printed ----------------------------------------------------------------------------


def test_control_characters_in_cells_never_reach_the_terminal(demo_path, tmp_path):
    from cadre_lib.samples import write_xlsx

    path = write_xlsx(
        tmp_path / "x.xlsx",
        {
            "s": [
                ["姓名", "公民身份号码", "县（区）", "乡镇（街道）", "现任职务"],
                ["王\x1b[2J伟\x9b", "1", "甲\x07\u202e", "乙\u2066", "镇长"],
            ]
        },
    )
    shutil.copyfile(demo_path, tmp_path / "demo.sqlite")
    control = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    for fmt in ("text", "json"):
        run = _run("import", "roster", str(path), "--db", str(tmp_path / "demo.sqlite"), "--format", fmt)
        assert run.returncode == 1 and "王" in run.stdout
        assert not control.search(run.stdout + run.stderr)
    usage = _run("import", "roster", str(path), "--as-of", "\x1b[2J2026")  # echoed by the usage error
    _one_line_exit_2(usage, "YYYY-MM-DD")
    assert not control.search(usage.stderr)


def test_a_file_of_many_bad_rows_prints_the_first_problems_and_writes_the_rest_on_request(
    demo_path, tmp_path
):
    rows = [["姓名", "公民身份号码", "县（区）", "乡镇（街道）", "现任职务"]]
    rows += [[f"王{'一二三四五'[i % 5]}", "1234", "甲县", "乙镇", "镇长"] for i in range(3000)]
    text = "\n".join(",".join(r) for r in rows)
    (tmp_path / "bad.csv").write_text(text, encoding="utf-8")
    shutil.copyfile(demo_path, tmp_path / "demo.sqlite")
    args = ["import", "roster", str(tmp_path / "bad.csv"), "--db", str(tmp_path / "demo.sqlite")]
    run = _run(*args)
    assert run.returncode == 1 and len(run.stdout) < 10_000
    assert "--errors" in run.stdout and "3000" in run.stdout
    out = _run(*args, "--format", "json", "--errors", str(tmp_path / "problems.xlsx"))
    report = json.loads(out.stdout)  # JSON is for programs: every problem, not the first 20
    assert report["error_count"] == 3000 and len(report["errors"]) == 3000
    assert [e["row"] for e in report["errors"]] == list(range(2, 3002))
    assert report["errors_file"] and report["problems"] == {"id_length": 3000}
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "problems.xlsx").active
    assert sheet.max_row == 3001 and sheet.cell(1, 1).value == "工作表 Sheet"
    again = _run(*args, "--errors", str(tmp_path / "problems.xlsx"))
    _one_line_exit_2(again, "already exists")


def test_a_sign_in_sheet_without_a_cohort_is_one_message(demo_path, tmp_path):
    shutil.copyfile(demo_path, tmp_path / "demo.sqlite")
    sheet = Path(__file__).resolve().parents[1] / "data" / "samples" / "signin_programme_last_session.xlsx"
    run = _run("import", "attendance", str(sheet), "--db", str(tmp_path / "demo.sqlite"), "--format", "json")
    report = json.loads(run.stdout)
    assert run.returncode == 1 and report["error_count"] == 1 and "--cohort" in report["errors"][0]["reason"]


# -- the demo never replaces anyone's work unasked ------------------------------------------------


def _import_roster(db: Path) -> None:
    roster = Path(__file__).resolve().parents[1] / "data" / "samples" / "roster_clean.xlsx"
    run = _run("import", "roster", str(roster), "--db", str(db), "--cohort", "GCDJT", "--as-of", "2026-11-30")
    assert run.returncode == 0, run.stdout + run.stderr


def _imports(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM audit_log WHERE action = 'import'").fetchone()[0]


def test_the_demo_keeps_a_workspace_with_work_unless_told_what_will_be_lost(demo_path, tmp_path):
    db = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_path, db)
    assert _run("demo", "--db", str(db), "--replace").returncode == 0  # only the demo in it: replaced
    _import_roster(db)
    kept = _run("demo", "--db", str(db), "--if-missing")
    assert kept.returncode == 0 and "kept the workspace" in kept.stdout and "import 1" in kept.stdout
    refused = _run("demo", "--db", str(db), "--replace")
    _one_line_exit_2(refused, "--discard-work", "import 1", "person")
    assert _imports(db) == 1
    with sqlite3.connect(db) as notebook:  # a kernel holds the workspace open, its last save in the WAL
        notebook.execute("PRAGMA journal_mode").fetchone()
        ws = Workspace(db, actor="trainer")
        people.add_county(ws, "C9", "新县")
        replaced = _run("demo", "--db", str(db), "--replace", "--discard-work")
        assert replaced.returncode == 0 and "was kept as" in replaced.stdout
        assert ws.counts()["audit_log"] > 0 and ws.table("county")["code"].tolist()[-1] != "C9"
        ws.close()
    assert _imports(db) == 0
    (copy,) = tmp_path.glob("demo.replaced-*.sqlite")
    assert _imports(copy) == 1  # nothing is lost: the old workspace is beside the new one
    with sqlite3.connect(copy) as kept:
        assert kept.execute("SELECT count(*) FROM county WHERE code = 'C9'").fetchone()[0] == 1


def test_a_kept_workspace_is_only_read_and_the_two_demo_choices_exclude_each_other(demo_path, read_only):
    db = read_only / "demo.sqlite"
    shutil.copyfile(demo_path, db)
    db.chmod(0o444)
    read_only.chmod(0o555)
    kept = _run("demo", "--db", str(db), "--if-missing", user=True)
    assert kept.returncode == 0 and "kept the workspace" in kept.stdout, kept.stderr
    read_only.chmod(0o755)
    _one_line_exit_2(_run("demo", "--db", str(db), "--if-missing", "--replace"), "not allowed with")


def test_rows_the_audit_log_does_not_explain_are_work_too(demo_path, tmp_path):
    db = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_path, db)
    _import_roster(db)
    with sqlite3.connect(db) as conn:  # someone tidied the audit log by hand
        conn.execute("DELETE FROM audit_log WHERE actor != 'cadre demo'")
    _one_line_exit_2(
        _run("demo", "--db", str(db), "--replace"), "audit log does not account for", "person +8"
    )


def test_a_rules_file_that_cannot_be_used_is_one_line_not_a_problem_of_the_file(demo_path, tmp_path):
    shutil.copyfile(demo_path, tmp_path / "demo.sqlite")
    roster = Path(__file__).resolve().parents[1] / "data" / "samples" / "roster_clean.xlsx"
    args = ["import", "roster", str(roster), "--db", str(tmp_path / "demo.sqlite"), "--as-of", "2026-11-30"]
    (tmp_path / "rules.toml").write_text("[attendance]\ncredit.late = nan\n", encoding="utf-8")
    _one_line_exit_2(_run(*args), "规则文件", "credit.late")
    # Every command refuses it, including those that read no rule (info) or another section (talks).
    (tmp_path / "rules.toml").write_text("[talks]\nevery_months.county_org_chief = 5\n", encoding="utf-8")
    talks = Path(__file__).resolve().parents[1] / "data" / "samples" / "talks_2026_november.xlsx"
    for command in (["info"], ["import", "talks", str(talks), "--as-of", "2026-11-30"], ["upgrade"]):
        _one_line_exit_2(_run(*command, "--db", str(tmp_path / "demo.sqlite")), "规则文件", "every_months")
    (tmp_path / "rules.toml").unlink()
    missing = subprocess.run(
        [*CADRE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CADRE_RULES": str(tmp_path / "no.toml")},
    )
    _one_line_exit_2(missing, "规则文件无法读取")
