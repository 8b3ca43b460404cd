"""Shared fixtures: a two-unit registry, a builder of dossier-record frames, and the briefing notebook with
one more cell."""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from parreport.paths import NOTEBOOKS_DIR
from parreport.registry import Registry

REGISTRY_YAML = """\
province: "Tỉnh Thử Nghiệm"
departments:
  - code: STNMT
    name: "Sở Tài nguyên và Môi trường"
    short_name: "Sở TN&MT"
    group: so_nganh
    fields: ["Đất đai", "Môi trường", "Tài nguyên nước"]
  - code: STP
    name: "Sở Tư pháp"
    short_name: "Sở Tư pháp"
    group: so_nganh
    fields: ["Lý lịch tư pháp", "Công chứng"]
  - code: "007"
    name: "Sở Ngoại vụ"
    short_name: "Sở Ngoại vụ"
    group: so_nganh
    fields: ["Lãnh sự"]
"""


def briefing_with_cell(path: Path, source: str, at: int | None = None) -> Path:
    """The briefing notebook with one more code cell, ``source``, at index ``at`` (else last), written to
    ``path``."""
    notebook = nbformat.read(NOTEBOOKS_DIR / "briefing.ipynb", as_version=4)
    notebook.cells.insert(len(notebook.cells) if at is None else at, nbformat.v4.new_code_cell(source))
    nbformat.write(notebook, path)
    return path


def briefing_with_an_image_that_never_loads(folder: Path, department: str) -> Path:
    """The briefing notebook, whose report for ``department`` shows an image from a named pipe that nothing
    writes (``folder/never.png``): loading it for the PDF never ends."""
    pipe = folder / "never.png"
    os.mkfifo(pipe)
    shows = (f'if department == "{department}":\n    from IPython.display import HTML, display\n'
             f'    display(HTML(\'<img src="{pipe.as_uri()}" alt="">\'))')
    return briefing_with_cell(folder / "briefing.ipynb", shows)


def write_registry(folder: Path, text: str = REGISTRY_YAML) -> Path:
    """A registry's YAML ``text`` written as ``folder/departments.yaml``."""
    path = folder / "departments.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def registry_file(tmp_path: Path) -> Path:
    """The test registry as a file (``tmp_path/departments.yaml``), for what takes a path."""
    return write_registry(tmp_path)


@pytest.fixture
def registry(registry_file: Path) -> Registry:
    return Registry.load(registry_file)


def records_frame(rows: list[dict]) -> pd.DataFrame:
    """Dossier records with the store's dtypes; dates as 'YYYY-MM-DD[ HH:MM]' strings, None = empty."""
    frame = pd.DataFrame(rows)
    defaults = {"department": "STNMT", "field": "Đất đai", "procedure": "Thủ tục", "channel": "online",
                "completed_at": None, "apology_issued": False, "digitized": False, "fee_required": False,
                "paid_online": False, "unsatisfied": False}
    for column, value in defaults.items():
        if column not in frame:
            frame[column] = value
        elif value is not None:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), value)
    if "dossier_id" not in frame:
        frame["dossier_id"] = [f"HS{i:06d}" for i in range(len(frame))]
    for column in ("received_at", "due_at", "completed_at"):
        frame[column] = pd.to_datetime(frame[column], format="ISO8601").astype("datetime64[us]")
    for column in ("apology_issued", "digitized", "fee_required", "paid_online", "unsatisfied"):
        frame[column] = frame[column].astype("boolean")
    return frame


@pytest.fixture(scope="session")
def briefing_source(tmp_path_factory):
    """The briefing notebook executed by papermill for STNMT, quý II năm 2020, on the end-to-end fixture
    (figures worked out in tests/test_end_to_end.py), as every renderer receives it. Executed once per run."""
    import nbformat
    import papermill

    from parreport.paths import NOTEBOOKS_DIR
    from parreport.render import RenderSource
    from tests.test_end_to_end import fixture_csv

    root = tmp_path_factory.mktemp("briefing")
    registry = root / "departments.yaml"
    registry.write_text(REGISTRY_YAML, encoding="utf-8")
    executed = root / "briefing.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "briefing.ipynb"), str(executed), kernel_name="python3", cwd=str(NOTEBOOKS_DIR),
        progress_bar=False, parameters={"department": "STNMT", "period": "2020-Q2",
                                        "data": str(fixture_csv(root / "dossiers.csv")), "registry": str(registry)})
    return RenderSource(nbformat.read(executed, as_version=4), "STNMT quý II năm 2020", root)
