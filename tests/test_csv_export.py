"""Issue 16.2: `parley export --format csv`; CSV cells safe for spreadsheets (publish/cells.py)."""
import csv
import io
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.cli import main
from pipeline.publish.cells import spreadsheet_safe, unguarded
from pipeline.publish.release import latest_path

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def test_formula_cells_get_an_apostrophe_and_the_rule_is_reversible():
    for text in ("=HYPERLINK(\"http://x\",\"y\")", "+1", "-2 said", "@SUM(A1)", "\tx", "'quoted"):
        assert spreadsheet_safe(text) == "'" + text and unguarded(spreadsheet_safe(text)) == text
    for text in ("Istanbul", "1 = 1", "", "e-mail"):
        assert spreadsheet_safe(text) == text and unguarded(spreadsheet_safe(text)) == text


def _read_back(cell: str, type_):
    """A CSV cell as the Parquet value, by the rules CSV.md states."""
    if cell == "":
        return None
    text = str(type_)
    if text.startswith("list"):
        return json.loads(cell)
    if text == "bool":
        return cell == "true"
    if text.startswith("date"):
        return date.fromisoformat(cell)
    if text == "double":
        return float(cell)
    if text.startswith("int"):
        return int(cell)
    return unguarded(cell)


def test_csv_export_reads_back_every_row_and_is_deterministic(built_seeds, tmp_path, capsys):
    release = latest_path(built_seeds)
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    assert main(["export", "--format", "csv", "--zip", str(first), "--data", str(built_seeds)]) == 0
    assert f"release {release.name} as CSV" in capsys.readouterr().out
    assert main(["export", "--format", "csv", "--zip", str(second), "--data", str(built_seeds)]) == 0
    assert first.read_bytes() == second.read_bytes()

    folder = f"{release.name}-csv"
    with zipfile.ZipFile(first) as zf:
        names = set(zf.namelist())
        for document in ("datapackage.json", "CODEBOOK.md", "CITATION.cff", "README.md", "CSV.md"):
            assert f"{folder}/{document}" in names
        for parquet in sorted(release.glob("*.parquet")):
            table = pq.read_table(parquet)
            raw = zf.read(f"{folder}/{parquet.stem}.csv")
            assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without a byte-order mark
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
            assert rows[0] == table.column_names
            types = [f.type for f in table.schema]
            back = [[_read_back(cell, t) for cell, t in zip(row, types)] for row in rows[1:]]
            expected = [list(r.values()) for r in table.to_pylist()]
            # every row found, value for value (an empty text would read back as null: none is released)
            assert back == expected, parquet.stem
        package = json.loads(zf.read(f"{folder}/datapackage.json"))
        zf.extractall(tmp_path / "unzipped")
    aliases = next(f for r in package["resources"] if r["name"] == "actors" for f in r["schema"]["fields"]
                   if f["name"] == "aliases")
    assert aliases["type"] == "array"  # a JSON array of strings, as read from the CSV
    command = [str(FRICTIONLESS)] if FRICTIONLESS.exists() else [sys.executable, "-m", "frictionless"]
    done = subprocess.run([*command, "validate", "datapackage.json"], cwd=tmp_path / "unzipped" / folder,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:]


def test_formulas_in_text_are_neutralised_in_the_csv(tmp_path):
    import pandas as pd

    from pipeline.publish.csv_export import write_table_csv
    path = tmp_path / "t.parquet"
    pq.write_table(__import__("pyarrow").Table.from_pandas(pd.DataFrame(
        {"title": ["=HYPERLINK(\"http://evil\",\"click\")", "Talks resume", None], "n": [-1, 2, 3]}),
        preserve_index=False), path)
    out = io.BytesIO()
    write_table_csv(path, out)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))
    assert rows == [["title", "n"], ["'=HYPERLINK(\"http://evil\",\"click\")", "-1"], ["Talks resume", "2"], ["", "3"]]


def test_csv_export_errors_are_one_line(built_seeds, tmp_path, capsys):
    assert main(["export", "--format", "csv", "--zip", str(tmp_path), "--data", str(built_seeds)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("parley: cannot write") and err.count("\n") == 1
