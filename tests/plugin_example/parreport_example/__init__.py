"""A package outside parreport that adds a report kind (``fields``: a unit's fields with their counts) and an
output format (``txt``: the report's sentences as plain text), declared as entry points in its dist-info."""
from pathlib import Path

from parreport.render import OutputFormat
from parreport.reports.kinds import UNIT, ReportKind, latest_quarter

FIELDS = ReportKind("fields", "Lĩnh vực của các cơ quan, đơn vị", Path(__file__).with_name("fields.ipynb"),
                    "parreport_example.fields", "fields", UNIT, latest_quarter)
TEXT = OutputFormat("txt", ".txt", "parreport_example.text:write_text", "Văn bản")
