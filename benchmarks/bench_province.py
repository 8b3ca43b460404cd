"""Does a whole province's quarter cost what a small batch costs per report? (issue 29: the scale of a real
province)

    .venv/bin/python benchmarks/bench_province.py [--rounds 2] [--small 19] [--workers N]

On the demo's latest quarter (the overview, every sở and every xã: about 120 reports, HTML + PDF), each round
runs, one right after the other in fresh folders:

(s) ``parreport run --force`` of a small batch: the overview and the first ``--small`` − 1 units of the registry
    (19 reports, the size of the demo before the communes);
(p) ``parreport run --force`` of the whole quarter, its process tree's memory sampled every 0,2 s;
(r) (p) again in the same folder with nothing changed.

Prints, per round and as medians: seconds per report of (s) and (p) and their ratio p/s (target ≤ 1,2), (r) as
a share of (p) (target ≤ 5 %), and the memory of (p)'s tree at each tenth of the run (flat from the second
tenth on means bounded: warm kernels are replaced after a number of reports). Then the national estimate: the
reports of a national quarter (34 provinces × (~15 sở + the overview) + 3.321 xã) at (p)'s core-seconds per
report. Run it alone: the timings are wall-clock on a shared machine.
"""
from __future__ import annotations

# ruff: noqa: E402  (prepare() before nbformat, as in the parreport command)
from parreport.process import prepare

prepare()

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from bench_batch import compile_package, machine, timed_batch

from parreport.batch import OK, BatchSpec, default_workers
from parreport.metrics.definitions import PROVINCE
from parreport.paths import DEFAULT_REGISTRY
from parreport.registry import Registry
from parreport.reports.kinds import latest_quarter
from parreport.sources import demo_store, open_store

NATIONAL_REPORTS = 34 * (15 + 1) + 3321  # sở briefings and an overview per province, and every xã/phường
TARGET_RATIO, TARGET_SHARE = 1.2, 0.05


def tenths(samples: list[float]) -> list[float]:
    """The largest sample of each tenth of the run (MB)."""
    size = max(1, len(samples) // 10)
    return [max(samples[start:start + size]) for start in range(0, size * 10, size) if samples[start:start + size]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--small", type=int, default=19, help="reports of the small batch (overview included)")
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()

    compile_package()
    store = demo_store()
    registry = Registry.load(DEFAULT_REGISTRY)
    with open_store(str(store), registry) as opened:
        period = latest_quarter(opened)
    spec = BatchSpec(reports=["briefing", "overview"], periods=[period.code], formats=["html", "pdf"])
    spec.check()
    small_units = [PROVINCE, *registry.codes(period)[: args.small - 1]]
    print(f"machine: {machine()}; {args.workers} workers; demo quarter {period.code}")
    root = Path(tempfile.mkdtemp(prefix="parreport-province-"))
    ratios, shares, per_small, per_whole = [], [], [], []
    try:
        for number in range(args.rounds):
            s, small, _ = timed_batch(spec, root / f"small{number}", store, args.workers, True, small_units)
            memory: list[float] = []
            p, whole, peak = timed_batch(spec, root / f"whole{number}", store, args.workers, True, memory=memory)
            r, again, _ = timed_batch(spec, root / f"whole{number}", store, args.workers, False)
            if not all(report["reused"] for report in again):
                raise SystemExit(f"the no-change re-run rebuilt {sum(not x['reused'] for x in again)} reports")
            failed = [x["department"] for x in small + whole if x["status"] != OK]
            per_small.append(s / len(small))
            per_whole.append(p / len(whole))
            ratios.append(per_whole[-1] / per_small[-1])
            shares.append(r / p)
            print(f"round {number + 1}: (s) {len(small)} reports {s:5.1f} s = {per_small[-1]:.2f} s per report; "
                  f"(p) {len(whole)} reports {p:6.1f} s = {per_whole[-1]:.2f} s per report; p/s = {ratios[-1]:.2f}; "
                  f"(r) {r:.1f} s = {100 * r / p:.1f} % of (p); peak RSS {peak:.0f} MB"
                  + (f"; not ok: {', '.join(failed)}" if failed else ""))
            print("   (p)'s memory by tenths of the run (MB): " + " · ".join(f"{mb:.0f}" for mb in tenths(memory)))
        ratio, share = statistics.median(ratios), statistics.median(shares)
        print(f"p/s = {ratio:.2f} (median; target ≤ {TARGET_RATIO})   no-change re-run = {100 * share:.1f} % "
              f"(median; target ≤ {100 * TARGET_SHARE:.0f} %)")
        core_seconds = statistics.median(per_whole) * args.workers
        hours = NATIONAL_REPORTS * core_seconds / 3600
        print(f"national quarter: {NATIONAL_REPORTS:,} reports × {core_seconds:.2f} core-s = {hours:.1f} core-hours, "
              f"{60 * hours / 20:.0f} minutes on 10 two-core workers (before network and shared-disk costs)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
