"""Resolve: every role, position, outcome, claim, quote and round mention mapped to a canonical fact.

Facts are built one source table at a time (a fact never gathers mentions from two tables) and fact_mentions is
gathered as Arrow and written as a file: the step loads one table at a time (the columns it reads) and holds
its mentions as a DataFrame until they are typed and taken to Arrow."""
import dagster as dg
import pandas as pd

from pipeline.defs.metadata import file_output, output, typed_file
from pipeline.defs.resources import FILES, ParleyFolders, columns, staging
from pipeline.publish.arrow import TableFile
from pipeline.resolve.facts import COLUMNS_READ, MENTION_COLUMNS, MENTION_ORDER, READ, fact_parts, sorted_facts


@dg.multi_asset(
    group_name="resolve",
    outs={
        "facts": dg.AssetOut(description="One row per canonical fact, merged across sources, with support counts "
                                         "(mentions, articles, originals, publishers) and conflicts kept.",
                             kinds={"pandas", "parquet"}),
        "fact_mentions": dg.AssetOut(description="Each mention of a fact: its article and evidence span.",
                                     kinds={"pandas", "parquet"}),
    },
    ins={"articles": columns(COLUMNS_READ["articles"]), "rounds": columns(COLUMNS_READ["rounds"]),
         **{name: FILES for name in READ}},
)
def fact_resolution(folders: ParleyFolders, articles: pd.DataFrame, rounds: pd.DataFrame, **tables: TableFile):
    facts = []

    def read(name: str, wanted: list[str]) -> pd.DataFrame:  # each table loaded when its turn comes, with the columns read
        return tables[name].read(tables[name].present(wanted))

    def mentions():  # each table's mentions, typed and taken to Arrow as the next table's are built
        for part_facts, part_mentions in fact_parts(articles, read, rounds):
            facts.append(part_facts)
            yield part_mentions

    with staging(folders, "fact_resolution") as tmp:
        file = typed_file("fact_mentions", mentions(), MENTION_COLUMNS, tmp / "fact_mentions.parquet",
                              sort=MENTION_ORDER)
        yield output("facts", sorted_facts(facts))
        yield file_output("fact_mentions", file)
