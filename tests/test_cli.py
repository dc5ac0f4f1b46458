"""The `cadre` command as a user runs it."""

import subprocess
import sys
from pathlib import Path

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
