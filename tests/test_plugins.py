"""A report kind and an output format registered from another package through entry points
(tests/plugin_example: its dist-info declares ``fields`` under ``parreport.kinds`` and ``txt`` under
``parreport.formats``), run through the real command with that package on the path.

Fixture: tests/test_end_to_end.py. STNMT in quý I năm 2020, counted as Biểu 06 does (received = carried over +
new): Đất đai 15 carried over from December 2019 + 1.840 new = 1.855; Môi trường 71 new; its registry's
third field, Tài nguyên nước, none: 3 fields.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REGISTRY_YAML
from tests.test_end_to_end import fixture_csv

pytestmark = pytest.mark.e2e

PARREPORT = str(Path(sys.executable).with_name("parreport"))
PLUGIN = Path(__file__).with_name("plugin_example")


def test_a_kind_and_a_format_from_another_package(tmp_path):
    registry = tmp_path / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PLUGIN), os.environ.get("PYTHONPATH")]))}
    spec = tmp_path / "fields.yaml"  # the bundled specs set targets, which this kind's notebook does not take
    spec.write_text("reports: [fields]\nformats: [txt, html]\n", encoding="utf-8")
    done = subprocess.run([PARREPORT, "--registry", str(registry), "run", str(spec), "--department", "STNMT",
                           "--period", "2020-Q1", "--data",
                           str(fixture_csv(tmp_path / "dossiers.csv")), "--out", str(tmp_path / "out"),
                           "--no-progress"], capture_output=True, text=True, timeout=300, env=environment)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "out" / "2020-Q1" / "STNMT" / "fields.txt").read_text(encoding="utf-8").splitlines()
    assert text[:3] == ["Sở Tài nguyên và Môi trường", "Quý I năm 2020", "1. Các lĩnh vực"]
    assert text[3:] == ["Lĩnh vực Đất đai: tiếp nhận 1.855 hồ sơ.", "Lĩnh vực Môi trường: tiếp nhận 71 hồ sơ.",
                        "Lĩnh vực Tài nguyên nước: tiếp nhận 0 hồ sơ."]
    [entry] = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert entry["kind"] == "fields" and entry["headline"] == {"fields": 3}
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Lĩnh vực của các cơ quan, đơn vị" in index and "<th>Số lĩnh vực</th>" in index
    assert 'href="2020-Q1/STNMT/fields.txt">Văn bản</a>' in index
    without = subprocess.run([PARREPORT, "run", "--report", "fields"], capture_output=True, text=True, timeout=120)
    assert without.returncode == 2 and "unknown report kind fields" in without.stderr
