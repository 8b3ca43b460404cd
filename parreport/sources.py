"""Where a briefing's data comes from: a store file, export files, or the bundled demo province."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from parreport.errors import ConfigError, InputError
from parreport.paths import DEFAULT_REGISTRY, cache_dir
from parreport.registry import Registry
from parreport.store import IngestResult, Store

STORE_SUFFIX = ".duckdb"
DEMO_STORE_VERSION = "5"  # part of the cache key: bump when the demo store's layout changes
_DEMO_CODE = [Path(__file__).with_name(name) for name in ("demo.py", "registry.py")]  # part of the key (the demo
# uses the lineage of the registry to score units); demo.py is imported only to generate


def input_files(paths: list[str | Path]) -> list[Path]:
    """Expand folders into the export files they contain (sorted); keep files as given."""
    from parreport.ingest.read import SUPPORTED_SUFFIXES  # the readers, with pandas, only for files to read

    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(path, "no such file or folder")
    return files


def ingest_files(store: Store, paths: list[str | Path], registry: Registry) -> list[IngestResult]:
    """Ingest every export file under ``paths`` into ``store``."""
    return [store.ingest(path, registry) for path in input_files(paths)]


def open_store(data: str | Path | None = None, registry: Registry | None = None) -> Store:
    """A read-only view of the data: ``None`` → the demo store (bundled demo registry only, see
    :func:`demo_store`); a ``.duckdb`` file → that store; an export file or a folder of exports → an
    in-memory store holding them."""
    if data is None:
        return Store(demo_store(Path(registry.source) if registry else DEFAULT_REGISTRY), read_only=True)
    path = Path(data)
    if path.suffix == STORE_SUFFIX:
        return Store(path, read_only=True)
    store = Store(":memory:")
    ingest_files(store, [path], registry or Registry.load(DEFAULT_REGISTRY))
    return store


def is_demo_registry(registry_path: str | Path) -> bool:
    """Whether ``registry_path`` is the bundled demo registry (the same file, or a copy of it)."""
    path = Path(registry_path)
    if path.resolve() == DEFAULT_REGISTRY.resolve():
        return True
    return path.is_file() and path.read_bytes() == DEFAULT_REGISTRY.read_bytes()


def demo_store(registry_path: Path = DEFAULT_REGISTRY) -> Path:
    """The demo province's store, generated once and cached (keyed by the generator and the registry).

    Generated figures exist only for the bundled demo registry: for any other registry this is a
    :class:`ConfigError` (a real province's units must never get invented figures).
    """
    if not is_demo_registry(registry_path):
        raise ConfigError(
            f"no data given for the registry {registry_path}: generated demo figures exist only for the "
            f"bundled demo province ({DEFAULT_REGISTRY}); give your data with --data (a .duckdb store, "
            "an export file or a folder of exports) or 'data:' in the batch spec (data= in a notebook)")
    key = hashlib.sha256(DEMO_STORE_VERSION.encode() + b"".join(path.read_bytes() for path in _DEMO_CODE)
                         + registry_path.read_bytes()).hexdigest()[:12]
    target = cache_dir() / f"demo-{key}{STORE_SUFFIX}"
    if target.exists():
        return target
    from parreport import demo  # NumPy and pandas, to generate

    target.parent.mkdir(parents=True, exist_ok=True)
    registry = Registry.load(registry_path)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        files = demo.write_demo_data(Path(work) / "inputs", registry)
        building = Path(work) / target.name
        with Store(building) as store:
            ingest_files(store, files, registry)
            store.mark_sample_data()
        os.replace(building, target)
    return target
