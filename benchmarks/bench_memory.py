"""Does memory stay bounded through a long batch? (issue 13: a 500-report batch)

    .venv/bin/python benchmarks/bench_memory.py [--workers N] [--formats html,pdf]

Runs ``parreport run`` in-process on the demo data for every unit and the overview over 30 periods
(the 12 quarters of 2022–2024, the 12 months of 2024, the 6 half-years), about 570 reports, into a fresh
folder. A thread samples, every half second, the resident memory of this process and all its descendants
(batch workers and their warm kernels). Prints the number of reports by status, the wall time, the peak of
the whole tree, and the tree's memory at each tenth of the run: flat from the second tenth on means bounded
(warm kernels are replaced after ``REPORTS_PER_KERNEL`` reports).
"""
from __future__ import annotations

import argparse
import collections
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from parreport.batch import BatchSpec, default_workers, run_batch
from parreport.batch.warm import REPORTS_PER_KERNEL

PERIODS = ([f"{year}-Q{q}" for year in (2022, 2023, 2024) for q in range(1, 5)]
           + [f"2024-{month:02d}" for month in range(1, 13)]
           + [f"{year}-H{h}" for year in (2022, 2023, 2024) for h in (1, 2)])
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and every process below it, in MB (from /proc)."""
    children = collections.defaultdict(list)
    rss = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children[int(fields[1])].append(int(entry.name))  # field 4: parent pid
            rss[int(entry.name)] = int((entry / "statm").read_text().split()[1]) * PAGE_KB
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=default_workers(), help="default: parreport run's own")
    parser.add_argument("--formats", default="html,pdf")
    args = parser.parse_args()
    spec = BatchSpec(reports=["overview", "briefing"], periods=PERIODS, formats=args.formats.split(","))
    spec.check()
    samples: list[tuple[float, float]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append((time.perf_counter(), tree_rss_mb(os.getpid())))
            done.wait(0.5)

    out = Path(tempfile.mkdtemp(prefix="parreport-memory-"))
    sampler = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    sampler.start()
    try:
        results = run_batch(spec, out / "reports", workers=args.workers, progress=False, force=True)
    finally:
        done.set()
        sampler.join()
        shutil.rmtree(out, ignore_errors=True)
    wall = time.perf_counter() - started
    print(f"{len(results)} reports over {len(PERIODS)} periods, {args.workers} workers, {spec.formats}: "
          + ", ".join(f"{status} {n}" for status, n in collections.Counter(r.status for r in results).items())
          + f"; {wall:.0f} s; warm kernels replaced every {REPORTS_PER_KERNEL} reports")
    print(f"peak RSS of the process tree: {max(mb for _, mb in samples):.0f} MB")
    tenths = []
    for tenth in range(1, 11):
        limit = started + wall * tenth / 10
        window = [mb for at, mb in samples if started + wall * (tenth - 1) / 10 <= at < limit]
        tenths.append(f"{max(window):.0f}" if window else "–")
    print("peak RSS of the tree in each tenth of the run (MB): " + " · ".join(tenths))


if __name__ == "__main__":
    main()
