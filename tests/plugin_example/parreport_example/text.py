"""The ``txt`` format: a report's cover lines and sentences as plain UTF-8 text."""
from pathlib import Path

from parreport.reports.content import Paragraphs


def write_text(source, target: Path) -> None:
    document = source.document
    lines = [document.cover.unit, document.cover.period]
    for section in document.sections:
        lines.append(f"{section.number}. {section.title}")
        lines += [text for block in section.blocks if isinstance(block, Paragraphs) for text in block.texts]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
