"""A failed report says why: the exception's type and message as raised in the kernel, in the results, the
manifest and the index, even when IPython cannot format its traceback (a Jinja template's frame, which
IPython tries to read as Python source: it then writes no error output, and papermill alone would report a
bare "CellExecutionError" with no message)."""
from __future__ import annotations

import json

import pytest

from parreport.batch import BatchSpec, run_batch
from tests.conftest import REGISTRY_YAML, briefing_with_cell
from tests.test_end_to_end import fixture_csv

pytestmark = pytest.mark.e2e

# STNMT: a plain ValueError. STP: the province overview's template fed a scorecard without figures, as the
# overview of a period without dossier data once did: '>' between None and 0 on the template's line 5.
FAILING = """\
if department == "STNMT":
    raise ValueError("số liệu không hợp lệ")
if department == "STP":
    from parreport.narrative import render
    from parreport.periods import Period
    empty = dict.fromkeys(["received", "carried_over", "new", "online_share", "resolved", "pending"])
    render("overview.txt.j2", p=empty, period=Period.parse("2020-Q1"), units=0, previous=None, year_ago=None)
"""


def test_the_reason_is_the_kernels_own_exception(tmp_path):
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    spec = BatchSpec(notebook=briefing_with_cell(tmp_path / "briefing.ipynb", FAILING, at=1),
                     periods=["2020-Q1"], departments=["STNMT", "STP"], formats=["html"])
    spec.check()
    out = tmp_path / "out"
    results = {r.department: r for r in run_batch(spec, out, data=str(fixture_csv(tmp_path / "dossiers.csv")),
                                                  workers=1, progress=False, registry_path=registry)}
    type_error = "TypeError: '>' not supported between instances of 'NoneType' and 'int'"
    assert results["STNMT"].error == "ValueError: số liệu không hợp lệ"
    assert results["STP"].error == type_error
    manifest = {r["department"]: r for r in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]}
    assert (manifest["STNMT"]["error"], manifest["STP"]["error"]) == ("ValueError: số liệu không hợp lệ", type_error)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "ValueError: số liệu không hợp lệ" in index and "TypeError: &#39;&gt;&#39; not supported" in index
