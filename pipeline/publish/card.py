"""The release's dataset card (README.md), CITATION.cff and SHA256SUMS."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from pipeline.publish.codebook import table_description

CARD = "README.md"
CITATION = "CITATION.cff"
SHA256SUMS = "SHA256SUMS"
TITLE = "Parley: peace negotiations in the news"
AUTHOR = "Parley contributors"
# The extracted structure is ours to license; the article texts stay the publishers' (said in the card).
LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
MAX_LISTED = 50

LIMITS = [
    "Extraction is rule-based (spaCy `en_core_web_sm` plus lexicons in `pipeline/reference/`): it finds what the "
    "rules describe and misses paraphrase, irony and statements spread over several sentences.",
    "English only: articles detected in another language keep their `articles` row (with `language`) but are not "
    "extracted (`extracted = false`: no sentences or other rows); `und` (undetermined) articles are extracted.",
    "Support counts (`n_articles`, `n_publishers`) count reports, not independent observations: syndicated "
    "copies are marked in `articles.duplicate_of` only when they are detected as such.",
    "A `conflict` flag means the sources disagree, not that one of them is wrong.",
    "The article texts (`articles.text`, quotes and evidence spans) remain the copyright of their publishers; "
    f"the {LICENSE['name']} licence covers the extracted structure, not the texts.",
]


def _md_table(header: list[str], rows: list[list]) -> list[str]:
    return (["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            + ["| " + " | ".join(str(v).replace("|", "\\|") for v in r) + " |" for r in rows])


def _counts(values: pd.Series) -> str:
    return ", ".join(f"{v} {n}" for v, n in sorted(values.value_counts().items()))


def found_line(articles: pd.DataFrame, rejected: pd.DataFrame | None, rounds: int | None = None) -> str:
    """One line saying what the input folder held: articles, those not extracted (not English), repairs made in
    decoding, rejected inputs by reason; for an empty or all-bad folder, that the release is empty on purpose; for
    articles about no negotiation (`rounds` == 0), that too."""
    rejected = rejected if rejected is not None else pd.DataFrame(columns=["reason"])
    why = f"{len(rejected)} input(s) rejected ({_counts(rejected['reason'])}, see `rejected_inputs`)"
    if articles.empty:
        found = f"no usable article: {why}" if len(rejected) else "no input files in the input folder"
        return f"Found {found}. Every table is present with 0 rows."
    parts = [f"Found {len(articles)} article(s) in {articles['source_file'].nunique()} file(s)"]
    if "extracted" in articles:
        other = articles.loc[~articles["extracted"].astype(bool), "language"]
        if len(other):
            parts.append(f"{len(other)} not in English ({_counts(other)}): kept, not extracted")
    if "encoding_repair" in articles and (repaired := int(articles["encoding_repair"].notna().sum())):
        parts.append(f"{repaired} repaired in decoding (see `articles.encoding_repair`)")
    if rounds == 0:
        parts.append("no negotiation round found in them")
    if len(rejected):
        parts.append(why)
    return "; ".join(parts) + "."


def found_in_release(release: Path) -> str:
    """found_line for a written release folder (what `parley build` prints)."""
    import pyarrow.parquet as pq

    from pipeline.publish.arrow import read_in_thread  # the last reads before the build's process exits
    names = set(pq.read_schema(release / "articles.parquet").names)
    articles = read_in_thread(release / "articles.parquet", columns=[
        c for c in ("source_file", "language", "extracted", "encoding_repair") if c in names])
    rounds = pq.read_metadata(release / "rounds.parquet").num_rows
    rejected = read_in_thread(release / "rejected_inputs.parquet", columns=["reason"])
    return found_line(articles, rejected, rounds)


def _sources(tables: dict[str, pd.DataFrame]) -> list[str]:
    articles = tables.get("articles")
    if articles is None or articles.empty:
        return [found_line(pd.DataFrame(columns=["source_file"]), tables.get("rejected_inputs"))]
    publishers = articles["publisher"].fillna("(unknown)").value_counts()
    rounds = tables.get("rounds")
    lines = [found_line(articles, tables.get("rejected_inputs"), None if rounds is None else len(rounds)), "",
             f"{len(articles)} articles from {articles['source_file'].nunique()} input files, "
             f"{publishers.drop('(unknown)', errors='ignore').size} named publisher(s).", ""]
    lines += _md_table(["publisher", "articles"], [[p, n] for p, n in sorted(publishers.items())])
    dates = pd.to_datetime(articles["published_date"], errors="coerce").dropna()
    if len(dates):
        lines += ["", f"Published between {dates.min():%Y-%m-%d} and {dates.max():%Y-%m-%d} "
                      f"({len(articles) - len(dates)} articles without a date)."]
    files = sorted(articles["source_file"].unique())
    lines += ["", "Input files: " + ", ".join(f"`{f}`" for f in files[:MAX_LISTED])
              + (f" and {len(files) - MAX_LISTED} more." if len(files) > MAX_LISTED else ".")]
    rejected = tables.get("rejected_inputs")
    if rejected is not None and len(rejected):
        reasons = ", ".join(f"{r} ({n})" for r, n in sorted(rejected["reason"].value_counts().items()))
        lines += ["", f"{len(rejected)} inputs were rejected (see `rejected_inputs`): {reasons}."]
    failed = tables.get("extraction_errors")
    if failed is not None:
        stages = ", ".join(f"{s} ({n})" for s, n in sorted(failed["stage"].value_counts().items()))
        lines += ["", f"{len(failed)} article{'' if len(failed) == 1 else 's'} failed extraction (see `extraction_errors`)"
                      + (f": {stages}; their other rows are left out of every table." if len(failed) else ".")]
    return lines


def render_card(manifest: dict, tables: dict[str, pd.DataFrame], files: list[str]) -> str:
    version = manifest["version"]
    lines = [f"# {TITLE}", "", f"Release `{version}`, created {manifest['created_at']}, code version "
             f"`{manifest['code_version']}`, {manifest.get('contract', 'parley dataset contract')}.", "",
             "Structured data about peace negotiations taken from news articles: who met where and when, who said "
             "what, what each side demanded, offered or refused, and what each round produced. Every extracted row "
             "carries `article_id`, `start` and `end`, so `substr(text, start + 1, end - start)` of the article is "
             "its evidence.", "", "## Sources", ""]
    lines += _sources(tables)
    lines += ["", "## Method", "",
              "1. Ingest: every file of the input folder is decoded, cleaned (Unicode NFC, site boilerplate removed) "
              "and becomes one `articles` row; unusable input becomes a `rejected_inputs` row with a reason.",
              "2. Extract: one spaCy parse per article; rule families find sentences, actor mentions, roles, quotes, "
              "numeric claims, dates, negotiation rounds, positions and outcomes, each with its evidence span.",
              "3. Resolve: mentions are merged across articles into actors, rounds and facts with support counts "
              "and a conflict flag; near-duplicate (syndicated) articles are marked.",
              "4. Validate and release: every table passes its pandera schema and referential and evidence checks "
              "before this immutable, versioned folder is written.", "", "## Tables", ""]
    lines += _md_table(["table", "rows", "description"],
                       [[f"`{n}`", t["rows"], table_description(n)] for n, t in manifest["tables"].items()])
    lines += ["", "Column definitions, types and vocabularies: `CODEBOOK.md`; machine-readable: `datapackage.json`.",
              "", "## Known limits", ""] + [f"- {limit}" for limit in LIMITS]
    lines += ["", "## Using it", "", "```sql",
              "-- DuckDB, from this folder", "select title, publisher from 'articles.parquet';", "```", "",
              "```python", "import pandas as pd", "articles = pd.read_parquet('articles.parquet')", "```", "",
              "For R, Stata or a spreadsheet: `parley export --format csv --zip parley-csv.zip` writes this release "
              "as one UTF-8 CSV per table (lists as JSON arrays; `CSV.md` in the zip gives the text forms).", "",
              "## Files", ""] + [f"- `{f}`" for f in files]
    lines += ["", "`SHA256SUMS` lists the sha256 of every file here except itself and `manifest.json`, which is "
              "written last and carries the sha256 of each Parquet file itself (`sha256sum -c SHA256SUMS`).", "",
              "## Licence and citation", "",
              f"{LICENSE['title']} ({LICENSE['path']}) for the extracted data; see Known limits for the article "
              f"texts. Cite as given in `CITATION.cff`: {AUTHOR}, *{TITLE}*, version {version}."]
    return "\n".join(lines) + "\n"


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_citation(manifest: dict) -> str:
    return "\n".join([
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {_yaml_str(TITLE)}",
        f"version: {_yaml_str(manifest['version'])}",
        f"date-released: {_yaml_str(manifest['created_at'][:10])}",
        "authors:",
        f"  - name: {_yaml_str(AUTHOR)}",
        f"license: {LICENSE['name']}",
        "keywords:",
        '  - "peace negotiations"',
        '  - "news"',
        '  - "event data"',
    ]) + "\n"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_sha256sums(folder: Path) -> Path:
    """`sha256sum` format ("<hex>  <name>"), sorted by name, every regular file but SHA256SUMS itself."""
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != SHA256SUMS)
    path = folder / SHA256SUMS
    path.write_text("".join(f"{sha256(folder / n)}  {n}\n" for n in names), encoding="utf-8")
    return path
