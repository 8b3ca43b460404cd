"""The batch on a Dask distributed cluster: a 2-worker ``LocalCluster`` runs the end-to-end fixture (2 units
× 2 quarters, one pair broken on purpose) and gives the same output layout, manifest and index as a local
run, with the broken pair failed alone; a renderer that hangs on a worker is stopped by the timeout; a
process that dies under a worker takes only its own report with it; daemon workers are refused."""
from __future__ import annotations

import json
import multiprocessing
import os

import pytest

from parreport.batch import BatchSpec, run_batch
from parreport.batch.executors import DIED_TWICE, Dask, WorkerDied
from parreport.errors import ConfigError
from tests.conftest import REGISTRY_YAML, briefing_with_an_image_that_never_loads
from tests.test_end_to_end import broken_notebook, fixture_csv

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes with one thread each, as real workers run (processes=True: each worker is its
    own interpreter, so jobs travel pickled, as they do to a remote machine), started as the README says:
    not as daemon processes, so that they may start processes of their own."""
    import dask

    with dask.config.set({"distributed.worker.daemon": False}), \
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
    # The workers' own processes, and their warm kernels with them, ended with the batch.
    assert _own_processes(cluster) == [[], []]


def _own_processes(cluster) -> list[list[int]]:
    """The processes each worker of ``cluster`` has started and still has."""
    with distributed.Client(cluster.scheduler_address) as client:
        return list(client.run(lambda: [child.pid for child in multiprocessing.active_children()]).values())


def test_a_renderer_that_hangs_on_a_worker_is_stopped_by_the_timeout(tmp_path, cluster):
    """STP's report shows an image from a named pipe that nothing writes, so loading it for the PDF never
    ends. A worker makes each report in a process of its own, in whose main thread the job's timeout stops
    that rendering as in a local run (the PDF is reported failed, the report's other files published);
    STNMT's report is made."""
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    spec = BatchSpec(notebook=briefing_with_an_image_that_never_loads(tmp_path, "STP"), periods=["2020-Q1"],
                     departments=["STNMT", "STP"], formats=["pdf"], timeout=20,
                     scheduler=cluster.scheduler_address)
    spec.check()
    results = run_batch(spec, tmp_path / "reports", data=str(fixture_csv(tmp_path / "dossiers.csv")),
                        progress=False, registry_path=registry)
    assert {r.department: (r.status, r.format_errors) for r in results} == {
        "STNMT": ("ok", {}),
        "STP": ("ok", {"pdf": "TimeoutError: stopped after 20 s (timeout): making the PDF file ran too long"})}
    assert _own_processes(cluster) == [[], []]


def _dies_on_two(number: int) -> int:
    """End the process running item 2 at once; square the others."""
    if number == 2:
        os._exit(1)
    return number * number


def test_a_process_that_dies_under_a_worker_loses_only_its_item(cluster):
    """Items 0..3; the process running item 2 for its worker exits, and again when item 2 runs once more in
    a new one: that item's outcome says so, the other three still come back as 0, 1 and 9, and the workers
    themselves live on."""
    with distributed.Client(cluster.scheduler_address) as client:
        workers = set(client.scheduler_info()["workers"])
    outcomes = dict(Dask(cluster.scheduler_address).map(_dies_on_two, [0, 1, 2, 3]))
    assert {n: o for n, o in outcomes.items() if n != 2} == {0: 0, 1: 1, 3: 9}
    assert isinstance(outcomes[2], WorkerDied) and str(outcomes[2]) == DIED_TWICE
    with distributed.Client(cluster.scheduler_address) as client:
        assert set(client.scheduler_info()["workers"]) == workers


def test_daemon_workers_are_refused_before_any_job():
    """Dask starts its workers as daemon processes unless told not to, and those may start no process:
    the batch stops before its first job, saying how to start them."""
    import dask

    with dask.config.set({"distributed.worker.daemon": True}), \
            distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                     dashboard_address=":0") as daemons:  # the other cluster's port is taken
        with pytest.raises(ConfigError, match="are daemon processes.*DASK_DISTRIBUTED__WORKER__DAEMON=False"):
            list(Dask(daemons.scheduler_address).map(_dies_on_two, [0]))


def test_a_scheduler_without_protocol_is_refused_before_any_job():
    """``localhost:8786`` lacks the ``tcp://`` a Dask address starts with: a ConfigError naming the key."""
    with pytest.raises(ConfigError, match="scheduler must be a Dask scheduler address"):
        BatchSpec(scheduler="localhost:8786").check()
