"""Ingest: the input folder -> articles and rejected_inputs."""

from pathlib import Path

import dagster as dg

from pipeline.defs.metadata import output
from pipeline.defs.resources import ParleyFolders
from pipeline.ingest.articles import ingest_folder
from pipeline.publish.card import found_line

@dg.multi_asset(
    group_name="ingest",
    outs={
        "articles": dg.AssetOut(description="One row per article: cleaned text, title, publisher, date, duplicates.",
                                kinds={"pandas", "parquet"}),
        "rejected_inputs": dg.AssetOut(description="Every input file or record that could not be used, with a reason.",
                                       kinds={"pandas", "parquet"}),
    },
)
def ingest(context: dg.AssetExecutionContext, folders: ParleyFolders):
    """Read every file of the input folder; bad input becomes a rejected_inputs row, never a crash."""
    articles, rejected = ingest_folder(Path(folders.input_dir), max_bytes=folders.max_file_bytes,
                                       signatures=Path(folders.data_dir) / "cache" / "near_duplicates",
                                       data_dir=Path(folders.data_dir),
                                       files_cache=Path(folders.data_dir) / "cache" / "ingest")
    for row in rejected[rejected["reason"] == "data_folder"].itertuples():
        context.log.warning(f"{row.source_file}: {row.detail}")
    context.log.info(found_line(articles, rejected))
    yield output("articles", articles)
    yield output("rejected_inputs", rejected)
