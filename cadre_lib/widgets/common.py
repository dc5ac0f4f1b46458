"""Small pieces every view uses: how an answer is shown, and the list of cohorts to choose from."""

from __future__ import annotations

import html

from ..ids import scrub_ids
from ..store import Workspace

__all__ = ["status_html", "cohort_options"]


def status_html(ok: bool, text: str) -> str:
    """A widget's answer to the trainer: plain when it worked, red when something was refused."""
    return f'<span style="color:{"inherit" if ok else "#b00020"}">{html.escape(scrub_ids(text))}</span>'


def cohort_options(ws: Workspace) -> list[tuple[str, str]]:
    """(label, code) of every cohort, oldest first, for a dropdown."""
    return [(f"{r.code} — {r.name}", r.code) for r in ws.cohorts().itertuples()]
