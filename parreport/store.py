"""The embedded DuckDB store: every ingested row with its source, and the latest version of each.

For each input kind (see :data:`parreport.ingest.schema.SCHEMAS`) the store keeps a table
``<kind>_versions`` with every row ever ingested (its ``ingest_id`` and ``source_row``) and a view
``<kind>`` with the current version of each key (a dossier, a Biểu 06 cell row, a score). The current
version is the one from the *latest export*: the file whose dates reach furthest (``as_of``, the latest
date it contains), then the file ingested last. So re-ingesting the same or an overlapping export never
counts a dossier twice, and ingesting an older export after a newer one does not roll data back.
A file already ingested (same SHA-256) is skipped.

Reading a table, the sample-data mark, or the store through a query of one's own (:meth:`Store.sql`,
:attr:`Store.con`) is recorded as a read of the running report (:mod:`parreport.reads`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from parreport import reads
from parreport.errors import ParreportError
from parreport.ingest.schema import BOOL, DATETIME, FLOAT, INT, SCHEMAS, TableSchema
from parreport.registry import Registry

if TYPE_CHECKING:  # a store opens without pandas: a batch with nothing to rebuild only asks it questions
    import pandas as pd

    from parreport.ingest.table import Table

_SQL_TYPES = {DATETIME: "TIMESTAMP", BOOL: "BOOLEAN", INT: "BIGINT", FLOAT: "DOUBLE"}
SCHEMA_VERSION = 1
SNAPSHOT_KINDS = ("scores_766",)  # inputs whose source revises them: each file is a dated snapshot
_EVENT_COLUMNS = ("received_at", "completed_at", "as_of")  # the dates that tell how recent a file is
AS_OF_COLUMN, AS_OF_FILE = "column", "file"  # where a snapshot's date came from


@dataclass(frozen=True)
class IngestResult:
    source: str
    kind: str
    rows: int
    skipped: bool  # the same file content was ingested before
    discrepancies: tuple[str, ...] = ()


class Store:
    """A DuckDB database file holding a province's inputs. Use as a context manager."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise ParreportError(f"{self.path}: no such store; create it with 'parreport ingest FILE --store {path}'")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise ParreportError(f"{self.path}: cannot open the store: {exc}") from None
        if not read_only:
            self._create()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection, for queries of one's own: a report that uses it has read the whole store."""
        reads.record("store")
        return self._con

    def _create(self) -> None:
        self._con.execute("""
            CREATE TABLE IF NOT EXISTS ingests (
                ingest_id INTEGER PRIMARY KEY, kind VARCHAR, source_file VARCHAR, sha256 VARCHAR UNIQUE,
                rows BIGINT, as_of TIMESTAMP, ingested_at TIMESTAMP)""")
        self._con.execute("ALTER TABLE ingests ADD COLUMN IF NOT EXISTS as_of_from VARCHAR")  # AS_OF_COLUMN, …
        self._con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        self._con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        for schema in SCHEMAS.values():
            columns = ", ".join(f'"{c.name}" {_SQL_TYPES.get(c.type, "VARCHAR")}' for c in schema.columns)
            self._con.execute(
                f"CREATE TABLE IF NOT EXISTS {schema.kind}_versions "
                f"(ingest_id INTEGER, source_row BIGINT, {columns})")
            for column in schema.columns:  # a store made before a column was added to its schema
                self._con.execute(f'ALTER TABLE {schema.kind}_versions ADD COLUMN IF NOT EXISTS "{column.name}" '
                                 f'{_SQL_TYPES.get(column.type, "VARCHAR")}')
            keys = ", ".join(f'v."{k}"' for k in schema.key)
            self._con.execute(f"""
                CREATE OR REPLACE VIEW {schema.kind} AS
                SELECT v.* EXCLUDE (ingest_id, source_row), i.source_file, v.source_row
                FROM {schema.kind}_versions v JOIN ingests i USING (ingest_id)
                QUALIFY row_number() OVER (
                    PARTITION BY {keys} ORDER BY i.as_of DESC NULLS LAST, v.ingest_id DESC, v.source_row DESC) = 1""")

    def ingest(self, path: str | Path, registry: Registry, kind: str | None = None) -> IngestResult:
        """Read, validate and store one export file (all of it or nothing)."""
        from parreport.ingest.table import read_table  # the readers and pandas, only to read a file

        return self.add(read_table(path, registry, kind))

    def add(self, table: Table) -> IngestResult:
        """Store the validated rows of one file (all or nothing); a file stored before is skipped."""
        kind, source, sha256 = table.kind, table.source, table.sha256
        schema = SCHEMAS[kind]
        found = tuple(table.discrepancies)
        if self._con.execute("SELECT 1 FROM ingests WHERE sha256 = ?", [sha256]).fetchone():
            return IngestResult(str(source), kind, len(table.frame), skipped=True, discrepancies=found)
        rows = table.frame[["source_row", *schema.names]]
        self._con.execute("BEGIN TRANSACTION")
        try:
            self._con.register("incoming", rows)
            ingest_id = self._con.execute("SELECT coalesce(max(ingest_id), 0) + 1 FROM ingests").fetchone()[0]
            as_of, as_of_from = self._as_of(schema), AS_OF_COLUMN
            if as_of is None and kind in SNAPSHOT_KINDS:  # a snapshot without its date: the file's own
                as_of, as_of_from = _file_date(Path(source)), AS_OF_FILE
            self._con.execute(
                "INSERT INTO ingests VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [ingest_id, kind, str(source), sha256, len(rows), as_of, datetime.now(), as_of_from])
            names = ", ".join(f'"{n}"' for n in ["source_row", *schema.names])
            self._con.execute(f"INSERT INTO {kind}_versions (ingest_id, {names}) SELECT ?, {names} FROM incoming",
                             [ingest_id])
            self._con.unregister("incoming")
            self._con.execute("COMMIT")
        except Exception:
            self._con.execute("ROLLBACK")
            raise
        return IngestResult(str(source), kind, len(rows), skipped=False, discrepancies=found)

    def table(self, kind: str) -> pd.DataFrame:
        """The current version of every row of ``kind`` (with ``source_file`` and ``source_row``)."""
        if kind not in SCHEMAS:
            raise ParreportError(f"unknown table {kind!r}; expected one of {', '.join(SCHEMAS)}")
        reads.record("table", kind)
        return _typed(self._con.execute(f"SELECT * FROM {kind}").df(), SCHEMAS[kind])

    def sql(self, query: str, params: list | None = None) -> pd.DataFrame:
        """Run a SQL query against the store (tables and views listed in the module docstring)."""
        reads.record("store")
        return self._con.execute(query, params or []).df()

    def ingests(self) -> pd.DataFrame:
        """The ingest log: one row per file stored."""
        return self._con.execute("SELECT * FROM ingests ORDER BY ingest_id").df()

    @property
    def sample_data(self) -> bool:
        """Whether the store holds generated demo data (see :func:`mark_sample_data`)."""
        reads.record("meta", "sample_data")
        row = self._con.execute("SELECT value FROM meta WHERE key = 'sample_data'").fetchone()
        return bool(row) and row[0] == "true"

    def mark_sample_data(self) -> None:
        """Record that this store holds generated demo data: every report from it says "Dữ liệu mẫu"."""
        self._con.execute("INSERT OR REPLACE INTO meta VALUES ('sample_data', 'true')")

    def _as_of(self, schema: TableSchema) -> datetime | None:
        """The latest event (reception, completion) of the file being stored as ``incoming``: how recent
        the export is (None: it records no date)."""
        events = [f'max("{c.name}")' for c in schema.columns if c.name in _EVENT_COLUMNS]
        if not events:
            return None
        return self._con.execute(f"SELECT greatest({', '.join(events)}) FROM incoming").fetchone()[0]

    def latest_event(self, kind: str) -> datetime | None:
        """The latest reception or completion date that a current row of ``kind`` records (None: no date).

        It is the furthest ``as_of`` of that kind's files, read from the ingest log instead of a pass over
        every row: a file whose ``as_of`` is furthest (the last ingested of them) supplies the current version
        of each of its rows, so the row holding that date is current, and no row of any file is later."""
        return self._con.execute("SELECT max(as_of) FROM ingests WHERE kind = ?", [kind]).fetchone()[0]

    def periods(self, kind: str) -> list[str]:
        """The period codes (``period`` column) of the current rows of ``kind`` (``counts``, ``scores_766``),
        sorted; the year of each row for the yearly tables (``par_index``, ``sipas``)."""
        if kind not in SCHEMAS:
            raise ParreportError(f"unknown table {kind!r}; expected one of {', '.join(SCHEMAS)}")
        column = "period" if "period" in SCHEMAS[kind].names else "CAST(year AS VARCHAR)"
        return [code for code, in self._con.execute(f"SELECT DISTINCT {column} FROM {kind} ORDER BY 1").fetchall()]

    def snapshots(self, kind: str = "scores_766") -> pd.DataFrame:
        """Every version of every row of ``kind`` (a source that revises its figures, as the dashboard does
        its running quarter's 766 scores), each with its snapshot's date (``snapshot``: the file's ``as_of``
        column, else the file's own date) and where that date came from (``snapshot_from``: ``column`` or
        ``file``). The current rows (:meth:`table`) are the latest snapshot's."""
        reads.record("table", kind)
        known = {name for name, in self._con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'ingests'").fetchall()}
        source = "i.as_of_from" if "as_of_from" in known else "NULL"  # a store made before it was recorded
        frame = self._con.execute(
            f"SELECT v.* EXCLUDE (ingest_id), i.as_of AS snapshot, {source} AS snapshot_from, i.source_file "
            f"FROM {kind}_versions v JOIN ingests i USING (ingest_id)").df()
        return _typed(frame, SCHEMAS[kind])

    def kind_digest(self, kind: str) -> str:
        """A digest of the files of ``kind`` the store holds: equal digests mean an equal ``kind`` table."""
        return self._files_digest("WHERE kind = ?", [kind])

    def fingerprint(self) -> str:
        """A digest of every file the store holds: equal fingerprints mean equal inputs."""
        return self._files_digest()

    def _files_digest(self, where: str = "", params: list | None = None) -> str:
        """A digest of the files of the ingest log ``where`` says (all of them by default)."""
        digest = self._con.execute(f"SELECT md5(string_agg(sha256, ',' ORDER BY sha256)) FROM ingests {where}",
                                   params or []).fetchone()[0]
        return digest or "empty"


def _typed(frame: pd.DataFrame, schema: TableSchema) -> pd.DataFrame:
    """Give columns read back from DuckDB the nullable dtypes ingest produces."""
    for column in schema.columns:
        if column.type == BOOL:
            frame[column.name] = frame[column.name].astype("boolean")
        elif column.type == INT:
            frame[column.name] = frame[column.name].astype("Int64")
        elif column.type == FLOAT:
            frame[column.name] = frame[column.name].astype("Float64")
    return frame


def _file_date(path: Path) -> datetime:
    """When the file was last written (now, for a table that comes from no file on disk)."""
    return datetime.fromtimestamp(path.stat().st_mtime) if path.is_file() else datetime.now()
