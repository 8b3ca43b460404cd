"""Ingest + metrics at national scale on one machine: about a million dossier records.

    .venv/bin/python benchmarks/bench_scale.py [--scale 3] [--keep DIR] [--profile]

The demo generator writes the province's exports at ``--scale`` times the demo volume (scale 3 ≈ 1 million
dossier records in CSV with English headers, CSV with Vietnamese headers and dates, and Parquet). A fresh
child process then ingests them into a new store and computes the counts every briefing of the latest
quarter reads (:func:`parreport.metrics.kept_counts.precompute_counts`) and the scorecard of every unit; it
reports its wall time per step and its peak resident memory. Targets (issue 13): ≤ 30 s, ≤ 2 GB.
"""
from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 30.0
TARGET_RSS_GB = 2.0


def ingest_and_count(inputs: Path, store_path: Path, profile: bool, queue: multiprocessing.Queue) -> None:
    """Run in a fresh process: ingest every file, then count; put the timings and peak RSS on ``queue``."""
    started = time.perf_counter()
    profiler = None
    if profile:
        from pyinstrument import Profiler
        profiler = Profiler()
        profiler.start()
    from parreport.reports.kinds import latest_quarter
    from parreport.metrics import DossierData, scorecard
    from parreport.metrics.kept_counts import periods_read, precompute_counts
    from parreport.paths import DEFAULT_REGISTRY
    from parreport.registry import Registry
    from parreport.sources import ingest_files
    from parreport.store import Store

    registry = Registry.load(DEFAULT_REGISTRY)
    steps = {"import": time.perf_counter() - started}
    mark = time.perf_counter()
    with Store(store_path) as store:
        results = ingest_files(store, [inputs], registry)
    steps["ingest"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with Store(store_path, read_only=True) as store:
        records = store.sql("SELECT count(*) AS n FROM dossiers")["n"].iloc[0]
        quarter = latest_quarter(store)
        precompute_counts(store, [quarter])
        data = DossierData.from_store(store, registry)
        data.prefetch(periods_read([quarter]))
        card = scorecard(data, quarter)
    steps["metrics"] = time.perf_counter() - mark
    if profiler:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_gb = usage.ru_maxrss / 1024 ** 2  # ru_maxrss is in KiB on Linux
    queue.put({"steps": steps, "cpu": usage.ru_utime + usage.ru_stime, "rows": sum(r.rows for r in results), "records": int(records),
               "units": len(card) - 1, "quarter": quarter.code, "rss_gb": rss_gb})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=3.0)
    parser.add_argument("--keep", type=Path, help="write the generated exports here (reused when present)")
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile of the child")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        inputs = args.keep or Path(work) / "inputs"
        if not inputs.exists() or not any(inputs.iterdir()):
            from parreport import demo
            from parreport.paths import DEFAULT_REGISTRY
            from parreport.registry import Registry
            started = time.perf_counter()
            demo.write_demo_data(inputs, Registry.load(DEFAULT_REGISTRY), scale=args.scale)
            print(f"generated the exports at scale {args.scale:g} in {time.perf_counter() - started:.1f} s")
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        child = context.Process(target=ingest_and_count, args=(inputs, Path(work) / "scale.duckdb", args.profile, queue))
        started = time.perf_counter()
        child.start()
        figures = queue.get()
        child.join()
        total = time.perf_counter() - started
    steps = figures["steps"]
    print(f"{figures['rows']:,} rows ingested, {figures['records']:,} current dossier records, "
          f"{figures['units']} units, latest quarter {figures['quarter']}")
    print("  ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items()))
    work_seconds = steps["ingest"] + steps["metrics"]
    print(f"ingest + metrics {work_seconds:.1f} s (target ≤ {TARGET_SECONDS:g} s), process total {total:.1f} s, "
          f"CPU {figures['cpu']:.1f} s, peak RSS {figures['rss_gb']:.2f} GB (target ≤ {TARGET_RSS_GB:g} GB)")


if __name__ == "__main__":
    main()
