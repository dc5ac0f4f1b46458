"""The demo: a deterministic synthetic prefecture calibrated to the department's report, and
where it may be built (only where nothing is, never over anyone's work unless told)."""

from ._build import DEMO_ACTOR, DemoSpec, build_demo
from ._data import DEMO_AS_OF
from ._place import DemoOutcome, WorkSummary, make_demo, work_beyond_demo

__all__ = [
    "DemoSpec",
    "build_demo",
    "make_demo",
    "DemoOutcome",
    "DEMO_AS_OF",
    "DEMO_ACTOR",
    "WorkSummary",
    "work_beyond_demo",
]
