"""Issue 16.1 and 16.7: a release passes the reference data-package validator, and every released column is in its
pandera model with a description and the type the model fixes (never one inferred from the rows at hand)."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.publish.arrow import conform, fixed_types, released_schema, to_arrow
from pipeline.publish.release import latest_path
from schemas import TABLES, schema_for

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def _validate(descriptor: Path) -> subprocess.CompletedProcess:
    command = [str(FRICTIONLESS)] if FRICTIONLESS.exists() else [sys.executable, "-m", "frictionless"]
    return subprocess.run([*command, "validate", "--json", descriptor.name], cwd=descriptor.parent,
                          capture_output=True, text=True, timeout=600)


def test_frictionless_validate_passes_on_a_built_release(built_seeds):
    release = latest_path(built_seeds)
    done = _validate(release / "datapackage.json")
    report = json.loads(done.stdout)
    errors = [e["message"] for task in report["tasks"] for e in task["errors"]] + [e["message"] for e in report["errors"]]
    assert done.returncode == 0 and report["valid"], errors[:10]
    assert len(report["tasks"]) == len(TABLES)


def test_the_data_package_still_tells_the_truth(built_seeds):
    release = latest_path(built_seeds)
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    for name, resource in resources.items():
        model = schema_for(name).to_schema()
        for field in resource["schema"]["fields"]:
            column = model.columns[field["name"]]
            assert field["constraints"]["required"] is not bool(column.nullable), (name, field["name"])
            assert field["description"], (name, field["name"])
    fields = {f["name"]: f for f in resources["articles"]["schema"]["fields"]}
    actor_fields = {f["name"]: f for f in resources["actors"]["schema"]["fields"]}
    assert actor_fields["actor_type"]["constraints"]["enum"] == ["person", "organization", "state", "media", "group"]
    assert fields["language"]["constraints"]["pattern"] == "^(?:[a-z]{2,3})$"
    assert fields["published_date"]["type"] == "date" and fields["word_count"]["type"] == "integer"
    assert fields["removed_lines"]["type"] == "any" and fields["removed_lines"]["parquetType"].startswith("list<")
    assert {"fields": ["article_id"], "reference": {"resource": "articles", "fields": ["article_id"]}} in \
        resources["positions"]["schema"]["foreignKeys"]


@pytest.mark.parametrize("table, column, bad", [("actors", "actor_type", "xx"), ("articles", "language", "EN-us")])
def test_the_validator_still_catches_a_broken_release(built_seeds, tmp_path, table, column, bad):
    """The descriptor is not made to pass by saying nothing: a value outside a vocabulary fails it."""
    copy = tmp_path / "release"
    shutil.copytree(latest_path(built_seeds), copy)
    data = pq.read_table(copy / f"{table}.parquet")
    values = pa.array([bad] * data.num_rows, pa.string())
    pq.write_table(data.set_column(data.schema.get_field_index(column), column, values), copy / f"{table}.parquet")
    assert _validate(copy / "datapackage.json").returncode != 0


def test_every_released_column_is_described_and_typed_by_its_schema(built_seeds):
    release = latest_path(built_seeds)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["tables"]) == set(TABLES)
    for name in TABLES:  # the model fixes every column's type (dates and lists name theirs in metadata["arrow"])
        assert None not in fixed_types(name).values(), (name, fixed_types(name))
    for name, entry in manifest["tables"].items():
        schema = pq.read_schema(release / entry["file"])
        model = schema_for(name).to_schema()
        assert schema.names == list(model.columns), name
        assert schema.equals(released_schema(name)), name
        for column in schema.names:
            assert model.columns[column].description, (name, column)
    codebook = (release / "CODEBOOK.md").read_text(encoding="utf-8")
    assert "not described by the schema" not in codebook
    round_mentions = pq.read_schema(release / "round_mentions.parquet")
    assert {round_mentions.field(c).type for c in ("year", "month", "day")} == {pa.int64()}
    assert round_mentions.field("date_start").type == pa.date32()


def test_an_all_null_column_gets_the_schema_type_not_one_from_its_rows():
    rows = pd.DataFrame({"mention_id": ["m1"], "year": [None], "month": [float("nan")], "date_start": [None],
                         "people": [["a"]], "article_id": ["a"], "start": [0], "end": [1]})
    inferred = to_arrow(rows)
    assert inferred.schema.field("year").type == pa.string()  # what pandas' rows alone would give
    table = conform(inferred, released_schema("round_mentions"))
    assert table.schema.field("year").type == pa.int64() and table.schema.field("month").type == pa.int64()
    assert table.schema.field("date_start").type == pa.date32()
    assert table.column_names == list(schema_for("round_mentions").to_schema().columns)
    # a column the model does not describe is kept (after the model's), never silently dropped
    extra = to_arrow(rows.assign(surprise=1))
    assert conform(extra, released_schema("round_mentions", extra.schema)).column_names[-1] == "surprise"
