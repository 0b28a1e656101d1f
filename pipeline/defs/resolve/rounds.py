"""Resolve: round mentions -> rounds (known or clustered); positions and outcomes linked to their round.

The mention tables are read as files, in chunks of whole articles, and written back with their round_id: the step
holds one chunk of mentions at a time, never the corpus's."""
from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.defs.metadata import file_output, output, typed_file_with
from pipeline.defs.resources import ParleyFolders, columns, staging
from pipeline.nlp.round_mention_columns import COLUMNS as MENTION_COLUMNS
from pipeline.publish.arrow import TableFile, article_tables, released_order
from pipeline.resolve.link_cache import LinkCache
from pipeline.resolve.positions_outcomes import LINK_COLUMNS, assign_rounds, summarize_outcomes
from pipeline.resolve.round_context import ARTICLE_COLUMNS, DATE_COLUMNS, ROLE_COLUMNS
from pipeline.resolve.rounds import LINK_READS, link_rounds

CHUNK_ROWS = 20_000  # round mentions linked at once
CANDIDATES = ("round_mention_candidates", "position_candidates", "outcome_candidates")
OUTS = {
    "rounds": "One row per negotiation round: a documented round from the reference or a new one clustered from "
              "the articles, with date, place, format, delegation heads, outcome summary and support counts.",
    "round_mentions": "Each sentence that speaks of a round, linked to the round it means (round_id empty when too vague).",
    "positions": "What each side demands, proposes, offers, accepts or refuses, on which issue, in which round.",
    "outcomes": "What a round produced (agreed, rejected, proposed, implemented), with quantities.",
    "article_date_estimates": "For articles without a publication date: the date estimated from the rounds and "
                              "dates they mention, and the basis of the estimate.",
}


def _linked(candidates: TableFile, mention_keys: pd.DataFrame, table: str, path: Path) -> TableFile:
    """The candidates with each row's round_id (assign_rounds over the key columns only), typed as `table`."""
    keys = candidates.read(candidates.present(LINK_COLUMNS))
    round_ids = assign_rounds(keys, mention_keys)["round_id"].tolist()
    return typed_file_with(table, candidates.path, {"round_id": round_ids}, path, CHUNK_ROWS)


@dg.multi_asset(
    group_name="resolve",
    outs={name: dg.AssetOut(description=text, kinds={"pandas", "parquet"}) for name, text in OUTS.items()},
    deps=list(CANDIDATES),  # read as files, in chunks (ParleyFolders.table_files)
    ins={"articles": columns(ARTICLE_COLUMNS), "roles": columns(ROLE_COLUMNS), "dates": columns(DATE_COLUMNS)},
)
def round_resolution(folders: ParleyFolders, articles: pd.DataFrame, roles: pd.DataFrame, dates: pd.DataFrame):
    """Link round mentions to known rounds (place, date window, ordinal, participants) or cluster new ones."""
    round_mention_candidates, position_candidates, outcome_candidates = folders.table_files(CANDIDATES).values()
    candidates = round_mention_candidates.path
    reads = round_mention_candidates.present(LINK_READS)  # not the ids and offsets linking never reads
    chunks = (table for _, table in article_tables(candidates, CHUNK_ROWS, reads))  # read into pandas only to link
    links = link_rounds(chunks, articles, roles, dates,
                        cache=LinkCache(Path(folders.data_dir) / "cache" / "rounds"))
    order = released_order("round_mentions", [*MENTION_COLUMNS, "round_id", "link_score"])  # copied as released
    with staging(folders, "round_resolution") as tmp:
        mentions = typed_file_with("round_mentions", candidates, {"round_id": links.round_ids,
                                   "link_score": links.link_scores}, tmp / "round_mentions.parquet", CHUNK_ROWS, order)
        keys = mentions.read(["article_id", "sentence_id", "start", "tense", "round_id"])
        positions = _linked(position_candidates, keys, "positions", tmp / "positions.parquet")
        outcomes = _linked(outcome_candidates, keys, "outcomes", tmp / "outcomes.parquet")
        summary = outcomes.read(["round_id", "status", "outcome_type", "quantity"])
        yield output("rounds", summarize_outcomes(links.rounds, summary))
        for table, file in (("round_mentions", mentions), ("positions", positions), ("outcomes", outcomes)):
            yield file_output(table, file)
    yield dg.Output(links.estimates, output_name="article_date_estimates",
                    metadata={"dagster/row_count": len(links.estimates)})
