"""Configurable resources: the input and data folders, and the Parquet IO manager for the tables."""

from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq

from pipeline import settings
from pipeline.publish.arrow import read_frame, to_arrow


class ParleyFolders(dg.ConfigurableResource):
    """Input articles folder, output data folder and the per-file size limit."""

    input_dir: str = settings.input_dir()
    data_dir: str = settings.data_dir()
    max_file_bytes: int = settings.max_file_bytes()

    @property
    def work_dir(self) -> Path:
        return Path(self.data_dir) / "work"


class ParquetTables(dg.ConfigurableIOManager):
    """Each table asset's DataFrame as data/work/<table>.parquet between steps."""

    data_dir: str = settings.data_dir()

    def _path(self, context) -> Path:
        return Path(self.data_dir) / "work" / f"{context.asset_key.path[-1]}.parquet"

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame) -> None:
        path = self._path(context)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".parquet.tmp")
        pq.write_table(to_arrow(obj), tmp, compression="zstd")
        tmp.replace(path)

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        return read_frame(self._path(context))


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"folders": ParleyFolders(), "io_manager": ParquetTables()})
