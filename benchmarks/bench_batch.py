"""How close is a batch to one plain Python process? Prints ratios measured in one run.

    .venv/bin/python benchmarks/bench_batch.py [--period 2024-Q4] [--units 6]

* plain: one Python process computes every briefing's figures, sentences and tables (no kernel, no render);
* batch (html only / html+pdf) with 1 and 2 workers: the real `run_batch` on the same units.
The ratios batch/plain show the cost of kernels and rendering; 1 worker vs 2 the parallel speed-up.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from parreport.batch import BatchSpec, run_batch
from parreport.batch.spec import DEFAULT_SPEC
from parreport.reports.briefing import load_briefing
from parreport.paths import DEFAULT_REGISTRY
from parreport.periods import Period
from parreport.registry import Registry
from parreport.sources import demo_store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", default="2024-Q4")
    parser.add_argument("--units", type=int, default=6)
    args = parser.parse_args()
    store = demo_store()
    units = Registry.load(DEFAULT_REGISTRY).codes(Period.parse(args.period))[: args.units]

    started = time.perf_counter()
    for unit in units:
        briefing = load_briefing(unit, args.period, data=store)
        briefing.narrative_html(), briefing.table_html(), briefing.attention_html()
    plain = time.perf_counter() - started
    print(f"plain process, {len(units)} briefings' content: {plain:.1f} s")

    spec = BatchSpec.load(DEFAULT_SPEC)
    for formats in (["html"], ["html", "pdf"]):
        for workers in (1, 2):
            spec.formats = formats
            with tempfile.TemporaryDirectory() as out:
                started = time.perf_counter()
                results = run_batch(spec, Path(out), data=str(store), departments=units,
                                    periods=[args.period], workers=workers, progress=False)
                seconds = time.perf_counter() - started
            ok = sum(r.status == "ok" for r in results)
            print(f"batch {'+'.join(formats):9} workers={workers}: {seconds:6.1f} s  "
                  f"ratio to plain {seconds / plain:5.1f}×  ({ok}/{len(results)} ok)")


if __name__ == "__main__":
    main()
