"""datapackage.json: a Frictionless Data Package (v2) descriptor of the release's Parquet tables.

It must pass the reference validator (`frictionless validate datapackage.json`, with frictionless' Parquet reader)
while telling the truth about each column. That reader hands cells over through pandas, which shapes three rules:
- fields are listed in the Parquet file's column order (the reader checks header labels by position);
- a list column (Parquet list<string>) is declared `any`, since the reader yields NumPy arrays, which Table
  Schema's `array` and `list` types refuse; the field says it is a list in `description` and `parquetType`;
- a nullable integer or number column reaches the validator as NaN where Parquet holds null, so those fields
  count "nan" (besides "") as missing: a numeric cell can never hold that text itself.
The file's size and sha256 are in `parquet` (and SHA256SUMS), not in `bytes`/`hash`, which the reader cannot
check for a Parquet file.
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.publish.codebook import columns, table_description, unique_together
from pipeline.publish.keys import ID_COLUMNS, references

DATAPACKAGE = "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def field_type(arrow_type: str) -> str:
    """Arrow type (as str(pa.DataType)) -> Table Schema field type."""
    if arrow_type.startswith(("list", "large_list")):
        return "array"
    if arrow_type.startswith(("int", "uint")):
        return "integer"
    if arrow_type.startswith(("double", "float", "halffloat", "decimal")):
        return "number"
    if arrow_type == "bool":
        return "boolean"
    if arrow_type.startswith("date"):
        return "date"
    if arrow_type.startswith("timestamp"):
        return "datetime"
    if arrow_type in ("string", "large_string"):
        return "string"
    return "any"


def _field(c, csv: bool = False) -> dict:
    """A Table Schema field. In a CSV file a list is a JSON array, which `array` reads; see the module's notes."""
    type_ = field_type(c.arrow_type)
    listed = type_ != "array" or "list" in c.description.lower()[:12]
    description = c.description if listed else f"List of strings. {c.description}"
    if type_ == "array" and csv:
        description += " In CSV: a JSON array of strings."
    field = {"name": c.name, "type": "any" if type_ == "array" and not csv else type_, "description": description,
             "parquetType": c.arrow_type}
    if type_ in ("integer", "number") and not csv:
        field["missingValues"] = ["", "nan"]
    constraints = {"required": not c.nullable}
    if c.unique:
        constraints["unique"] = True
    if c.allowed is not None:
        constraints["enum"] = list(c.allowed)
    if c.pattern is not None:
        constraints["pattern"] = c.pattern
    return {**field, "constraints": constraints}


def _primary_key(table: str, fields: list[dict]) -> list[str]:
    names = {f["name"] for f in fields}
    key = ID_COLUMNS.get(table)
    if key in names and any(f["name"] == key and f["constraints"].get("unique") for f in fields):
        return [key]
    return [c for c in unique_together(table) if c in names]


def _schema(table: str, names: dict, tables: dict, csv: bool = False) -> dict:
    described = {c.name: c for c in columns(table, names)}
    fields = [_field(described[name], csv) for name in names]  # the file's column order
    schema = {"fields": fields}
    if primary := _primary_key(table, fields):
        schema["primaryKey"] = primary
    # Table Schema foreign keys are scalar: list-valued references (article_ids, ...) are left to the checks.
    scalar = {f["name"] for f in fields if f["type"] not in ("any", "array")}
    # A self-reference (articles.duplicate_of) names no resource, as Table Schema asks.
    foreign = [{"fields": [column], "reference": {**({"resource": parent} if parent != table else {}), "fields": [key]}}
               for column, (parent, key) in references(table, scalar, tables).items()]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def resource(table: str, entry: dict, tables: dict) -> dict:
    return {"name": table, "type": "table", "path": entry["file"], "scheme": "file", "format": "parquet",
            "mediatype": "application/vnd.apache.parquet", "description": table_description(table),
            "parquet": {"sha256": entry["sha256"]}, "schema": _schema(table, entry["columns"], tables)}


def _package(manifest: dict, license_: dict, resources: list[dict]) -> str:
    package = {
        "$schema": PROFILE, "name": "parley", "version": manifest["version"],
        "title": "Parley: peace negotiations in the news",
        "description": "Who met where and when, who said what, what each side demanded, offered or refused, and "
                       "what each round produced, extracted from news articles; every row traceable to its "
                       "evidence span in articles.text.",
        "created": manifest["created_at"], "licenses": [license_],
        "contributors": [{"title": "Parley contributors", "roles": ["creator"]}],
        "keywords": ["peace negotiations", "news", "event data", "text as data"],
        "resources": resources,
    }
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def render(manifest: dict, license_: dict, sizes: dict[str, int]) -> str:
    tables = manifest["tables"]
    resources = [resource(name, entry, tables) for name, entry in tables.items()]
    for r, entry in zip(resources, tables.values()):
        r["parquet"]["bytes"] = sizes[entry["file"]]
    return _package(manifest, license_, resources)


def render_csv(manifest: dict, columns_of: dict[str, dict], stats: dict[str, tuple[int, str]], license_: dict) -> str:
    """The descriptor of a CSV export (publish/csv_export.py): `columns_of` table -> {column: Arrow type} in the
    file's order, `stats` table -> (bytes, sha256) of its CSV file, which the CSV reader checks."""
    tables = {name: manifest["tables"][name] for name in columns_of}
    resources = [{"name": name, "type": "table", "path": f"{name}.csv", "scheme": "file", "format": "csv",
                  "mediatype": "text/csv", "encoding": "utf-8", "bytes": stats[name][0],
                  "hash": f"sha256:{stats[name][1]}", "description": table_description(name),
                  "dialect": {"header": True, "delimiter": ",", "quoteChar": '"'},
                  "schema": _schema(name, names, tables, csv=True)}
                 for name, names in columns_of.items()]
    return _package(manifest, license_, resources)


def write(folder: Path, manifest: dict, license_: dict) -> Path:
    sizes = {e["file"]: (folder / e["file"]).stat().st_size for e in manifest["tables"].values()}
    path = folder / DATAPACKAGE
    path.write_text(render(manifest, license_, sizes), encoding="utf-8")
    return path
