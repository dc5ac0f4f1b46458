"""The `cadre` command: demo workspace, imports, templates, and what a workspace holds."""

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
    demo.add_argument(
        "--db", default="workspace/demo.sqlite", help="file path or database URL (default: %(default)s)"
    )
    demo.add_argument(
        "--seed", type=int, default=2024, help="random seed; the same seed gives the same content"
    )
    demo.add_argument(
        "--scale", type=_positive, default=1, help="copies of the prefecture (about 140 chiefs each)"
    )
    demo.add_argument(
        "--as-of", type=_date, default=DEMO_AS_OF, help="the demo's 'today' (default: %(default)s)"
    )
    demo.add_argument("--replace", action="store_true", help="delete an existing workspace at --db first")
    imp = sub.add_parser(
        "import", help="import a roster, a session schedule or a sign-in sheet (.xlsx, .xls, .csv)"
    )
    imp.add_argument("kind", choices=["roster", "sessions", "attendance"])
    imp.add_argument("file")
    imp.add_argument("--sheet", default=None, help="sheet name or 1-based number (default: the first)")
    imp.add_argument(
        "--cohort", default=None, help="cohort code or name: enroll the roster / default cohort of sessions"
    )
    imp.add_argument("--db", default=None, help="file path or database URL (default: $CADRE_DB_URL)")
    imp.add_argument(
        "--dry-run", action="store_true", help="check and show what would be written; write nothing"
    )
    imp.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="start date of a post whose 任现职时间 is blank (default: today)",
    )
    imp.add_argument("--format", choices=["text", "json"], default="text", dest="output")
    tpl = sub.add_parser("template", help="write an .xlsx template with instructions")
    tpl.add_argument("kind", choices=["roster", "sessions", "attendance"])
    tpl.add_argument("--out", default=None, help="file to write (default: <kind>_template.xlsx here)")
    smp = sub.add_parser("samples", help="write the synthetic sample import files for a workspace")
    smp.add_argument("--db", default=None, help="file path or database URL (default: $CADRE_DB_URL)")
    smp.add_argument("--out", default="data/samples", help="folder to write into (default: %(default)s)")
    smp.add_argument(
        "--as-of", type=_date, default=DEMO_AS_OF, help="whose chiefs are 'in post' (default: %(default)s)"
    )
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
        print(
            f"demo workspace ready at {ws.display_url}: "
            + ", ".join(f"{n} {t}" for t, n in written.items() if n)
        )


def _info(args: argparse.Namespace) -> None:
    from .store import Workspace

    with Workspace(args.db, create=False) as ws:
        print(f"{ws.display_url} (schema {ws.schema_revision})")
        for table, n in ws.counts().items():
            print(f"  {table:<20} {n:>9}")


def _progress():
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if total < 5000:  # short imports finish before a bar would help
            return
        if bar is None:
            bar = tqdm(total=total, unit="row", file=sys.stderr, leave=False)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


def _import(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from .importers import IMPORTERS
    from .importing import ImportRejected
    from .store import Workspace

    if not Path(args.file).is_file():
        raise CadreError(f"there is no file {args.file}")
    with Workspace(args.db, create=False) as ws:
        try:
            report = IMPORTERS[args.kind](ws).run(
                args.file,
                sheet=args.sheet,
                dry_run=args.dry_run,
                progress=_progress(),
                cohort=args.cohort,
                as_of=args.as_of,
            )
        except ImportRejected as exc:
            report = exc.report
    if args.output == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2, default=str))
    else:
        print(report.summary())
        for e in report.errors:
            where = f" row {e.row}" if e.row else ""
            column = f", {e.column}" if e.column else ""
            value = f" '{e.value}'" if e.value else ""
            print(f"  {e.sheet or report.file_name}{where}{column}{value}: {e.reason}")
        if args.dry_run and report.ok:
            print(report.preview().to_string(index=False))
    return 1 if report.errors else 0


def _samples(args: argparse.Namespace) -> None:
    from .samples import write_samples
    from .store import Workspace

    with Workspace(args.db, create=False) as ws:
        for path in write_samples(args.out, ws, args.as_of):
            print(f"wrote {path}")


def _template(args: argparse.Namespace) -> None:
    from .samples import write_template

    path = write_template(args.kind, args.out or f"{args.kind}_template.xlsx")
    print(f"template written to {path}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        status = {
            "demo": _demo,
            "info": _info,
            "import": _import,
            "template": _template,
            "samples": _samples,
        }[args.command](args)
    except CadreError as exc:
        print(f"cadre: {exc}", file=sys.stderr)
        return 2
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
