"""Handing a batch's jobs out (parreport.batch.dispatch): the province's report first, results in plan order."""
from __future__ import annotations

from parreport.batch.dispatch import longest_first, run_jobs
from parreport.batch.executors import Serial
from parreport.batch.job import Job
from parreport.batch.results import FAILED
from parreport.periods import Period


def jobs_for(units: list[str], out) -> list[Job]:
    """One job per unit, as the planner lists them (the province last); their notebook does not exist."""
    period = Period.parse("2020-Q1")
    return [Job("overview" if unit == "TOAN_TINH" else "briefing", unit, period, out / "missing.ipynb", out / unit,
                "report", {"department": unit, "period": period.code}) for unit in units]


def test_the_province_report_is_handed_out_first_and_the_units_keep_their_order(tmp_path):
    jobs = jobs_for(["STNMT", "STP", "TOAN_TINH", "007"], tmp_path)
    assert longest_first(jobs) == [2, 0, 1, 3]


def test_results_come_back_in_plan_order_whatever_order_the_jobs_ran_in(tmp_path):
    """Each job fails at once (its notebook is missing), in the order handed out; each result is its own job's."""
    jobs = jobs_for(["STNMT", "TOAN_TINH", "STP"], tmp_path)
    seen = []
    results = run_jobs(jobs, ["html"], Serial(), progress=False,
                       on_result=lambda result: seen.append(result.department))
    assert seen == ["TOAN_TINH", "STNMT", "STP"]
    assert [(r.department, r.status) for r in results] == [("STNMT", FAILED), ("TOAN_TINH", FAILED), ("STP", FAILED)]
    assert all("missing.ipynb" in r.error for r in results)
