"""The README's everyday commands keep a trainer's workspace: `make run` after an import keeps it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ROSTER = REPO / "data" / "samples" / "roster_clean.xlsx"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _imports(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM audit_log WHERE action = 'import'").fetchone()[0]


@pytest.fixture
def jupyter_env(tmp_path):
    """Jupyter's own files (runtime, settings, lab workspaces) kept in tmp_path."""
    env = {k: v for k, v in os.environ.items() if k not in ("CADRE_DB_URL", "MAKEFLAGS", "MAKELEVEL")}
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[var] = str(tmp_path / "jupyter" / var.lower())
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp_path / "jupyter" / "lab-workspaces")
    return env


def test_make_run_after_an_import_keeps_the_import(tmp_path, jupyter_env):
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    db = tmp_path / "workspace" / "demo.sqlite"
    make = ["make", "--no-print-directory", "-C", str(REPO), f"WORKSPACE={db}"]
    subprocess.run([*make, "demo"], check=True, env=jupyter_env, capture_output=True)
    cadre = REPO / ".venv" / "bin" / "cadre"
    subprocess.run(
        [cadre, "import", "roster", ROSTER, "--db", db, "--cohort", "GCDJT", "--as-of", "2026-11-30"],
        check=True,
        capture_output=True,
    )
    before = db.read_bytes()

    port = _free_port()
    lab_args = f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} --ServerApp.port_retries=0"
    log = open(tmp_path / "make-run.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [*make, "run", f"LAB_ARGS={lab_args}"],
        env=jupyter_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp_path / "make-run.log").read_text(errors="replace")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not start from make run"
                time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
    output = (tmp_path / "make-run.log").read_text(errors="replace")
    assert "kept the workspace" in output and "import 1" in output
    assert _imports(db) == 1 and db.read_bytes() == before
