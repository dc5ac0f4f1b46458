"""One real-browser test: JupyterLab runs 00_start_here in chromium; the cohort picker follows.

Needs Debian's chromium at /usr/bin/chromium (`apt-get install chromium`); the test never installs
anything. Without it the test is skipped, except when CI=true, where it fails: CI must run it.
Everything (notebook copy, demo workspace, Jupyter config/data/runtime/settings) lives in tmp_path.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import pytest

from cadre_lib import Workspace, build_demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOK = "00_start_here.ipynb"
SERVER_START_TIMEOUT = 60  # seconds
RUN_ALL_TIMEOUT = 90_000  # ms: restart the kernel and run every cell
UI_TIMEOUT = 30_000  # ms: any single UI step
STDERR_MIME = "application/vnd.jupyter.stderr"
NOTEBOOK_SELECTOR = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
_RUN_OVER = """selector => {
    const nb = document.querySelector(selector);
    if (!nb || !nb.querySelector('.jp-OutputArea-output:not([data-cadre-stale])')) return false;
    return ![...nb.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
        .some(p => p.textContent.includes('*'));
}"""

# Lab user settings: no autosave (the copied notebook stays as copied), no news, no update check.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"{reason}; CI=true, so the browser test must run")
    pytest.skip(f"{reason}; browser test skipped")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the server (it shuts its kernels down), then kill whatever of its group is left."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    try:  # an orphaned kernel of our own server, if the graceful shutdown missed it
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on 127.0.0.1 serving a copy of notebooks/ next to a fresh demo workspace."""
    nb_dir = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, nb_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (tmp_path / "workspace").mkdir()
    # the notebook's parameters say WORKSPACE = "../workspace/demo.sqlite"
    with Workspace(tmp_path / "workspace" / "demo.sqlite") as ws:
        build_demo(ws)

    jupyter = tmp_path / "jupyter"
    settings_dir = jupyter / "lab-user-settings"
    for plugin, values in LAB_SETTINGS.items():
        package, name = plugin.rsplit("/", 1)
        target = settings_dir / package / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    env = dict(os.environ)
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces")]:
        (jupyter / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(jupyter / sub)
    env["JUPYTERLAB_SETTINGS_DIR"] = str(settings_dir)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)

    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={nb_dir}",
           f"--LabApp.user_settings_dir={settings_dir}",
           f"--LabApp.workspaces_dir={jupyter / 'lab-workspaces'}",
           "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly",
           # no language-server discovery: it runs `npm prefix -g`, which logs into ~/.npm
           "--LanguageServerManager.autodetect=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI images often run as root
        cmd.append("--allow-root")
    log_path = tmp_path / "jupyter-server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=nb_dir, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {proc.returncode} before answering; "
                            f"log {log_path}:\n{_log_tail(log_path)}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer on {base} within {SERVER_START_TIMEOUT} s; "
                            f"log {log_path}:\n{_log_tail(log_path)}")
            time.sleep(0.5)
        yield {"base": base, "token": token, "notebooks": nb_dir, "log": log_path}
    finally:
        _stop(proc)


@pytest.mark.browser
def test_cohort_picker_follows_choice_in_jupyterlab(request, tmp_path):
    # Checked before any server starts: skip (under CI=true: fail) without chromium or playwright.
    if not CHROMIUM.exists():
        _unavailable("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _unavailable("the playwright python package is not installed (pip install playwright)")
    lab = request.getfixturevalue("lab")
    saved_notebook = (lab["notebooks"] / NOTEBOOK).read_bytes()
    shot = tmp_path / "jupyterlab.png"
    with sync_playwright() as pw:
        # chromium's own config and cache (crash-report settings, dconf) go to tmp_path too
        browser_env = dict(os.environ)
        for var, sub in [("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")]:
            (tmp_path / "chromium" / sub).mkdir(parents=True, exist_ok=True)
            browser_env[var] = str(tmp_path / "chromium" / sub)
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=CHROMIUM_ARGS, env=browser_env)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(UI_TIMEOUT)
            expect.set_options(timeout=UI_TIMEOUT)
            try:
                _drive(page, expect, lab)
            except BaseException as exc:
                _screenshot(page, shot)
                exc.add_note(f"screenshot: {shot}\nserver log: {lab['log']}")
                raise
            _screenshot(page, shot)
            picker_shot = tmp_path / "cohort_picker.png"
            page.locator(".cadre-cohort-picker").screenshot(path=str(picker_shot))
        finally:
            browser.close()
    # autosave is off and nothing was saved: even the tmp copy is untouched
    assert (lab["notebooks"] / NOTEBOOK).read_bytes() == saved_notebook


def _screenshot(page, path: Path) -> None:
    """A debugging aid: a failing screenshot is reported, never hides the real failure."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.screenshot(path=str(path), full_page=False)
    except PlaywrightError as exc:
        warnings.warn(f"no screenshot ({path}): {exc}", stacklevel=2)


def _drive(page, expect, lab) -> None:
    page.goto(f"{lab['base']}/lab/tree/{NOTEBOOK}?token={lab['token']}&reset")

    # The notebook is open and its kernel is up.
    notebook = page.locator(NOTEBOOK_SELECTOR)
    expect(notebook).to_be_visible(timeout=60_000)
    statusbar = page.locator("#jp-main-statusbar")
    expect(statusbar).to_contain_text(re.compile(r"\|\s*Idle"), timeout=60_000)

    # Mark what the saved notebook shows, so the fresh run's outputs can be told apart.
    page.evaluate("""() => document.querySelectorAll('.jp-OutputArea-output')
                           .forEach(el => el.setAttribute('data-cadre-stale', '1'))""")

    # Kernel -> Restart Kernel and Run All Cells…, confirm "Restart".
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Kernel$")).click()
    page.locator(".lm-Menu:visible .lm-Menu-item",
                 has_text="Restart Kernel and Run All Cells").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Restart")
    dialog.locator("button.jp-mod-accept", has_text="Restart").click()
    expect(dialog).to_have_count(0)

    # Run All marks every code cell "[*]" and clears its outputs at once, so the run is over when a
    # fresh output exists and no prompt is "[*]" any more (a failing cell stops the rest early).
    page.wait_for_function(_RUN_OVER, arg=NOTEBOOK_SELECTOR, timeout=RUN_ALL_TIMEOUT)
    expect(statusbar).to_contain_text(re.compile(r"\|\s*Idle"), timeout=RUN_ALL_TIMEOUT)
    _assert_no_errors(page)
    # (textContent, not innerText: cells scrolled away are skipped by content-visibility)
    prompts = notebook.locator(".jp-CodeCell .jp-InputArea-prompt").all_text_contents()
    assert all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts), \
        f"not every cell ran: {prompts}"
    stderr = notebook.locator(f'.jp-OutputArea-output[data-mime-type="{STDERR_MIME}"]')
    for text in stderr.all_text_contents():
        warnings.warn(f"the notebook wrote to stderr: {text.strip()[:500]}", stacklevel=1)

    # The picker rendered (a fresh output, not the saved one).
    picker = page.locator(".jp-OutputArea-output:not([data-cadre-stale]) .cadre-cohort-picker")
    expect(picker).to_have_count(1)
    picker.scroll_into_view_if_needed()
    expect(picker).to_be_visible()
    select = picker.locator(".widget-dropdown select")
    summary = picker.locator(".cadre-cohort-summary")
    chart = picker.locator(".widget-image")
    expect(select).to_be_visible()
    expect(summary).to_be_visible()
    expect(chart).to_be_visible()

    options = select.locator("option").evaluate_all(
        "opts => opts.map(o => ({label: o.textContent, value: o.value, selected: o.selected}))")
    labels = [o["label"].strip() for o in options]
    assert labels and labels[0].startswith("SHXF"), f"unexpected picker options: {options}"
    selected = next((o for o in options if o["selected"]), {"label": ""})
    assert selected["label"].startswith("SHXF"), f"SHXF is not shown first: {options}"

    expect(summary).to_contain_text("SHXF — “山海新锋”三年培养行动 · as of 2026-11-30")
    expect(summary).to_contain_text(re.compile(r"Participants\s+76\b"))
    before = summary.inner_text()
    chart_before = _image_state(chart)
    assert chart_before["width"] > 0, f"the chart image did not load: {chart_before}"

    # Choose another cohort: the summary and the chart follow.
    new_label = next((label for label in labels if label.startswith("TC-2025A")), None)
    assert new_label, f"no TC-2025A cohort in the picker: {labels}"
    select.select_option(label=new_label)
    expect(summary).to_contain_text(re.compile(r"^TC-2025A — .+ · as of 2026-11-30"))
    expect(summary).to_contain_text(re.compile(r"Participants\s+40\b"))
    after = summary.inner_text()
    assert after != before, "the summary did not change after choosing another cohort"
    assert "SHXF" not in after, f"the summary still names the first cohort:\n{after}"
    page.wait_for_function(
        "([el, src]) => el.currentSrc !== src && el.complete && el.naturalWidth > 0",
        arg=[chart.element_handle(), chart_before["src"]])

    _assert_no_errors(page)


def _assert_no_errors(page) -> None:
    """No widget failed to display and no cell printed a traceback."""
    page_text = page.locator("#main").text_content()  # textContent also covers cells scrolled away
    assert "Error displaying widget" not in page_text, "a widget failed to display"
    errors = page.locator(
        f'.jp-OutputArea-output[data-mime-type="{STDERR_MIME}"]:has-text("Traceback"), '
        '.jp-RenderedText[data-mime-type*="error"]')
    assert errors.count() == 0, "cell error output:\n" + "\n---\n".join(errors.all_text_contents())


def _image_state(img) -> dict:
    return img.evaluate(
        "el => ({src: el.currentSrc, width: el.naturalWidth, complete: el.complete})")
