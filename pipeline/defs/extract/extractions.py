"""Extract: one spaCy parse per article, shared by every per-article extractor."""

from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.defs.metadata import file_output
from pipeline.defs.resources import ParleyFolders
from pipeline.nlp import built_tables
from pipeline.nlp.cache import ExtractionCache
from pipeline.nlp.extract import CANDIDATES, COLUMNS, TABLES, extract_files
from pipeline.nlp.progress import Tracker, tracking
from pipeline.nlp.workers import stop_workers
from pipeline.publish.arrow import TableFile

DESCRIPTIONS = {
    "sentences": "Sentences with paragraph ids and character offsets into articles.text.",
    "dates": "Date expressions normalised to a day/month/year range relative to the publication date.",
    "claims": "Numeric claims (refugees, prisoners, durations, shares, ...) with value, unit and measure.",
    "actor_mentions": "Every mention of a person, organisation, state or group, linked to an actor.",
    "roles": "Roles (titles, offices, delegation heads) held by people, as the articles state them.",
    "quotes": "Direct and partial quotations with their speakers and cue verbs.",
    "extraction_errors": "Articles whose extraction failed, with the extractor and the error; none of their rows "
                         "is in any extracted table.",
    "round_mention_candidates": "Sentences that speak of a meeting or round of talks, with what they say of it "
                                "(place, date, ordinal, format, heads), before linking to rounds.",
    "position_candidates": "Positions of each side on each issue, before linking to rounds.",
    "outcome_candidates": "Outcomes of talks, before linking to rounds.",
}


@dg.multi_asset(
    group_name="extract",
    outs={table: dg.AssetOut(description=DESCRIPTIONS[table], kinds={"spacy", "parquet"}) for table in COLUMNS},
)
def extractions(context: dg.AssetExecutionContext, folders: ParleyFolders, articles: pd.DataFrame):
    """Parse each new article once (spaCy nlp.pipe, batched), run every extractor over the parse; reuse the cache.

    Worker processes parse, extract, type and write each task of articles to the cache; the tables are then
    assembled from the cache as Parquet files, so this step never holds the rows as DataFrames."""
    # The extractors are written for English: an article in another language keeps its row and gets none here.
    chosen = articles[articles["extracted"]] if "extracted" in articles else articles
    built_tables.use_folder(Path(folders.data_dir) / "cache" / "tables")  # as `parley build` does: the UI's runs too
    try:
        with tracking(Tracker("extraction", context.log)):  # a bar on the terminal, counts in the run's log
            files, parsed = extract_files(chosen[["article_id", "text", "published_date"]],
                                          ExtractionCache(Path(folders.data_dir) / "cache" / "extract"))
    finally:
        stop_workers()  # the workers' server holds the model: freed before the cross-article steps
    skipped = len(articles) - len(chosen)
    context.log.info(f"{parsed} articles parsed, {len(chosen) - parsed} read from the extraction cache"
                     + (f", {skipped} not in English left out (articles.extracted = false)" if skipped else ""))
    for table in TABLES:
        yield file_output(table, TableFile(files[table]))
    for table in CANDIDATES:
        file = TableFile(files[table])
        yield dg.Output(file, output_name=table, metadata={"dagster/row_count": file.rows})
