"""Configurable resources: the input and data folders, and the Parquet IO manager for the tables."""

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq

from pipeline import settings
from pipeline.build_memory import return_free_memory
from pipeline.publish.arrow import TableFile, read_frame, to_arrow


@contextlib.contextmanager
def staging(folders: "ParleyFolders", step: str) -> Iterator[Path]:
    """A private folder under data/work for the files a step writes and yields as TableFiles: the IO manager copies
    each in as it is yielded, and the folder is removed when the step ends."""
    folders.work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folders.work_dir, prefix=f".{step}-") as tmp:
        yield Path(tmp)


class ParleyFolders(dg.ConfigurableResource):
    """Input articles folder, output data folder and the per-file size limit."""

    input_dir: str = settings.input_dir()
    data_dir: str = settings.data_dir()
    max_file_bytes: int = settings.max_file_bytes()

    @property
    def work_dir(self) -> Path:
        return Path(self.data_dir) / "work"

    def table_files(self, tables) -> dict[str, TableFile]:
        """The Parquet files the IO manager wrote for `tables`, for a step that depends on them (`deps`) without
        loading them: it reads them in chunks, queries or copies them. Dagster records two run events for each input
        it loads (~120 of a build's ~370, for inputs that only named a file), none for a dependency. As a step's
        input loading does, it first hands what the steps before it freed back to the system."""
        return_free_memory()
        return {table: TableFile(table_path(self.data_dir, table)) for table in tables}


def table_path(data_dir: str, table: str) -> Path:
    """Where a table is kept between steps: data/work/<table>.parquet."""
    return Path(data_dir) / "work" / f"{table}.parquet"


class ParquetTables(dg.ConfigurableIOManager):
    """Each table asset's DataFrame as data/work/<table>.parquet between steps.

    An asset may return a TableFile (a Parquet file it wrote) instead of a DataFrame: it is copied in as is. An input
    declared with `metadata={"columns": [...]}` loads only those columns. A step that only needs a table's file
    depends on the table and asks ParleyFolders.table_files for it."""

    data_dir: str = settings.data_dir()

    def _path(self, context) -> Path:
        return table_path(self.data_dir, context.asset_key.path[-1])

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
        # A step starts by loading its inputs: what the steps before it freed goes back to the system first, so
        # its peak does not come on top of their leftovers (pipeline/build_memory.py).
        return_free_memory()
        path, wanted = self._path(context), (context.definition_metadata or {}).get("columns")
        return read_frame(path, TableFile(path).present(wanted) if wanted else None)


def columns(names: list[str]) -> dg.AssetIn:
    """An input loaded with only these columns (those the file has): what a step reads of a wide table."""
    return dg.AssetIn(metadata={"columns": list(names)})


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources=table_resources(ParleyFolders()))


def table_resources(folders: ParleyFolders) -> dict:
    """The folders and the tables' IO manager."""
    return {"folders": folders, "io_manager": ParquetTables(data_dir=folders.data_dir)}
