"""The batch on a Dask distributed cluster: a 2-worker ``LocalCluster`` runs the end-to-end fixture (2 units
× 2 quarters, one pair broken on purpose) and gives the same output layout, manifest and index as a local
run, with the broken pair failed alone; a worker process that dies takes only its own report with it."""
from __future__ import annotations

import json
import os
import time

import pytest

from parreport.batch import BatchSpec, run_batch
from parreport.batch.executors import Dask
from parreport.errors import ConfigError
from tests.conftest import REGISTRY_YAML
from tests.test_end_to_end import broken_notebook, fixture_csv

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes with one thread each, as real workers run (processes=True: each worker is its
    own interpreter, so jobs travel pickled, as they do to a remote machine). A task whose worker dies is
    not retried (allowed-failures 0), so the dying-worker test ends at once; each worker holds one task at
    a time (worker-saturation 1.0), so no other task is on the worker when it dies."""
    import dask

    settings = {"distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0}
    with dask.config.set(settings), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as local:
        yield local


def test_batch_on_a_local_cluster(tmp_path, cluster):
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    data = fixture_csv(tmp_path / "dossiers.csv")
    spec = BatchSpec(notebook=broken_notebook(tmp_path), periods=["2020-Q1", "2020-Q2"],
                     departments=["STNMT", "STP"], formats=["html", "pdf"], scheduler=cluster.scheduler_address)
    spec.check()
    out = tmp_path / "reports"
    results = run_batch(spec, out, data=str(data), progress=False, registry_path=registry)

    statuses = {(r.department, r.period): r.status for r in results}
    assert statuses == {("STNMT", "2020-Q1"): "ok", ("STNMT", "2020-Q2"): "ok",
                        ("STP", "2020-Q1"): "ok", ("STP", "2020-Q2"): "failed"}
    failed = next(r for r in results if r.status == "failed")
    assert "hỏng có chủ ý" in failed.error
    for unit, period in [("STNMT", "2020-Q1"), ("STNMT", "2020-Q2"), ("STP", "2020-Q1")]:
        for suffix in ("html", "pdf"):
            assert (out / period / unit / f"briefing.{suffix}").stat().st_size > 0
    assert (out / "2020-Q2" / "STP" / "briefing.failed.ipynb").exists()
    assert not (out / "2020-Q2" / "STP" / "briefing.html").exists()
    # The figures come from the workers' kernels: STNMT Q1 received 15 carried over + 1.911 new = 1.926.
    html = (out / "2020-Q1" / "STNMT" / "briefing.html").read_text(encoding="utf-8")
    assert "Sở tiếp nhận 1.926 hồ sơ" in html
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {(r["department"], r["period"]): r["status"] for r in manifest["reports"]} == statuses
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2020-Q1/STNMT/briefing.pdf"' in index and "hỏng có chủ ý" in index
    # The workers' warm kernels were shut down at the end of the batch, not left idle on the cluster.
    with distributed.Client(cluster.scheduler_address) as client:
        assert list(client.run(_idle_kernel_pids).values()) == [[], []]


def _idle_kernel_pids() -> list[int]:
    from parreport.batch.warm import KERNELS
    return KERNELS.pids()


def _dies_on_two(number: int) -> int:
    """Kill the worker process for item 2, a few seconds in; square the others. (A finished item's result
    waits in its worker's memory until the client gathers it: the delay lets the others' results leave a
    worker before it dies, as real reports take seconds each.)"""
    if number == 2:
        time.sleep(3)
        os._exit(1)
    return number * number


def test_a_dead_worker_loses_only_its_item(cluster):
    """Items 0..3; the worker running item 2 exits: that item's outcome is the scheduler's KilledWorker,
    the other three still come back as 0, 1 and 9."""
    outcomes = dict(Dask(cluster.scheduler_address).map(_dies_on_two, [0, 1, 2, 3]))
    assert {n: o for n, o in outcomes.items() if n != 2} == {0: 0, 1: 1, 3: 9}
    assert type(outcomes[2]).__name__ == "KilledWorker"


def test_a_scheduler_without_protocol_is_refused_before_any_job():
    """``localhost:8786`` lacks the ``tcp://`` a Dask address starts with: a ConfigError naming the key."""
    with pytest.raises(ConfigError, match="scheduler must be a Dask scheduler address"):
        BatchSpec(scheduler="localhost:8786").check()
