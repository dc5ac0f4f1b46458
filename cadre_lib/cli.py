"""The `cadre` command: build the demo workspace and show what a workspace holds."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from .errors import CadreError

__all__ = ["main"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    from .demo import DEMO_AS_OF

    parser = argparse.ArgumentParser(prog="cadre", description="The cadre workbook's command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="build the synthetic demo workspace")
    demo.add_argument("--db", default="workspace/demo.sqlite", help="file path or database URL (default: %(default)s)")
    demo.add_argument("--seed", type=int, default=2024, help="random seed; the same seed gives the same content")
    demo.add_argument("--scale", type=_positive, default=1, help="copies of the prefecture (about 140 chiefs each)")
    demo.add_argument("--as-of", type=_date, default=DEMO_AS_OF, help="the demo's 'today' (default: %(default)s)")
    demo.add_argument("--replace", action="store_true", help="delete an existing workspace at --db first")
    info = sub.add_parser("info", help="show what a workspace holds")
    info.add_argument("--db", default=None, help="file path or database URL (default: $CADRE_DB_URL)")
    return parser


def _demo(args: argparse.Namespace) -> None:
    from .demo import DemoSpec, build_demo
    from .store import Workspace, drop_workspace

    if args.replace:
        drop_workspace(args.db)
    with Workspace(args.db) as ws:
        written = build_demo(ws, DemoSpec(seed=args.seed, scale=args.scale, as_of=args.as_of))
        print(f"demo workspace ready at {ws.display_url}: "
              + ", ".join(f"{n} {t}" for t, n in written.items() if n))


def _info(args: argparse.Namespace) -> None:
    from .store import Workspace

    with Workspace(args.db, create=False) as ws:
        print(f"{ws.display_url} (schema {ws.schema_revision})")
        for table, n in ws.counts().items():
            print(f"  {table:<20} {n:>9}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        {"demo": _demo, "info": _info}[args.command](args)
    except CadreError as exc:
        print(f"cadre: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
