"""Resolve: every role, position, outcome, claim, quote and round mention mapped to a canonical fact.

Facts are built one source table at a time (a fact never gathers mentions from two tables) and fact_mentions is
gathered as Arrow and written as a file: the step holds one table's mentions as a DataFrame at a time."""
import dagster as dg
import pandas as pd

from pipeline.defs.metadata import file_output, output, validated_file
from pipeline.defs.resources import ParleyFolders, columns, staging
from pipeline.resolve.facts import COLUMNS_READ, MENTION_COLUMNS, MENTION_ORDER, fact_parts, sorted_facts


@dg.multi_asset(
    group_name="resolve",
    outs={
        "facts": dg.AssetOut(description="One row per canonical fact, merged across sources, with support counts "
                                         "(mentions, articles, originals, publishers) and conflicts kept.",
                             kinds={"pandas", "parquet"}),
        "fact_mentions": dg.AssetOut(description="Each mention of a fact: its article and evidence span.",
                                     kinds={"pandas", "parquet"}),
    },
    ins={name: columns(names) for name, names in COLUMNS_READ.items()},
)
def fact_resolution(folders: ParleyFolders, articles: pd.DataFrame, roles: pd.DataFrame, positions: pd.DataFrame,
                    outcomes: pd.DataFrame, claims: pd.DataFrame, quotes: pd.DataFrame,
                    round_mentions: pd.DataFrame, rounds: pd.DataFrame):
    facts = []

    def mentions():  # each table's mentions, validated and taken to Arrow as the next table's are built
        for part_facts, part_mentions in fact_parts(articles, roles, positions, outcomes, claims, quotes,
                                                    round_mentions, rounds):
            facts.append(part_facts)
            yield part_mentions

    with staging(folders, "fact_resolution") as tmp:
        file = validated_file("fact_mentions", mentions(), MENTION_COLUMNS, tmp / "fact_mentions.parquet",
                              sort=MENTION_ORDER)
        yield output("facts", sorted_facts(facts))
        yield file_output("fact_mentions", file)
