"""Where parreport finds its templates, parameters and notebooks, and where it caches demo data."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = REPO_ROOT / "templates"
PARAMS_DIR = REPO_ROOT / "params"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
DEFAULT_REGISTRY = PARAMS_DIR / "departments.yaml"


def cache_dir() -> Path:
    """``$PARREPORT_CACHE``, or ``~/.cache/parreport``."""
    return Path(os.environ.get("PARREPORT_CACHE") or Path.home() / ".cache" / "parreport")
