"""How close is ``parreport run`` to the floor, and how far ahead of the command-line chain? (issue 13)

    .venv/bin/python benchmarks/bench_batch.py [--rounds 3] [--sample 1] [--workers N]

One run on the demo's latest quarter, every unit's briefing plus the province overview, HTML + PDF:

(b) the ``parreport run --force`` command, timed from its start to its exit, ``--workers`` processes (default:
    the command's own);
(a) the command-line chain, per report: ``papermill`` CLI → ``jupyter nbconvert --to html --no-input`` →
    ``weasyprint`` CLI, timed on ``--sample`` briefings and extrapolated to every report (said so).
    (b) and (a) are timed in ``--rounds`` pairs, (a) right after (b) on other briefings each round: this
    machine's speed drifts by tens of percent over minutes, and a ratio of two timings taken minutes
    apart measures the drift as much as the batch. a/b is the median of the rounds' ratios;
(c) the in-process floor: one plain Python process makes the same Documents with the same library calls
    (``load_briefing`` / ``load_overview`` → ``.document()``), puts their displays in an in-memory notebook
    (no kernel, nothing executed) and renders it with the same ``html`` and ``pdf`` formats;
(d) (b) again in the same folder with nothing changed (incremental reuse), right after each (b), as a share
    of that (b); the median of the rounds' shares is printed (a single re-run of about a second is as noisy
    as the machine);
(e) where a briefing's CPU time goes in a batch: serial batches of 1 and of ``--cpu-reports`` briefings,
    each in a fresh process; the difference divided by the extra reports is the CPU of one briefing in
    the batch process (papermill, rendering) and in its kernel (figures, charts).

Prints b/c (median b), a/b, d as % of b, the peak RSS of (b)'s whole process tree (its interpreter, the workers'
forkserver, the workers and their kernels; sampled every 0,2 s, shared pages counted in each process), and
the machine. Run it alone: the timings are wall-clock on a shared machine.
"""
from __future__ import annotations

# ruff: noqa: E402  (prepare() runs before the imports that bring nbformat in, as in the parreport command;
# see process.py). (b) runs the command and (e) a fresh interpreter; what only (c) needs (the report kinds,
# with Matplotlib) is imported there.
from parreport.process import prepare

prepare()

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

import parreport
from parreport.batch import OK, BatchSpec, default_workers
from parreport.batch.outdir import previous_reports
from parreport.metrics.definitions import PROVINCE
from parreport.paths import NOTEBOOKS_DIR
from parreport.render import RenderSource, get_format
from parreport.reports.kinds import latest_quarter
from parreport.sources import demo_store, open_store
from parreport.registry import Registry
from parreport.paths import DEFAULT_REGISTRY

from bench_memory import tree_rss_mb

FORMATS = ["html", "pdf"]
BIN = Path(sys.executable).parent  # papermill, jupyter and weasyprint of this environment


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}, Python {platform.python_version()}"


def compile_package() -> None:
    """Write the package's bytecode as ``make demo`` does: every process of (a), (b) and (e) then reads it
    instead of compiling parreport's modules (about 0,1 s of CPU per process where PYTHONDONTWRITEBYTECODE
    stops Python from writing it, as on the machine the README quotes)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(parreport.__file__).parent)], check=True)


def timed_batch(spec: BatchSpec, out: Path, store: Path, workers: int, force: bool,
                departments: list[str] | None = None, memory: list[float] | None = None) -> tuple[float, list, float]:
    """Wall seconds of the ``parreport run`` command for ``spec`` (its interpreter's start and imports
    included; ``departments`` None = the spec's units), each report's department, status and reuse (from the
    manifest), and the peak RSS (MB) of its process tree (each 0,2 s sample appended to ``memory`` if given)."""
    command = [str(BIN / "parreport"), "run", "--data", str(store), "--out", str(out), "--workers", str(workers),
               "--no-progress", *(f"--{key}={value}" for key, values in
                                  (("report", spec.reports), ("period", spec.periods), ("format", spec.formats),
                                   ("department", departments or ())) for value in values),
               *(["--force"] if force else [])]
    started = time.perf_counter()
    batch = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak = 0.0
    while batch.poll() is None:
        sample = tree_rss_mb(batch.pid)
        peak = max(peak, sample)
        if memory is not None:
            memory.append(sample)
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if batch.returncode != 0:
        raise SystemExit(f"parreport run failed (exit code {batch.returncode})")
    reports = previous_reports(out).values()
    return seconds, [{key: r[key] for key in ("department", "status", "reused")} for r in reports], peak


def cli_chain(unit: str, period: str, folder: Path) -> None:
    """The chain a user could type, one report: papermill → nbconvert → weasyprint."""
    executed, html, pdf = folder / f"{unit}.ipynb", folder / f"{unit}.html", folder / f"{unit}.pdf"
    quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([BIN / "papermill", str(NOTEBOOKS_DIR / "briefing.ipynb"), str(executed),
                    "-p", "department", unit, "-p", "period", period, "--cwd", str(NOTEBOOKS_DIR)], **quiet)
    subprocess.run([BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", str(executed),
                    "--output-dir", str(folder)], **quiet)
    subprocess.run([BIN / "weasyprint", str(html), str(pdf)], **quiet)


def floor(unit: str, period: str, store: Path, folder: Path) -> None:
    """The same Document, displayed into an in-memory notebook as the real one displays it (cover and
    document data, then one output per section), rendered by the same formats. Nothing is executed."""
    from parreport.reports.briefing import load_briefing
    from parreport.reports.overview import load_overview

    report = (load_overview(period, data=str(store)) if unit == PROVINCE
              else load_briefing(unit, period, data=str(store))).document()
    cells = [nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data",
                                                                     data=report._repr_mimebundle_())])]
    cells += [nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data",
                                                                      data={"text/html": section.html()})])
              for section in report.sections]
    source = RenderSource(nbformat.v4.new_notebook(cells=cells), title=f"{unit} {period}", base_url=folder)
    for name in FORMATS:
        output_format = get_format(name)
        output_format.render(source, folder / f"{unit}{output_format.suffix}")


def serial_batch_cpu(spec: BatchSpec, store: Path, units: list[str], out: Path) -> tuple[float, float]:
    """CPU seconds (its process, its kernels) of a serial ``run_batch`` of ``units``' briefings, in a fresh
    interpreter."""
    code = ("import resource; from pathlib import Path; from parreport.process import prepare; prepare(); "
            "from parreport.batch import BatchSpec, run_batch; "
            f"run_batch(BatchSpec(reports=['briefing'], periods={spec.periods!r}, formats={FORMATS!r}), "
            f"Path({str(out)!r}), data={str(store)!r}, departments={units!r}, workers=1, progress=False); "
            "used = lambda who: resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime; "
            "print(used(resource.RUSAGE_SELF), used(resource.RUSAGE_CHILDREN))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    own, kernels = map(float, done.stdout.split()[-2:])
    return own, kernels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="pairs of (b) and (a) timings")
    parser.add_argument("--sample", type=int, default=1, help="briefings timed through the command-line chain "
                        "in each round (other ones each round)")
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="parreport run workers (default: parreport run's own, %(default)s here)")
    parser.add_argument("--cpu-reports", type=int, default=8, help="briefings of the larger serial batch in (e)")
    args = parser.parse_args()

    compile_package()
    store = demo_store()
    with open_store(str(store), Registry.load(DEFAULT_REGISTRY)) as opened:
        period = latest_quarter(opened).code
    spec = BatchSpec(reports=["briefing", "overview"], periods=[period], formats=FORMATS)
    spec.check()
    print(f"machine: {machine()}")
    root = Path(tempfile.mkdtemp(prefix="parreport-bench-"))
    try:
        out = root / "reports"
        batches, ratios, peaks, chained, nochange, shares = [], [], [], [], [], []
        for number in range(args.rounds):
            b, results, peak = timed_batch(spec, out, store, args.workers, force=True)
            batches.append(b)
            peaks.append(peak)
            reports = [r["department"] for r in results if r["status"] == OK]
            count = len(results)
            d, again, _ = timed_batch(spec, out, store, args.workers, force=False)
            if not all(r["reused"] for r in again):
                raise SystemExit(f"the no-change re-run rebuilt {sum(not r['reused'] for r in again)} reports")
            nochange.append(d)
            shares.append(d / b)
            if number == 0:
                print(f"demo latest quarter {period}: {count} reports ({len(reports)} ok), "
                      f"formats {'+'.join(FORMATS)}, {args.workers} workers")
            briefings = [unit for unit in reports if unit != PROVINCE]
            sample = briefings[number * args.sample:(number + 1) * args.sample]
            if not sample:
                raise SystemExit(f"--rounds {args.rounds} x --sample {args.sample} asks for more briefings than "
                                 f"the {len(briefings)} made: each round times other ones")
            folder = root / f"cli{number}"
            folder.mkdir()
            started = time.perf_counter()
            for unit in sample:
                cli_chain(unit, period, folder)
            per_report = (time.perf_counter() - started) / len(sample)
            chained.append(per_report)
            ratios.append(per_report * count / b)
            print(f"round {number + 1}: (b) parreport run {b:5.1f} s ({b / count:4.2f} s per report); "
                  f"(d) no-change re-run {d:4.1f} s ({len(again)}/{len(again)} reused) = {100 * d / b:.1f} % of it; "
                  f"(a) command-line chain {per_report:5.2f} s per report on {', '.join(sample)}, "
                  f"x {count} = {per_report * count:5.1f} s; a/b = {ratios[-1]:4.1f}")
        b = statistics.median(batches)

        folder = root / "floor"
        folder.mkdir()
        started = time.perf_counter()
        for unit in reports:
            floor(unit, period, store, folder)
        c = time.perf_counter() - started
        print(f"(c) in-process floor, 1 process:     {c:7.1f} s total, {c / len(reports):5.2f} s per report "
              f"(imports already done)")

        briefings = briefings[: args.cpu_reports]
        one = serial_batch_cpu(spec, store, briefings[:1], root / "cpu1")
        many = serial_batch_cpu(spec, store, briefings, root / "cpu2")
        extra = len(briefings) - 1
        own, kernel = ((m - o) / extra for m, o in zip(many, one))
        print(f"(e) CPU of one briefing in a batch:  {own + kernel:5.2f} s = {kernel:.2f} s in its kernel "
              f"+ {own:.2f} s in the batch process; a batch's start (1 briefing): {sum(one) - own - kernel:.1f} s")
        timed = ", ".join(f"{x:.1f}" for x in batches)
        print(f"(b) median {b:.1f} s of {timed}; (a) {statistics.mean(chained):.2f} s per report on average, "
              f"{statistics.mean(chained) * count:.1f} s for {count}")
        rounds = ", ".join(f"{r:.1f}" for r in ratios)
        kept = ", ".join(f"{100 * share:.1f}" for share in shares)
        print(f"b/c = {b / c:.2f}   a/b = {statistics.median(ratios):.1f} (median of {rounds})   "
              f"no-change re-run = {100 * statistics.median(shares):.1f} % of b (median of {kept}; "
              f"{', '.join(f'{x:.1f}' for x in nochange)} s)")
        print(f"peak RSS of (b)'s process tree: {max(peaks):.0f} MB (its interpreter, the forkserver, the workers and "
              f"their kernels, shared pages counted in each)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
