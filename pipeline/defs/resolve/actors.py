"""Resolve: the actors table, from the dictionary and every actor the articles mention."""
import dagster as dg
import pandas as pd

from pipeline.defs.metadata import output
from pipeline.defs.resources import columns
from pipeline.resolve.actors import MENTION_COLUMNS_READ, build_actors


@dg.multi_asset(
    group_name="resolve",
    ins={"actor_mentions": columns(MENTION_COLUMNS_READ)},
    outs={"actors": dg.AssetOut(description="Canonical actors: every reference actor and every person discovered "
                                            "in the articles, with aliases.", kinds={"pandas", "parquet"})},
)
def actors(actor_mentions: pd.DataFrame):
    yield output("actors", build_actors(actor_mentions))
