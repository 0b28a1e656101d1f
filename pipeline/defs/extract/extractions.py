"""Extract: one spaCy parse per article, shared by every per-article extractor."""

import dagster as dg
import pandas as pd

from pipeline.defs.metadata import output
from pipeline.nlp.extract import COLUMNS, extract_corpus

DESCRIPTIONS = {
    "sentences": "Sentences with paragraph ids and character offsets into articles.text.",
}


@dg.multi_asset(
    group_name="extract",
    outs={table: dg.AssetOut(description=DESCRIPTIONS[table], kinds={"spacy", "parquet"}) for table in COLUMNS},
)
def extractions(context: dg.AssetExecutionContext, articles: pd.DataFrame):
    """Parse each article once (spaCy nlp.pipe, batched) and run every extractor over the parse."""
    tables = extract_corpus(articles)
    for table in COLUMNS:
        yield output(table, tables[table])
