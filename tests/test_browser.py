"""Real-browser tests: JupyterLab runs the notebooks in chromium and their widgets answer clicks.

- 00_start_here: the cohort picker follows the cohort chosen.
- 02_training_delivery: a participant marked absent on the attendance sheet is saved, and their
  standing below the sheet loses the session's hours.
- 02_training_delivery: a session added in the schedule editor appears in the sign-in sheet, and
  is marked and saved there, without running any cell again.

Needs Debian's chromium at /usr/bin/chromium (`apt-get install chromium`); the test never installs
anything. Without it the tests are skipped, except when CI=true, where they fail: CI must run them.
Each test gets its own JupyterLab server and demo workspace. Everything (copies of notebooks/ and
data/, the demo workspace, Jupyter config/data/runtime/settings) lives in tmp_path.
"""

from __future__ import annotations

import datetime as dt
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
from contextlib import contextmanager
from pathlib import Path

import pytest

from cadre_lib import Workspace, build_demo, care, delivery, evaluation
from cadre_lib.core.codes import label

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
DATA = REPO / "data"  # sample files the notebooks read as ../data/samples/…
NOTEBOOK = "00_start_here.ipynb"
DELIVERY_NOTEBOOK = "02_training_delivery.ipynb"
REVIEW_NOTEBOOK = "04_frontline_review.ipynb"
CARE_NOTEBOOK = "05_care_and_incentives.ipynb"
SERVER_START_TIMEOUT = 60  # seconds
RUN_ALL_TIMEOUT = 90_000  # ms: restart the kernel and run every cell
UI_TIMEOUT = 30_000  # ms: any single UI step
STDERR_MIME = "application/vnd.jupyter.stderr"
NOTEBOOK_SELECTOR = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
FRESH_OUTPUT = ".jp-OutputArea-output:not([data-cadre-stale])"  # not one the saved file showed
# Set window.cadreRunStarted once any code cell's prompt shows "[*]" (a MutationObserver sees every
# change, so even a short run is caught).
_WATCH_RUN = """selector => {
    window.cadreRunStarted = false;
    const nb = document.querySelector(selector);
    const observer = new MutationObserver(() => {
        if ([...nb.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                .some(p => p.textContent.includes('*'))) {
            window.cadreRunStarted = true;
            observer.disconnect();
        }
    });
    observer.observe(nb, {subtree: true, childList: true, characterData: true});
}"""
_RUN_OVER = """selector => {
    const nb = document.querySelector(selector);
    if (!window.cadreRunStarted) return false;
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
    """JupyterLab on 127.0.0.1 serving a copy of notebooks/ next to a fresh demo workspace and a
    copy of data/: the repository's layout, so the notebooks' relative paths hold."""
    nb_dir = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, nb_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(DATA, tmp_path / "data")
    (tmp_path / "workspace").mkdir()
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
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
        ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
    ]:
        (jupyter / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(jupyter / sub)
    env["JUPYTERLAB_SETTINGS_DIR"] = str(settings_dir)
    env["CADRE_DB_URL"] = str(tmp_path / "workspace" / "demo.sqlite")  # this server's own demo
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)

    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={nb_dir}",
        f"--LabApp.user_settings_dir={settings_dir}",
        f"--LabApp.workspaces_dir={jupyter / 'lab-workspaces'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        # no language-server discovery: it runs `npm prefix -g`, which logs into ~/.npm
        "--LanguageServerManager.autodetect=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI images often run as root
        cmd.append("--allow-root")
    log_path = tmp_path / "jupyter-server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=nb_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"JupyterLab exited with code {proc.returncode} before answering; "
                    f"log {log_path}:\n{_log_tail(log_path)}"
                )
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"JupyterLab did not answer on {base} within {SERVER_START_TIMEOUT} s; "
                    f"log {log_path}:\n{_log_tail(log_path)}"
                )
            time.sleep(0.5)
        yield {"base": base, "token": token, "notebooks": nb_dir, "log": log_path}
    finally:
        _stop(proc)


@contextmanager
def _jupyterlab_page(request, tmp_path: Path, screenshot: str):
    """Yield (page, expect, lab): chromium on a fresh JupyterLab server (the `lab` fixture).

    Checked before any server starts: skip (under CI=true: fail) without chromium or playwright.
    The page is screenshotted to tmp_path/screenshot at the end, and on failure (the path and the
    server log are noted on the exception).
    """
    if not CHROMIUM.exists():
        _unavailable("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _unavailable("the playwright python package is not installed (pip install playwright)")
    lab = request.getfixturevalue("lab")
    shot = tmp_path / screenshot
    with sync_playwright() as pw:
        # chromium's own config and cache (crash-report settings, dconf) go to tmp_path too
        browser_env = dict(os.environ)
        for var, sub in [("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")]:
            (tmp_path / "chromium" / sub).mkdir(parents=True, exist_ok=True)
            browser_env[var] = str(tmp_path / "chromium" / sub)
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, env=browser_env
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(UI_TIMEOUT)
            expect.set_options(timeout=UI_TIMEOUT)
            try:
                yield page, expect, lab
            except BaseException as exc:
                _screenshot(page, shot)
                exc.add_note(f"screenshot: {shot}\nserver log: {lab['log']}")
                raise
            _screenshot(page, shot)
        finally:
            browser.close()


@pytest.mark.browser
def test_cohort_picker_follows_choice_in_jupyterlab(request, tmp_path):
    with _jupyterlab_page(request, tmp_path, "jupyterlab.png") as (page, expect, lab):
        saved_notebook = (lab["notebooks"] / NOTEBOOK).read_bytes()
        _drive(page, expect, lab)
        picker_shot = tmp_path / "cohort_picker.png"
        page.locator(".cadre-cohort-picker").screenshot(path=str(picker_shot))
    # autosave is off and nothing was saved: even the tmp copy is untouched
    assert (lab["notebooks"] / NOTEBOOK).read_bytes() == saved_notebook


@pytest.mark.browser
def test_attendance_mark_updates_standing_in_jupyterlab(request, tmp_path):
    with _jupyterlab_page(request, tmp_path, "jupyterlab_delivery.png") as (page, expect, lab):
        saved_notebook = (lab["notebooks"] / DELIVERY_NOTEBOOK).read_bytes()
        marked = _drive_attendance(page, expect, lab)
        # The sheet from its top to the viewport's end (the notebook scrolls inside the page, so an
        # element screenshot would be grey below the viewport), and the person's standing row.
        sheet = page.locator(f"{FRESH_OUTPUT} .cadre-attendance")
        sheet.evaluate("el => el.scrollIntoView({block: 'start'})")
        box, view = sheet.bounding_box(), page.locator(NOTEBOOK_SELECTOR).bounding_box()
        top = max(box["y"], view["y"])
        page.screenshot(
            path=str(tmp_path / "attendance_sheet.png"),
            clip={
                "x": box["x"],
                "y": top,
                "width": min(box["width"], view["x"] + view["width"] - box["x"]),
                "height": min(box["y"] + box["height"], view["y"] + view["height"]) - top,
            },
        )
        sheet.locator(f'.cadre-standing tr[data-person="{marked["person_id"]}"]').screenshot(
            path=str(tmp_path / "attendance_standing_row.png")
        )
        _yearly_follows(page, expect, lab, marked)
    assert (lab["notebooks"] / DELIVERY_NOTEBOOK).read_bytes() == saved_notebook
    # The save reached the tmp workspace (the kernel's), not only the widget.

    with Workspace(lab["notebooks"].parent / "workspace" / "demo.sqlite", create=False) as ws:
        sessions = delivery.cohort_sessions(ws, "SHXF")
        on_date = sessions["date"].astype(str) == marked["date"]
        session_id = int(sessions.loc[on_date, "id"].iloc[-1])
        status = delivery.attendance_sheet(ws, session_id).set_index("person_id")["status"]
    assert status[marked["person_id"]] == "absent", f"not saved in the workspace: {marked}"


@pytest.mark.browser
def test_a_session_added_in_the_schedule_is_marked_without_running_a_cell(request, tmp_path):
    with _jupyterlab_page(request, tmp_path, "jupyterlab_follow.png") as (page, expect, lab):
        added = _add_a_session_and_mark_it(page, expect, lab)
    with Workspace(lab["notebooks"].parent / "workspace" / "demo.sqlite", create=False) as ws:
        sessions = delivery.cohort_sessions(ws, "SHXF").set_index("id")
        assert sessions.loc[added["session_id"], "topic"] == added["topic"]
        marks = delivery.attendance_sheet(ws, added["session_id"]).set_index("person_id")["status"]
    assert len(marks) == added["rows"] and marks.notna().all(), f"not every mark was saved: {marks}"
    assert marks[added["late"]] == "late" and (marks.drop(added["late"]) == "present").all()


def _yearly_follows(page, expect, lab, marked: dict) -> None:
    """The yearly-requirement widget: choosing the marked person's county filters the table, and
    their hours this year already show the mark just saved (3 hours fewer)."""
    with Workspace(lab["notebooks"].parent / "workspace" / "demo.sqlite", readonly=True) as ws:
        row = (
            delivery.yearly_compliance(ws, dt.date(2026, 11, 30))
            .set_index("person_id")
            .loc[marked["person_id"]]
        )
    yearly = page.locator(f"{FRESH_OUTPUT} .cadre-yearly")
    yearly.scroll_into_view_if_needed()
    yearly.locator(".widget-dropdown select").select_option(label=row["county"])
    expect(yearly).to_contain_text(f"{row['county']}本年度任职的乡镇党政正职")
    counties = yearly.locator("table tbody tr td:first-child").all_text_contents()
    assert counties and set(c.strip() for c in counties) == {row["county"]}, counties
    person = yearly.locator("table tbody tr", has_text=marked["name"]).first
    expect(person).to_contain_text(f"{row['credited_hours']:.1f}")


@pytest.mark.browser
def test_a_review_saved_in_the_form_is_flagged_and_followed_by_the_digest(request, tmp_path):
    """In notebook 04: rate an arena of the chief the digest shows, two sources three levels
    apart; the form says they disagree, the digest below follows, and the workspace holds it."""
    with _jupyterlab_page(request, tmp_path, "jupyterlab_review.png") as (page, expect, lab):
        notebook = _restart_and_run_all(page, expect, lab, REVIEW_NOTEBOOK)
        form = notebook.locator(f"{FRESH_OUTPUT} .cadre-review")
        digest = notebook.locator(f"{FRESH_OUTPUT} .cadre-digest")
        expect(form).to_have_count(1)
        expect(digest).to_have_count(1)
        chosen = digest.locator(".cadre-chief select").evaluate("s => s.options[s.selectedIndex].text")
        before = digest.inner_text()
        form.scroll_into_view_if_needed()
        name = chosen.split()[-1]
        with Workspace(lab["notebooks"].parent / "workspace" / "demo.sqlite", readonly=True) as ws:
            held = evaluation.reviews(ws, "2026")
        held = held[(held["name"] == name) & (held["arena"] == "rural")].set_index("source")["level"]
        form.locator(".cadre-chief select").select_option(label=chosen)
        # the chooser's county, township and chief come first, then the form's own choices
        selects = form.locator(".widget-dropdown select")
        selects.nth(3).select_option(index=2)  # 乡村振兴
        # The form shows what is stored for that arena once the kernel has answered; choosing a
        # level before then would be overwritten by it.
        page.wait_for_function(
            "([sel, level]) => sel.options[sel.selectedIndex].text.startsWith(level)",
            arg=[selects.nth(4).element_handle(), str(int(held["look"]))],
        )
        selects.nth(4).select_option(index=1)  # look: 5 好
        selects.nth(5).select_option(index=4)  # hear: 2 较差
        form.locator(".widget-text input").nth(1).fill("实地查看产业园区2处")  # after the chooser's search
        form.get_by_role("button", name="保存 Save").click()
        expect(form).to_contain_text("相差2级及以上")
        expect(form).to_contain_text("已更新")
        digest.scroll_into_view_if_needed()
        expect(digest).not_to_have_text(before)
        _screenshot(page, tmp_path / "review_form.png")
        _assert_no_errors(page)
    with Workspace(lab["notebooks"].parent / "workspace" / "demo.sqlite", readonly=True) as ws:
        rows = evaluation.reviews(ws, "2026")
    rows = rows[(rows["name"] == name) & (rows["arena"] == "rural")].set_index("source")
    assert (rows.loc["look", "level"], rows.loc["hear", "level"]) == (5, 2), rows
    assert rows.loc["look", "evidence"] == "实地查看产业园区2处"


@pytest.mark.browser
def test_a_talk_saved_in_the_form_leaves_the_overdue_list_without_running_a_cell(request, tmp_path):
    """In notebook 05: register a talk, with a follow-up, with the first chief the overdue list
    shows; the list below drops them at once and the workspace holds the talk and its follow-up."""
    as_of = dt.date(2026, 11, 30)
    with _jupyterlab_page(request, tmp_path, "jupyterlab_care.png") as (page, expect, lab):
        path = lab["notebooks"].parent / "workspace" / "demo.sqlite"
        with Workspace(path, readonly=True) as ws:
            late = care.overdue_talks(care.talk_compliance(ws, as_of)).iloc[0]
        notebook = _restart_and_run_all(page, expect, lab, CARE_NOTEBOOK)
        form = notebook.locator(f"{FRESH_OUTPUT} .cadre-talk")
        overdue = notebook.locator(f"{FRESH_OUTPUT} .cadre-compliance")
        expect(form).to_have_count(1)
        expect(overdue).to_have_count(1)
        expect(overdue).to_contain_text(late["name"])
        before = overdue.inner_text()
        form.scroll_into_view_if_needed()
        chief = f"{late['county']} {late['township']} {label('post', late['post'], 'zh')} {late['name']}"
        form.locator(".cadre-chief-search input").fill(late["name"])  # found as a trainer would
        form.locator(".cadre-chief-search input").press("Enter")
        expect(form.locator(".cadre-chief select option", has_text=late["name"])).to_have_count(1)
        form.locator(".cadre-chief select").select_option(label=chief)
        selects = form.locator("select")  # the chooser's county, township and chief come first
        selects.nth(3).select_option(label=label("talker_role", late["talker_role"]))
        selects.nth(4).select_option(label=[label("concern", "land")])
        texts = form.locator(".widget-text input")  # the chooser's search box first
        texts.nth(1).fill("2026-11-20")
        form.locator("textarea").fill("项目用地指标紧张")
        texts.nth(3).fill("协调用地指标")
        texts.nth(4).fill("县自然资源局")
        texts.nth(5).fill("2026-12-20")
        form.get_by_role("button", name="保存 Save").click()
        expect(form).to_contain_text("已保存")
        overdue.scroll_into_view_if_needed()
        expect(overdue).not_to_have_text(before)
        _screenshot(page, tmp_path / "talk_form.png")
        _assert_no_errors(page)
    with Workspace(path, readonly=True) as ws:
        held = care.talks(ws, as_of, person_id=int(late["person_id"]))
        still = care.overdue_talks(care.talk_compliance(ws, as_of))
        follow = care.follow_ups(ws, as_of)
    talk = held[held["date"].astype(str) == "2026-11-20"]
    assert talk["talker_role"].tolist() == [late["talker_role"]] and talk["concern_tags"].tolist() == ["land"]
    assert follow[follow["talk_id"] == talk["id"].iloc[0]]["owner"].tolist() == ["县自然资源局"]
    same = still[(still["person_id"] == late["person_id"]) & (still["talker_role"] == late["talker_role"])]
    assert same.empty, same


def _screenshot(page, path: Path) -> None:
    """A debugging aid: a failing screenshot is reported, never hides the real failure."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.screenshot(path=str(path), full_page=False)
    except PlaywrightError as exc:
        warnings.warn(f"no screenshot ({path}): {exc}", stacklevel=2)


def _restart_and_run_all(page, expect, lab, notebook_name: str):
    """Open the notebook, Kernel -> Restart Kernel and Run All Cells…, wait for the run to end and
    check that every cell ran without errors; return the notebook's locator."""
    page.goto(f"{lab['base']}/lab/tree/{notebook_name}?token={lab['token']}&reset")

    # The notebook is open and its kernel is up.
    notebook = page.locator(NOTEBOOK_SELECTOR)
    expect(notebook).to_be_visible(timeout=60_000)
    statusbar = page.locator("#jp-main-statusbar")
    expect(statusbar).to_contain_text(re.compile(r"\|\s*Idle"), timeout=60_000)

    # Mark what the saved notebook shows, so the fresh run's outputs can be told apart.
    page.evaluate("""() => document.querySelectorAll('.jp-OutputArea-output')
                           .forEach(el => el.setAttribute('data-cadre-stale', '1'))""")
    page.evaluate(_WATCH_RUN, NOTEBOOK_SELECTOR)

    # Kernel -> Restart Kernel and Run All Cells…, confirm "Restart".
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Kernel$")).click()
    page.locator(".lm-Menu:visible .lm-Menu-item", has_text="Restart Kernel and Run All Cells").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Restart")
    dialog.locator("button.jp-mod-accept", has_text="Restart").click()
    expect(dialog).to_have_count(0)

    # Run All marks every code cell "[*]" and clears its outputs at once, so the run is over when it
    # has started (the kernel restart comes first, while the saved prompts and outputs still show:
    # an output re-rendered meanwhile would pass for fresh), a fresh output exists and no prompt is
    # "[*]" any more (a failing cell stops the rest early).
    page.wait_for_function(_RUN_OVER, arg=NOTEBOOK_SELECTOR, timeout=RUN_ALL_TIMEOUT)
    expect(statusbar).to_contain_text(re.compile(r"\|\s*Idle"), timeout=RUN_ALL_TIMEOUT)
    _assert_no_errors(page)
    # (textContent, not innerText: cells scrolled away are skipped by content-visibility)
    prompts = notebook.locator(".jp-CodeCell .jp-InputArea-prompt").all_text_contents()
    assert all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts), f"not every cell ran: {prompts}"
    stderr = notebook.locator(f'.jp-OutputArea-output[data-mime-type="{STDERR_MIME}"]')
    for text in stderr.all_text_contents():
        warnings.warn(f"the notebook wrote to stderr: {text.strip()[:500]}", stacklevel=1)
    return notebook


def _drive(page, expect, lab) -> None:
    _restart_and_run_all(page, expect, lab, NOTEBOOK)

    # The picker rendered (a fresh output, not the saved one).
    picker = page.locator(f"{FRESH_OUTPUT} .cadre-cohort-picker")
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
        "opts => opts.map(o => ({label: o.textContent, value: o.value, selected: o.selected}))"
    )
    labels = [o["label"].strip() for o in options]
    assert labels and labels[0].startswith("SHXF"), f"unexpected picker options: {options}"
    selected = next((o for o in options if o["selected"]), {"label": ""})
    assert selected["label"].startswith("SHXF"), f"SHXF is not shown first: {options}"

    expect(summary).to_contain_text("SHXF — “山海新锋”三年培养行动 · 截至 as of 2026-11-30")
    expect(summary).to_contain_text(re.compile(r"Participants\s+76\b"))
    before = summary.inner_text()
    chart_before = _image_state(chart)
    assert chart_before["width"] > 0, f"the chart image did not load: {chart_before}"

    # Choose another cohort: the summary and the chart follow.
    new_label = next((label for label in labels if label.startswith("TC-2025A")), None)
    assert new_label, f"no TC-2025A cohort in the picker: {labels}"
    select.select_option(label=new_label)
    expect(summary).to_contain_text(re.compile(r"^TC-2025A — .+ · 截至 as of 2026-11-30"))
    expect(summary).to_contain_text(re.compile(r"Participants\s+40\b"))
    after = summary.inner_text()
    assert after != before, "the summary did not change after choosing another cohort"
    assert "SHXF" not in after, f"the summary still names the first cohort:\n{after}"
    page.wait_for_function(
        "([el, src]) => el.currentSrc !== src && el.complete && el.naturalWidth > 0",
        arg=[chart.element_handle(), chart_before["src"]],
    )

    _assert_no_errors(page)


_SHEET_ROWS = """sheet => [...sheet.querySelectorAll('[class*="cadre-person-"]')].map(row => {
    const cls = [...row.classList].find(c => /^cadre-person-\\d+$/.test(c));
    const active = row.querySelector('button.widget-toggle-button.mod-active');
    return {id: cls ? Number(cls.slice('cadre-person-'.length)) : null,
            name: (row.querySelector('.widget-label') || {}).textContent,
            active: active ? active.textContent.trim() : null};
})"""
_ROW_FIT = """sheet => [...sheet.querySelectorAll('[class*="cadre-person-"]')].map(row => [
    row.getBoundingClientRect().height,
    Math.max(0, ...[...row.querySelectorAll('button')]
        .map(b => b.getBoundingClientRect().height))])"""
_STANDING_ROWS = """table => Object.fromEntries([...table.querySelectorAll('tr[data-person]')].map(
    tr => [tr.dataset.person, [...tr.querySelectorAll('td')].map(td => td.textContent.trim())]))"""


def _drive_attendance(page, expect, lab) -> dict:
    """Mark one present participant absent on the attendance sheet, save, and check the standing
    follows; return what was marked (person_id, name, session date, standing cells before/after)."""
    _restart_and_run_all(page, expect, lab, DELIVERY_NOTEBOOK)

    sheet = page.locator(f"{FRESH_OUTPUT} .cadre-attendance")
    expect(sheet).to_have_count(1)
    sheet.scroll_into_view_if_needed()
    expect(sheet).to_be_visible()
    message = sheet.locator(".cadre-attendance-message")
    standing = sheet.locator(".cadre-standing")
    expect(standing.locator("tr[data-person]").first).to_be_attached()

    # The sheet opens at SHXF's latest session held by the as-of date, a 3-hour one.
    # (ipywidgets shows an option's spaces as no-break spaces; JS's \s covers them)
    options = sheet.locator(".widget-dropdown select option").evaluate_all(
        "opts => opts.map(o => ({label: o.textContent.replace(/\\s+/g, ' ').trim(), selected: o.selected}))"
    )
    held = [o for o in options if o["label"][:10] <= "2026-11-30"]
    selected = [o for o in options if o["selected"]]
    assert held and selected, f"unexpected session options: {options}"
    assert selected[0]["label"] == max(held, key=lambda o: o["label"][:10])["label"], (
        f"the sheet is not at the latest session held by 2026-11-30: {selected[0]} of {options}"
    )
    assert selected[0]["label"].endswith("(3 h)"), f"not a 3-hour session: {selected[0]}"
    session_date = selected[0]["label"][:10]

    # Someone whose mark on that session is 出勤 (present) and who has a standing row.
    rows = sheet.evaluate(_SHEET_ROWS)
    before = standing.evaluate(_STANDING_ROWS)
    assert rows and all(r["id"] for r in rows), f"no participant rows on the sheet: {rows}"
    person = next((r for r in rows if r["active"] == "出勤" and str(r["id"]) in before), None)
    assert person, f"nobody is marked 出勤 on {session_date}: {rows}"
    pid, name = person["id"], person["name"].strip()
    cells = before[str(pid)]
    assert cells[0] == name, f"standing row {cells} is not {name}'s"

    # Each row must be as tall as its buttons: squeezed rows overlap, and a person clicking the
    # middle of one participant's button would mark a later participant.
    fits = sheet.evaluate(_ROW_FIT)
    squeezed = [(round(h, 1), round(b, 1)) for h, b in fits if h + 0.5 < b]
    assert not squeezed, (
        f"{len(squeezed)} of {len(fits)} attendance rows are shorter than their status "
        f"buttons (row px, button px: {squeezed[0] if squeezed else None})"
    )

    row = sheet.locator(f".cadre-person-{pid}")
    absent = row.locator("button.widget-toggle-button", has_text=re.compile(r"^\s*缺勤\s*$"))
    absent.scroll_into_view_if_needed()
    absent.click()
    # The click reached the model: it answers that one change is pending.
    expect(message).to_contain_text("1 change(s) not saved yet.")
    expect(absent).to_have_class(re.compile(r"\bmod-active\b"))

    save = sheet.locator("button", has_text="保存 Save")
    save.scroll_into_view_if_needed()
    save.click()
    expect(message).to_contain_text(f"Saved 1 change(s): {name} 出勤→缺勤.")
    assert "not saved" not in message.inner_text().lower(), message.inner_text()

    # The standing follows: 3 credited hours fewer, this year too; the hours marked stay.
    person_row = standing.locator(f'tr[data-person="{pid}"] td')
    expect(person_row.nth(1)).not_to_have_text(cells[1])
    after = standing.evaluate(_STANDING_ROWS)
    now = after[str(pid)]
    assert now[0] == name and now[2] == cells[2], f"{name}: {cells} -> {now}"
    assert float(now[1]) == pytest.approx(float(cells[1]) - 3, abs=0.01), (
        f"{name}'s credited hours did not drop by 3: {cells} -> {now}"
    )
    # Columns: name, credited, marked, not yet marked, rate, this year, below.
    assert float(now[5]) == pytest.approx(float(cells[5]) - 3, abs=0.01), (
        f"{name}'s hours this year did not drop by 3: {cells} -> {now}"
    )
    assert re.fullmatch(r"\d+%", now[4]) and int(now[4][:-1]) <= int(cells[4][:-1]), (
        f"{name}'s rate: {cells} -> {now}"
    )
    others = {k: v for k, v in after.items() if k != str(pid)}
    assert others == {k: v for k, v in before.items() if k != str(pid)}, "someone else's standing changed too"

    # The rebuilt sheet shows the saved mark.
    expect(row.locator("button.widget-toggle-button.mod-active")).to_have_text(re.compile(r"^\s*缺勤\s*$"))
    sheet.scroll_into_view_if_needed()
    _assert_no_errors(page)
    return {"person_id": pid, "name": name, "date": session_date, "before": cells, "after": now}


def _assert_no_errors(page) -> None:
    """No widget failed to display and no cell printed a traceback."""
    page_text = page.locator("#main").text_content()  # textContent also covers cells scrolled away
    assert "Error displaying widget" not in page_text, "a widget failed to display"
    errors = page.locator(
        f'.jp-OutputArea-output[data-mime-type="{STDERR_MIME}"]:has-text("Traceback"), '
        '.jp-RenderedText[data-mime-type*="error"]'
    )
    assert errors.count() == 0, "cell error output:\n" + "\n---\n".join(errors.all_text_contents())


def _image_state(img) -> dict:
    return img.evaluate("el => ({src: el.currentSrc, width: el.naturalWidth, complete: el.complete})")


def _add_a_session_and_mark_it(page, expect, lab) -> dict:
    """Add a session to SHXF in the schedule editor, find it in the sign-in sheet (no cell run
    again), mark everyone present and one person late, and save; return what was saved."""
    notebook = _restart_and_run_all(page, expect, lab, DELIVERY_NOTEBOOK)
    prompts = notebook.locator(".jp-CodeCell .jp-InputArea-prompt").all_text_contents()
    topic = "补充研讨：浏览器测试"

    editor = page.locator(f"{FRESH_OUTPUT} .cadre-schedule")
    expect(editor).to_have_count(1)
    editor.scroll_into_view_if_needed()
    editor.locator('.widget-textarea:has(label:has-text("日期")) textarea').fill("2026-11-29")
    editor.locator('.widget-textarea:has(label:has-text("主题")) textarea').fill(topic)
    editor.locator('.widget-text:has(label:has-text("学时")) input').fill("3")
    editor.locator("button", has_text="添加 Add").click()
    expect(editor).to_contain_text("Added 1 session(s) to SHXF: 2026-11-29.")

    # The sign-in sheet, drawn by another cell, lists the new session at once.
    sheet = page.locator(f"{FRESH_OUTPUT} .cadre-attendance")
    sheet.scroll_into_view_if_needed()
    select = sheet.locator(".widget-dropdown select").first
    option = select.locator("option", has_text=topic)
    expect(option).to_have_count(1)
    select.select_option(label=option.text_content())
    message = sheet.locator(".cadre-attendance-message")
    rows = sheet.locator('[class*="cadre-person-"]')
    expect(rows.first).to_be_attached()
    expect(sheet.locator("button.widget-toggle-button.mod-active")).to_have_count(0)  # nobody marked yet
    sheet.locator("button", has_text="All present").click()
    expect(message).to_contain_text("unmarked participant(s) marked")
    people = sheet.evaluate(_SHEET_ROWS)
    late = people[0]
    sheet.locator(f".cadre-person-{late['id']} button.widget-toggle-button", has_text="迟到").click()
    save = sheet.locator("button", has_text="保存 Save")
    save.scroll_into_view_if_needed()
    save.click()
    expect(message).to_contain_text(f"Saved {len(people)} change(s)")
    assert "not saved" not in message.inner_text().lower(), message.inner_text()

    # No cell ran again: every prompt is as the run left it.
    after = notebook.locator(".jp-CodeCell .jp-InputArea-prompt").all_text_contents()
    assert after == prompts, f"a cell ran again: {prompts} -> {after}"
    _assert_no_errors(page)
    with Workspace(lab["notebooks"].parent / "workspace" / "demo.sqlite", create=False) as ws:
        found = delivery.cohort_sessions(ws, "SHXF").query("topic == @topic")
    session_id = int(found["id"].iloc[0])
    return {"session_id": session_id, "topic": topic, "rows": len(people), "late": late["id"]}
