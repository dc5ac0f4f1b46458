"""The `cadre` command: demo workspace, imports, templates, and what a workspace holds.

Every failure a user can cause or meet (a bad URL, a missing driver, a read-only folder, a
wrong date) is one line on stderr and exit status 2; a rejected import is exit status 1 with
its list of problems. Everything printed has ID numbers masked and terminal control
characters removed, and a reader that stops reading (`| head`) ends the output quietly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import sys
from pathlib import Path

from .core.errors import CadreError
from .core.ids import shown, snippet

__all__ = ["main"]


class _Output:
    """Prints for people: IDs masked, control characters dropped, a closed pipe ends quietly."""

    closed = False

    def __call__(self, text: object = "", *, err: bool = False) -> None:
        if self.closed and not err:
            return
        stream = sys.stderr if err else sys.stdout
        try:
            print(shown(text), file=stream)
        except BrokenPipeError:
            self.close_pipe()

    def close_pipe(self) -> None:
        """The reader went away: send what is left of stdout nowhere (no 'Broken pipe' noise)."""
        self.closed = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


say = _Output()
_ERRNO_ZH = {
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作",
    errno.EROFS: "只读文件系统",
    errno.ENOSPC: "磁盘空间不足",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.EEXIST: "已存在",
}


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error in one line instead of the usage block and the error."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        say(f"{self.prog}: 命令用法有误 usage error: {message} (see '{self.prog} --help')", err=True)
        self.exit(2)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return int(text)


# The kinds of file `cadre import` and `cadre template` take (cadre_lib.importers.IMPORTERS, named
# here so that building the parser imports no pandas; a test checks they agree).
KINDS = ("roster", "sessions", "attendance", "assessments", "reviews", "comments", "talks", "outcomes")
_DB_HELP = "file path or database URL (default: $CADRE_DB_URL)"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cadre", description="The cadre workbook's command line.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _demo_arguments(sub.add_parser("demo", help="build the synthetic demo workspace"))
    _import_arguments(
        sub.add_parser(
            "import",
            help="import a roster, a session schedule, a sign-in sheet, assessment scores, frontline "
            "ratings, comments, talks or outcomes (.xlsx, .xls, .csv)",
        )
    )
    _other_arguments(sub)
    return parser


def _demo_arguments(demo: argparse.ArgumentParser) -> None:
    from .demo import DEMO_AS_OF

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
    there = demo.add_mutually_exclusive_group()
    there.add_argument(
        "--if-missing",
        action="store_true",
        help="build only where there is no workspace yet; otherwise keep the one there as it is",
    )
    there.add_argument(
        "--replace",
        action="store_true",
        help="replace a workspace that holds nothing but an earlier demo",
    )
    demo.add_argument(
        "--discard-work",
        action="store_true",
        help="with --replace: replace it even if it holds work the demo did not write "
        "(a SQLite file is kept beside it as a copy)",
    )


def _import_arguments(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("kind", choices=KINDS)
    imp.add_argument("file")
    imp.add_argument("--sheet", default=None, help="sheet name or 1-based number (default: the first)")
    imp.add_argument(
        "--cohort",
        default=None,
        help="cohort code or name: enroll the roster / the cohort of sessions, marks or scores whose row names none",
    )
    imp.add_argument("--db", default=None, help=_DB_HELP)
    imp.add_argument(
        "--dry-run", action="store_true", help="check and show what would be written; write nothing"
    )
    imp.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="the day of the import: people join the cohort and blank 任现职时间 start then (default: today)",
    )
    imp.add_argument(
        "--errors",
        default=None,
        metavar="FILE",
        help="write every problem to this new .xlsx or .csv file (only the first ones are printed)",
    )
    imp.add_argument("--format", choices=["text", "json"], default="text", dest="output")


def _other_arguments(sub) -> None:
    from .demo import DEMO_AS_OF

    tpl = sub.add_parser("template", help="write an empty template (.xlsx with instructions, or .csv)")
    tpl.add_argument("kind", choices=KINDS)
    tpl.add_argument("--out", default=None, help="new file to write (default: <kind>_template.xlsx here)")
    smp = sub.add_parser("samples", help="write synthetic sample import files from a demo workspace")
    smp.add_argument("--db", default=None, help=_DB_HELP)
    smp.add_argument(
        "--out", default=None, help="folder to write into (default: 'samples' beside the workspace file)"
    )
    smp.add_argument(
        "--as-of", type=_date, default=DEMO_AS_OF, help="whose chiefs are 'in post' (default: %(default)s)"
    )
    info = sub.add_parser("info", help="show what a workspace holds (reads only)")
    info.add_argument("--db", default=None, help=_DB_HELP)
    upgrade = sub.add_parser("upgrade", help="bring a workspace made by an older version up to date")
    upgrade.add_argument("--db", default=None, help=_DB_HELP)


def _demo(args: argparse.Namespace) -> None:
    from .demo import DemoSpec, make_demo

    done = make_demo(
        args.db,
        DemoSpec(seed=args.seed, scale=args.scale, as_of=args.as_of),
        if_missing=args.if_missing,
        replace=args.replace,
        discard_work=args.discard_work,
        progress=_copies_progress(args.scale),
    )
    if done.written is None:
        note = f"; it holds {done.work.describe()}" if done.work else ""
        say(
            f"保留现有工作区，未作改动 kept the workspace at {done.where} as it is{note}. "
            "如需在此重建演示数据 to rebuild the demo there: cadre demo --db … --replace"
        )
        return
    say(
        f"演示工作区已建好 demo workspace ready at {done.where}: "
        + ", ".join(f"{n} {t}" for t, n in done.written.items() if n)
    )
    if done.kept_copy:
        say(
            f"原工作区已保存为 {done.kept_copy.name} the previous workspace, with {done.work.describe()}, was kept as {done.kept_copy}"
        )
    elif done.work:
        say(f"原工作区中的记录已删除 the previous workspace was dropped with {done.work.describe()}")


def _info(args: argparse.Namespace) -> None:
    from .core.workspace import Workspace

    with Workspace(args.db, readonly=True) as ws:
        say(f"{ws.display_url} (schema {ws.schema_revision})")
        for table, n in ws.counts().items():
            say(f"  {table:<20} {n:>9}")


def _upgrade(args: argparse.Namespace) -> None:
    from .core.workspace import Workspace

    with Workspace(args.db, create=False) as ws:
        if ws.upgraded_from:
            say(f"已升级 upgraded {ws.display_url} from schema {ws.upgraded_from} to {ws.schema_revision}")
        else:
            say(f"无需升级 {ws.display_url} is up to date (schema {ws.schema_revision})")


def _copies_progress(scale: int):
    """A bar on stderr counting the prefecture copies loaded, for a demo of more than a few."""
    if scale < 5:
        return None
    from tqdm import tqdm

    bar = tqdm(total=scale, unit="prefecture", file=sys.stderr, leave=False, desc="演示 demo")

    def update(done: int, total: int) -> None:
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


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

    from .core.import_report import ImportRejected
    from .core.workspace import Workspace
    from .importers import IMPORTERS

    if not Path(args.file).is_file():
        raise CadreError(f"没有这个文件 there is no file {args.file}")
    if args.errors and Path(args.errors).exists():
        raise CadreError(f"“{args.errors}”已存在 {args.errors} already exists; name a new file for --errors")
    with Workspace(args.db, create=False, readonly=args.dry_run) as ws:
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
    written = report.write_errors(args.errors) if args.errors and report.errors else None
    if args.output == "json":
        summary = report.to_json()
        summary["errors_file"] = str(written) if written else None
        say(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
        return 1 if report.errors else 0
    say(report.summary())
    _print_problems(report, written)
    if args.dry_run and report.ok:
        say(report.preview().to_string(index=False))
    return 1 if report.errors else 0


def _print_problems(report, written) -> None:
    """The first problems with their place, a count per kind when there are more, and where the
    full list went (or how to get it)."""
    from .core.import_report import SHOWN_ERRORS
    from .core.problems import describe

    for e in report.errors[:SHOWN_ERRORS]:
        where = f" row {e.row}" if e.row else ""
        column = f", {e.column}" if e.column else ""
        value = f" '{e.value}'" if e.value else ""
        say(f"  {e.sheet or report.file_name}{where}{column}{value}: {e.reason}")
    hidden = len(report.errors) - SHOWN_ERRORS
    kinds = report.problem_counts()
    if hidden > 0 or len(kinds) > 1:
        say("按问题类型 by kind:")
        for problem, n in kinds:
            say(f"  {n:>6}  {describe(problem, {}, 'zh')} ({problem.value})")
    if written:
        say(f"全部 {len(report.errors)} 个问题已写入 every problem is listed in {written}")
    elif hidden > 0:
        say(
            f"  …另有 {hidden} 个问题未显示 and {hidden} more; write them all to a file with --errors FILE.xlsx (or .csv)"
        )


def _samples(args: argparse.Namespace) -> None:
    from .core.errors import WorkspaceError
    from .core.workspace import Workspace
    from .samples import write_samples

    with Workspace(args.db, readonly=True) as ws:
        folder = args.out or (ws.folder and ws.folder / "samples")
        if folder is None:
            raise WorkspaceError(
                "服务器工作区请用 --out 指定文件夹 a server workspace has no folder beside it: give --out FOLDER"
            )
        for path in write_samples(folder, ws, args.as_of):
            say(f"已写入 wrote {path}")


def _template(args: argparse.Namespace) -> None:
    from .samples import write_template

    path = write_template(args.kind, args.out or f"{args.kind}_template.xlsx")
    say(f"模板已写入 template written to {path}")


COMMANDS = {
    "demo": _demo,
    "info": _info,
    "upgrade": _upgrade,
    "import": _import,
    "template": _template,
    "samples": _samples,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        status = COMMANDS[args.command](args) or 0
    except CadreError as exc:
        detail = getattr(exc, "detail", None) if os.environ.get("CADRE_DEBUG") else None
        say(f"cadre: {exc}" + (f" [{detail}]" if detail else ""), err=True)
        status = 2
    except BrokenPipeError:
        say.close_pipe()
        status = 0
    except OSError as exc:  # a read-only folder, a disk that is full, a name that is a folder
        where = f" {exc.filename}" if exc.filename else ""
        zh = _ERRNO_ZH.get(exc.errno, "无法完成")
        say(f"cadre: {zh}{where}: {exc.strerror or exc}", err=True)
        status = 2
    except KeyboardInterrupt:
        say("cadre: 已中断 interrupted; nothing half-written was kept", err=True)
        status = 130
    except Exception as exc:  # a fault of the workbook itself: one line, the details on request
        if os.environ.get("CADRE_DEBUG"):
            raise
        say(
            f"cadre: 内部错误 internal error ({type(exc).__name__}: {snippet(exc, 200)}); "
            "run again with CADRE_DEBUG=1 to see where, and report it",
            err=True,
        )
        status = 2
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        say.close_pipe()
    return status


if __name__ == "__main__":
    sys.exit(main())
