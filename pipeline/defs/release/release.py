"""Release: every table -> an immutable versioned Parquet release, LATEST and the DuckDB catalog."""

from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.code_version import code_version
from pipeline.defs.resources import ParleyFolders
from pipeline.publish.catalog import write_catalog
from pipeline.publish.lock import data_lock
from pipeline.publish.release import write_release
from schemas import TABLES


@dg.asset(
    group_name="release",
    kinds={"parquet", "duckdb"},
    ins={table: dg.AssetIn(table) for table in TABLES},
    description="Writes data/releases/<version>/ (Parquet + manifest), LATEST and data/parley.duckdb; "
                "an unchanged input and code give no new version.",
)
def release(context: dg.AssetExecutionContext, folders: ParleyFolders, **tables: pd.DataFrame) -> dg.MaterializeResult:
    data_dir = Path(folders.data_dir)
    fingerprint = pd.util.hash_pandas_object(tables["articles"][["article_id"]], index=False).sum()
    with data_lock(data_dir, wait=True):
        info = write_release(tables, data_dir, code_version(), f"{int(fingerprint) & (2**64 - 1):016x}")
        write_catalog(data_dir, info.path)
    context.log.info(f"release {info.version} ({'new' if info.created else 'unchanged'}) at {info.path}")
    return dg.MaterializeResult(metadata={
        "version": info.version, "path": str(info.path), "new_version": info.created,
        "rows": dg.MetadataValue.json(info.rows)})
