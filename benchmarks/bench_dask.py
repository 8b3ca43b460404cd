"""Reports per hour per worker core on a Dask cluster (issue 13), measured on a local one.

    .venv/bin/python benchmarks/bench_dask.py [--workers 2]

Starts a ``LocalCluster`` of ``--workers`` worker processes with one thread each, not as daemon processes
(as the README tells real workers to run), runs the demo's latest quarter (every unit's briefing and the
overview, HTML + PDF) on it through ``--scheduler``, and prints the wall time and reports per hour per
worker core. Needs the ``dask`` extra (installed by ``make install``).
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import dask
import distributed

from parreport.batch import BatchSpec, run_batch
from parreport.sources import demo_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    store = str(demo_store().resolve())  # workers need absolute paths
    out = Path(tempfile.mkdtemp(prefix="parreport-dask-"))
    try:
        with dask.config.set({"distributed.worker.daemon": False}), \
                distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None) as cluster:
            spec = BatchSpec(reports=["overview", "briefing"], formats=["html", "pdf"],
                             scheduler=cluster.scheduler_address)
            spec.check()
            started = time.perf_counter()
            results = run_batch(spec, out / "reports", data=store, progress=False, force=True)
            wall = time.perf_counter() - started
    finally:
        shutil.rmtree(out, ignore_errors=True)
    ok = sum(result.status == "ok" for result in results)
    print(f"{len(results)} reports ({ok} ok) on {args.workers} Dask workers × 1 thread: {wall:.1f} s, "
          f"{len(results) / wall * 3600 / args.workers:.0f} reports per hour per worker core")


if __name__ == "__main__":
    main()
