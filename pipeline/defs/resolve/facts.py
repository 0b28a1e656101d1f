"""Resolve: every role, position, outcome, claim, quote and round mention mapped to a canonical fact."""
import dagster as dg
import pandas as pd

from pipeline.defs.metadata import output
from pipeline.resolve.facts import build_facts


@dg.multi_asset(
    group_name="resolve",
    outs={
        "facts": dg.AssetOut(description="One row per canonical fact, merged across sources, with support counts "
                                         "(mentions, articles, originals, publishers) and conflicts kept.",
                             kinds={"pandas", "parquet"}),
        "fact_mentions": dg.AssetOut(description="Each mention of a fact: its article and evidence span.",
                                     kinds={"pandas", "parquet"}),
    },
)
def fact_resolution(articles: pd.DataFrame, roles: pd.DataFrame, positions: pd.DataFrame, outcomes: pd.DataFrame,
                    claims: pd.DataFrame, quotes: pd.DataFrame, round_mentions: pd.DataFrame, rounds: pd.DataFrame):
    facts, fact_mentions = build_facts(articles, roles, positions, outcomes, claims, quotes, round_mentions, rounds)
    yield output("facts", facts)
    yield output("fact_mentions", fact_mentions)
