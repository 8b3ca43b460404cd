"""docs/data.md and parreport/ingest/schema.py describe the same columns: each table's section lists
exactly the schema's columns, with the same required flag and every Vietnamese alias; and nothing in
parreport points to a docs/data.md outside the repository."""
from __future__ import annotations

import re

import pytest

from parreport.ingest.schema import SCHEMAS
from parreport.paths import REPO_ROOT

DOC = (REPO_ROOT / "docs" / "data.md").read_text(encoding="utf-8")


def section_of(kind: str) -> str:
    """The ``### 2.x`` section that says ``Table `kind```."""
    sections = re.split(r"^### ", DOC, flags=re.MULTILINE)
    found = [s for s in sections if f"Table `{kind}`" in s]
    assert len(found) == 1, f"docs/data.md has {len(found)} sections for table {kind}"
    return found[0]


def column_rows(section: str) -> dict[str, list[str]]:
    """Rows of the section's column table: name → cells (type, required, aliases)."""
    rows = {}
    for line in section.splitlines():
        match = re.match(r"^\| `(\w+)` \|(.*)\|\s*$", line)
        if match:
            rows[match[1]] = [cell.strip() for cell in match[2].split("|")]
    return rows


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_every_schema_column_and_alias_is_documented(kind):
    schema = SCHEMAS[kind]
    rows = column_rows(section_of(kind))
    assert list(rows) == schema.names  # same columns, same order, none invented
    for column in schema.columns:
        _type, required, aliases = rows[column.name]
        assert required == ("yes" if column.required else "no"), column.name
        for alias in column.aliases:
            assert alias in aliases, f"{kind}.{column.name}: alias {alias!r} not in docs/data.md"


def test_the_doc_section_number_in_each_schema_description_is_that_tables_section():
    """A schema's description cites "docs/data.md §2.x": the section that documents it."""
    for kind, schema in SCHEMAS.items():
        number = re.search(r"docs/data\.md §(2\.\d)", schema.description)
        assert number, schema.description
        assert section_of(kind).startswith(number[1] + " ")


def test_no_pointer_to_a_data_md_outside_the_repository():
    offenders = [f"{path.relative_to(REPO_ROOT)}:{number}"
                 for folder in ("parreport", "templates", "notebooks")
                 for path in sorted((REPO_ROOT / folder).rglob("*")) if path.is_file()
                 and path.suffix in (".py", ".j2", ".ipynb", ".yaml", ".css", ".html")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if "DATA.md" in line]
    assert offenders == []
