"""fact_mentions: every extracted row behind a fact, with its evidence span."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import Evidence

SOURCE_TABLES = ["roles", "positions", "outcomes", "claims", "quotes", "round_mentions"]


class FactMentionsSchema(Evidence):
    fact_id: Series[str] = pa.Field(description="The fact this row states (facts.fact_id).")
    source_table: Series[str] = pa.Field(isin=SOURCE_TABLES, description="The table the extracted row comes from.")
    source_row_id: Series[str] = pa.Field(description="The row's id in source_table (position_id, outcome_id, claim_id, quote_id), or '<article_id>:<start>-<end>' for roles and round_mentions, which have no id.")
    value: Series[str] = pa.Field(nullable=True, description="The value this mention gives (see facts.value); empty when it gives none.")
