"""Generated figures are unmistakable: they exist only for the bundled demo registry, and every page of a
report made from them says "Dữ liệu mẫu" (cover and running header)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest
from pypdf import PdfReader

from parreport.errors import ConfigError
from parreport.paths import DEFAULT_REGISTRY, NOTEBOOKS_DIR
from parreport.registry import Registry
from parreport.render.html import notebook_to_html
from parreport.render.pdf import html_to_pdf
from parreport.reports.briefing import load_briefing
from parreport.sources import demo_store, is_demo_registry, open_store

PARREPORT = str(Path(sys.executable).with_name("parreport"))


def test_run_without_data_for_another_registry_stops_and_writes_nothing(tmp_path, registry_file):
    """A new user's own registry and no --data: exit code 2, a message saying why, no report at all."""
    done = subprocess.run([PARREPORT, "--registry", str(registry_file), "run", "--out", "out", "--no-progress"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "generated demo figures exist only for the bundled demo province" in done.stderr
    assert "--data" in done.stderr and str(registry_file) in done.stderr
    assert not (tmp_path / "out").exists()


def test_no_demo_store_and_no_briefing_for_another_registry(registry_file):
    with pytest.raises(ConfigError, match="generated demo figures exist only"):
        demo_store(registry_file)
    with pytest.raises(ConfigError, match="generated demo figures exist only"):
        open_store(None, Registry.load(registry_file))
    with pytest.raises(ConfigError, match="generated demo figures exist only"):
        load_briefing("STP", "2024-Q3", registry=registry_file)


def test_the_demo_registry_is_recognised_by_path_or_content(tmp_path):
    copy = tmp_path / "departments.yaml"
    shutil.copyfile(DEFAULT_REGISTRY, copy)
    assert is_demo_registry(DEFAULT_REGISTRY) and is_demo_registry(copy)
    assert is_demo_registry(DEFAULT_REGISTRY.parent / ".." / "params" / "departments.yaml")
    copy.write_text(DEFAULT_REGISTRY.read_text(encoding="utf-8").replace("Bình Sơn", "Bình Định"), encoding="utf-8")
    assert not is_demo_registry(copy)
    with open_store(None, Registry.load(DEFAULT_REGISTRY)) as store:
        assert store.sample_data


@pytest.mark.e2e
def test_every_page_of_a_demo_pdf_says_sample_data(tmp_path):
    """The demo briefing runs as a user would run it (papermill, no data), then nbconvert and WeasyPrint:
    "Dữ liệu mẫu" is on the cover and in the running header of every page, the first included."""
    executed = tmp_path / "briefing.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS_DIR / "briefing.ipynb"), str(executed), cwd=str(NOTEBOOKS_DIR),
                               parameters={"department": "SKHDT", "period": "2024-Q3"}, progress_bar=False)
    html = notebook_to_html(nbformat.read(executed, as_version=4), title="SKHDT 2024-Q3")
    pages = [page.extract_text() for page in PdfReader(html_to_pdf(html, tmp_path / "briefing.pdf")).pages]
    assert len(pages) >= 2
    assert all("Dữ liệu mẫu" in page for page in pages)
    assert "Dữ liệu mẫu – số liệu do phần mềm tạo ra để minh họa" in pages[0]  # the cover's own label
    assert pages[0].count("Dữ liệu mẫu") == 2  # and the first page's header
