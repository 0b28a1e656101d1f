"""CODEBOOK.md: every released table and column, described by its pandera schema (the schemas are the codebook)."""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from schemas import TABLES, schema_for

CODEBOOK = "CODEBOOK.md"

# pandera check names -> how a reader says them; anything else is shown as pandera prints it.
_CHECK_WORDS = {
    "greater_than_or_equal_to": ">= {min_value}",
    "greater_than": "> {min_value}",
    "less_than_or_equal_to": "<= {max_value}",
    "less_than": "< {max_value}",
    "in_range": "between {min_value} and {max_value}",
    "equal_to": "= {value}",
    "str_matches": "matches {pattern}",
}


@dataclass(frozen=True)
class Column:
    name: str
    arrow_type: str          # the Parquet/Arrow type as released
    dtype: str               # the pandera dtype ("" when the schema does not list the column)
    nullable: bool
    unique: bool
    allowed: list | None     # the isin vocabulary, if any
    constraints: list[str]   # other checks, in words
    description: str
    pattern: str | None = None  # the str_matches regular expression, if any


def table_description(table: str) -> str:
    """The schema module's docstring without its 'table:' lead-in."""
    if table not in TABLES:
        return ""
    doc = importlib.import_module(TABLES[table].partition(":")[0]).__doc__ or ""
    first = doc.strip().split("\n\n")[0].replace("\n", " ")
    return first.split(":", 1)[1].strip() if first.startswith(f"{table}:") else first


def table_checks(table: str) -> list[str]:
    """Row-level rules over several columns (e.g. start <= end), as described in the schema."""
    if table not in TABLES:
        return []
    return [c.description or c.error or c.name for c in schema_for(table).to_schema().checks]


def unique_together(table: str) -> list[str]:
    """Columns that together identify a row (the schema's Config.unique), if any."""
    unique = schema_for(table).to_schema().unique if table in TABLES else None
    return [unique] if isinstance(unique, str) else list(unique or [])


def _constraint(check) -> str | None:
    stats = check.statistics or {}
    if check.name == "isin":
        return None
    if check.name == "str_length":
        low, high = stats.get("min_value"), stats.get("max_value")
        return f"length >= {low}" if high is None else f"length {low}..{high}"
    words = _CHECK_WORDS.get(check.name)
    return words.format(**stats) if words else (check.error or check.name)


def columns(table: str, arrow_types: dict[str, str]) -> list[Column]:
    """The released columns, in the schema's order then any others, annotated from the table's schema."""
    schema = schema_for(table).to_schema() if table in TABLES else None
    order = [n for n in (schema.columns if schema is not None else []) if n in arrow_types]
    out = []
    for name in order + sorted(set(arrow_types) - set(order)):
        arrow_type = arrow_types[name]
        col = schema.columns.get(name) if schema is not None else None
        if col is None:
            out.append(Column(name, arrow_type, "", True, False, None, [], "(not described by the schema)"))
            continue
        allowed = next((c.statistics["allowed_values"] for c in col.checks if c.name == "isin"), None)
        constraints = [text for c in col.checks if (text := _constraint(c))]
        pattern = next((str(c.statistics["pattern"]) for c in col.checks if c.name == "str_matches"), None)
        out.append(Column(name, arrow_type, str(col.dtype), bool(col.nullable), bool(col.unique),
                          list(allowed) if allowed is not None else None, constraints, col.description or "",
                          pattern))
    return out


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(manifest: dict) -> str:
    tables = manifest["tables"]
    lines = [f"# Parley codebook — release {manifest['version']}", "",
             "Generated from the pandera schemas in `schemas/` (one `DataFrameModel` per table), the same "
             "schemas that validate every table before it is released. Offsets (`start`, `end`) are 0-based "
             "character offsets into `articles.text`: the evidence is `substr(text, start + 1, end - start)`.",
             "", "| table | rows | description |", "|---|---:|---|"]
    lines += [f"| [{name}](#{name}) | {t['rows']} | {_cell(table_description(name))} |" for name, t in tables.items()]
    for name, t in tables.items():
        lines += ["", f"## {name}", "", table_description(name) or "(no description)", "",
                  f"File `{t['file']}`, {t['rows']} rows."]
        rules = table_checks(name)
        if rules:
            lines += ["", "Row rules: " + "; ".join(rules) + "."]
        if together := unique_together(name):
            lines += ["", "Unique together: " + ", ".join(f"`{c}`" for c in together) + "."]
        lines += ["", "| column | type | nullable | unique | allowed values / constraints | description |",
                  "|---|---|---|---|---|---|"]
        for c in columns(name, t["columns"]):
            allowed = ", ".join(f"`{v}`" for v in c.allowed) if c.allowed is not None else ""
            rules = "; ".join([allowed] * bool(allowed) + c.constraints)
            lines.append(f"| `{c.name}` | {c.arrow_type} | {'yes' if c.nullable else 'no'} | "
                         f"{'yes' if c.unique else ''} | {_cell(rules)} | {_cell(c.description)} |")
    return "\n".join(lines) + "\n"
