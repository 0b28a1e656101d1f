"""Configurable resources: the input and data folders, and the Parquet IO manager for the tables."""

import shutil
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq

from pipeline import settings
from pipeline.publish.arrow import TableFile, read_frame, to_arrow


class ParleyFolders(dg.ConfigurableResource):
    """Input articles folder, output data folder and the per-file size limit."""

    input_dir: str = settings.input_dir()
    data_dir: str = settings.data_dir()
    max_file_bytes: int = settings.max_file_bytes()

    @property
    def work_dir(self) -> Path:
        return Path(self.data_dir) / "work"


class ParquetTables(dg.ConfigurableIOManager):
    """Each table asset's DataFrame as data/work/<table>.parquet between steps.

    An asset may return a TableFile (a Parquet file it wrote) instead of a DataFrame: it is copied in as is. With
    `as_files` (the `table_files` input manager) inputs are given as TableFiles, not loaded; an input declared with
    `metadata={"columns": [...]}` loads only those columns."""

    data_dir: str = settings.data_dir()
    as_files: bool = False

    def _path(self, context) -> Path:
        return Path(self.data_dir) / "work" / f"{context.asset_key.path[-1]}.parquet"

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame | TableFile) -> None:
        path = self._path(context)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".parquet.tmp")
        if isinstance(obj, TableFile):
            shutil.copyfile(obj.path, tmp)
        else:
            pq.write_table(to_arrow(obj), tmp, compression="zstd")
        tmp.replace(path)

    def load_input(self, context: dg.InputContext) -> pd.DataFrame | TableFile:
        if self.as_files:
            return TableFile(self._path(context))
        return read_frame(self._path(context), (context.definition_metadata or {}).get("columns"))


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources=table_resources(ParleyFolders()))


def table_resources(folders: ParleyFolders) -> dict:
    """The folders, the tables' IO manager and `table_files` (the same files given as TableFiles)."""
    return {"folders": folders, "io_manager": ParquetTables(data_dir=folders.data_dir),
            "table_files": ParquetTables(data_dir=folders.data_dir, as_files=True)}
