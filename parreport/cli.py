"""The parreport command: a thin layer over ingest, demo data and the batch runner.

Each command imports what it needs when it runs, so this module loads nothing heavy (no pandas, DuckDB or
Jupyter): ``run`` starts its workers' forkserver first, and the forkserver imports the batch runner and the
renderers while this process loads the library and plans the batch (docs/performance.md).
"""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from parreport.process import abrupt_exit, prepare
from parreport import batch
from parreport.batch.executors import get_executor, worker_preload
from parreport.batch.outdir import previous_reports
from parreport.errors import ParreportError
from parreport.metrics.definitions import DEFAULT_TOLERANCE
from parreport.paths import DEFAULT_REGISTRY
from parreport.registry import Registry


def main(argv: list[str] | None = None) -> int:
    prepare()  # before a command's imports bring nbformat in
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.command(args)
    except ParreportError as exc:
        print(f"parreport: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        _interrupted()


def _interrupted(*_signal: object) -> None:
    """Ctrl-C: stop this run's kernels and leave at once with exit code 130."""
    from parreport.batch.kernels import LocalKernelManager  # already loaded by a batch that started kernels

    print("parreport: interrupted; finished reports are kept, run again to produce the rest", file=sys.stderr)
    LocalKernelManager.kill_all()
    # Nothing is lost: published reports are whole, and the next run finishes or drops the rest.
    abrupt_exit(130)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parreport", description="Vietnamese administrative-procedure (TTHC) reports: ingest exports, "
        "then produce every unit's briefing and the province overview as HTML, PDF, Word and Excel.")
    parser.add_argument("--registry", type=Path, default=DEFAULT_REGISTRY, help="department registry YAML")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="read, validate and store export files")
    ingest.add_argument("files", nargs="+", type=Path, help="CSV, XLSX or Parquet files, or folders of them")
    ingest.add_argument("--store", type=Path, required=True, help="DuckDB store file (created if missing)")
    ingest.set_defaults(command=_ingest)

    demo_data = commands.add_parser("demo-data", help="write the demo province's input files")
    demo_data.add_argument("out", type=Path, help="folder to write them to")
    demo_data.add_argument("--seed", type=int, default=2024)
    demo_data.add_argument("--store", type=Path, help="also ingest them into this store")
    demo_data.set_defaults(command=_demo_data)

    run = commands.add_parser("run", help="produce reports (report kinds × units × periods)")
    run.add_argument("spec", nargs="?", type=Path, default=batch.DEFAULT_SPEC, help="batch spec YAML")
    run.add_argument("--report", action="append", metavar="KIND",
                     help="report kind (repeatable): briefing, annual, overview…; default: the spec's")
    run.add_argument("--department", action="append",
                     help="unit code (repeatable; TOAN_TINH = the province overview); default: the spec's")
    run.add_argument("--period", action="append", help="period code (repeatable); default: the spec's")
    run.add_argument("--data", help="store (.duckdb), export file or folder; default: the demo data")
    run.add_argument("--format", action="append", metavar="FORMAT",
                     help="output format (repeatable): html, pdf…; default: the spec's")
    run.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    run.add_argument("--workers", type=int, default=batch.default_workers(),
                     help="reports produced in parallel on this machine (default: one per core, fewer if memory "
                          "is short: %(default)s here)")
    run.add_argument("--timeout", type=float, metavar="SECONDS",
                     help="stop a report whose notebook, or the rendering of one of its formats, runs longer "
                          f"(default: the spec's, else {batch.DEFAULT_TIMEOUT})")
    run.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                     help="run the reports on this Dask scheduler's workers (needs parreport[dask]; workers must "
                          "see the data and the output folder at the same paths); default: the spec's, else here")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--force", action="store_true",
                     help="rebuild every report, even those whose inputs are unchanged since the last run")
    run.set_defaults(command=_run)

    check = commands.add_parser("check-766", help="list where official 766 scores and scores computed from "
                                "dossiers disagree (exit code 1 when any)")
    check.add_argument("--period", required=True, help="period code, e.g. 2026-Q3")
    check.add_argument("--data", help="store (.duckdb), export file or folder; default: the demo data")
    check.add_argument("--csv", type=Path, help="also write the disagreements to this CSV file")
    check.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE,
                       help=f"points of difference tolerated (default {DEFAULT_TOLERANCE})")
    check.set_defaults(command=_check_766)
    return parser


def _ingest(args: argparse.Namespace) -> int:
    from parreport.sources import input_files
    from parreport.store import Store

    registry = Registry.load(args.registry)
    failures = 0
    with Store(args.store) as store:
        for path in input_files(args.files):
            try:
                result = store.ingest(path, registry)
            except ParreportError as exc:
                failures += 1
                print(f"parreport: error: {exc}", file=sys.stderr)
                continue
            state = "already stored, skipped" if result.skipped else f"{result.rows} rows stored"
            print(f"{path}: {result.kind}, {state}")
            for finding in result.discrepancies:
                print(f"  warning: {finding}")
    return 1 if failures else 0


def _demo_data(args: argparse.Namespace) -> int:
    from parreport import demo
    from parreport.sources import ingest_files
    from parreport.store import Store

    registry = Registry.load(args.registry)
    files = demo.write_demo_data(args.out, registry, seed=args.seed)
    for path in files:
        print(path)
    if args.store:
        with Store(args.store) as store:
            ingest_files(store, files, registry)
            store.mark_sample_data()
        print(f"stored in {args.store}")
    return 0


def _run(args: argparse.Namespace) -> int:
    # Our own handler, not Python's KeyboardInterrupt: an event loop inside the kernel client can take
    # the exception as a cancelled step and carry on.
    signal.signal(signal.SIGINT, _interrupted)
    if args.workers < 1:
        raise ParreportError("--workers must be at least 1")
    spec = batch.BatchSpec.read(args.spec)
    _start_workers(spec, args)
    # The command line's choices replace the spec's before the check, so that they can mend a bad spec value.
    spec.reports = args.report or spec.reports
    spec.formats = args.format or spec.formats
    spec.notebook = None if args.report else spec.notebook
    spec.timeout = spec.timeout if args.timeout is None else args.timeout
    spec.check(str(args.spec))
    results = batch.run_batch(spec, args.out, data=args.data, departments=args.department,
                              periods=args.period, workers=args.workers, progress=not args.no_progress,
                              force=args.force, scheduler=args.scheduler,
                              registry_path=args.registry)
    by_status = {status: [r for r in results if r.status == status]
                 for status in (batch.OK, batch.NO_DATA, batch.FAILED)}
    print(f"{len(by_status[batch.OK])} reports written to {args.out}/ (index: {args.out / 'index.html'})")
    for result in by_status[batch.NO_DATA]:
        print(f"không có dữ liệu {result.period}/{result.department}: {result.error}")
    for result in by_status[batch.FAILED]:
        print(f"FAILED {result.period}/{result.department}: {result.error}", file=sys.stderr)
    incomplete = [result for result in by_status[batch.OK] if result.format_errors]
    for result in incomplete:
        for name, reason in result.format_errors.items():
            print(f"FAILED {result.period}/{result.department} ({name} only; the other formats were written): "
                  f"{reason}", file=sys.stderr)
    return 1 if by_status[batch.FAILED] or incomplete else 0


def _start_workers(spec: "batch.BatchSpec", args: argparse.Namespace) -> None:
    """Start the local workers' forkserver before this process loads the library and plans, when every
    report will be made (``--force``, or no report recorded in ``--out`` yet: the batch's own rule); else
    the batch starts it if any report needs making. It imports the runner and the renderers meanwhile (see
    ``parreport.batch.preload``). A spec that then fails its check leaves it to finish those imports and exit."""
    if args.force or not previous_reports(args.out):
        scheduler = args.scheduler or spec.scheduler
        get_executor(args.workers, scheduler, preload=worker_preload(args.format or spec.formats)).start()


def _check_766(args: argparse.Namespace) -> int:
    from parreport.reports.s766 import disagreements, disagreements_table

    registry = Registry.load(args.registry)
    found = disagreements(args.period, args.data, registry, args.tolerance)
    if found.empty:
        print(f"No disagreement beyond {args.tolerance} point between official and computed 766 scores.")
        return 0
    print(disagreements_table(found))
    if args.csv:
        found.to_csv(args.csv, index=False, encoding="utf-8-sig")
        print(f"written to {args.csv}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
