"""Resolve: every role, position, outcome, claim, quote and round mention mapped to a canonical fact.

Facts are built one source table at a time (a fact never gathers mentions from two tables) and fact_mentions is
gathered as Arrow and written as a file: the step loads one table at a time (the columns it reads) and holds
its mentions as a DataFrame until they are typed and taken to Arrow."""
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.defs.metadata import file_output, output
from pipeline.defs.resources import ParleyFolders, columns, staging
from pipeline.publish.arrow import TableFile, concat_like_one, released_order, to_arrow
from pipeline.publish.integrity import conformed
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
    deps=list(READ),  # read as files, one table at a time (ParleyFolders.table_files)
    ins={"articles": columns(COLUMNS_READ["articles"]), "rounds": columns(COLUMNS_READ["rounds"])},
)
def fact_resolution(folders: ParleyFolders, articles: pd.DataFrame, rounds: pd.DataFrame):
    facts, tables = [], folders.table_files(READ)

    def read(name: str, wanted: list[str]) -> pa.Table:  # a table loaded when its turn comes, these columns
        return pq.read_table(tables[name].path, columns=tables[name].present(wanted))

    def mentions():  # each table's mentions, typed and taken to Arrow before the next table's are built
        for part_facts, part_mentions in fact_parts(articles, read, rounds):
            facts.append(part_facts)
            yield part_mentions
            del part_mentions

    with staging(folders, "fact_resolution") as tmp:
        file = sorted_mentions(mentions(), tmp / "fact_mentions.parquet")
        yield output("facts", sorted_facts(facts))
        yield file_output("fact_mentions", file)


def sorted_mentions(frames, path: Path) -> TableFile:
    """fact_mentions typed frame by frame (as typed_file types chunks; no frame held once it is Arrow) and written
    sorted by MENTION_ORDER, in the released column order, the sort taken one column at a time: the step never
    holds the whole table twice (Table.sort_by copies it at once)."""
    parts = []
    try:
        for frame in frames:
            parts.append(to_arrow(conformed("fact_mentions", frame)))
            del frame
        whole = concat_like_one(parts or [to_arrow(conformed("fact_mentions", pd.DataFrame(columns=MENTION_COLUMNS)))])
    except ValueError as exc:
        raise dg.Failure(description=str(exc)) from exc
    del parts
    order = pc.sort_indices(whole, sort_keys=[(c, "ascending") for c in MENTION_ORDER])
    schema, sorted_columns = whole.schema, whole.columns
    del whole
    for i in range(len(sorted_columns)):
        sorted_columns[i] = sorted_columns[i].take(order)  # the unsorted column is freed as it is replaced
    whole = pa.Table.from_arrays(sorted_columns, schema=schema)
    # in the released column order, so that the release copies the file instead of rewriting it
    pq.write_table(whole.select(released_order("fact_mentions", whole.column_names)), path, compression="zstd")
    return TableFile(path)
