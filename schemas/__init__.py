"""One pandera DataFrameModel per released table; `TABLES` lists them in release order."""
from __future__ import annotations

import importlib

# table name -> "module:Class". A table is released when its schema is listed here.
TABLES = {
    "articles": "schemas.articles:ArticlesSchema",
    "sentences": "schemas.sentences:SentencesSchema",
    "rejected_inputs": "schemas.rejected_inputs:RejectedInputsSchema",
    "extraction_errors": "schemas.extraction_errors:ExtractionErrorsSchema",
    "dates": "schemas.dates:DatesSchema",
    "claims": "schemas.claims:ClaimsSchema",
    "actors": "schemas.actors:ActorsSchema",
    "actor_mentions": "schemas.actor_mentions:ActorMentionsSchema",
    "roles": "schemas.roles:RolesSchema",
    "quotes": "schemas.quotes:QuotesSchema",
    "rounds": "schemas.rounds:RoundsSchema",
    "round_mentions": "schemas.round_mentions:RoundMentionsSchema",
    "positions": "schemas.positions:PositionsSchema",
    "outcomes": "schemas.outcomes:OutcomesSchema",
    "facts": "schemas.facts:FactsSchema",
    "fact_mentions": "schemas.fact_mentions:FactMentionsSchema",
}


def schema_for(table: str):
    module, _, name = TABLES[table].partition(":")
    return getattr(importlib.import_module(module), name)
