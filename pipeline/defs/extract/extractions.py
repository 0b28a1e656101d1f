"""Extract: one spaCy parse per article, shared by every per-article extractor."""

from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.defs.metadata import output
from pipeline.defs.resources import ParleyFolders
from pipeline.nlp.cache import ExtractionCache
from pipeline.nlp.extract import COLUMNS, extract_corpus

DESCRIPTIONS = {
    "sentences": "Sentences with paragraph ids and character offsets into articles.text.",
    "dates": "Date expressions normalised to a day/month/year range relative to the publication date.",
    "claims": "Numeric claims (refugees, prisoners, durations, shares, ...) with value, unit and measure.",
    "actor_mentions": "Every mention of a person, organisation, state or group, linked to an actor.",
    "roles": "Roles (titles, offices, delegation heads) held by people, as the articles state them.",
    "quotes": "Direct and partial quotations with their speakers and cue verbs.",
}


@dg.multi_asset(
    group_name="extract",
    outs={table: dg.AssetOut(description=DESCRIPTIONS[table], kinds={"spacy", "parquet"}) for table in COLUMNS},
)
def extractions(context: dg.AssetExecutionContext, folders: ParleyFolders, articles: pd.DataFrame):
    """Parse each new article once (spaCy nlp.pipe, batched), run every extractor over the parse; reuse the cache."""
    tables = extract_corpus(articles, cache=ExtractionCache(Path(folders.data_dir) / "cache" / "extract"))
    for table in COLUMNS:
        yield output(table, tables[table])
