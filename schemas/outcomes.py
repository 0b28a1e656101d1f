"""outcomes: what a round of talks produced."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import Evidence
from schemas.vocabularies import OUTCOME_TYPES, STATUSES


class OutcomesSchema(Evidence):
    """start/end span the phrase naming the outcome ('exchange 1,000 prisoners', 'no results', 'second round ... slated')."""

    outcome_id: Series[str] = pa.Field(description="Stable id of the outcome, derived from article_id, start, end, outcome_type and status.")
    round_id: Series[str] = pa.Field(nullable=True, description="The round that produced the outcome (rounds.round_id), resolved from the sentence; else null.")
    outcome_type: Series[str] = pa.Field(isin=OUTCOME_TYPES, description="The issue settled (the positions issue vocabulary), or next_round (a further round is scheduled or expected), or no_agreement (the round produced nothing: 'yielded no results', 'no significant progress'; not given when the article reports something agreed).")
    status: Series[str] = pa.Field(isin=STATUSES, description="agreed (a realised agreement: 'both sides agreed to exchange', 'the only agreement was', 'did manage to produce a solution for', 'under the agreement, ...'; a scheduled next round); signed (an item of a text the article reports signed or initialled); rejected (the talks ended with no or without it; for no_agreement, always rejected); proposed; implemented (reported as done or in force: 'prisoners were exchanged', 'the ceasefire is holding', 'took effect'); violated (agreed, then broken or not carried out: 'has gone unfulfilled', 'breached').")
    quantity: Series[float] = pa.Field(nullable=True, description="A number given with the outcome ('exchange 1,000 prisoners' -> 1000, 'released five hundred prisoners' -> 500, 'the remains of 28 hostages' -> 28), else null.")
    quantity_unit: Series[str] = pa.Field(nullable=True, description="The noun the quantity counts, as written in lower case ('prisoners', 'soldiers'), else null.")
    sentence_id: Series[str] = pa.Field(nullable=True, description="The sentence holding the evidence (sentences.sentence_id).")

    class Config:
        unique = ["outcome_id"]
