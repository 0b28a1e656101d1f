"""Resolve: the actors table, from the dictionary and every actor the articles mention.

The mentions are read from their file in chunks of the columns build_actors reads: only per-actor counts are held."""
import dagster as dg

from pipeline.defs.metadata import output
from pipeline.defs.resources import ParleyFolders
from pipeline.publish.arrow import article_chunks
from pipeline.resolve.actors import MENTION_COLUMNS_READ, build_actors

CHUNK_ROWS = 200_000


@dg.multi_asset(
    group_name="resolve",
    deps=["actor_mentions"],  # read as its file (ParleyFolders.table_files)
    outs={"actors": dg.AssetOut(description="Canonical actors: every reference actor and every person discovered "
                                            "in the articles, with aliases.", kinds={"pandas", "parquet"})},
)
def actors(folders: ParleyFolders):
    actor_mentions = folders.table_files(["actor_mentions"])["actor_mentions"]
    columns = actor_mentions.present(MENTION_COLUMNS_READ)
    yield output("actors", build_actors(article_chunks(actor_mentions.path, CHUNK_ROWS, columns)))
