"""The ``fields`` kind's content: one sentence per field of the unit with its dossiers received."""
from datetime import date

from parreport import fmt
from parreport.metrics import field_table
from parreport.reports.content import Column, Cover, Document, Paragraphs, Section
from parreport.reports.inputs import load_inputs

HEADLINE = [Column("fields", "Số lĩnh vực")]


def fields_document(department: str, period: str, data=None, registry=None) -> Document:
    inputs = load_inputs(period, data, registry=registry)
    unit = inputs.registry.get(department)
    table = field_table(inputs.dossiers, inputs.period, department)
    rows = table[table["field"] != "Tổng"]
    sentences = [f"Lĩnh vực {row.field}: tiếp nhận {fmt.number(row.received)} hồ sơ." for row in rows.itertuples()]
    label = inputs.period.label_vi
    cover = Cover(inputs.registry.province, unit.name, "Lĩnh vực giải quyết TTHC", label[:1].upper() + label[1:],
                  fmt.day(date.today()), f"{fmt.day(inputs.period.start)}–{fmt.day(inputs.period.end)}")
    return Document("fields", cover, [Section("fields", "Các lĩnh vực", [Paragraphs(sentences)])],
                    {"fields": len(rows)}, HEADLINE)
