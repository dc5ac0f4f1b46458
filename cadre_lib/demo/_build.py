"""Building the demo workspace: the synthetic prefecture, bulk-loaded in one transaction."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from ..core.errors import WorkspaceError
from ..core.rules import load_rules
from ..core.workspace import Workspace
from . import _care, _training
from ._data import DEMO_AS_OF
from ._prefecture import Prefecture, Rows

__all__ = ["DemoSpec", "build_demo", "DEMO_ACTOR", "build_prefecture"]

DEMO_ACTOR = "cadre demo"  # the demo build's audit entries: bulk loads under this actor


@dataclass(frozen=True)
class DemoSpec:
    """What to build: the seed, how many copies of the prefecture, and the as-of date."""

    seed: int = 2024
    scale: int = 1
    as_of: dt.date = DEMO_AS_OF


def build_prefecture(p: Prefecture) -> None:
    """One prefecture's rows, in the order its random generator draws them: the places and their
    chiefs, then the promotions (before any training, so that each programme sees the posts as
    they are on its own dates), the training, and last the reviews, outcomes and talks."""
    p.places()
    p.workloads()
    p.promotions()
    _training.programme(p)
    _training.classes(p)
    _training.lecture_series(p)
    _training.rotations(p)
    _care.assessment_and_care(p)


# The order tables are loaded in: each row's references are loaded before it.
LOAD_ORDER = (
    "county", "township", "person", "post_tenure", "cohort", "enrollment", "session", "attendance",
    "session_feedback", "instrument", "assessment", "frontline_review", "comment", "talk", "follow_up", "outcome",
    "rank_history", "township_indicator",
)  # fmt: skip


def build_demo(
    ws: Workspace, spec: DemoSpec = DemoSpec(), progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Fill an empty workspace with the synthetic prefecture (`spec.scale` copies of it); return
    rows written per table. `progress(done, total)` hears of each copy loaded.

    The copies are built and loaded one at a time in one transaction, so memory holds one copy
    whatever the scale. The same spec always gives the same content, down to the audit log (its
    time is the spec's as-of date, its actor 'cadre demo', one entry per table).
    """
    if any(n for t, n in ws.counts().items() if t != "audit_log"):
        raise WorkspaceError(
            "工作区已有数据 the workspace already holds data; build the demo into a new one (or use --replace)"
        )
    credit = load_rules().credit
    rows = Rows()
    _training.instruments(rows)
    stamp = dt.datetime.combine(spec.as_of, dt.time())
    written = dict.fromkeys(LOAD_ORDER, 0)
    demo_ws = ws.with_identity(actor=DEMO_ACTOR, clock=lambda: stamp)
    with demo_ws.transaction() as tx:
        for unit in range(spec.scale):
            rng = random.Random(f"cadre-demo/{spec.seed}/{unit}")
            build_prefecture(Prefecture(rows, rng, unit, spec.scale, spec.as_of, credit))
            chunk = rows.flush()
            for table in LOAD_ORDER:
                cols, data = chunk.get(table, ([], []))
                if data:
                    written[table] += tx.bulk_insert(table, cols, data, audit=False)
            if progress:
                progress(unit + 1, spec.scale)
        for table in LOAD_ORDER:
            if written[table]:
                tx.audit_load(table, written[table], note=f"demo seed {spec.seed} scale {spec.scale}")
    return written
