"""facts: each statement once across all articles, with its support and any disagreement."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import DATE, LIST

FACT_TYPES = ["role", "position", "outcome", "claim", "quote", "round"]


class FactsSchema(pa.DataFrameModel):
    fact_id: Series[str] = pa.Field(unique=True, description="Stable id: a hash of fact_type and the key parts, so a fact keeps its id from one release to the next.")
    fact_type: Series[str] = pa.Field(isin=FACT_TYPES, description="What kind of statement: role, position, outcome, claim, quote or round.")
    subject_actor_id: Series[str] = pa.Field(nullable=True, description="The actor the fact is about (actors.actor_id): the role holder, the quote's speaker, the claim's subject, the actor most often stating a position; empty otherwise.")
    round_id: Series[str] = pa.Field(nullable=True, description="The negotiation round the fact belongs to (rounds.round_id); empty when none is known.")
    key: Series[str] = pa.Field(description="Readable key: the role ('head of delegation'), 'side stance issue', 'outcome_type status', the claim's measure, the quote's normalised text, or the round_id.")
    value: Series[str] = pa.Field(nullable=True, description="The value most mentions give: affiliation (role), stance (position), quantity and unit (outcome), value and unit (claim), quote text, date and city (round).")
    values: Series[object] = pa.Field(metadata=LIST, description="List of every distinct value (as strings) the mentions give; more than one numeric value within 5 % is not a conflict.")
    n_mentions: Series[int] = pa.Field(ge=1, description="Number of extracted rows stating the fact (fact_mentions rows).")
    n_articles: Series[int] = pa.Field(ge=1, description="Number of distinct articles stating it (repeats within one article count once).")
    n_publishers: Series[int] = pa.Field(ge=1, description="Number of distinct publishers stating it; an article without a publisher counts as its own source.")
    n_originals: Series[int] = pa.Field(ge=0, description="Number of distinct articles stating it that are not duplicates (duplicate_of empty): the independent support.")
    conflict: Series[bool] = pa.Field(description="True when mentions disagree: affiliations (role), numbers more than 5 % apart (outcome, claim), dates or places (round).")
    article_ids: Series[object] = pa.Field(metadata=LIST, description="Sorted list of the article_ids stating the fact.")
    first_published: Series[object] = pa.Field(metadata=DATE, nullable=True, description="Earliest published_date (date) among the articles stating it; empty when none is known.")

    @pa.dataframe_check(description="n_originals <= n_articles <= n_mentions and n_publishers <= n_articles")
    def counts_ordered(cls, df):
        return (df["n_originals"] <= df["n_articles"]) & (df["n_articles"] <= df["n_mentions"]) & (
            df["n_publishers"] <= df["n_articles"])

    class Config:
        coerce = True
        strict = False
