"""Release: every table -> an immutable versioned Parquet release, LATEST and the DuckDB catalog."""

import base64
import contextlib
import functools
from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.code_version import code_version
from pipeline.defs.metadata import validated_file
from pipeline.defs.resources import ParleyFolders, staging
from pipeline.publish.catalog import CatalogError, write_catalog
from pipeline.publish.arrow import TableFile, article_chunks, released_file
from pipeline.publish.codebook import CODEBOOK
from pipeline.publish.extras import release_extras
from pipeline.publish.integrity import cross_table_failures
from pipeline.publish.lock import data_lock
from pipeline.publish.release import write_release
from pipeline.publish.timeline import TIMELINE
from pipeline.resolve.article_dates import ESTIMATE_COLUMNS, with_estimated_dates
from schemas import TABLES

ARTICLE_CHUNK_ROWS = 2_000  # articles (with their text) dated and validated at once


@dg.asset(
    group_name="release",
    kinds={"parquet", "duckdb"},
    # Every table is taken as its Parquet file (a dependency, ParleyFolders.table_files): checked with DuckDB and
    # copied in, never loaded whole (articles, with their estimated dates added, are written chunk by chunk).
    deps=list(TABLES),
    ins={"article_date_estimates": dg.AssetIn()},
    # Markdown in the UI: paths in code spans, or `<version>` would be taken for an HTML tag and vanish.
    description="Writes `<data>/releases/<version>/` (Parquet, manifest, codebook, data package, dataset card, "
                "citation, checksums, timeline), `<data>/releases/LATEST` and `<data>/parley.duckdb`, where "
                "`<data>` is the data folder (PARLEY_DATA_DIR, default `data/`); an unchanged input and code give "
                "no new version.",
)
def release(context: dg.AssetExecutionContext, folders: ParleyFolders,
            article_date_estimates: pd.DataFrame) -> dg.MaterializeResult:
    data_dir, tables = Path(folders.data_dir), folders.table_files(TABLES)
    # The cross-table checks read the files; the dates added below change no id, text or span they look at.
    _refuse_broken(tables)
    with staging(folders, "release") as tmp:
        articles = tables["articles"]
        chunks = (with_estimated_dates(chunk, article_date_estimates)
                  for chunk in article_chunks(articles.path, ARTICLE_CHUNK_ROWS))
        articles = validated_file("articles", chunks, [*articles.columns, *ESTIMATE_COLUMNS], tmp / "articles.parquet")
        fingerprint = pd.util.hash_pandas_object(articles.read(["article_id"]), index=False).sum()
        summary = {"articles": articles.read([c for c in articles.columns if c != "text"]),
                   "rounds": tables["rounds"].read(),
                   "rejected_inputs": tables["rejected_inputs"].read(),
                   "extraction_errors": tables["extraction_errors"].read()}  # what the dataset card and timeline show
        released = _typed_by_schema({**tables, "articles": articles}, tmp, context.log)
        with data_lock(data_dir, wait=True), _catalog_failure():
            # The catalog follows the release before LATEST does: a build killed in between leaves it ahead, and
            # the next build or `parley query` brings it back (publish/catalog.sync_catalog).
            info = write_release(released, data_dir, code_version(),
                                 f"{int(fingerprint) & (2**64 - 1):016x}", extras=release_extras(summary),
                                 before_latest=functools.partial(write_catalog, data_dir))
    context.log.info(f"release {info.version} ({'new' if info.created else 'unchanged'}) at {info.path}")
    return dg.MaterializeResult(metadata={
        "version": info.version, "path": str(info.path), "new_version": info.created,
        "rows": dg.MetadataValue.json(info.rows),
        "codebook": dg.MetadataValue.path(str(info.path / CODEBOOK)),
        "timeline": dg.MetadataValue.md(_image_md(info.path / TIMELINE))})


@contextlib.contextmanager
def _catalog_failure():
    """A catalog that cannot follow (open elsewhere, a user object in the way) stops the release before LATEST
    moves, with its one-line reason."""
    try:
        yield
    except CatalogError as exc:
        raise dg.Failure(description=str(exc)) from None


def _typed_by_schema(tables: dict[str, TableFile], folder: Path, log) -> dict[str, TableFile]:
    """Every table rewritten with the columns, order and types of its pandera model (arrow.released_schema), so a
    column's released type never depends on the rows at hand (an all-null column is not string one time and double
    the next) and the same input and code give the same bytes whatever was built before. A file that already is as
    released (arrow.released_file) is taken as it is, not rewritten."""
    out = {}
    for name, table in tables.items():
        path, undescribed = released_file(name, table.path, folder / f"released-{name}.parquet")
        out[name] = TableFile(path)
        # A column missing from the model is still released (never dropped), and said loudly here and in the
        # codebook ("not described by the schema"); tests/test_release_standards.py fails on it.
        if undescribed:
            log.warning(f"{name}: column(s) {', '.join(undescribed)} are not in the table's pandera model "
                        f"(schemas/): released with the type they were written with")
    return out


def _refuse_broken(tables: dict) -> None:
    """The cross-table checks cannot be blocking (see defs/checks.py), so the release enforces them itself."""
    failures = cross_table_failures(tables)
    if failures:
        summary = ", ".join(f"{name} ({len(cases)} failures)" for name, cases in failures.items())
        raise dg.Failure(description=f"not released: {summary}", metadata={
            name: dg.MetadataValue.md(cases.head(20).to_markdown(index=False)) for name, cases in failures.items()})


def _image_md(png: Path) -> str:
    """The timeline inline (a data URI), so the asset page shows it without access to the data folder."""
    if not png.is_file():
        return "(this release has no timeline.png)"
    return f"![rounds timeline](data:image/png;base64,{base64.b64encode(png.read_bytes()).decode()})"
