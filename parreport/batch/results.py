"""What became of each report of a batch: the record the runner makes, the manifest keeps and reuse reads."""
from __future__ import annotations

import traceback
from dataclasses import asdict, dataclass, field

from parreport.errors import ParreportError

OK, NO_DATA, FAILED = "ok", "no_data", "failed"


@dataclass
class JobResult:
    kind: str
    department: str
    period: str
    stem: str
    status: str  # OK, NO_DATA or FAILED
    parameters: dict
    outputs: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    headline: dict = field(default_factory=dict)
    headline_columns: list[dict] = field(default_factory=list)  # key, label, format: how the index shows them
    error: str | None = None
    format_errors: dict[str, str] = field(default_factory=dict)  # format → why its file could not be made
    reads: list[list[str]] | None = None  # what the report read (parreport.reads), for reuse
    key: str | None = None  # digest of the inputs (see parreport.batch.reuse)
    reused: bool = False  # the files of an earlier run with the same key were kept

    @property
    def name(self) -> str:
        """As :attr:`Job.name`: ``period/department/stem``."""
        return f"{self.period}/{self.department}/{self.stem}"

    def to_dict(self) -> dict:
        return asdict(self)


def describe(exc: BaseException) -> str:
    """The user-facing reason: for a notebook error (papermill's, which names it), the exception raised
    inside the kernel; for one of our own errors, its message."""
    if type(exc).__name__ == "PapermillExecutionError":  # without importing papermill here
        return f"{exc.ename}: {exc.evalue}"
    if isinstance(exc, ParreportError):
        return str(exc)
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()
