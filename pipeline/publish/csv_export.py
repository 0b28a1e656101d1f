"""One release as a zip of UTF-8 CSV files, for R, Stata and spreadsheet users; same release -> same bytes.

`<version>-csv/` holds one `<table>.csv` per table (header row, columns in the Parquet order, RFC 4180 quoting,
CRLF line ends, no byte-order mark), a datapackage.json describing the CSV files, the release's CODEBOOK.md,
CITATION.cff and README.md (the dataset card), and CSV.md, which states the text forms below:
- null is an empty cell (a text that is empty is null too: no released text column may be empty);
- a list column holds a JSON array of strings, e.g. ["Kremlin","Moscow"] (`[]` for an empty list);
- dates are YYYY-MM-DD, booleans true/false, numbers as Python writes them (1000000.0, 0.25);
- a text cell a spreadsheet would run as a formula gets a leading apostrophe (publish/cells.py).
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import uuid
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.publish import card, codebook, datapackage
from pipeline.publish.cells import spreadsheet_safe
from pipeline.publish.export import FIXED_TIME

BATCH_ROWS = 5_000
CSV_NOTE = "CSV.md"
COPIED = (codebook.CODEBOOK, card.CITATION, card.CARD)  # the release's documents, as they are

CSV_TEXT = """# The CSV files of this release

One UTF-8 file per table (no byte-order mark), a header row, columns in the same order as the Parquet files,
quoted as RFC 4180 says, lines ending CRLF. CODEBOOK.md describes every column; datapackage.json describes these
CSV files for Frictionless tools (`frictionless validate datapackage.json`).

- An empty cell is null (no text column of the dataset holds an empty text).
- A list column holds a JSON array of strings: `["Kremlin","Moscow"]`, `[]` when empty.
  R: `jsonlite::fromJSON(x)`; Stata: `split`/`ustrregexra` on the text; Python: `json.loads(x)`.
- Dates are `YYYY-MM-DD`; booleans `true`/`false`; numbers as written by Python (`1000000.0`, `0.25`).
- A text that starts with `=`, `+`, `-`, `@`, a tab, a carriage return or an apostrophe was written with one
  more leading apostrophe (`'=HYPERLINK(...)`), so that spreadsheets show it as text and never run it as a
  formula. To recover the exact text, drop one leading apostrophe from any text cell that starts with one.
- Evidence offsets (`start`, `end`) count characters of `articles.text` (0-based), as in the Parquet files.
"""


def _formatter(type_: pa.DataType):
    """How one Arrow type is written as CSV text (None -> empty cell)."""
    if pa.types.is_list(type_) or pa.types.is_large_list(type_):
        return lambda v: json.dumps([None if x is None else str(x) for x in v], ensure_ascii=False,
                                    separators=(",", ":"))
    if pa.types.is_boolean(type_):
        return lambda v: "true" if v else "false"
    if pa.types.is_date(type_):
        return lambda v: v.isoformat()
    if pa.types.is_floating(type_):
        return repr
    if pa.types.is_integer(type_):
        return str
    return lambda v: spreadsheet_safe(str(v))


def write_table_csv(parquet: Path, out) -> None:
    """`parquet` as CSV text into the binary stream `out`, a batch at a time."""
    schema = pq.read_schema(parquet)
    formats = [_formatter(f.type) for f in schema]
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(schema.names)
    for batch in pq.ParquetFile(parquet).iter_batches(batch_size=BATCH_ROWS):
        columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        writer.writerows([["" if v is None else fmt(v) for v, fmt in zip(row, formats)] for row in zip(*columns)])
    text.detach()


def _digest(path: Path) -> tuple[int, str]:
    return path.stat().st_size, card.sha256(path)


def export_csv(release_path: Path, zip_path: Path) -> Path:
    """Write the CSV zip of one release folder; the zip appears atomically."""
    release_path, zip_path = Path(release_path), Path(zip_path)
    manifest_file = release_path / "manifest.json"
    if not manifest_file.is_file():
        raise FileNotFoundError(f"not a release folder (no manifest.json): {release_path}")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    folder = f"{release_path.name}-csv"
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = zip_path.with_name(f".tmp-{uuid.uuid4().hex}-{zip_path.name}")
    try:
        with tempfile.TemporaryDirectory(prefix="parley-csv-") as work:
            files: dict[str, Path] = {}
            columns, stats = {}, {}
            for name, entry in sorted(manifest["tables"].items()):
                parquet = release_path / entry["file"]
                columns[name] = {f.name: str(f.type) for f in pq.read_schema(parquet)}  # Parquet order
                files[f"{name}.csv"] = Path(work) / f"{name}.csv"
                with files[f"{name}.csv"].open("wb") as out:
                    write_table_csv(parquet, out)
                stats[name] = _digest(files[f"{name}.csv"])
            package = datapackage.render_csv(manifest, columns, stats, card.LICENSE)
            documents = {datapackage.DATAPACKAGE: package.encode("utf-8"), CSV_NOTE: CSV_TEXT.encode("utf-8")}
            documents.update({n: (release_path / n).read_bytes() for n in COPIED if (release_path / n).is_file()})
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for name in sorted([*files, *documents]):
                    info = zipfile.ZipInfo(f"{folder}/{name}", date_time=FIXED_TIME)
                    info.external_attr = 0o644 << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    if name in documents:
                        zf.writestr(info, documents[name])
                    else:
                        info.file_size = files[name].stat().st_size  # lets zipfile choose ZIP64 for huge tables
                        with zf.open(info, "w") as target, files[name].open("rb") as source:
                            while block := source.read(1 << 20):
                                target.write(block)
        os.replace(tmp, zip_path)
    finally:
        tmp.unlink(missing_ok=True)
    return zip_path
