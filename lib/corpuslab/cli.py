"""Command line: ``corpuslab run``, ``lab``, ``exercises``, ``params``; thin over the library.

Exit codes: 0 success; 1 a notebook (an analysis) failed; 2 a user's input or params are
wrong (refused before any notebook starts); 130 interrupted.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from corpuslab import params
from corpuslab.errors import CorpuslabError
from corpuslab.resources import DEFAULT_PARAMS, NOTEBOOKS_DIR, REPORTS_DIR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corpuslab", description="Notebook workbench for text analysis.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the notebooks and write a report folder")
    run.add_argument("params_file", nargs="?", default=None,
                     help=f"params YAML (default: {DEFAULT_PARAMS.relative_to(DEFAULT_PARAMS.parents[2])})")
    run.add_argument("--set", dest="assignments", action="append", default=[], metavar="KEY=VALUE",
                     help="override one param, e.g. --set topics.k=6 (repeatable)")
    run.add_argument("--only", default=None, help="comma-separated notebook numbers, e.g. 00,01")
    run.add_argument("--out", default=None, help="folder that holds run folders (default: reports/)")
    run.add_argument("--notebooks", default=None, help="folder of numbered notebooks to run (default: notebooks/)")
    run.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    run.add_argument("--quiet", action="store_true", help="no progress bars")

    lab = sub.add_parser("lab", help="JupyterLab on 127.0.0.1 with a token: notebooks/, or a class's exercises")
    lab.add_argument("--port", type=int, default=8888,
                     help="first port tried (default 8888; the next free one if busy)")
    lab.add_argument("--no-browser", action="store_true")
    mode = lab.add_mutually_exclusive_group()
    mode.add_argument("--notebooks", default=None, help="folder to open (default: notebooks/)")
    mode.add_argument("--student", action="store_true",
                      help="build the student exercises (no solutions) into OUT/student and serve only them")
    mode.add_argument("--teacher", action="store_true",
                      help="build the teacher exercises, executed with their expected outputs, into OUT/teacher "
                           "and serve them")
    lab.add_argument("--out", default="dist/exercises",
                     help="where --student and --teacher build (default: dist/exercises)")

    sub.add_parser("params", help="list every param with its default and what is allowed")

    ex = sub.add_parser("exercises", help="build student (no solutions) and teacher versions of the exercises")
    ex.add_argument("--out", default="dist/exercises", help="where student/ and teacher/ go (default: dist/exercises)")
    ex.add_argument("--no-execute", action="store_true", help="do not run the teacher versions (no expected outputs)")
    return parser


def _stop(signum, _frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _run(args: argparse.Namespace) -> int:
    for signum in (signal.SIGTERM, signal.SIGHUP):  # like Ctrl-C until the run takes over (nothing is written yet)
        signal.signal(signum, _stop)
    from corpuslab import pipeline

    params_file = args.params_file if args.params_file is not None else DEFAULT_PARAMS
    cfg = params.load(params_file, args.assignments, base=Path.cwd())
    only = args.only.split(",") if args.only else None
    result = pipeline.run(cfg, only=only, reports_dir=Path(args.out) if args.out else REPORTS_DIR,
                          notebooks_dir=Path(args.notebooks) if args.notebooks else NOTEBOOKS_DIR,
                          progress=not args.quiet)
    if result.status == "succeeded":
        print(result.run_dir / "index.html")
    else:
        print(f"error: {result.message} (run folder {result.run_dir}, marked {result.status})", file=sys.stderr)
    return result.exit_code


def _lab(args: argparse.Namespace) -> int:
    from corpuslab import lab

    if args.student or args.teacher:
        root = lab.classroom_root("student" if args.student else "teacher", Path(args.out).resolve())
    else:
        root = Path(args.notebooks).resolve() if args.notebooks else NOTEBOOKS_DIR
    return lab.serve(root, port=args.port, token=lab.new_token(), open_browser=not args.no_browser)


def _exercises(args: argparse.Namespace) -> int:
    from corpuslab import handouts, pipeline

    out = Path(args.out)
    if not args.no_execute:
        print("building the exercises; running the teacher versions to store their expected outputs", flush=True)
    written = handouts.build(NOTEBOOKS_DIR / "exercises", out,
                              kernel=None if args.no_execute else pipeline.kernel_name())
    print(f"{len(written) // 2} exercises -> {out / 'student'} (for students) and {out / 'teacher'} (with solutions)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``corpuslab`` command; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            return _run(args)
        if args.command == "lab":
            return _lab(args)
        if args.command == "exercises":
            return _exercises(args)
        print(params.describe())
        return 0
    except CorpuslabError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # an analysis failure: one line, the traceback only with --debug
        if type(exc).__name__ == "RunInterrupted":  # a signal before any notebook started (pipeline not imported here)
            print(f"error: interrupted by {exc} before any notebook started; nothing was written", file=sys.stderr)
            return 130
        if args.debug:
            raise
        print(f"error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
